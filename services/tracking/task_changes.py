"""What every change to a task made one at a time says (its `TaskEvent` is recorded by
`services.tracking.tasks.record_event`): the notices to the officers of the units concerned
(through the outbox), and the `Given` the use case returns. Used by
`services.tracking.handmade`."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models import AssignmentRole, Officer, OfficerUnit, Task, TaskAssignment, Unit
from services.clock import Clock
from services.messages import Text
from services.reminding.outbox import notify


@dataclass(frozen=True, slots=True)
class Given:
    """What a change to a task recorded: the task, its due date and the units it concerns."""

    task_id: int
    code: str
    title: str
    due: date | None
    units: tuple[str, ...]


def units_in(session: Session, actor: Officer, unit_ids: Sequence[int]) -> list[Unit]:
    """The units of `actor`'s organization among `unit_ids`, once each, in order."""
    found: list[Unit] = []
    for unit_id in dict.fromkeys(unit_ids):
        unit = session.get(Unit, unit_id)
        if unit is None or unit.organization_id != actor.organization_id:
            continue
        found.append(unit)
    return found


def lead_units(session: Session, task: Task) -> list[Unit]:
    """The units leading `task`, in the order they were assigned."""
    return list(
        session.exec(
            select(Unit)
            .join(TaskAssignment, col(TaskAssignment.unit_id) == Unit.id)
            .where(TaskAssignment.task_id == task.id, TaskAssignment.role == AssignmentRole.LEAD)
            .order_by(col(TaskAssignment.id))
        )
    )


def unit_of(session: Session, assignment: TaskAssignment) -> Unit | None:
    """The unit of `assignment` (none when an officer leads by name)."""
    return session.get(Unit, assignment.unit_id) if assignment.unit_id is not None else None


def tell(session: Session, clock: Clock, units: Sequence[Unit], key: str, text: Text) -> None:
    """Tell every active officer of `units` (once each)."""
    ids = [u.id for u in units if u.id is not None]
    if not ids:
        return
    officers = session.exec(
        select(Officer)
        .join(OfficerUnit, col(OfficerUnit.officer_id) == Officer.id)
        .where(col(OfficerUnit.unit_id).in_(ids), col(Officer.active).is_(True))
        .order_by(col(Officer.id))
    ).all()
    seen: set[int | None] = set()
    for officer in officers:
        if officer.id not in seen:
            seen.add(officer.id)
            notify(session, clock.now(), officer, key=key, lines=[text])


def given(task: Task, units: Sequence[Unit]) -> Given:
    """What a use case returns about `task` and the `units` it concerns."""
    assert task.id is not None
    return Given(
        task_id=task.id,
        code=task.code,
        title=task.title,
        due=task.due,
        units=tuple(u.name for u in units),
    )


def show(day: date | None) -> date | str:
    """A date as a notice's param (written in its reader's locale when rendered; "—" for
    none)."""
    return day if day else "—"
