"""Tasks one at a time and in lists, with each unit's share: what `dondoc tasks list`, the
dashboard and the chat's task detail show, and how a code typed by a person finds its task.

A task's listed status is `open`, `done` or `cancelled` (blocked and awaiting a lead are open,
with `blocked` and `awaiting_lead` saying so); `units` lists its lead units, each with its own
status and completion time, then its coordinators.

A list narrowed to a unit narrows by that unit's part: `open`, `done`, `overdue` and `blocked`
read the unit's own share (a task done by one lead unit and open for another is open for the
other and done for the first); a unit that only coordinates has no share, and the task's own
status stands for it. Each row's `status` stays the task's.
"""

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqlmodel import Session, col, func, select

from locales import N_
from models import (
    CLOSED_STATUSES,
    AssignmentRole,
    Occurrence,
    Officer,
    Organization,
    Plan,
    Task,
    TaskAssignment,
    TaskStatus,
)
from services.access import require_manager, unit_ids_of, visible_tasks
from services.clock import Clock, local_today
from services.errors import DomainError, TaskNotFound
from services.people.officers import find_officer
from services.people.units import get_unit
from services.tracking.lateness import counting_occurrence, counting_occurrences
from services.tracking.plans import find_plan
from services.tracking.shares import UnitShare, shares_of


class TaskCodeAmbiguous(DomainError):
    msgid = N_("Several plans have a task {ref} ({plans}): name the plan too.")


class ListStatus(StrEnum):
    """The statuses a list can be narrowed to."""

    OPEN = "open"
    DONE = "done"
    OVERDUE = "overdue"
    BLOCKED = "blocked"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class TaskRow:
    """A task as lists show it."""

    task_id: int
    code: str
    title: str
    plan: str | None
    status: str
    due: date | None
    deadline_text: str
    overdue: bool
    blocked: bool
    awaiting_lead: bool
    requirement: str | None
    note: str | None
    section: str | None
    units: tuple[UnitShare, ...]
    lead_text: str = ""
    coordinators_text: str = ""

    @property
    def leads(self) -> tuple[UnitShare, ...]:
        """The lead units' shares."""
        return tuple(s for s in self.units if s.role is AssignmentRole.LEAD)

    @property
    def leads_done(self) -> int:
        """How many lead units have finished their part."""
        return sum(s.is_done for s in self.leads)

    def to_json(self) -> dict[str, object]:
        """The object `dondoc tasks list --json` prints."""
        return {
            "code": self.code,
            "title": self.title,
            "plan": self.plan,
            "status": self.status,
            "due": self.due.isoformat() if self.due else None,
            "deadline": self.deadline_text,
            "overdue": self.overdue,
            "blocked": self.blocked,
            "awaiting_lead": self.awaiting_lead,
            "requirement": self.requirement,
            "note": self.note,
            "units": [
                {
                    "unit": s.unit,
                    "role": s.role.value,
                    "status": "done" if s.is_done else "open",
                    "done_at": s.done_at.isoformat() if s.done_at else None,
                }
                for s in self.units
            ],
        }


def list_tasks(
    session: Session,
    clock: Clock,
    actor: Officer,
    *,
    plan: str | None = None,
    unit: str | None = None,
    officer: str | None = None,
    status: ListStatus | None = None,
) -> list[TaskRow]:
    """The tasks of the current plans `actor` may see, narrowed to a plan (number or words of
    its title), a unit, an officer's units, a status; by plan and position."""
    query = (
        select(Task, Plan)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(visible_tasks(session, actor), col(Plan.superseded_by_id).is_(None))
    )
    if plan is not None:
        query = query.where(col(Plan.id) == _plan_id(session, actor, plan))
    unit_ids: list[int] | None = None
    unit_id: int | None = None
    if unit is not None:
        unit_id = get_unit(session, _org(session, actor), unit).id or 0
        unit_ids = [unit_id]
    if officer is not None:
        unit_ids = unit_ids_of(session, find_officer(session, _org(session, actor), officer))
    if unit_ids is not None:
        query = query.where(
            col(Task.id).in_(
                select(TaskAssignment.task_id).where(col(TaskAssignment.unit_id).in_(unit_ids))
            )
        )
    rows = session.exec(query.order_by(col(Plan.id), col(Task.position), col(Task.id))).all()
    today = local_today(clock)
    result = _rows(session, [(task, found_plan) for task, found_plan in rows], today)
    if status is not None and unit_id is not None:
        own = _own_assignments(session, unit_id, [row.task_id for row in result])
        result = [row for row in result if _matches(_as_unit_sees(row, own, today), status)]
    elif status is not None:
        result = [row for row in result if _matches(row, status)]
    return result


def awaiting_lead(session: Session, clock: Clock, actor: Officer) -> list[TaskRow]:
    """The open tasks of the current plans `actor` may see that no unit leads yet: the rows
    `list_tasks(status=OPEN)` marks `awaiting_lead`, without reading the others."""
    led = select(TaskAssignment.id).where(  # per task, through its index: not every lead
        col(TaskAssignment.task_id) == Task.id, TaskAssignment.role == AssignmentRole.LEAD
    )
    rows = session.exec(
        select(Task, Plan)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(
            visible_tasks(session, actor),
            col(Plan.superseded_by_id).is_(None),
            col(Task.status).not_in(CLOSED_STATUSES),
            ~led.exists(),
        )
        .order_by(col(Plan.id), col(Task.position), col(Task.id))
    ).all()
    return _rows(session, [(task, found_plan) for task, found_plan in rows], local_today(clock))


def task_row(session: Session, clock: Clock, actor: Officer, task_id: int) -> TaskRow:
    """One task `actor` may see, as lists show it (with its requirement and note)."""
    row = session.exec(
        select(Task, Plan)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(col(Task.id) == task_id, visible_tasks(session, actor))
    ).first()
    if row is None:
        raise TaskNotFound(ref=str(task_id))
    return _rows(session, [(row[0], row[1])], local_today(clock))[0]


def find_task(session: Session, actor: Officer, code: str, *, plan: str | None = None) -> Task:
    """The task of the current plans that `code` names for `actor` (in the plan named, when
    several plans have that code)."""
    found = _coded(session, actor, code, plan=plan)
    if not found:
        raise TaskNotFound(ref=_code(code))
    if len(found) > 1:
        names = "; ".join(_plan_name(p) or "—" for _, p in found[:5])
        raise TaskCodeAmbiguous(ref=_code(code), plans=names)
    return found[0][0]


def tasks_coded(session: Session, actor: Officer, code: str) -> list[Task]:
    """Every task of the current plans that `code` names for `actor` (several when several
    plans have that code), by plan: the one look-up behind `find_task` and the chat's "việc 7"."""
    return [task for task, _ in _coded(session, actor, code)]


def _coded(
    session: Session, actor: Officer, code: str, *, plan: str | None = None
) -> list[tuple[Task, Plan]]:
    """The tasks numbered `code` (in either case: "ii" is "II") of the current plans that
    `actor` may see, with their plans; superseded plans hold none (a revision moves them)."""
    query = (
        select(Task, Plan)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(
            visible_tasks(session, actor),
            col(Plan.superseded_by_id).is_(None),
            func.upper(col(Task.code)) == _code(code).upper(),
        )
    )
    if plan is not None:
        query = query.where(col(Plan.id) == _plan_id(session, actor, plan))
    return [(task, found) for task, found in session.exec(query.order_by(col(Plan.id)))]


def _code(code: str) -> str:
    """A code as typed, as a person names it in a message: trimmed, a letter's in capitals."""
    code = code.strip()
    return code.upper() if code[:1].isalpha() else code


def task_to_change(
    session: Session, actor: Officer, code: str, *, plan: str | None = None
) -> Task:
    """The task `code` names (`find_task`) for the chair or an admin about to change it (give,
    re-date, assign, cancel, reopen): anyone else is refused first, as the change would refuse
    them, whether or not they may see the task."""
    require_manager(actor)
    return find_task(session, actor, code, plan=plan)


def occurrence_to_act_on(session: Session, task: Task) -> Occurrence:
    """The period an action on a whole task without a date ("xong", "vướng", the web's and
    the command line's "done") is about: the one that counts now (`counting_occurrence`), else,
    with none open, the last one (by due date, undated last), as reopening reads "the last".
    The one rule: `closing.close_task` and the chat's "việc 7 …" (`asking.acted_on`) read it."""
    occurrences = list(
        session.exec(
            select(Occurrence)
            .where(Occurrence.task_id == task.id)
            .order_by(col(Occurrence.due), col(Occurrence.id))
        )
    )
    counting = counting_occurrence(occurrences)  # the one lists show
    if counting is not None:
        return counting
    if not occurrences:
        raise TaskNotFound(ref=task.code)
    return max(occurrences, key=lambda o: (o.due is None, o.due or date.max, o.id or 0))


def _rows(session: Session, rows: list[tuple[Task, Plan]], today: date) -> list[TaskRow]:
    task_ids = [task.id for task, _ in rows if task.id is not None]
    shares = shares_of(session, task_ids)
    counting = counting_occurrences(session, task_ids)
    result = []
    for task, plan in rows:
        assert task.id is not None
        units = tuple(shares.get(task.id, ()))
        listed = _listed_status(task.status)
        leads = [s for s in units if s.role is AssignmentRole.LEAD]
        now = counting.get(task.id)
        due = now.due if now is not None else task.due
        result.append(
            TaskRow(
                task_id=task.id,
                code=task.code,
                title=task.title,
                plan=_plan_name(plan),
                status=listed,
                due=due,
                deadline_text=task.deadline_text,
                overdue=listed == "open" and due is not None and due < today,
                blocked=task.status is TaskStatus.BLOCKED
                or any(s.status is TaskStatus.BLOCKED for s in leads),
                awaiting_lead=not leads,
                requirement=task.requirement,
                note=task.note,
                section=task.section,
                units=units,
                lead_text=task.lead_text,
                coordinators_text=task.coordinators_text,
            )
        )
    return result


def _org(session: Session, actor: Officer) -> Organization:
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    return org


def _listed_status(status: TaskStatus) -> str:
    if status in CLOSED_STATUSES:
        return status.value
    return "open"


def _own_assignments(session: Session, unit_id: int, task_ids: list[int]) -> set[int]:
    """The lead assignments of `unit_id` among the tasks `task_ids`."""
    ids = sorted(set(task_ids))
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found.update(
            a
            for a in session.exec(
                select(TaskAssignment.id).where(
                    TaskAssignment.unit_id == unit_id,
                    TaskAssignment.role == AssignmentRole.LEAD,
                    col(TaskAssignment.task_id).in_(ids[start : start + 500]),
                )
            )
            if a is not None
        )
    return found


def _as_unit_sees(row: TaskRow, own: set[int], today: date) -> TaskRow:
    """`row` with its status, overdue and blocked those of the unit whose lead assignments are
    `own` (the task's own when the unit only coordinates it); only for filtering."""
    shares = [s for s in row.leads if s.assignment_id in own]
    if not shares or row.status == "cancelled":
        return row
    status = "done" if all(s.is_done for s in shares) else "open"
    return replace(
        row,
        status=status,
        overdue=status == "open" and row.due is not None and row.due < today,
        blocked=any(s.status is TaskStatus.BLOCKED for s in shares),
    )


def _matches(row: TaskRow, status: ListStatus) -> bool:
    if status is ListStatus.OVERDUE:
        return row.overdue
    if status is ListStatus.BLOCKED:
        return row.status == "open" and row.blocked
    return row.status == status.value


def _plan_name(plan: Plan) -> str | None:
    if plan.manual:
        return None
    return plan.number or plan.title or plan.source_name


def _plan_id(session: Session, actor: Officer, plan: str) -> int | None:
    """The plan `plan` names (its number or words of its title)."""
    return find_plan(session, actor, plan).id
