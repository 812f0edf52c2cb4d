"""Which occurrence of a task counts now, whether the task is overdue, and by how much: decided
here, once, for every screen. `dondoc tasks list` (its `due` and `--status overdue`), the chat's
lists (/viec, /quahan), the dashboard and the reports (the workbook's sheets and the draft) all
read a task through `counting_occurrence`, and say how late it is with `working_days_late`, in
working days of the ward's calendar, as the reminder policy counts them."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Protocol, TypeVar

from sqlmodel import Session, col, select

from models import CLOSED_STATUSES, Occurrence, TaskStatus
from plans.calendar import WorkingCalendar


class Dated(Protocol):
    """An occurrence as the rule reads it: its due date and its status."""

    @property
    def due(self) -> date | None: ...

    @property
    def status(self) -> TaskStatus: ...


D = TypeVar("D", bound=Dated)


def counting_occurrence(occurrences: Iterable[D]) -> D | None:
    """The occurrence (period) of one task that counts now, among all of the task's.

    The rule, the same for a one-off task and for a recurring one ("Hằng năm", "Hằng quý", …):

    - the oldest open occurrence whose due date has passed makes the task overdue: a yearly task
      whose 2021-2024 occurrences were left open at import is overdue by its 2021 one, however
      far away its next due date is; its `due` is that occurrence's due date;
    - otherwise the task is working towards its next open occurrence (the earliest due; one
      without a date, "Thường xuyên", after every dated one);
    - open means neither done nor cancelled: a blocked occurrence, or one awaiting direction,
      is still open and still counts (a blocked task can be overdue too);
    - a task with no open occurrence left has none that counts (`None`): it is done or
      cancelled, and its list shows the task's own due date.

    Because occurrences are dated, "the oldest open one past due, else the next open one" is
    the earliest open one; ties keep the order given (by id). Every action without a date
    ("xong", "vướng") acts on this same occurrence (`task_list.occurrence_to_act_on`).
    """
    chosen: D | None = None
    for occurrence in occurrences:
        if occurrence.status in CLOSED_STATUSES:
            continue
        if chosen is None or _key(occurrence) < _key(chosen):
            chosen = occurrence
    return chosen


def counting_occurrences(session: Session, task_ids: Sequence[int]) -> dict[int, Occurrence]:
    """Per task of `task_ids`, the occurrence that counts now (`counting_occurrence`); a task
    with no open occurrence is absent."""
    every: dict[int, list[Occurrence]] = defaultdict(list)
    ids = sorted(set(task_ids))
    for start in range(0, len(ids), 500):
        for occurrence in session.exec(
            select(Occurrence)
            .where(
                col(Occurrence.task_id).in_(ids[start : start + 500]),
                col(Occurrence.status).not_in(CLOSED_STATUSES),
            )
            .order_by(col(Occurrence.task_id), col(Occurrence.id))
        ):
            every[occurrence.task_id].append(occurrence)
    found = {task_id: counting_occurrence(occurrences) for task_id, occurrences in every.items()}
    return {task_id: occurrence for task_id, occurrence in found.items() if occurrence is not None}


def is_overdue(occurrence: Dated | None, today: date) -> bool:
    """Whether `occurrence` (the one that counts, from `counting_occurrence`) is open and past
    its due date on `today`: the task is overdue."""
    return (
        occurrence is not None
        and occurrence.status not in CLOSED_STATUSES
        and occurrence.due is not None
        and occurrence.due < today
    )


def working_days_late(due: date | None, today: date, calendar: WorkingCalendar) -> int:
    """The working days after `due` up to and including `today`; 0 when not late or undated."""
    if due is None or due >= today:
        return 0
    return calendar.working_days_between(due, today)


def _key(occurrence: Dated) -> tuple[bool, date]:
    return (occurrence.due is None, occurrence.due or date.max)
