"""The weekly summaries: where the organization's tasks stand, for the chair, and what only the
office can fix (tasks awaiting direction, deadlines not understood, nobody to remind), for the
admins. Computed once a week per organization, so they may read every current task."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import Occurrence, Plan, Task, TaskStatus
from plans.calendar import WorkingCalendar
from services.reminding.recipients import People
from services.tracking.lateness import counting_occurrence, is_overdue, working_days_late

TOP = 5


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
