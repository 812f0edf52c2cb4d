"""What the reminder engine told whom of no occurrence: one row per weekly summary addressed to
one officer at one send moment (what it tells of an occurrence, it keeps the keys of on the
occurrence: `Occurrence.told`, `services/reminding/items.py`; rows written before migration 0019
are items of every kind).

`idempotency_key` makes each item happen at most once, whatever the scan repeats; the items of
one officer at one moment are bundled into one digest, the `Outbox` row they point to.
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from models.types import StrEnumType, UtcDateTime


class ItemKind(StrEnum):
    """Why someone is told about a task (the kinds `dondoc simulate --json` prints)."""

    REMINDER = "reminder"
    OVERDUE = "overdue"
    ESCALATION = "escalation"
    CHECKIN = "checkin"
    OBLIGATION = "obligation"
    SUMMARY = "summary"
    UNASSIGNED = "unassigned"


class ReminderItem(SQLModel, table=True):
    """One thing one officer is told at one send moment; bundled into an outbox digest."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int
    officer_id: int
    """The ward and officer of the item's digest (`outbox_id`), written with it: no foreign keys
    of their own (the digest's have them), since the scan writes a thousand items at a time and
    each key checked costs a look-up and a row lock. Officers are deactivated, never deleted."""
    occurrence_id: int | None = Field(default=None, index=True)
    """The occurrence told of (None for a summary). No foreign key: the scan writes its items
    for the occurrences it has just locked, and a trigger deletes an occurrence's items with it
    (migration 0017), as the key's ON DELETE CASCADE did, without a look-up and a row lock for
    each of a thousand items a scan."""
    kind: ItemKind = Field(sa_type=StrEnumType(ItemKind))
    moment: datetime = Field(sa_type=UtcDateTime())
    idempotency_key: str = Field(max_length=200, unique=True)
    data: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    outbox_id: int | None = None
    """The digest that told it; None when that digest had been written before (same key) or
    was deleted. Written with the digest, in the same statement, so no foreign key checks it
    (a look-up and a row lock for each of a thousand items a scan). Whoever deletes digests
    deletes their items first (`housekeeping.forget_old`; the demo story deletes only what its
    past told before any scan, notices without items). Not indexed (migration 0018): only that
    weekly clean-up reads it, in one pass over the table."""
    created_at: datetime = Field(sa_type=UtcDateTime())
