"""The snapshot a plan's reports are made from, for the person asking.

The chair and the admins get the whole plan; an officer gets the rows of their own units only
(`Snapshot.only_units`). A task's state is that of its occurrence for the period (`_occurrences`:
its oldest open one past due in the current period, as every list counts it; else the one due in
it, else the last due before its end), each lead unit's share is read from its assignment, and
the remarks from the task's events: the latest progress note, the blocker's reason, the
extension granted or requested, the evidence files.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, col, select

from models import (
    CLOSED_STATUSES,
    AssignmentRole,
    EventKind,
    Occurrence,
    Officer,
    OfficerUnit,
    Organization,
    Plan,
    PlanResponsibility,
    Share,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskKind,
    TaskStatus,
    Unit,
    UnitKind,
)
from reports.period import Period, quarter_of
from reports.snapshot import (
    Duty,
    PlanColumn,
    PlanFacts,
    Remarks,
    ShareFacts,
    Snapshot,
    TaskFacts,
)
from services.access import is_manager, unit_ids_of
from services.clock import Clock, local_today
from services.errors import PlanNotFound
from services.tracking.lateness import counting_occurrence, is_overdue
from services.tracking.plans import find_plan

_EXTENSIONS = (
    EventKind.EXTENSION_REQUESTED,
    EventKind.EXTENSION_GRANTED,
    EventKind.EXTENSION_DENIED,
)
_NOTES = (EventKind.PROGRESS, EventKind.COMMENT)


def access_plan(session: Session, actor: Officer, plan_id: int) -> Plan:
    """Plan `plan_id` if it is one of the actor's organization's; `PlanNotFound` otherwise."""
    plan = session.get(Plan, plan_id)
    if plan is None or plan.organization_id != actor.organization_id or not actor.active:
        raise PlanNotFound(ref=str(plan_id))
    return plan


def snapshot_by_id(
    session: Session,
    clock: Clock,
    actor: Officer,
    plan_id: int,
    *,
    period: Period | None = None,
    locale: str | None = None,
) -> Snapshot:
    """Plan `plan_id` as it stands today, for `actor` (an officer sees their units' rows)."""
    plan = access_plan(session, actor, plan_id)
    return snapshot_of(session, clock, actor, plan, period=period, locale=locale)


def plan_snapshot(
    session: Session,
    clock: Clock,
    actor: Officer,
    plan_ref: str | None,
    *,
    period: Period | None = None,
    locale: str | None = None,
) -> Snapshot:
    """Plan `plan_ref` as it stands today, for `actor` (an officer sees their units' rows)."""
    plan = find_plan(session, actor, plan_ref)
    return snapshot_of(session, clock, actor, plan, period=period, locale=locale)


def snapshot_of(
    session: Session,
    clock: Clock,
    actor: Officer,
    plan: Plan,
    *,
    period: Period | None = None,
    locale: str | None = None,
) -> Snapshot:
    """The snapshot of `plan` (already found for `actor`) over `period` (default: this
    quarter)."""
    if plan.organization_id != actor.organization_id:
        raise PlanNotFound(ref=plan.number or plan.title or str(plan.id))
    today = local_today(clock)
    period = period or quarter_of(today)
    organization = session.get(Organization, plan.organization_id)
    assert organization is not None
    assert plan.id is not None
    manual_ids: list[int] = []
    if not plan.manual:
        manual_ids = [
            manual
            for manual in session.exec(
                select(Plan.id).where(
                    Plan.organization_id == plan.organization_id, col(Plan.manual).is_(True)
                )
            )
            if manual is not None
        ]
    facts = plan_facts(session, [plan.id, *manual_ids], period, clock.zone, today=today)
    tasks = facts[plan.id]
    handmade = [pair for manual in manual_ids for pair in facts[manual]]
    duties = tuple(
        Duty(unit=name, duty=duty)
        for name, duty in session.exec(
            select(Unit.name, PlanResponsibility.duty)
            .join(Unit, col(Unit.id) == PlanResponsibility.unit_id)
            .where(PlanResponsibility.plan_id == plan.id)
            .order_by(col(PlanResponsibility.position), col(PlanResponsibility.id))
        )
    )
    unit_names = {share.unit for _, fact in tasks for share in fact.shares}
    table = tuple(fact for task, fact in tasks if task.kind is TaskKind.TASK)
    duty_tasks = tuple(fact for task, fact in tasks if task.kind is TaskKind.DUTY)
    return Snapshot(
        plan=PlanFacts(
            organization=organization.name,
            title=plan.title,
            number=plan.number,
            issued=plan.issued,
            issuer=plan.issuer,
            plan_id=plan.id,
            columns=tuple(
                PlanColumn(role=str(column["role"]), label=str(column["label"]))
                for column in plan.columns
            ),
        ),
        period=period,
        today=today,
        locale=locale or actor.locale,
        tasks=table or duty_tasks,  # a plan without a table is its units' duties
        others=tuple(fact for task, fact in tasks if task.kind is TaskKind.OBLIGATION),
        duty_tasks=duty_tasks if table else (),
        handmade=tuple(fact for _, fact in handmade),
        duties=duties,
        members=_members(session, actor.organization_id, unit_names),
        only_units=None if is_manager(actor) else _own_units(session, actor),
    )


def plan_facts(
    session: Session,
    plan_ids: Sequence[int],
    period: Period,
    zone: ZoneInfo,
    *,
    today: date | None = None,
    remarks: bool = True,
    occurrences: Iterable[Occurrence] | None = None,
) -> dict[int, list[tuple[Task, TaskFacts]]]:
    """Each task of the plans `plan_ids`, plan by plan in the plan's order, with its facts for
    `period` as they stand on `today` (without their remarks unless `remarks`); a few
    statements, however many plans. `occurrences`: every occurrence of these plans' tasks (and
    maybe others), when the caller has read them already (the dashboard)."""
    tasks = list(
        session.exec(
            select(Task)
            .where(col(Task.plan_id).in_(plan_ids))
            .order_by(col(Task.plan_id), col(Task.position), col(Task.id))
        )
    )
    task_ids = [task.id for task in tasks if task.id is not None]
    chosen = _occurrences(session, task_ids, period, today, occurrences)
    leads = _leads(session, task_ids)
    parts = _parts(session, [o.id for o in chosen.values() if o.id is not None])
    events = _events(session, task_ids) if remarks else {}
    facts: dict[int, list[tuple[Task, TaskFacts]]] = {plan_id: [] for plan_id in plan_ids}
    for task in tasks:
        occurrence = chosen.get(task.id or 0)
        facts[task.plan_id].append(
            (task, _task_facts(task, occurrence, leads, parts, events, zone))
        )
    return facts


def members_of(
    session: Session, organization_id: int, unit_names: Iterable[str] | None = None
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The active officers of each unit of the organization (of `unit_names` only, if given),
    by name."""
    return _members(session, organization_id, None if unit_names is None else set(unit_names))


def _own_units(session: Session, actor: Officer) -> tuple[str, ...]:
    """The names of the actor's units, and of "all units" (their share of those tasks)."""
    ids = unit_ids_of(session, actor)
    rows = session.exec(
        select(Unit.name).where(
            Unit.organization_id == actor.organization_id,
            (col(Unit.id).in_(ids)) | (Unit.kind == UnitKind.ALL),
        )
    )
    return (*rows, actor.name)


def _occurrences(
    session: Session,
    task_ids: Sequence[int],
    period: Period,
    today: date | None,
    read: Iterable[Occurrence] | None = None,
) -> dict[int, Occurrence]:
    """Each task's occurrence for `period`. In the period that holds `today`, a task overdue
    by the rule every list follows (`lateness.counting_occurrence`: its oldest open occurrence
    past due) is reported by that occurrence, so the report says "overdue" exactly when
    `dondoc tasks list`, the chat and the dashboard do. Otherwise (and in any other period):
    the first due in it; else the first still open due before it (overdue, carried over); else
    the next due after it (the one a yearly task works towards in a quarter: last year's, done,
    is not this quarter's state); else the last one."""
    every: dict[int, list[Occurrence]] = defaultdict(list)
    if read is None:
        read = session.exec(
            select(Occurrence)
            .where(col(Occurrence.task_id).in_(task_ids))
            .order_by(col(Occurrence.task_id), col(Occurrence.due), col(Occurrence.id))
        )
    else:  # read by the caller, in any order: each task's by due date (undated last), id
        wanted = set(task_ids)
        read = sorted(
            (occurrence for occurrence in read if occurrence.task_id in wanted),
            key=lambda o: (o.task_id, o.due is None, o.due or date.min, o.id or 0),
        )
    for occurrence in read:
        every[occurrence.task_id].append(occurrence)
    current = today is not None and period.contains(today)
    chosen: dict[int, Occurrence] = {}
    for task_id, found in every.items():
        counting = counting_occurrence(found) if current else None
        if counting is not None and today is not None and is_overdue(counting, today):
            chosen[task_id] = counting
        else:
            chosen[task_id] = _for_period(found, period)
    return chosen


def _for_period(occurrences: list[Occurrence], period: Period) -> Occurrence:
    """The occurrence of `period` among one task's, by due date (undated last)."""
    dated = [occurrence for occurrence in occurrences if occurrence.due is not None]
    if not dated:
        return occurrences[0]
    inside = [o for o in dated if o.due is not None and period.contains(o.due)]
    before = [o for o in dated if o.due is not None and o.due < period.start]
    after = [o for o in dated if o.due is not None and o.due > period.end]
    still_open = [o for o in before if o.status not in CLOSED_STATUSES]
    for choice in (inside, still_open, after):
        if choice:
            return choice[0]
    return dated[-1]


@dataclass(frozen=True, slots=True)
class _Lead:
    """A lead assignment: whose it is and how far it is over the whole task."""

    assignment_id: int
    name: str
    status: TaskStatus
    progress: int
    done_at: datetime | None


def _leads(session: Session, task_ids: Sequence[int]) -> dict[int, list[_Lead]]:
    leads: dict[int, list[_Lead]] = defaultdict(list)
    for assignment, unit_name, officer_name in session.exec(
        select(TaskAssignment, Unit.name, Officer.name)
        .outerjoin(Unit, col(Unit.id) == TaskAssignment.unit_id)
        .outerjoin(Officer, col(Officer.id) == TaskAssignment.officer_id)
        .where(
            col(TaskAssignment.task_id).in_(task_ids),
            TaskAssignment.role == AssignmentRole.LEAD,
        )
        .order_by(col(TaskAssignment.id))
    ):
        name = unit_name or officer_name
        if name and assignment.id is not None:
            leads[assignment.task_id].append(
                _Lead(
                    assignment.id, name, assignment.status, assignment.progress, assignment.done_at
                )
            )
    return leads


def _parts(
    session: Session, occurrence_ids: Sequence[int]
) -> dict[tuple[int, int], tuple[TaskStatus, datetime | None]]:
    """Each lead unit's share of each chosen occurrence: (occurrence, assignment) -> state."""
    return {
        (part.occurrence_id, part.assignment_id): (part.status, part.done_at)
        for part in session.exec(select(Share).where(col(Share.occurrence_id).in_(occurrence_ids)))
    }


def _events(session: Session, task_ids: Sequence[int]) -> dict[int, list[TaskEvent]]:
    kinds = (*_NOTES, EventKind.BLOCKER_REPORTED, EventKind.EVIDENCE, *_EXTENSIONS)
    found: dict[int, list[TaskEvent]] = defaultdict(list)
    for event in session.exec(
        select(TaskEvent)
        .where(col(TaskEvent.task_id).in_(task_ids), col(TaskEvent.kind).in_(kinds))
        .order_by(col(TaskEvent.at), col(TaskEvent.id))
    ):
        found[event.task_id].append(event)
    return found


def _task_facts(
    task: Task,
    occurrence: Occurrence | None,
    leads: dict[int, list[_Lead]],
    parts: dict[tuple[int, int], tuple[TaskStatus, datetime | None]],
    events: dict[int, list[TaskEvent]],
    zone: ZoneInfo,
) -> TaskFacts:
    status = occurrence.status if occurrence is not None else task.status
    done_on = _local_day(occurrence.done_at, zone) if occurrence is not None else None
    if status is not TaskStatus.DONE:
        done_on = None
    progress = 100 if status is TaskStatus.DONE else task.progress
    mine = [
        event
        for event in events.get(task.id or 0, [])
        if occurrence is None or event.occurrence_id in (None, occurrence.id)
    ]
    return TaskFacts(
        code=task.code,
        title=task.title,
        status=status.value,
        section=task.section,
        sections=tuple(task.sections),
        requirement=task.requirement,
        lead_text=task.lead_text,
        coordinators_text=task.coordinators_text,
        deadline_text=task.deadline_text,
        note=task.note,
        due=occurrence.due if occurrence is not None else task.due,
        done_on=done_on,
        progress=progress,
        shares=tuple(
            _share(lead, occurrence, parts, zone) for lead in leads.get(task.id or 0, [])
        ),
        remarks=_remarks(mine, is_blocked=status is TaskStatus.BLOCKED),
    )


def _share(
    lead: _Lead,
    occurrence: Occurrence | None,
    parts: dict[tuple[int, int], tuple[TaskStatus, datetime | None]],
    zone: ZoneInfo,
) -> ShareFacts:
    """A lead unit's share: of the chosen occurrence when it has one, else of the task."""
    status, done_at = lead.status, lead.done_at
    if occurrence is not None and occurrence.id is not None:
        status, done_at = parts.get((occurrence.id, lead.assignment_id), (status, done_at))
    is_done = status is TaskStatus.DONE
    return ShareFacts(
        unit=lead.name,
        status=status.value,
        done_on=_local_day(done_at, zone) if is_done else None,
        progress=100 if is_done else lead.progress,
    )


def _remarks(events: Iterable[TaskEvent], *, is_blocked: bool) -> Remarks:
    note: str | None = None
    blocker: str | None = None
    until: date | None = None
    pending = False
    answered: set[object] = set()
    requests: list[TaskEvent] = []
    evidence: list[str] = []
    for event in events:
        payload = event.payload
        if event.kind in _NOTES:
            text = payload.get("comment") or payload.get("text")
            if text:
                note = str(text)
        elif event.kind is EventKind.BLOCKER_REPORTED:
            blocker = str(payload.get("reason", "")) or None
        elif event.kind is EventKind.EVIDENCE and payload.get("file_name"):
            evidence.append(str(payload["file_name"]))
        elif event.kind is EventKind.EXTENSION_REQUESTED:
            requests.append(event)
        elif event.kind is EventKind.EXTENSION_GRANTED:
            answered.add(payload.get("request"))
            until = date.fromisoformat(str(payload["until"]))
        else:
            answered.add(payload.get("request"))
    open_requests = [event for event in requests if event.id not in answered]
    if open_requests:
        until = date.fromisoformat(str(open_requests[-1].payload["until"]))
        pending = True
    return Remarks(
        progress_note=note,
        blocker=blocker if is_blocked else None,
        extension_until=until,
        extension_pending=pending,
        evidence=tuple(dict.fromkeys(evidence)),
    )


def _members(
    session: Session, organization_id: int, unit_names: set[str] | None
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    members: dict[str, list[str]] = defaultdict(list)
    query = (
        select(Unit.name, Officer.name)
        .join(OfficerUnit, col(OfficerUnit.unit_id) == Unit.id)
        .join(Officer, col(Officer.id) == OfficerUnit.officer_id)
        .where(Unit.organization_id == organization_id, col(Officer.active).is_(True))
        .order_by(col(Officer.name))
    )
    if unit_names is not None:
        query = query.where(col(Unit.name).in_(sorted(unit_names)))
    for unit_name, officer_name in session.exec(query):
        members[unit_name].append(officer_name)
    return tuple((unit, tuple(names)) for unit, names in members.items())


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment is not None else None
