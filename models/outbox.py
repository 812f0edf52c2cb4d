"""Messages to send: written by the scan and the use cases, delivered by the dispatcher."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from models.enums import Channel, OutboxKind, OutboxState
from models.types import StrEnumType, UtcDateTime


class Outbox(SQLModel, table=True):
    """One message to one officer; `idempotency_key` makes every write safe to repeat."""

    __table_args__ = (Index("ix_outbox_state_scheduled_for", "state", "scheduled_for"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(index=True)
    officer_id: int = Field(index=True)
    """The ward and officer told: no foreign keys (migration 0018), since the scan writes two
    hundred digests at a time for officers it has just read, and each key checked costs a
    look-up and a row lock. Officers are deactivated, never deleted; dondoc deletes no ward."""
    channel: Channel | None = Field(default=None, sa_type=StrEnumType(Channel))
    kind: OutboxKind = Field(sa_type=StrEnumType(OutboxKind))
    payload: dict[str, object] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    idempotency_key: str = Field(max_length=200, unique=True)
    scheduled_for: datetime = Field(sa_type=UtcDateTime())
    state: OutboxState = Field(default=OutboxState.PENDING, sa_type=StrEnumType(OutboxState))
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    last_error: str | None = Field(default=None, max_length=1000)
    platform_message_id: str | None = Field(default=None, max_length=100)
    created_at: datetime = Field(sa_type=UtcDateTime())
    sent_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    locked_until: datetime | None = Field(default=None, sa_type=UtcDateTime())
    """While `sending`: until when the dispatcher that claimed it holds it (then reclaimable)."""


# Replies to a reminder name it by the platform id it was sent as.
Index("ix_outbox_platform_message_id", Outbox.platform_message_id)  # type: ignore[arg-type]
