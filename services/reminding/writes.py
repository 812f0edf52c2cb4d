"""What one scan writes, written at once: its digests (`Outbox` rows), the items of the weekly
summaries (`ReminderItem` rows), each occurrence's next moment with the keys of what was told of
it (`Occurrence.told`, `services/reminding/items.py`), and each summary's next moment.

On PostgreSQL the rows travel as JSON record sets (the digests' payloads as one JSON array) and
the writes are data-modifying CTEs of one `INSERT … SELECT`: one round trip whatever is due, and
one plan that psycopg prepares after a few scans (the text never changes). The scan's cost is
then the rows it writes, not the trips. Each insert is `ON CONFLICT … DO NOTHING`, so a digest
written before (same key) is not written again and its items point at nothing, as the
sequential path does on SQLite.

The scan's transaction commits without waiting for its WAL to reach the disk
(`synchronous_commit` off, for this transaction only): a crash may forget the last scan, which
then happens again (nothing of it was sent: a dispatcher's claim is a later, durable commit, and
flushes the WAL before it), and no scan waits for an fsync.
"""

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from sqlalchemy import bindparam, text, update
from sqlmodel import Session

from models import Occurrence, Outbox, OutboxKind, OutboxState, ReminderItem, ReminderPolicy
from services.reminding.batches import (
    driver_rows,
    insert_ignoring,
    int_array,
    table_of,
    update_by_id,
)
from services.reminding.rows import DigestRow, ItemRow

NextReminder = tuple[int, datetime | None, str | None]
"""An occurrence moved on: its id, its next moment, the keys of what was told of it kept."""


@dataclass(slots=True)
class ScanWrites:
    """What one scan writes."""

    now: datetime
    digests: list[DigestRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    next_reminders: list[NextReminder] = field(default_factory=list)
    next_summaries: list[tuple[int, datetime | None]] = field(default_factory=list)


def write(session: Session, writes: ScanWrites) -> int:
    """Write it all (no commit); how many digests are new."""
    if session.get_bind().dialect.name == "postgresql":
        return _write_postgresql(session, writes)
    return _write_sequentially(session, writes)


_STATEMENT: Final = text(
    """
WITH d AS (
  SELECT d.*, p.payload FROM json_to_recordset(CAST(:digests AS json)) AS d(
    n integer, organization_id integer, officer_id integer,
    idempotency_key text, scheduled_for timestamptz)
  JOIN json_array_elements(CAST(:payloads AS json)) WITH ORDINALITY AS p(payload, o)
    ON p.o = d.n + 1
), written AS (
  INSERT INTO outbox (organization_id, officer_id, kind, payload, idempotency_key,
                      scheduled_for, state, attempts, created_at)
  SELECT organization_id, officer_id, :digest_kind, payload, idempotency_key,
         scheduled_for, :pending, 0, :now
  FROM d
  ON CONFLICT (idempotency_key) DO NOTHING
  RETURNING id, idempotency_key
), items AS (
  INSERT INTO reminderitem (organization_id, officer_id, occurrence_id, kind, moment,
                            idempotency_key, data, outbox_id, created_at)
  SELECT d.organization_id, d.officer_id, i.occurrence_id, i.kind, d.scheduled_for,
         i.idempotency_key, i.data, w.id, :now
  FROM json_to_recordset(CAST(:items AS json)) AS i(
    digest integer, occurrence_id integer, kind text, idempotency_key text, data json)
  JOIN d ON d.n = i.digest
  LEFT JOIN written w ON w.idempotency_key = d.idempotency_key
  ON CONFLICT (idempotency_key) DO NOTHING
), reminders AS (
  UPDATE occurrence SET next_reminder_at = m.at, told = m.told
  FROM unnest(CAST(:reminder_ids AS integer[]), CAST(:reminder_moments AS timestamptz[]),
              CAST(:reminder_told AS text[])) AS m(id, at, told)
  WHERE occurrence.id = m.id AND occurrence.id = ANY(CAST(:reminder_ids AS integer[]))
), summaries AS (
  UPDATE reminderpolicy SET next_summary_at = m.value
  FROM json_to_recordset(CAST(:summaries AS json)) AS m(id integer, value timestamptz)
  WHERE reminderpolicy.id = m.id
)
SELECT count(*), set_config('synchronous_commit', 'off', true) FROM written
"""
)


def _reminders(changes: list[NextReminder]) -> dict[str, str]:
    """The occurrences moved on, as the statement reads them: three array literals (parsed by
    PostgreSQL as fast as it reads numbers; a JSON record set took it 2 ms for a thousand);
    their moments mostly shared (a plan's tasks due on the same day), each written out once.
    The ids are also the occurrences' own condition (`= ANY`), looked up in their index:
    joined to the arrays alone, a table of 100,000 was hashed whole (25 ms for a thousand)."""
    texts: dict[datetime | None, str] = {None: "NULL"}
    moments, told = [], []
    for _id, when, keys in changes:
        at = texts.get(when)
        if at is None:
            at = texts[when] = f'"{when.isoformat()}"' if when is not None else "NULL"
        moments.append(at)
        told.append(_quoted(keys) if keys else "NULL")
    return {
        "reminder_ids": int_array(row[0] for row in changes),
        "reminder_moments": "{" + ",".join(moments) + "}",
        "reminder_told": "{" + ",".join(told) + "}",
    }


def _quoted(value: str) -> str:
    """`value` as an element of an array literal."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _write_postgresql(session: Session, writes: ScanWrites) -> int:
    # payloads apart, one array: a record set's json field is read twice (with it, then alone)
    digests = [
        {**digest, "n": number, "payload": 0, "scheduled_for": digest["scheduled_for"].isoformat()}
        for number, digest in enumerate(writes.digests)
    ]
    payloads = [digest["payload"] for digest in writes.digests]
    params = {
        "digests": json.dumps(digests, ensure_ascii=False),
        "payloads": json.dumps(payloads, ensure_ascii=False),
        "items": json.dumps(writes.items, ensure_ascii=False),
        **_reminders(writes.next_reminders),
        "summaries": json.dumps(
            [
                {"id": row_id, "value": when and when.isoformat()}
                for row_id, when in writes.next_summaries
            ]
        ),
        "now": writes.now,
        "digest_kind": OutboxKind.DIGEST.value,
        "pending": OutboxState.PENDING.value,
    }
    ((written, _setting),) = driver_rows(session, _STATEMENT, params)
    return int(written)


def _write_sequentially(session: Session, writes: ScanWrites) -> int:
    now = writes.now
    digests = [
        {
            **digest,
            "kind": OutboxKind.DIGEST,
            "state": OutboxState.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for digest in writes.digests
    ]
    written = insert_ignoring(
        session, table_of(Outbox), digests, returning=("id", "idempotency_key")
    )
    outbox_ids = {key: outbox_id for outbox_id, key in written}
    items = []
    for item in writes.items:
        digest = writes.digests[item["digest"]]
        items.append(
            {
                "organization_id": digest["organization_id"],
                "officer_id": digest["officer_id"],
                "occurrence_id": item["occurrence_id"],
                "kind": item["kind"],
                "moment": digest["scheduled_for"],
                "idempotency_key": item["idempotency_key"],
                "data": item["data"],
                "outbox_id": outbox_ids.get(digest["idempotency_key"]),
                "created_at": now,
            }
        )
    insert_ignoring(session, table_of(ReminderItem), items)
    if writes.next_reminders:
        occurrences = table_of(Occurrence)
        session.execute(
            update(occurrences)
            .where(occurrences.c.id == bindparam("row_id"))
            .values(next_reminder_at=bindparam("at"), told=bindparam("told")),
            [
                {"row_id": row_id, "at": at, "told": told}
                for row_id, at, told in writes.next_reminders
            ],
        )
    update_by_id(session, table_of(ReminderPolicy), "next_summary_at", writes.next_summaries)
    return len(outbox_ids)
