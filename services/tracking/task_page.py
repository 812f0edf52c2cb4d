"""A task's page on the web, read in one call: the task as lists show it, its history and,
for the chair and the admins who may change it, the units they may pick; and the history page
a reminder's period links to (read only)."""

from dataclasses import dataclass

from sqlmodel import Session

from models import Officer, Organization
from services.access import is_manager
from services.clock import Clock
from services.people.units import UnitView, list_units
from services.tracking.dashboard import TaskHistory, task_history, task_of_occurrence
from services.tracking.task_list import TaskRow, task_row


@dataclass(frozen=True, slots=True)
class TaskPage:
    """What a task's page shows: its row, its history, the units a manager may pick."""

    row: TaskRow
    history: TaskHistory
    units: list[UnitView]


def task_page(session: Session, clock: Clock, actor: Officer, task_id: int) -> TaskPage:
    """Task `task_id` as `actor` may see it (`TaskNotFound` otherwise); the units to pick only
    for the chair and the admins (nobody else is offered a change)."""
    row = task_row(session, clock, actor, task_id)
    history = task_history(session, actor, task_id)
    org = session.get_one(Organization, actor.organization_id)
    units = list_units(session, org) if is_manager(actor) else []
    return TaskPage(row=row, history=history, units=units)


def occurrence_history(session: Session, actor: Officer, occurrence_id: int) -> TaskHistory:
    """The history of the task period `occurrence_id` belongs to, if `actor` may see it."""
    return task_history(session, actor, task_of_occurrence(session, actor, occurrence_id))
