"""Which occurrence of a task counts now, whether the task is overdue, and by how much: decided
here, once, for every screen. `dondoc tasks list` (its `due` and `--status overdue`), the chat's
lists (/viec, /quahan), the dashboard and the reports (the workbook's sheets and the draft) all
read a task through `counting_occurrence`, and say how late it is with `working_days_late`, in
working days of the ward's calendar, as the reminder policy counts them.

The weekly summaries count the same way (`weekly_summary`): where the organization's tasks
stand, for the chair, and what only the office can fix (tasks awaiting direction, deadlines not
understood, nobody to remind), for the admins. Computed once a week per organization, so they
may read every current task."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import CLOSED_STATUSES, Occurrence, Plan, Task, TaskStatus
from plans.calendar import WorkingCalendar
from services.reminding.recipients import People

TOP = 5


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


def working_days_late(due: date | None, today: date, calendar: WorkingCalendar | None) -> int:
    """The working days after `due` up to and including `today`; 0 when not late or undated.
    Without the ward's `calendar` (a list item built without one), every day counts."""
    if due is None or due >= today:
        return 0
    if calendar is None:
        return (today - due).days
    return calendar.working_days_between(due, today)


def _key(occurrence: Dated) -> tuple[bool, date]:
    return (occurrence.due is None, occurrence.due or date.max)


# --- the weekly summaries ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WeeklySummary:
    """What the chair and the admins are told on the summary day."""

    chair: dict[str, object] | None
    admin: dict[str, object] | None


@dataclass(frozen=True, slots=True)
class _Open:
    """An open occurrence as the summary reads it."""

    due: date | None
    status: TaskStatus
    code: str
    deadline_kind: str


def _codes(codes: list[str]) -> list[str]:
    return list(dict.fromkeys(codes))


def weekly_summary(
    session: Session,
    org_id: int,
    *,
    today: date,
    now: datetime,
    calendar: WorkingCalendar,
) -> WeeklySummary:
    """The summaries of `org_id` on `today`; `chair` is None when it has no task at all. An open
    task counts once, as every list counts it: by its occurrence that counts now
    (`lateness.counting_occurrence`), overdue by that one's due date in working days."""
    rows = session.execute(
        sa_select(
            col(Occurrence.due),
            col(Occurrence.status),
            col(Occurrence.done_at),
            col(Task.id),
            col(Task.code),
            col(Task.deadline_kind),
            col(Task.position),
        )
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(col(Plan.organization_id) == org_id, col(Plan.superseded_by_id).is_(None))
        .order_by(col(Plan.id), col(Task.position), col(Occurrence.due))
    ).all()
    if not rows:
        return WeeklySummary(chair=None, admin=None)
    week_ago = now - timedelta(days=7)
    soon_until = today + timedelta(days=7)
    open_count = blocked_count = done_week = 0
    overdue: list[tuple[int, str]] = []
    soon: list[str] = []
    blocked: list[str] = []
    awaiting: list[str] = []
    unrecognised: list[str] = []
    open_tasks: dict[int, str] = {}
    open_periods: dict[int, list[_Open]] = {}
    for due, status, done_at, task_id, code, deadline_kind, _position in rows:
        if status is TaskStatus.DONE:
            if done_at is not None and done_at >= week_ago:
                done_week += 1
            continue
        if status is TaskStatus.AWAITING_DIRECTION:
            awaiting.append(code)
            continue
        if status is TaskStatus.CANCELLED:
            continue
        open_periods.setdefault(task_id, []).append(_Open(due, status, code, deadline_kind))
    for task_id, periods in open_periods.items():  # a task once, by the period that counts
        counted = counting_occurrence(periods)
        assert counted is not None
        open_count += 1
        open_tasks[task_id] = counted.code
        if counted.status is TaskStatus.BLOCKED:
            blocked_count += 1
            blocked.append(counted.code)
        if counted.due is None:
            if counted.deadline_kind != "ongoing":
                unrecognised.append(counted.code)
            continue
        if is_overdue(counted, today):
            overdue.append((working_days_late(counted.due, today, calendar), counted.code))
        elif counted.due <= soon_until:
            soon.append(counted.code)
    overdue.sort(key=lambda item: -item[0])
    chair: dict[str, object] = {
        "open": open_count,
        "overdue": len(overdue),
        "overdue_codes": _codes([code for _days, code in overdue])[:TOP],
        "soon": len(soon),
        "soon_codes": _codes(soon)[:TOP],
        "blocked": blocked_count,
        "blocked_codes": _codes(blocked)[:TOP],
        "awaiting": len(awaiting),
        "done_week": done_week,
    }
    people = People.load(session, [org_id], open_tasks)
    unassigned = [
        code for task_id, code in open_tasks.items() if people.of_task(task_id).is_unassigned
    ]
    admin: dict[str, object] | None = None
    if awaiting or unrecognised or unassigned:
        admin = {
            "awaiting_codes": _codes(awaiting),
            "unrecognised_codes": _codes(unrecognised),
            "unassigned_codes": _codes(unassigned),
        }
    return WeeklySummary(chair=chair, admin=admin)
