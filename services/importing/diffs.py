"""What a revision of a plan changes in the stored plan: the tasks it adds, removes and
changes, field by field, compared as the office reads them."""

from dataclasses import dataclass

from sqlmodel import Session, col, select

from models import AssignmentRole, Plan, Task, TaskAssignment, TaskKind, TaskStatus, Unit, UnitKind
from plans.draft import DraftTask, ImportDraft
from plans.units import ALL, RELATED
from services.importing.task_rows import deadline_of


@dataclass(frozen=True, slots=True)
class TaskChange:
    """A task the revision changes: its code and the fields that differ (old, new)."""

    code: str
    fields: dict[str, tuple[object, object]]


@dataclass(frozen=True, slots=True)
class PlanDiff:
    """What a revised plan changes in the stored one."""

    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    changed: tuple[TaskChange, ...] = ()
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        """Whether the revision changes no task."""
        return not (self.added or self.removed or self.changed)


def diff_against(session: Session, plan: Plan, draft: ImportDraft) -> PlanDiff:
    """What applying `draft` over `plan` would add, remove and change."""
    stored = {task.code: task for task in plan_tasks(session, plan)}
    wanted = {task.code: task for task in draft.tasks}
    changed = []
    unchanged = 0
    for code, draft_task in wanted.items():
        task = stored.get(code)
        if task is None:
            continue
        fields = _changed_fields(session, task, draft_task)
        if fields:
            changed.append(TaskChange(code, fields))
        else:
            unchanged += 1
    return PlanDiff(
        added=tuple(code for code in wanted if code not in stored),
        removed=tuple(
            code for code in stored if code not in wanted and _is_table_task(stored[code])
        ),
        changed=tuple(changed),
        unchanged=unchanged,
    )


def plan_tasks(session: Session, plan: Plan) -> list[Task]:
    """The plan's tasks in the plan's order."""
    return list(
        session.exec(select(Task).where(Task.plan_id == plan.id).order_by(col(Task.position)))
    )


def _is_table_task(task: Task) -> bool:
    return task.kind is TaskKind.TASK and task.status is not TaskStatus.CANCELLED


def _comparable(session: Session, task: Task) -> dict[str, object]:
    leads, coordinators = _assigned_names(session, task)
    return {
        "title": task.title,
        "section": task.section,
        "requirement": task.requirement,
        "lead": leads,
        "coordinators": coordinators,
        "deadline": task.deadline_text,
        "due": task.due,
    }


def _wanted(draft_task: DraftTask) -> dict[str, object]:
    deadline = deadline_of(draft_task.deadline)
    return {
        "title": draft_task.title,
        "section": draft_task.section,
        "requirement": draft_task.requirement,
        "lead": sorted(draft_task.lead),
        "coordinators": sorted(draft_task.coordinators),
        "deadline": deadline.text,
        "due": deadline.due,
    }


def _changed_fields(
    session: Session, task: Task, draft_task: DraftTask
) -> dict[str, tuple[object, object]]:
    old = _comparable(session, task)
    new = _wanted(draft_task)
    return {name: (old[name], new[name]) for name in old if old[name] != new[name]}


def _assigned_names(session: Session, task: Task) -> tuple[list[str], list[str]]:
    rows = session.exec(
        select(TaskAssignment.role, TaskAssignment.expanded, Unit.name, Unit.kind)
        .join(Unit, col(Unit.id) == TaskAssignment.unit_id)
        .where(TaskAssignment.task_id == task.id)
    )
    leads: set[str] = set()
    coordinators: set[str] = set()
    for role, expanded, name, kind in rows:
        label = ALL if kind is UnitKind.ALL or expanded else name
        label = RELATED if kind is UnitKind.RELATED else label
        (leads if role is AssignmentRole.LEAD else coordinators).add(label)
    return sorted(leads), sorted(coordinators)
