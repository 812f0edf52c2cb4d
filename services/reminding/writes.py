"""Everything one scan writes, in one statement on PostgreSQL: the outbox digests (their
buttons signed, not stored: `services.tokens.sign_occurrence`), the reminder items pointing at
their digest, and each occurrence's and summary's next moment.

On PostgreSQL the rows travel as JSON record sets and the writes are data-modifying CTEs of one
`INSERT … SELECT`: one round trip whatever is due, and one plan that psycopg prepares after a few
scans (the text never changes). The scan's cost is then the rows it writes, not the trips. Each
insert is `ON CONFLICT … DO NOTHING`, so a digest written before (same key) is not written
again and its items point at nothing, as the sequential path does on SQLite.

The scan's transaction commits without waiting for its WAL to reach the disk
(`synchronous_commit` off, for this transaction only): a crash may forget the last scan, which
then happens again (nothing of it was sent: a dispatcher's claim is a later, durable commit, and
flushes the WAL before it), and no scan waits for an fsync.
"""

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final

from sqlalchemy import text
from sqlmodel import Session

from models import (
    Occurrence,
    Outbox,
    OutboxKind,
    OutboxState,
    ReminderItem,
    ReminderPolicy,
)
from services.reminding.batches import insert_ignoring, table_of, update_by_id


@dataclass(slots=True)
class ScanWrites:
    """What one scan writes. Digests carry `organization_id`, `officer_id`, `payload`,
    `idempotency_key` and `scheduled_for`; items carry `digest` (their digest's index),
    `occurrence_id`, `kind`, `idempotency_key` and `data`."""

    now: datetime
    digests: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    next_reminders: list[tuple[int, datetime | None]] = field(default_factory=list)
    next_summaries: list[tuple[int, datetime | None]] = field(default_factory=list)


def write(session: Session, writes: ScanWrites) -> int:
    """Write it all (no commit); how many digests are new."""
    if session.get_bind().dialect.name == "postgresql":
        return _write_postgresql(session, writes)
    return _write_sequentially(session, writes)


_STATEMENT: Final = text(
    """
WITH d AS (
  SELECT * FROM json_to_recordset(CAST(:digests AS json)) AS d(
    n integer, organization_id integer, officer_id integer, payload json,
    idempotency_key text, scheduled_for timestamptz)
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
  UPDATE occurrence SET next_reminder_at = m.value
  FROM (SELECT CAST(NULLIF(g.key, '') AS timestamptz) AS value, CAST(i.id AS integer) AS id
        FROM json_each(CAST(:reminders AS json)) AS g,
             json_array_elements_text(g.value) AS i(id)) AS m
  WHERE occurrence.id = m.id
), summaries AS (
  UPDATE reminderpolicy SET next_summary_at = m.value
  FROM json_to_recordset(CAST(:summaries AS json)) AS m(id integer, value timestamptz)
  WHERE reminderpolicy.id = m.id
)
SELECT count(*), set_config('synchronous_commit', 'off', true) FROM written
"""
)


def _moves(changes: Sequence[tuple[int, datetime | None]]) -> str:
    return json.dumps(
        [{"id": row_id, "value": when and when.isoformat()} for row_id, when in changes]
    )


def _moves_by_moment(changes: Sequence[tuple[int, datetime | None]]) -> str:
    """`{moment: [id, …]}` ("" for none): the occurrences a scan moves mostly share their next
    moment (a plan's tasks due on the same day), so each is written out once."""
    by_moment: dict[datetime | None, list[int]] = defaultdict(list)
    for row_id, when in changes:
        by_moment[when].append(row_id)
    return json.dumps(
        {"" if when is None else when.isoformat(): ids for when, ids in by_moment.items()}
    )


def _write_postgresql(session: Session, writes: ScanWrites) -> int:
    digests = [
        {**digest, "n": number, "scheduled_for": digest["scheduled_for"].isoformat()}
        for number, digest in enumerate(writes.digests)
    ]
    params = {
        "digests": json.dumps(digests, ensure_ascii=False),
        "items": json.dumps(writes.items, ensure_ascii=False),
        "reminders": _moves_by_moment(writes.next_reminders),
        "summaries": _moves(writes.next_summaries),
        "now": writes.now,
        "digest_kind": OutboxKind.DIGEST.value,
        "pending": OutboxState.PENDING.value,
    }
    written, _setting = session.execute(_STATEMENT, params).one()
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
    update_by_id(session, table_of(Occurrence), "next_reminder_at", writes.next_reminders)
    update_by_id(session, table_of(ReminderPolicy), "next_summary_at", writes.next_summaries)
    return len(outbox_ids)
