"""The reminder engine's use cases: plan each occurrence's next reminder moment, and the scan
that turns what is due now into outbox digests, exactly once.

- `schedule_occurrences(session, clock, occurrences)` sets `next_reminder_at` (the next moment
  something is due for them, strictly after now; NULL when never). Call it after anything that
  changes an occurrence's status, due date or snooze; it never commits, and it is idempotent.
- `scan(session, clock)` (every minute) reads the occurrences whose `next_reminder_at` has come
  (an index range, each one's task and plan looked up by key: its cost follows what is due,
  not how many tasks exist) and the organizations whose weekly summary has come, works out
  each thing to tell one person under an idempotency key, leaves out what was told before (an
  occurrence's kept keys, `Occurrence.told`, read with it; a summary's `ReminderItem`: see
  `services/reminding/items.py` for how long keys are kept), bundles the new items of each
  person at each moment into one `Outbox` digest, most urgent first, and moves each
  `next_reminder_at` on with the keys kept. One transaction; on PostgreSQL one scan at a time
  across replicas (an advisory lock), and rows a use case is editing are skipped until the
  next minute (`FOR UPDATE SKIP LOCKED`). Its cost follows what is due: the due rows, the
  wards' change stamps, and a few short reads of what the due tasks need (their policies,
  assignments, closed shares, the wards' keys), each read by psycopg itself on PostgreSQL
  (`batches.rows_among`); a ward's people and calendar are kept between scans while its stamp
  stays (`recipients.kept_per_ward`). Then the planning in memory, and one statement that
  writes it all (`batches.write`).
- Reminders follow shares: a lead unit whose share of an occurrence is done is no longer
  reminded of it, and escalations name only the lead units still behind.
- When the scan has been away, the moments it missed are coalesced: each occurrence says what
  is due at the latest of them (an escalation, once owed, is never lost).

Digest payloads (`Outbox.payload`, kind `digest`): `{"moment": ISO, "items": [item…]}`, each
item `{"kind", "task", "title", "due", "days", "role", "deadline", "units", "lead", ...}` and,
for the lead's own items about one occurrence, `"token"`: a signed token (subject
`occurrence`, `services.access.sign_occurrence`) addressed to that officer, one per (digest,
occurrence, officer); nothing is stored for it. The dispatcher
renders the buttons ✅ 📊 🚧 📅 ⏰ as `"<action>:<token>"`; the conversation layer redeems the
token with `services.access.redeem_token(..., TokenSubject.OCCURRENCE)`.
"""

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from operator import itemgetter
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Integer,
    Select,
    SQLColumnExpression,
    bindparam,
    literal_column,
    true,
    update,
)
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import (
    CLOSED_STATUSES,
    ItemKind,
    Occurrence,
    Plan,
    ReminderPolicy,
    Task,
    TaskKind,
    TaskStatus,
)
from models.types import UtcDateTime
from plans.calendar import WorkingCalendar
from services.access import token_keys
from services.clock import Clock
from services.reminding.batches import (
    ScanWrites,
    driver_rows,
    member_of,
    table_of,
    try_advisory_lock,
    update_by_id,
    write,
)
from services.reminding.items import Items, add_reasons, bundle, new_rows, told_after
from services.reminding.policies import (
    Policy,
    calendar_for,
    effective_policies,
    open_occurrence_ids,
)
from services.reminding.recipients import People, closed_shares, kept_per_ward, ward_stamps
from services.reminding.reminder_schedule import (
    Facts,
    Schedule,
    next_summary_moment,
)
from services.reminding.rows import DueRow, Fact, FactRow, SummaryDue
from services.tracking.lateness import weekly_summary

logger = logging.getLogger(__name__)

SCAN_LOCK: Final = 0x646F_6E01
_FACT_COLUMNS: tuple[SQLColumnExpression[object], ...] = (
    col(Occurrence.id),
    col(Occurrence.task_id),
    col(Occurrence.due),
    col(Occurrence.period_start),
    col(Occurrence.status),
    col(Occurrence.snoozed_until),
    col(Occurrence.next_reminder_at),
    col(Task.kind),
    col(Task.deadline_kind),
    col(Task.recurrence),
    col(Task.code),
    col(Task.title),
    col(Task.starts),
    col(Task.status).label("task_status"),
    col(Task.deadline_text),
    col(Plan.organization_id),
    col(Plan.superseded_by_id),
    col(Plan.imported_at),
    col(Occurrence.told),
)
_FACT_KEY: Final = itemgetter(
    *(
        index
        for index, name in enumerate(Fact._fields)
        if name
        in (
            "organization_id",
            "due",
            "period_start",
            "status",
            "snoozed_until",
            "kind",
            "deadline_kind",
            "recurrence",
            "starts",
            "task_status",
            "superseded_by_id",
            "imported_at",
        )
    )
)
"""The columns `_facts` reads (with the organization): rows equal in them share a schedule."""


def _facts_of(result: Iterable[Sequence[object]]) -> list[FactRow]:
    """The rows of a `_fact_query` as `FactRow` tuples."""
    return list(map(FactRow._make, result))


@dataclass(frozen=True, slots=True)
class ScanResult:
    """What one scan did."""

    occurrences: int = 0
    summaries: int = 0
    items: int = 0
    digests: int = 0
    skipped: bool = False


def _facts(row: FactRow, zone: ZoneInfo) -> Facts:
    status = row.status
    if row.superseded_by_id is not None:
        status = TaskStatus.CANCELLED
    elif row.task_status in CLOSED_STATUSES:
        status = row.task_status
    return Facts(
        due=row.due,
        status=status,
        window_start=row.period_start or row.starts,
        ongoing=row.deadline_kind == "ongoing",
        obligation=row.kind is TaskKind.OBLIGATION,
        duty=row.kind is TaskKind.DUTY,
        recurrence=row.recurrence,
        snoozed_until=row.snoozed_until,
        known_since=row.imported_at.astimezone(zone).date(),
    )


def _fact_query() -> Select[*tuple[object, ...]]:
    return (
        sa_select(*_FACT_COLUMNS)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
    )


assert Fact._fields == tuple(_fact_query().selected_columns.keys())


class _Rules:
    """Policies and calendars for the rows at hand, loaded once."""

    def __init__(
        self,
        session: Session,
        rows: Sequence[FactRow],
        zone: ZoneInfo,
        stamps: Mapping[int, int] | None = None,
    ) -> None:
        """With the wards' `stamps` (`recipients.ward_stamps`, the scan's), calendars as this
        process keeps them."""
        self.zone = zone
        orgs = {row.organization_id for row in rows}
        self.by_org, self.by_task = effective_policies(
            session, orgs, (row.task_id for row in rows)
        )
        if stamps is None:
            self.calendars = {org: calendar_for(session, org) for org in orgs}
        else:
            self.calendars = kept_per_ward(
                session, "calendar", {org: stamps[org] for org in orgs}, _calendars
            )
        self._schedules: dict[tuple[int, object], Schedule] = {}

    def policy(self, row: FactRow) -> Policy:
        return self.by_task.get(row.task_id) or self.by_org[row.organization_id]

    def schedule(self, row: FactRow) -> Schedule:
        """The row's schedule; rows with the same rules and facts (a plan's tasks due on the
        same day) share one, so its maths is done once (policies are loaded once: their
        identity stands for them)."""
        policy = self.policy(row)
        key = (id(policy), _FACT_KEY(row))
        found = self._schedules.get(key)
        if found is None:
            calendar = self.calendars[row.organization_id]
            facts = _facts(row, self.zone)
            found = self._schedules[key] = Schedule(policy, calendar, facts, self.zone)
        return found


def _calendars(session: Session, orgs: list[int]) -> dict[int, WorkingCalendar]:
    return {org: calendar_for(session, org) for org in orgs}


# --- planning ----------------------------------------------------------------------------


def schedule_occurrences(
    session: Session, clock: Clock, occurrences: Iterable[Occurrence]
) -> None:
    """Set each occurrence's `next_reminder_at` from its current state (flushes, no commit). A
    closed one (done, cancelled) is never reminded again, whatever its policy: cleared without
    reading the rules."""
    now, zone = clock.now(), clock.zone
    wanted: dict[int | None, Occurrence] = {}
    for occurrence in occurrences:
        if occurrence.status in CLOSED_STATUSES:
            occurrence.next_reminder_at = None
            session.add(occurrence)
        else:
            wanted[occurrence.id] = occurrence
    if not wanted:
        return
    session.flush()
    rows = _load(session, [i for i in wanted if i is not None])
    rules = _Rules(session, rows, zone)
    for row in rows:
        wanted[row.id].next_reminder_at = rules.schedule(row).next_moment(now)
        session.add(wanted[row.id])
    _plan_summaries(session, now, {row.organization_id for row in rows}, zone)
    session.flush()


def reschedule_organization(
    session: Session, clock: Clock, org_id: int, *, task_id: int | None = None
) -> int:
    """Re-plan every occurrence of the organization's current plans (or of one task) after its
    rules changed (no commit); how many were planned."""
    now, zone = clock.now(), clock.zone
    ids = open_occurrence_ids(session, org_id, task_id=task_id)
    for start in range(0, len(ids), 2000):
        rows = _load(session, ids[start : start + 2000])
        rules = _Rules(session, rows, zone)
        changes = [(row.id, rules.schedule(row).next_moment(now)) for row in rows]
        update_by_id(session, table_of(Occurrence), ("next_reminder_at",), changes)
    _plan_summaries(session, now, {org_id}, zone)
    return len(ids)


def _load(session: Session, ids: Sequence[int]) -> list[FactRow]:
    rows: list[FactRow] = []
    for condition in member_of(session, col(Occurrence.id), ids):
        rows.extend(_facts_of(session.execute(_fact_query().where(condition))))
    return rows


def _plan_summaries(session: Session, now: datetime, orgs: set[int], zone: ZoneInfo) -> None:
    """Give organizations that have none (new, or their policy just changed) their next weekly
    summary moment."""
    if not orgs:
        return
    rows = session.execute(
        sa_select(col(ReminderPolicy.id), col(ReminderPolicy.organization_id)).where(
            col(ReminderPolicy.organization_id).in_(sorted(orgs)),
            col(ReminderPolicy.task_id).is_(None),
            col(ReminderPolicy.next_summary_at).is_(None),
        )
    ).all()
    by_org, _ = effective_policies(session, [org_id for _id, org_id in rows], [])
    for policy_id, org_id in rows:
        calendar = calendar_for(session, org_id)
        moment = next_summary_moment(by_org[org_id], calendar, now, zone)
        session.execute(
            update(ReminderPolicy)
            .where(col(ReminderPolicy.id) == policy_id)
            .values(next_summary_at=moment)
        )


# --- the scan ----------------------------------------------------------------------------


def _latest_moment(
    schedule: Schedule, moment: datetime, now: datetime
) -> tuple[datetime, datetime | None]:
    """The latest moment due by `now` (missed ones coalesced), and the one after it."""
    following = schedule.next_moment(moment)
    while following is not None and following <= now:
        moment, following = following, schedule.next_moment(following)
    return moment, following


def scan(session: Session, clock: Clock, *, limit: int = 20_000) -> ScanResult:
    """Turn what is due now into outbox digests, and plan what comes next. Commits."""
    now, zone = clock.now(), clock.zone
    if not try_advisory_lock(session, SCAN_LOCK):
        session.rollback()
        return ScanResult(skipped=True)
    rows = _due_rows(session, now, limit)
    summaries = list(map(SummaryDue._make, driver_rows(session, _SUMMARIES_DUE, {"now": now})))
    if not rows and not summaries:
        session.commit()
        return ScanResult()
    # Each ward's stamp first: what is kept of a ward read under its stamp is still so.
    stamps = ward_stamps(
        session, {row.organization_id for row in rows} | {org for _id, org in summaries}
    )
    rules = _Rules(session, rows, zone, stamps)
    people = People.load(session, stamps, (row.task_id for row in rows), stamps=stamps)
    items = Items()
    closed = closed_shares(session, [row.id for row in rows])
    writes = ScanWrites(now)
    for row in rows:
        schedule = rules.schedule(row)
        moment, following = _latest_moment(schedule, row.next_reminder_at, now)
        reasons = schedule.reasons_at(moment)
        told = row.told.split() if row.told else ()
        closed_ones = closed.get(row.id, _NONE)
        added = add_reasons(items, row, reasons, moment, people, zone, closed_ones, told)
        kept = told_after(row, moment, zone, told, added) if told or added else None
        writes.next_reminders.append((row.id, following, kept))
    writes.next_summaries = _summaries(session, now, summaries, people, items, zone)
    new_items = new_rows(session, items)
    bundle(
        writes,
        new_items,
        token_keys(session, {item[2] for _key, item in new_items}, now),
    )
    digests = write(session, writes)
    session.commit()
    if new_items:
        logger.info(
            "scan: %d occurrences, %d summaries, %d items in %d digests",
            len(rows),
            len(summaries),
            len(new_items),
            digests,
        )
    return ScanResult(len(rows), len(summaries), len(new_items), digests)


_DUE: Final = (
    _fact_query()
    .where(col(Occurrence.next_reminder_at) <= bindparam("now", type_=UtcDateTime()))
    .order_by(col(Occurrence.next_reminder_at), col(Occurrence.id))
    .limit(bindparam("limit", type_=Integer()))
    .with_for_update(of=Occurrence, skip_locked=True)
)
_TASK_OF: Final = (
    sa_select(*_FACT_COLUMNS[7:-1])
    .select_from(Task)
    .join(Plan, col(Plan.id) == Task.plan_id)
    .where(col(Task.id) == Occurrence.task_id)
    .offset(literal_column("0"))  # a fence: the planner does not pull the subquery up
    .lateral("t")
)
_DUE_POSTGRESQL: Final = (
    sa_select(*_FACT_COLUMNS[:7], *_TASK_OF.c, _FACT_COLUMNS[-1])
    .select_from(Occurrence)
    .join(_TASK_OF, true())
    .where(col(Occurrence.next_reminder_at) <= bindparam("now", type_=UtcDateTime()))
    .order_by(col(Occurrence.next_reminder_at), col(Occurrence.id))
    .limit(bindparam("limit", type_=Integer()))
    .with_for_update(of=Occurrence, skip_locked=True)
)
"""`_DUE` as PostgreSQL runs it: each due occurrence's task and plan looked up by its key
(`LATERAL … OFFSET 0`, which the planner keeps as is). Joined as `_DUE` joins them, the planner
hashes the whole task table once it expects more than a few hundred rows (at 100,000 tasks:
a sequential scan of them all, 40-60 ms, for 1,000 due), and the scan's cost would follow how
many tasks exist."""
assert tuple(_DUE_POSTGRESQL.selected_columns.keys()) == Fact._fields
_SUMMARIES_DUE: Final = (
    sa_select(col(ReminderPolicy.id), col(ReminderPolicy.organization_id))
    .where(
        col(ReminderPolicy.next_summary_at) <= bindparam("now", type_=UtcDateTime()),
        col(ReminderPolicy.task_id).is_(None),
    )
    .with_for_update(skip_locked=True)
)
_NONE: Final[frozenset[int]] = frozenset()
_STATUSES: Final = {status.value: status for status in TaskStatus}
_KINDS: Final = {kind.value: kind for kind in TaskKind}


def _due_rows(session: Session, now: datetime, limit: int) -> list[DueRow]:
    """The occurrences due by `now`, locked (those a use case is editing skipped). On
    PostgreSQL read by the driver itself: SQLAlchemy's row and type processing cost more than
    the query (3 enums and 3 instants in each of a thousand rows)."""
    if session.connection().dialect.name != "postgresql":
        return list(map(DueRow._make, driver_rows(session, _DUE, {"now": now, "limit": limit})))
    found = driver_rows(session, _DUE_POSTGRESQL, {"now": now, "limit": limit})
    statuses, kinds, make = _STATUSES, _KINDS, DueRow._make
    # the columns of _FACT_COLUMNS, in order; enums by value, instants as UtcDateTime reads
    # them (UTC; column 5, the snooze, may be empty)
    return [
        make(
            (
                *row[:4],
                statuses[row[4]],
                row[5] and row[5].astimezone(UTC),
                row[6].astimezone(UTC),
                kinds[row[7]],
                *row[8:13],
                statuses[row[13]],
                *row[14:17],
                row[17].astimezone(UTC),
                row[18],
            )
        )
        for row in found
    ]


def _summaries(
    session: Session,
    now: datetime,
    due: Sequence[SummaryDue],
    people: People,
    items: Items,
    zone: ZoneInfo,
) -> list[tuple[int, datetime | None]]:
    if not due:
        return []
    by_org, _ = effective_policies(session, [org for _id, org in due], [])
    changes: list[tuple[int, datetime | None]] = []
    for policy_id, org in due:
        policy = by_org[org]
        calendar = calendar_for(session, org)
        moment = session.get_one(ReminderPolicy, policy_id).next_summary_at
        assert moment is not None
        following = next_summary_moment(policy, calendar, moment, zone)
        while following <= now:
            moment, following = following, next_summary_moment(policy, calendar, following, zone)
        _add_summary(session, now, org, moment, people, items, calendar, zone)
        changes.append((policy_id, following))
    return changes


def _add_summary(
    session: Session,
    now: datetime,
    org: int,
    moment: datetime,
    people: People,
    items: Items,
    calendar: WorkingCalendar,
    zone: ZoneInfo,
) -> None:
    today = moment.astimezone(zone).date()
    summary = weekly_summary(session, org, today=today, now=now, calendar=calendar)
    # The admins' list changes slowly: it comes with the first summary of each month.
    monday = today - timedelta(days=today.weekday())
    admin = summary.admin if monday.day <= 7 else None
    for role, data, recipients in (
        ("chair", summary.chair, people.chairs_of(org)),
        ("admin", admin, people.admins_of(org)),
    ):
        if data is None:
            continue
        for officer in recipients:
            items.add(
                org_id=org,
                officer_id=officer,
                occurrence_id=None,
                kind=ItemKind.SUMMARY,
                moment=moment,
                key=f"summary:{role}:{org}:{officer}:{today.isoformat()}",
                data={"task": None, "role": role, **data},
            )
