"""What the chair (and each officer, for their own tasks) asks: open work, overdue work by unit
and officer, a quarter, open blockers, a summary; and "remind them now"."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict, Unpack

from sqlalchemy import ColumnElement, and_
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
    Share,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskStatus,
    Unit,
)
from plans.calendar import WorkingCalendar
from plans.folding import fold
from reports.period import Period, PeriodKind
from services.access import require_manager, unit_ids_of, visible_tasks
from services.clock import Clock, local_today
from services.people.officers import find_officer
from services.people.units import find_unit, get_unit
from services.reminding.policies import calendar_for
from services.tracking.lateness import counting_occurrence, is_overdue, working_days_late


@dataclass(frozen=True, slots=True)
class Item:
    """One occurrence in a list: its task, due date, status, lead units and their officers."""

    occurrence_id: int
    code: str
    title: str
    due: date | None
    status: TaskStatus
    progress: int
    units: tuple[str, ...]
    officers: tuple[str, ...]
    reason: str | None = None
    plan: str = ""
    task_id: int = 0
    requirement: str | None = None
    calendar: WorkingCalendar | None = field(default=None, compare=False, repr=False)
    """The ward's working days, by which lateness is counted."""

    def days_late(self, today: date) -> int:
        """Working days past due (0 when not late or undated), as the reminders count them."""
        return working_days_late(self.due, today, self.calendar)


@dataclass(frozen=True, slots=True)
class Summary:
    """Counts by status, by lead unit (open/done/overdue) and by quarter of the due date."""

    by_status: dict[TaskStatus, int]
    by_unit: list[tuple[str, int, int, int]]
    by_quarter: list[tuple[int, int, int, int]]
    overdue: int

    @property
    def outstanding(self) -> int:
        """How many are neither done nor cancelled (open, blocked, awaiting direction)."""
        return sum(n for status, n in self.by_status.items() if status not in CLOSED_STATUSES)


class Filter(TypedDict, total=False):
    """Which occurrences a list keeps, of those the actor may see; a filter is added here and
    applied in `occurrence_rows`, and every list takes it as keywords."""

    open_only: bool
    """Only the open ones (the default), and with `unit_ids`, not the periods whose share
    those units have finished."""
    unit_ids: list[int] | None
    """The tasks these units lead (a unit that only coordinates does not own the task)."""
    due_from: date | None
    due_to: date | None
    plan_id: int | None
    code: str | None
    """The tasks numbered so."""


def items(session: Session, actor: Officer, **where: Unpack[Filter]) -> list[Item]:
    """Occurrences `actor` may see that `where` keeps; by due date, undated last."""
    return items_of(session, actor, occurrence_rows(session, actor, **where))


def occurrence_rows(
    session: Session, actor: Officer, **where: Unpack[Filter]
) -> list[tuple[Occurrence, Task, Plan]]:
    """What `items` lists, as read: each occurrence with its task and plan (one statement), for
    a caller that counts the same occurrences another way too (the dashboard's rates)."""
    query = (
        select(Occurrence, Task, Plan)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(visible_tasks(session, actor))
    )
    open_only = where.get("open_only", True)
    if open_only:
        query = query.where(col(Occurrence.status).not_in(CLOSED_STATUSES))
    if (due_from := where.get("due_from")) is not None:
        query = query.where(col(Occurrence.due) >= due_from)
    if (due_to := where.get("due_to")) is not None:
        query = query.where(col(Occurrence.due) <= due_to)
    if (unit_ids := where.get("unit_ids")) is not None:
        led = select(TaskAssignment.task_id).where(
            col(TaskAssignment.unit_id).in_(unit_ids),
            col(TaskAssignment.role) == AssignmentRole.LEAD,
        )
        query = query.where(col(Task.id).in_(led))
        if open_only:  # not the periods whose share these units have finished
            query = query.where(~_finished_by(unit_ids))
    if (plan_id := where.get("plan_id")) is not None:
        query = query.where(col(Plan.id) == plan_id)
    if (code := where.get("code")) is not None:
        query = query.where(col(Task.code) == code)
    return [(occurrence, task, plan) for occurrence, task, plan in session.exec(query)]


def items_of(
    session: Session, actor: Officer, found: list[tuple[Occurrence, Task, Plan]]
) -> list[Item]:
    """The items of occurrences read by `occurrence_rows`: with their lead units and officers,
    blockers' reasons and the ward's calendar; by due date, undated last."""
    rows = [(occurrence, task) for occurrence, task, _ in found]
    plans = {task.id: _plan_label(plan) for _, task, plan in found}
    leads = _leads(session, [task.id for _, task in rows if task.id is not None])
    reasons = _blocker_reasons(
        session, [o.id for o, _ in rows if o.status is TaskStatus.BLOCKED and o.id]
    )
    calendar = calendar_for(session, actor.organization_id)
    result = [
        Item(
            occurrence_id=occurrence.id or 0,
            code=task.code,
            title=task.title,
            due=occurrence.due,
            status=occurrence.status,
            progress=task.progress,
            units=tuple(name for name, _ in leads.get(task.id or 0, [])),
            officers=tuple(sorted({o for _, names in leads.get(task.id or 0, []) for o in names})),
            reason=reasons.get(occurrence.id or 0),
            plan=plans.get(task.id, ""),
            task_id=task.id or 0,
            requirement=task.requirement,
            calendar=calendar,
        )
        for occurrence, task in rows
    ]
    return sorted(result, key=lambda i: (i.due is None, i.due or date.max, _code_key(i.code)))


def _finished_by(unit_ids: list[int]) -> ColumnElement[bool]:
    """The occurrence's lead shares of `unit_ids` are all done (and there is one)."""
    mine = (
        select(Share.id)
        .join(TaskAssignment, col(TaskAssignment.id) == Share.assignment_id)
        .where(
            col(Share.occurrence_id) == Occurrence.id,
            col(TaskAssignment.unit_id).in_(unit_ids),
            col(TaskAssignment.role) == AssignmentRole.LEAD,
        )
    )
    done = mine.where(col(Share.status) == TaskStatus.DONE)
    return and_(done.exists(), ~mine.where(col(Share.status) != TaskStatus.DONE).exists())


def tasks_for(
    session: Session,
    actor: Officer,
    *,
    officer_name: str | None = None,
    unit_name: str | None = None,
    whose: str | None = None,
) -> list[Item]:
    """Open work: the actor's own, or (chair/admin) a named officer's or unit's (`whose`: a
    unit when it names one, by its name or an alias, else an officer); a task once, by the
    occurrence that counts now (`lateness.counting_occurrence`)."""
    if whose is not None:
        require_manager(actor)
        if find_unit(session, _org_of(session, actor), whose) is not None:
            unit_name = whose
        else:
            officer_name = whose
    if officer_name is None and unit_name is None:
        if actor.role.value == "officer":  # the tasks their units lead, as the dashboard counts
            return counting_among(items(session, actor, unit_ids=unit_ids_of(session, actor)))
        return counting_among(
            items(session, actor, unit_ids=unit_ids_of(session, actor)) or items(session, actor)
        )
    require_manager(actor)
    org = _org_of(session, actor)
    if officer_name is not None:
        officer = find_officer(session, org, officer_name)
        return counting_among(items(session, actor, unit_ids=unit_ids_of(session, officer)))
    assert unit_name is not None
    unit = get_unit(session, org, unit_name)
    assert unit.id is not None
    return counting_among(items(session, actor, unit_ids=[unit.id]))


def counting_among(found: Iterable[Item]) -> list[Item]:
    """Per task of `found`, the open occurrence that counts now (`counting_occurrence`: the
    oldest open one past due, else the next open one), in the order of `found`."""
    listed = list(found)
    by_task: dict[int, list[Item]] = {}
    for item in listed:
        by_task.setdefault(item.task_id, []).append(item)
    chosen = {
        id(counted)
        for occurrences in by_task.values()
        if (counted := counting_occurrence(occurrences)) is not None
    }
    return [item for item in listed if id(item) in chosen]


def overdue(session: Session, clock: Clock, actor: Officer) -> list[Item]:
    """Open occurrences past due that `actor` may see, most late first."""
    return overdue_among(items(session, actor), local_today(clock))


def overdue_among(found: Iterable[Item], today: date) -> list[Item]:
    """The tasks of `found` overdue on `today`, each by its occurrence that counts now (the
    oldest open one past due), most late first."""
    late = [i for i in counting_among(found) if is_overdue(i, today)]
    return sorted(late, key=lambda i: (i.due, _code_key(i.code)))


def quarter(session: Session, actor: Officer, *, year: int, number: int) -> list[Item]:
    """Every occurrence due in quarter `number` of `year` (open and done)."""
    period = Period(PeriodKind.QUARTER, year, number)
    return items(session, actor, open_only=False, due_from=period.start, due_to=period.end)


def open_blockers(session: Session, actor: Officer) -> list[Item]:
    """Blocked occurrences `actor` may see, with the reason last reported."""
    return blocked_among(items(session, actor))


def blocked_among(found: Iterable[Item]) -> list[Item]:
    """The blocked occurrences of `found`, in its order."""
    return [i for i in found if i.status is TaskStatus.BLOCKED]


def summary(session: Session, clock: Clock, actor: Officer) -> Summary:
    """Counts by status, by lead unit and by quarter (chair and admins)."""
    require_manager(actor)
    return summary_of(items(session, actor, open_only=False), local_today(clock))


def summary_of(everything: list[Item], today: date) -> Summary:
    """Counts by status, by lead unit and by quarter of `everything` (open and closed): an open
    task counts once, by its occurrence that counts now (`lateness.counting_occurrence`), and
    is overdue as that occurrence is; each closed occurrence (a period done) counts."""
    now = {id(item) for item in counting_among(everything)}
    by_status = Counter(
        i.status for i in everything if i.status in CLOSED_STATUSES or id(i) in now
    )
    units: dict[str, list[int]] = {}
    quarters: dict[tuple[int, int], list[int]] = {}
    late = 0
    for item in everything:
        is_done = item.status in CLOSED_STATUSES
        is_late = id(item) in now and is_overdue(item, today)
        late += is_late
        for unit in item.units or ("—",):
            counts = units.setdefault(unit, [0, 0, 0])
            if is_done or id(item) in now:
                counts[1 if is_done else 0] += 1
            counts[2] += is_late
        if item.due is not None:
            key = (item.due.year, (item.due.month - 1) // 3 + 1)
            q = quarters.setdefault(key, [0, 0])
            q[1 if is_done else 0] += 1
    return Summary(
        by_status=dict(by_status),
        by_unit=sorted(
            ((name, c[0], c[1], c[2]) for name, c in units.items()), key=lambda r: fold(r[0])
        ),
        by_quarter=sorted((y, q, c[0], c[1]) for (y, q), c in quarters.items()),
        overdue=late,
    )


def _leads(session: Session, task_ids: list[int]) -> dict[int, list[tuple[str, list[str]]]]:
    rows = session.exec(
        select(TaskAssignment.task_id, Unit.id, Unit.name)
        .join(Unit, col(Unit.id) == TaskAssignment.unit_id)
        .where(
            col(TaskAssignment.task_id).in_(task_ids),
            TaskAssignment.role == AssignmentRole.LEAD,
        )
    ).all()
    members: dict[int, list[str]] = {}
    for member_unit, member in session.exec(
        select(OfficerUnit.unit_id, Officer.name)
        .join(Officer, col(Officer.id) == OfficerUnit.officer_id)
        .where(col(OfficerUnit.unit_id).in_([r[1] for r in rows]), col(Officer.active).is_(True))
    ):
        members.setdefault(member_unit, []).append(member)
    leads: dict[int, list[tuple[str, list[str]]]] = {}
    for task_id, unit_id, name in rows:
        leads.setdefault(task_id, []).append((name, sorted(members.get(unit_id or 0, []))))
    return leads


def _blocker_reasons(session: Session, occurrence_ids: list[int]) -> dict[int, str]:
    reasons: dict[int, str] = {}
    for event in session.exec(
        select(TaskEvent)
        .where(
            col(TaskEvent.occurrence_id).in_(occurrence_ids),
            TaskEvent.kind == EventKind.BLOCKER_REPORTED,
        )
        .order_by(col(TaskEvent.id))
    ):
        assert event.occurrence_id is not None
        reasons[event.occurrence_id] = str(event.payload.get("reason", ""))
    return reasons


def _plan_label(plan: Plan) -> str:
    return plan.number or plan.title or plan.source_name


def _org_of(session: Session, actor: Officer) -> Organization:
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    return org


def _code_key(code: str) -> tuple[tuple[int, str], ...]:
    return tuple((int(p), "") if p.isdecimal() else (0, p) for p in code.split("."))
