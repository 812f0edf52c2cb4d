"""A draft's tasks become rows: each task with its deadline, its units (lead and coordinating)
and its occurrences; the reporting duties likewise. Shared by a first import and a revision
(`services/importing/imports.py`); nothing here commits."""

from collections.abc import Sequence
from datetime import date, timedelta

from sqlmodel import Session

from models import (
    AssignmentRole,
    EventKind,
    Occurrence,
    Officer,
    Plan,
    Task,
    TaskAssignment,
    TaskKind,
    TaskStatus,
    Unit,
    UnitKind,
)
from plans.deadlines import Deadline, DeadlineKind, Recurrence
from plans.draft import DraftTask, ImportDraft
from services.clock import Clock
from services.tracking.shares import body_unit_ids
from services.tracking.tasks import record_event


def assignments_for(
    task: Task, draft_task: DraftTask, units: dict[str, Unit], bodies: Sequence[int]
) -> list[TaskAssignment]:
    """The task's leads and coordinators; a lead "all units" is one lead share per body unit
    of the organization (`bodies`), marked `expanded`, when it has any."""
    assert task.id is not None
    rows: list[TaskAssignment] = []
    seen: set[tuple[int, AssignmentRole]] = set()
    for role, names in (
        (AssignmentRole.LEAD, draft_task.lead),
        (AssignmentRole.COORDINATOR, draft_task.coordinators),
    ):
        for name in names:
            unit = units.get(name)
            if unit is None or unit.id is None:
                continue
            if role is AssignmentRole.LEAD and unit.kind is UnitKind.ALL and bodies:
                for body in bodies:
                    if (body, role) not in seen:
                        seen.add((body, role))
                        rows.append(
                            TaskAssignment(task_id=task.id, unit_id=body, role=role, expanded=True)
                        )
                continue
            if (unit.id, role) in seen:
                for row in rows:  # named on its own too: its share is not only "all units"
                    if row.unit_id == unit.id and row.role is role:
                        row.expanded = False
                continue
            seen.add((unit.id, role))
            rows.append(TaskAssignment(task_id=task.id, unit_id=unit.id, role=role))
    return rows


def body_units(session: Session, task: Task) -> list[int]:
    """The body units "all units" stands for in the task's organization (looked up once per
    plan and session)."""
    plan = session.get(Plan, task.plan_id)
    assert plan is not None
    cache: dict[int, list[int]] = session.info.setdefault("dondoc.bodies", {})
    if plan.organization_id not in cache:
        cache[plan.organization_id] = body_unit_ids(session, plan.organization_id)
    return cache[plan.organization_id]


def create_tasks(
    session: Session,
    clock: Clock,
    plan: Plan,
    draft: ImportDraft,
    units: dict[str, Unit],
    actor: Officer | None,
    *,
    start: int,
    only: Sequence[str] | None = None,
) -> None:
    """The draft's tasks from index `start` on, as rows of `plan` with units and occurrences."""
    for position, draft_task in enumerate(draft.tasks, start=start):
        if only is not None and draft_task.code not in only:
            continue
        task = new_task(plan, draft_task, position)
        add_task(session, clock, task, draft_task, units, actor, deadline_of(draft_task.deadline))
    for index, obligation in enumerate(draft.obligations, start=1):
        code = f"BC{index}"
        if only is not None and code not in only:
            continue
        deadline = deadline_of(obligation.deadline)
        task = set_deadline(
            Task(
                plan_id=plan.id or 0,
                kind=TaskKind.OBLIGATION,
                code=code,
                position=len(draft.tasks) + index,
                title=obligation.what,
                lead_text=", ".join(obligation.who),
                coordinators_text=obligation.to or "",
            ),
            deadline,
        )
        pseudo = DraftTask(
            code=code, title=obligation.what, deadline=deadline, lead=obligation.who
        )
        add_task(session, clock, task, pseudo, units, actor, deadline)


def create_duties(
    session: Session,
    clock: Clock,
    plan: Plan,
    draft: ImportDraft,
    units: dict[str, Unit],
    actor: Officer | None,
) -> None:
    """A plan without a task table: each unit's standing duties are ongoing tasks ("NV1"…),
    led by that unit and checked in on before each quarter's report."""
    ongoing = Deadline("Thường xuyên", DeadlineKind.ONGOING)
    number = 0
    for item in draft.responsibilities:
        for duty in item.duties:
            number += 1
            code = f"NV{number}"
            task = set_deadline(
                Task(
                    plan_id=plan.id or 0,
                    kind=TaskKind.DUTY,
                    code=code,
                    position=len(draft.obligations) + number,
                    section=item.unit,
                    title=duty,
                    lead_text=item.unit,
                ),
                ongoing,
            )
            pseudo = DraftTask(code=code, title=duty, deadline=ongoing, lead=(item.unit,))
            add_task(session, clock, task, pseudo, units, actor, ongoing)


def new_task(plan: Plan, draft_task: DraftTask, position: int) -> Task:
    """A task row for one draft task, at `position` in the plan (not added to the session)."""
    assert plan.id is not None
    return set_deadline(
        Task(
            plan_id=plan.id,
            code=draft_task.code,
            position=position,
            section=draft_task.section,
            sections=list(draft_task.sections),
            title=draft_task.title,
            requirement=draft_task.requirement,
            lead_text=draft_task.lead_text or "",
            coordinators_text=draft_task.coordinators_text or "",
            flags=sorted(set(draft_task.flags) | {f"problem:{p}" for p in draft_task.problems}),
        ),
        deadline_of(draft_task.deadline),
    )


def add_task(
    session: Session,
    clock: Clock,
    task: Task,
    draft_task: DraftTask,
    units: dict[str, Unit],
    actor: Officer | None,
    deadline: Deadline,
) -> None:
    """Add a task with its assignments, occurrences and creation event (flushed)."""
    if deadline.kind is DeadlineKind.AWAITING_DIRECTION:
        task.status = TaskStatus.AWAITING_DIRECTION
    session.add(task)
    session.flush()
    assert task.id is not None
    session.add_all(assignments_for(task, draft_task, units, body_units(session, task)))
    session.add_all(occurrences_for(task, deadline))
    record_event(
        session, clock.now(), actor, task, EventKind.CREATED, via=None,
        payload={"deadline": deadline.text},
    )  # fmt: skip


def occurrences_for(task: Task, deadline: Deadline) -> list[Occurrence]:
    """The occurrences a deadline gives a task: one per recurrence date, else one."""
    assert task.id is not None
    status = (
        TaskStatus.AWAITING_DIRECTION
        if deadline.kind is DeadlineKind.AWAITING_DIRECTION
        else TaskStatus.OPEN
    )
    if deadline.kind is DeadlineKind.RECURRING and deadline.recurrence is not None:
        dates = deadline.occurrences()
        if dates:
            return [
                Occurrence(
                    task_id=task.id,
                    due=due,
                    period_start=period_start(due, deadline.recurrence),
                    status=status,
                )
                for due in dates
            ]
    return [
        Occurrence(task_id=task.id, due=deadline.due, period_start=deadline.starts, status=status)
    ]


def period_start(due: date, recurrence: Recurrence) -> date:
    """The first day of the period an occurrence due on `due` belongs to."""
    if recurrence is Recurrence.YEARLY:
        return date(due.year, 1, 1)
    if recurrence is Recurrence.HALF_YEARLY:
        return date(due.year, 1 if due.month <= 6 else 7, 1)
    if recurrence is Recurrence.QUARTERLY:
        return date(due.year, 3 * ((due.month - 1) // 3) + 1, 1)
    if recurrence is Recurrence.MONTHLY:
        return date(due.year, due.month, 1)
    return due - timedelta(days=6)


def deadline_of(value: object) -> Deadline:
    """The deadline a draft carries (a `Deadline`, checked)."""
    assert isinstance(value, Deadline)
    return value


def set_deadline(task: Task, deadline: Deadline) -> Task:
    """Copy a deadline's text, dates and recurrence onto `task`."""
    task.deadline_text = deadline.text
    task.deadline_kind = deadline.kind.value
    task.due = deadline.due
    task.starts = deadline.starts
    task.recurrence = deadline.recurrence.value if deadline.recurrence else None
    task.note = deadline.note
    return task
