"""What the scan writes and how: one `ReminderItem` per person and thing to tell them (who
hears which reason, under which idempotency key), bundled into one outbox digest per person and
moment, most urgent first, its buttons signed, not stored (`services.tokens.occurrence_signer`);
then the digests, their items and each occurrence's and summary's next moment written at once
(`services/reminding/reminders.py` runs the scan).

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
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlalchemy import text
from sqlmodel import Session, col

from models import (
    ItemKind,
    Occurrence,
    Outbox,
    OutboxKind,
    OutboxState,
    ReminderItem,
    ReminderPolicy,
    TokenSubject,
)
from services.messages import shorten
from services.reminding.batches import (
    driver_rows,
    insert_ignoring,
    rows_among,
    table_of,
    update_by_id,
)
from services.reminding.recipients import People, TaskPeople
from services.reminding.reminder_schedule import (
    Audience,
    Reason,
)
from services.reminding.rows import DigestRow, FactRow, ItemRow
from services.tokens import LIFETIMES, occurrence_signer

TITLE_LIMIT: Final = 120
ACTIONABLE: Final = frozenset(
    {ItemKind.REMINDER, ItemKind.OVERDUE, ItemKind.CHECKIN, ItemKind.OBLIGATION}
)
_URGENCY: Final = {
    ItemKind.ESCALATION: 0,
    ItemKind.OVERDUE: 1,
    ItemKind.REMINDER: 2,
    ItemKind.OBLIGATION: 2,
    ItemKind.UNASSIGNED: 3,
    ItemKind.CHECKIN: 4,
    ItemKind.SUMMARY: 6,
}


@dataclass(slots=True)
class ScanWrites:
    """What one scan writes."""

    now: datetime
    digests: list[DigestRow] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    next_reminders: list[tuple[int, datetime | None]] = field(default_factory=list)
    next_summaries: list[tuple[int, datetime | None]] = field(default_factory=list)


class Telling:
    """One thing told to one or more officers (each an item of their own): its data, shared
    between them and never changed, with what the digest needs of it worked out once."""

    __slots__ = ("actionable", "kind", "rank", "told", "trace")

    def __init__(
        self,
        kind: ItemKind,
        told: dict[str, object],
        rank: tuple[int, int],
        actionable: bool,
        trace: dict[str, object],
    ) -> None:
        self.kind = kind
        self.told = told
        """The item's data as the digest says it (with its kind)."""
        self.rank = rank
        """Where it goes in its digest: most urgent first."""
        self.actionable = actionable
        """Whether its officer gets the occurrence's buttons with it."""
        self.trace = trace
        """What its item row keeps of it (the digest's payload has it all)."""


def _rank(kind: ItemKind, role: object, days: int) -> tuple[int, int]:
    urgency = 5 if role == "coordinator" else _URGENCY[kind]
    return (urgency, -days if kind in (ItemKind.ESCALATION, ItemKind.OVERDUE) else days)


def telling(kind: ItemKind, told: dict[str, object]) -> Telling:
    """What `told` (with its kind) says, as a `Telling`."""
    role, days = told.get("role"), told.get("days") or 0
    assert isinstance(days, int)
    trace: dict[str, object] = {k: told[k] for k in ("task", "days", "units") if k in told}
    return Telling(
        kind, told, _rank(kind, role, days), kind in ACTIONABLE and role == "lead", trace
    )


Item = tuple[int, Telling, int, int | None, datetime]
"""An item: its officer, what it tells, the ward, the occurrence (None for a summary) and the
moment."""


class _Template(NamedTuple):
    """What one reason tells one audience of a task, whatever the occurrence: the officers, as
    which kind of item, under which idempotency key (`<head><occurrence>:<officer><suffix>`),
    with which data (after the task's), rank and trace (after the task's code)."""

    officers: Sequence[int]
    kind: ItemKind
    kind_value: str
    head: str
    suffix: str
    said: dict[str, object]
    rank: tuple[int, int]
    actionable: bool
    trace: dict[str, object]


class Items:
    """The items one scan writes, keyed so that each is written once."""

    def __init__(self) -> None:
        self.rows: dict[str, Item] = {}
        self._templates: dict[
            tuple[int, int, int, datetime], tuple[Sequence[Reason], TaskPeople, list[_Template]]
        ] = {}

    def add(
        self,
        *,
        org_id: int,
        officer_id: int,
        occurrence_id: int | None,
        kind: ItemKind,
        moment: datetime,
        key: str,
        data: dict[str, object],
    ) -> None:
        told = telling(kind, {"kind": kind.value, **data})
        self.tell(org_id, occurrence_id, moment, told, ((officer_id, key),))

    def tell(
        self,
        org_id: int,
        occurrence_id: int | None,
        moment: datetime,
        told: Telling,
        addressed: Iterable[tuple[int, str]],
    ) -> None:
        """`told` to each `(officer, idempotency key)` of `addressed`."""
        rows = self.rows
        for officer_id, key in addressed:
            if key not in rows:
                rows[key] = (officer_id, told, org_id, occurrence_id, moment)

    def templates(
        self,
        reasons: Sequence[Reason],
        who: TaskPeople,
        people: People,
        org: int,
        moment: datetime,
        zone: ZoneInfo,
    ) -> list[_Template]:
        """Who hears of each of `reasons` at `moment` (`_templates`), worked out once for the
        tasks with the same people and reasons (the reasons of one schedule and moment are one
        list; the people of tasks assigned alike are one object; both are kept with what was
        worked out, so their identities stand for them)."""
        key = (id(reasons), id(who), org, moment)
        found = self._templates.get(key)
        if found is None:
            worked = [t for r in reasons for t in _templates(r, who, people, org, moment, zone)]
            found = self._templates[key] = (reasons, who, worked)
        return found[2]


def _task_data(row: FactRow) -> dict[str, object]:
    title = shorten(str(row.title), TITLE_LIMIT)
    return {
        "task": row.code,
        "title": title,
        "due": row.due.isoformat() if row.due else None,
        "deadline": row.deadline_text,
        "ongoing": row.deadline_kind == "ongoing",
    }


def add_reasons(
    items: Items,
    row: FactRow,
    reasons: Sequence[Reason],
    moment: datetime,
    people: People,
    zone: ZoneInfo,
    closed: frozenset[int] = frozenset(),
) -> None:
    """Add the items `reasons` give for one occurrence at `moment`, one per person told."""
    if not reasons:
        return
    org, occurrence = row.organization_id, row.id
    who = people.of_task(row.task_id, closed=closed)
    templates = items.templates(reasons, who, people, org, moment, zone)
    if not templates:
        return
    base = _task_data(row)
    code = row.code
    for template in templates:
        told = Telling(
            template.kind,
            {"kind": template.kind_value, **base, **template.said},
            template.rank,
            template.actionable,
            {"task": code, **template.trace},
        )
        prefix, suffix = f"{template.head}{occurrence}:", template.suffix
        addressed = [(officer, f"{prefix}{officer}{suffix}") for officer in template.officers]
        items.tell(org, occurrence, moment, told, addressed)


def _templates(
    reason: Reason, who: TaskPeople, people: People, org: int, moment: datetime, zone: ZoneInfo
) -> list[_Template]:
    """Who hears of `reason`, those heard by nobody left out."""
    tag = reason.tag
    found: list[tuple[Sequence[int], ItemKind, str, str, dict[str, object]]]
    if reason.audience is Audience.LEAD:
        found = [(who.leads, reason.kind, f"{reason.kind.value}:", f":{tag}", {"role": "lead"})]
        if who.is_unassigned:  # nobody to remind for some lead unit: the admins hear it
            day = moment.astimezone(zone).date().isoformat()
            found.append(
                (
                    people.admins_of(org),
                    ItemKind.UNASSIGNED,
                    "unassigned:",
                    f":{day}",
                    {"role": "admin", "units": list(who.missing)},
                )
            )
    elif reason.audience is Audience.COORDINATOR:
        extra: dict[str, object] = {"role": "coordinator", "lead": list(who.lead_units)}
        found = [(who.coordinators, reason.kind, "coordinator:", f":{tag}", extra)]
    else:
        extra = {"role": "chair", "lead": list(who.lead_units)}
        found = [(people.chairs_of(org), ItemKind.ESCALATION, "escalation:", f":{tag}", extra)]
    days = reason.days
    return [
        _Template(
            officers,
            kind,
            kind.value,
            head,
            suffix,
            {"days": days, **extra},
            _rank(kind, extra["role"], days),
            kind in ACTIONABLE and extra["role"] == "lead",
            {"days": days, **({"units": extra["units"]} if "units" in extra else {})},
        )
        for officers, kind, head, suffix, extra in found
        if officers
    ]


def new_rows(session: Session, items: Items) -> list[tuple[str, Item]]:
    """The items not written before (their keys unseen), with their keys. The scan holds its
    lock, so nothing else writes items between this look and the insert."""
    keys = list(items.rows)
    column = col(ReminderItem.idempotency_key)
    seen = {row[0] for row in rows_among(session, _KEYS, column, keys)}
    return [(key, item) for key, item in items.rows.items() if key not in seen]


_KEYS: Final = sa_select(col(ReminderItem.idempotency_key))


def _rank_of(keyed: tuple[str, Item]) -> tuple[tuple[int, int], int]:
    """Most urgent first; of one rank, the older occurrence (the plan's order) first, whatever
    order the database returned them in."""
    item = keyed[1]
    return item[1].rank, item[3] or 0


def bundle(
    writes: ScanWrites, new_items: Sequence[tuple[str, Item]], keys: Mapping[int, bytes]
) -> None:
    """Plan the new items' digests, one per officer and moment, most urgent first, with a
    token for each occurrence its officer leads and can act on, signed with the ward's key
    (`keys`: `services.tokens.token_keys`), added to `writes`."""
    expires = writes.now + LIFETIMES[TokenSubject.OCCURRENCE]
    signers = {org: occurrence_signer(key, org, expires) for org, key in keys.items()}
    groups: dict[tuple[int, datetime], list[tuple[str, Item]]] = defaultdict(list)
    for keyed in new_items:
        item = keyed[1]
        groups[(item[0], item[4])].append(keyed)
    digests, rows = writes.digests, writes.items
    for (officer_id, moment), group in groups.items():
        number = len(digests)
        group.sort(key=_rank_of)
        org = group[0][1][2]
        digests.append(
            {
                "organization_id": org,
                "officer_id": officer_id,
                "payload": {
                    "moment": moment.isoformat(),
                    "items": _payload_items(group, officer_id, signers),
                },
                "idempotency_key": f"digest:{officer_id}:{moment:%Y%m%dT%H%M%S}:"
                f"{min(key for key, _item in group)}"[:200],
                "scheduled_for": moment,
            }
        )
        # What each item said is in its digest's payload; the item row keeps who, when and why.
        rows.extend(
            {
                "digest": number,
                "occurrence_id": item[3],
                "kind": item[1].kind,
                "idempotency_key": key,
                "data": item[1].trace,
            }
            for key, item in group
        )


def _payload_items(
    group: Sequence[tuple[str, Item]],
    officer_id: int,
    signers: Mapping[int, Callable[[int, int], str]],
) -> list[dict[str, object]]:
    """What the digest says of each item: its data, and the lead's token for what they can act
    on (one per occurrence in the digest)."""
    issued: dict[int, str] = {}
    said: list[dict[str, object]] = []
    for _key, (_officer, telling, org, occurrence_id, _moment) in group:
        if telling.actionable and occurrence_id is not None:
            token = issued.get(occurrence_id)
            if token is None:
                token = issued[occurrence_id] = signers[org](officer_id, occurrence_id)
            said.append({**telling.told, "token": token})
        else:
            said.append(telling.told)
    return said


# --- writing ------------------------------------------------------------------------------


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
        "reminders": _moves_by_moment(writes.next_reminders),
        "summaries": _moves(writes.next_summaries),
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
    update_by_id(session, table_of(Occurrence), "next_reminder_at", writes.next_reminders)
    update_by_id(session, table_of(ReminderPolicy), "next_summary_at", writes.next_summaries)
    return len(outbox_ids)
