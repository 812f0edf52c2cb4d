"""How the reminder engine reads and writes many rows at once, in each dialect — and the scan's
one write.

Many rows, one statement each: look-ups (`column IN (…)` in chunks SQLite accepts, or one
`IN (SELECT unnest(array))` on PostgreSQL), idempotent inserts and updates by id; and the
advisory locks that keep the scan and the time-of-day jobs to one replica at a time (PostgreSQL;
SQLite runs a single worker).

The scan's one write (`write`): its digests (`Outbox` rows), the items of the weekly summaries
(`ReminderItem` rows), each occurrence's next moment with the keys of what was told of it
(`Occurrence.told`, `services/reminding/items.py`), and each summary's next moment. On
PostgreSQL the rows travel as JSON record sets (the digests' payloads as one JSON array) and the
writes are data-modifying CTEs of one `INSERT … SELECT`: one round trip whatever is due, and one
plan that psycopg prepares after a few scans (the text never changes). The scan's cost is then
the rows it writes, not the trips. Each insert is `ON CONFLICT … DO NOTHING`, so a digest
written before (same key) is not written again and its items point at nothing, as the
sequential path does on SQLite.

The scan's transaction commits without waiting for its WAL to reach the disk
(`synchronous_commit` off, for this transaction only): a crash may forget the last scan, which
then happens again (nothing of it was sent: a dispatcher's claim is a later, durable commit, and
flushes the WAL before it), and no scan waits for an fsync.
"""

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import Enum
from typing import Any, Final

from sqlalchemy import (
    ARRAY,
    JSON,
    Boolean,
    ColumnElement,
    Date,
    Integer,
    String,
    Table,
    bindparam,
    cast,
    func,
    text,
    update,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session

from models import Occurrence, Outbox, OutboxKind, OutboxState, ReminderItem, ReminderPolicy
from models.types import UtcDateTime
from services.reminding.rows import DigestRow, ItemRow

SQLITE_CHUNK = 900


def member_of(
    session: Session, column: Any, values: Sequence[Any]
) -> Iterator[ColumnElement[bool]]:
    """Conditions that together select the rows whose `column` is one of `values`."""
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        yield _member_of_postgresql(column, values)
        return
    for start in range(0, len(values), SQLITE_CHUNK):
        yield column.in_(values[start : start + SQLITE_CHUNK])


_COMPILED: dict[tuple[int, bool], tuple[str, dict[str, Any]]] = {}


def rows_among(session: Session, statement: Any, column: Any, values: Sequence[Any]) -> list[Any]:
    """The rows of `statement` (a Core select kept at module level) whose `column` is one of
    `values` (numbers or strings). On PostgreSQL one query read by psycopg itself, its SQL
    compiled once per statement: SQLAlchemy's row and type processing cost more than a short
    query of a thousand rows, so values come as the driver reads them (an enum as its value).
    Elsewhere through SQLAlchemy (`member_of`'s chunks), as its types read them."""
    if not values:
        return []
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return [
            row
            for condition in member_of(session, column, values)
            for row in session.execute(statement.where(condition))
        ]
    numbers, encoded = _encoded(values)
    compiled = _COMPILED.get((id(statement), numbers))
    if compiled is None:
        among = bindparam("among", "", type_=String())  # its value given at each call
        query = statement.where(_within(column, among, numbers)).compile(
            dialect=connection.dialect, compile_kwargs={"render_postcompile": True}
        )
        # the statement's own values, as the driver takes them (an enum by its value)
        fixed = {
            name: value.value if isinstance(value, Enum) else value
            for name, value in query.params.items()
            if name != "among"
        }
        compiled = _COMPILED[(id(statement), numbers)] = (str(query), fixed)
    return _fetch(session, compiled[0], {**compiled[1], "among": encoded})


_SQL: dict[int, str] = {}


def driver_rows(session: Session, statement: Any, params: dict[str, Any]) -> list[Any]:
    """The rows `statement` (kept at module level) returns. On PostgreSQL run by psycopg
    itself on the session's connection, its SQL compiled once: values come as the driver
    reads them (an enum as its value, an instant in the server's zone), without SQLAlchemy's
    parameter and row processing, which costs more than a short statement. Elsewhere through
    SQLAlchemy, as its types read them."""
    connection = session.connection()
    if connection.dialect.name != "postgresql":
        return list(session.execute(statement, params))
    sql = _SQL.get(id(statement))
    if sql is None:
        sql = _SQL[id(statement)] = str(statement.compile(dialect=connection.dialect))
    return _fetch(session, sql, params)


def _fetch(session: Session, sql: str, params: dict[str, Any]) -> list[Any]:
    """The rows of `sql`, run by psycopg itself on the session's connection (PostgreSQL), after
    flushing what a query through the session would see."""
    if session.autoflush:
        session.flush()
    driver = session.connection().connection.driver_connection
    assert driver is not None
    with driver.cursor() as cursor:
        cursor.execute(sql, params)
        found: list[Any] = cursor.fetchall()
    return found


def int_array(values: Iterable[int]) -> str:
    """`values` as a PostgreSQL array literal: one parameter, written by C code."""
    return "{" + ",".join(map(str, values)) + "}"


def _member_of_postgresql(column: Any, values: Sequence[Any]) -> ColumnElement[bool]:
    # One parameter whatever the count, written by C code: an array literal of numbers, or a
    # JSON array of strings (psycopg's own list adapter is Python, element by element).
    # `IN (SELECT unnest(…))`, not `= ANY(…)`: an array that is a parameter is searched from
    # its first element for every row (10,000 rows against 10,000 ids took 4.8 s); a set is
    # joined by hash.
    numbers, encoded = _encoded(values)
    return _within(column, bindparam(None, encoded, type_=String()), numbers)


def _encoded(values: Sequence[Any]) -> tuple[bool, str]:
    """Whether `values` are numbers, and all of them as one parameter: an array literal of
    numbers, or a JSON array of strings."""
    if isinstance(values[0], int):
        return True, int_array(values)
    return False, json.dumps(list(values), ensure_ascii=False)


def _within(column: Any, parameter: Any, numbers: bool) -> ColumnElement[bool]:
    """`column IN (SELECT …)` the values `parameter` carries (`_encoded`)."""
    elements = (
        func.unnest(cast(parameter, ARRAY(Integer())))
        if numbers
        else func.json_array_elements_text(cast(parameter, JSON))
    )
    within: ColumnElement[bool] = column.in_(sa_select(elements))
    return within


def insert_ignoring(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    key: str = "idempotency_key",
    returning: Sequence[str] = (),
) -> list[Any]:
    """`INSERT … ON CONFLICT (key) DO NOTHING` for `rows`, in one statement; the `returning`
    columns of the rows actually inserted. On PostgreSQL the rows travel as one JSON record
    set, so a thousand rows cost one short statement and one round trip."""
    if not rows:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return _insert_recordset(session, table, rows, key=key, returning=returning)
    # Imported here: on PostgreSQL no command loads SQLite's dialect (~5 ms).
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    statement = sqlite_insert(table).on_conflict_do_nothing(index_elements=[key])
    if not returning:
        session.execute(statement, list(rows))
        return []
    returns = statement.returning(*(table.c[name] for name in returning))
    return list(session.execute(returns, list(rows)))


def _pg_array_type(column: Any) -> str:
    kind = column.type
    if isinstance(kind, UtcDateTime):
        return "timestamptz"
    if isinstance(kind, JSON):
        return "json"
    if isinstance(kind, Integer):
        return "integer"
    if isinstance(kind, Boolean):
        return "boolean"
    if isinstance(kind, Date):
        return "date"
    return "text"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _insert_recordset(
    session: Session,
    table: Table,
    rows: Sequence[dict[str, Any]],
    *,
    key: str,
    returning: Sequence[str],
) -> list[Any]:
    # All the rows travel as one JSON document that PostgreSQL reads as a record set: one short
    # statement, one round trip, and no per-value quoting on our side.
    names = list(rows[0])
    shape = ", ".join(f"{name} {_pg_array_type(table.c[name])}" for name in names)
    sql = (
        f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {', '.join(names)}"
        f" FROM json_to_recordset(CAST(:rows AS json)) AS r({shape})"
        f" ON CONFLICT ({key}) DO NOTHING"
    )
    if returning:
        sql += " RETURNING " + ", ".join(returning)
    params = {"rows": json.dumps(list(rows), default=_json_default, ensure_ascii=False)}
    if returning:
        typed = text(sql).columns(*(table.c[name] for name in returning))
        return list(session.execute(typed, params))
    session.execute(text(sql), params)
    return []


def table_of(model: Any) -> Table:
    """The SQLAlchemy table of a SQLModel table class (for bulk inserts and updates)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def update_by_id(
    session: Session, table: Table, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Set `columns` row by row (`(id, value, …)`, a value per column, in their order): one
    statement over a JSON record set on PostgreSQL, a batch elsewhere."""
    if not rows:
        return
    if session.get_bind().dialect.name == "postgresql":
        shape = ", ".join(f"{name} {_pg_array_type(table.c[name])}" for name in columns)
        sets = ", ".join(f"{name} = v.{name}" for name in columns)
        records = [dict(zip(("id", *columns), row, strict=True)) for row in rows]
        session.execute(
            text(
                f"UPDATE {table.name} SET {sets} FROM json_to_recordset("
                f"CAST(:rows AS json)) AS v(id integer, {shape})"
                f" WHERE {table.name}.id = v.id"
            ),
            {"rows": json.dumps(records, default=_json_default, ensure_ascii=False)},
        )
        return
    # bound as value_0, value_1…: a column's own name is taken by the SET clause
    names = [f"value_{number}" for number in range(len(columns))]
    session.execute(
        update(table)
        .where(table.c.id == bindparam("row_id"))
        .values({name: bindparam(bound) for name, bound in zip(columns, names, strict=True)}),
        [dict(zip(("row_id", *names), row, strict=True)) for row in rows],
    )


def try_advisory_lock(session: Session, key: int) -> bool:
    """Take a transaction-scoped PostgreSQL advisory lock, without waiting; whether we hold
    it. SQLite runs a single worker: always true there."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    ((held,),) = driver_rows(session, _TRY_LOCK, {"key": key})  # the scan's first statement
    return bool(held)


_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:key)")


def advisory_lock(session: Session, key: int) -> None:
    """Take a transaction-scoped PostgreSQL advisory lock, waiting for it (for work that is
    short and must not run twice at once across replicas). SQLite: nothing to take."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


# The scan's one write.

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
    update_by_id(
        session, table_of(Occurrence), ("next_reminder_at", "told"), writes.next_reminders
    )
    update_by_id(session, table_of(ReminderPolicy), ("next_summary_at",), writes.next_summaries)
    return len(outbox_ids)
