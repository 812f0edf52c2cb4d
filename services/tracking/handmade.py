"""Tasks given by hand (in a meeting, in chat: "giao anh Minh rà soát thủ tục hành chính, xong
trước 15/12"), and what the chair and the admins change on any task one at a time: give, assign
(or reassign) its lead units, re-date, cancel, reopen.

- A hand-made task belongs to a plan when one is named, else to the organization's `manual`
  plan, which people read as "no plan". Its code is "V1", "V2"… in that plan.
- A deadline is a phrase, read by the plans' deadline grammar ("trước 15/12", "Quý I/2026",
  "Hằng quý") and then as a reply's date ("thứ sáu tuần sau", "3 ngày nữa"); the adapters echo
  the date back before it is stored (`services.tracking.typed_deadlines.read_deadline`
  first, then the use case).
- Every change is a `TaskEvent` by whom and through which channel; the officers of the units
  concerned are told through the outbox when a task is given to them, moved, cancelled or
  reopened after being cancelled.
"""

import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from locales import N_
from models import (
    AssignmentRole,
    Channel,
    EventKind,
    Occurrence,
    Officer,
    Plan,
    Share,
    Task,
    TaskAssignment,
    TaskStatus,
    Unit,
)
from plans.deadlines import Deadline, DeadlineKind
from services.access import access_task, require_manager
from services.clock import Clock
from services.errors import (
    AlreadyCancelled,
    DomainError,
    DoneNotCancellable,
    EmptyText,
    NotCancelled,
    TaskCancelled,
)
from services.reminding.outbox import line
from services.reminding.reminders import schedule_occurrences
from services.tracking.shares import ensure_shares, settle
from services.tracking.task_changes import (
    Given,
    given,
    lead_units,
    show,
    tell,
    unit_of,
    units_in,
)
from services.tracking.tasks import iso, record_event

logger = logging.getLogger(__name__)

MAX_TITLE = 1000
CODE_PREFIX = "V"


class NoLeadUnit(DomainError):
    msgid = N_("A task needs at least one lead unit.")


def manual_plan(session: Session, org_id: int, now: datetime) -> Plan:
    """The organization's plan of hand-made tasks, made on first use (flushed)."""
    plan = session.exec(
        select(Plan).where(Plan.organization_id == org_id, col(Plan.manual).is_(True))
    ).first()
    if plan is None:
        plan = Plan(
            organization_id=org_id,
            source_name="",
            sha256=f"manual:{org_id}"[:64],
            imported_at=now,
            manual=True,
        )
        session.add(plan)
        session.flush()
    return plan


def give_task(
    session: Session,
    clock: Clock,
    actor: Officer,
    *,
    title: str,
    lead_unit_ids: Sequence[int],
    coordinator_unit_ids: Sequence[int] = (),
    deadline: Deadline | None = None,
    plan_id: int | None = None,
    via: Channel,
) -> Given:
    """Create a task by hand (the chair and the admins); its lead units' officers are told."""
    require_manager(actor)
    title = " ".join(title.split())[:MAX_TITLE]
    if not title:
        raise EmptyText()
    leads = units_in(session, actor, lead_unit_ids)
    if not leads:
        raise NoLeadUnit()
    coordinators = [u for u in units_in(session, actor, coordinator_unit_ids) if u not in leads]
    now = clock.now()
    plan = _plan_for(session, actor, plan_id, now)
    assert plan.id is not None
    deadline = deadline or Deadline("", DeadlineKind.UNRECOGNISED)
    task = Task(
        plan_id=plan.id,
        code=_next_code(session, plan),
        position=_next_position(session, plan),
        title=title,
        lead_text=", ".join(u.name for u in leads),
        coordinators_text=", ".join(u.name for u in coordinators),
    )
    _apply_deadline(task, deadline)
    session.add(task)
    session.flush()
    assert task.id is not None
    for unit in leads:
        session.add(TaskAssignment(task_id=task.id, unit_id=unit.id, role=AssignmentRole.LEAD))
    for unit in coordinators:
        session.add(
            TaskAssignment(task_id=task.id, unit_id=unit.id, role=AssignmentRole.COORDINATOR)
        )
    occurrences = _occurrences(task, deadline)
    session.add_all(occurrences)
    session.flush()
    ensure_shares(session, occurrences)
    event = record_event(
        session, now, actor, task, EventKind.CREATED, via=via,
        payload={"deadline": deadline.text, "due": iso(task.due), "units": [u.name for u in leads],
         "by_hand": True},
    )  # fmt: skip
    schedule_occurrences(session, clock, occurrences)
    due = show(task.due)
    tell(
        session, clock, leads, f"given:{event.id}",
        line(
            N_("📌 {chair} gives your unit task {code} “{title}”, due {due}."),
            chair=actor.name, code=task.code, title=task.title, due=due,
        ),
    )  # fmt: skip
    tell(
        session, clock, coordinators, f"given:{event.id}",
        line(
            N_("📌 {chair} asks your unit to coordinate task {code} “{title}”, due {due}."),
            chair=actor.name, code=task.code, title=task.title, due=due,
        ),
    )  # fmt: skip
    session.commit()
    logger.info("task %s given by hand by officer %s via %s", task.id, actor.id, via)
    return given(task, leads)


def redate(
    session: Session,
    clock: Clock,
    actor: Officer,
    task_id: int,
    *,
    deadline: Deadline,
    via: Channel,
) -> Given:
    """Give a task a new deadline (the chair and the admins): its open periods move, its lead
    units' officers are told, reminders follow the new date."""
    require_manager(actor)
    task = access_task(session, actor, task_id)
    if task.status is TaskStatus.CANCELLED:
        raise TaskCancelled(ref=task.code)
    old_text, old_due = task.deadline_text, task.due
    now = clock.now()
    _apply_deadline(task, deadline)
    session.add(task)
    occurrences = list(session.exec(select(Occurrence).where(Occurrence.task_id == task.id)))
    done_dues = {o.due for o in occurrences if o.status is TaskStatus.DONE}
    open_ones = [o for o in occurrences if o.status is not TaskStatus.DONE]
    if deadline.kind is not DeadlineKind.RECURRING and len(open_ones) == 1:
        open_ones[0].due = deadline.due
        open_ones[0].period_start = deadline.starts
        open_ones[0].snoozed_until = None
        session.add(open_ones[0])
        fresh = open_ones
    else:
        for occurrence in open_ones:
            session.delete(occurrence)
        session.flush()
        fresh = [o for o in _occurrences(task, deadline) if o.due not in done_dues]
        session.add_all(fresh)
        session.flush()
        ensure_shares(session, fresh)
    settle(session, task)
    event = record_event(
        session, now, actor, task, EventKind.UPDATED, via=via,
        payload={"deadline": [old_text, deadline.text], "due": [iso(old_due), iso(task.due)]},
    )  # fmt: skip
    schedule_occurrences(session, clock, fresh)
    leads = lead_units(session, task)
    tell(
        session, clock, leads, f"redated:{event.id}",
        line(
            N_("📅 {chair} moved the deadline of task {code} “{title}” to {due}."),
            chair=actor.name, code=task.code, title=task.title, due=show(task.due),
        ),
    )  # fmt: skip
    session.commit()
    return given(task, leads)


def assign(
    session: Session,
    clock: Clock,
    actor: Officer,
    task_id: int,
    *,
    unit_ids: Sequence[int],
    via: Channel,
) -> Given:
    """Make `unit_ids` the task's lead units (the chair and the admins): a task waiting for a
    lead gets one, a task moved leaves the units it had, a coordinator made a lead is a lead
    only (with its share); units added and removed are told."""
    require_manager(actor)
    task = access_task(session, actor, task_id)
    if task.status is TaskStatus.CANCELLED:
        raise TaskCancelled(ref=task.code)
    wanted = units_in(session, actor, unit_ids)
    if not wanted:
        raise NoLeadUnit()
    now = clock.now()
    current = list(
        session.exec(
            select(TaskAssignment).where(
                TaskAssignment.task_id == task.id, TaskAssignment.role == AssignmentRole.LEAD
            )
        )
    )
    wanted_ids = {u.id for u in wanted}
    removed = [a for a in current if a.unit_id not in wanted_ids or a.unit_id is None]
    kept = {a.unit_id for a in current if a not in removed}
    added = [u for u in wanted if u.id not in kept]
    removed_units = [u for a in removed if (u := unit_of(session, a)) is not None]
    for assignment in removed:
        for share in session.exec(select(Share).where(Share.assignment_id == assignment.id)):
            session.delete(share)
        session.delete(assignment)
    session.flush()
    assert task.id is not None
    promoted = list(
        session.exec(
            select(TaskAssignment).where(
                TaskAssignment.task_id == task.id,
                TaskAssignment.role == AssignmentRole.COORDINATOR,
                col(TaskAssignment.unit_id).in_([u.id for u in added]),
            )
        )
    )
    for assignment in promoted:  # a coordinator made a lead leads only
        session.delete(assignment)
    session.flush()
    for unit in added:
        session.add(TaskAssignment(task_id=task.id, unit_id=unit.id, role=AssignmentRole.LEAD))
    task.lead_text = ", ".join(u.name for u in wanted)
    if promoted:
        task.coordinators_text = ", ".join(u.name for u in _coordinators(session, task))
    session.flush()
    occurrences = list(session.exec(select(Occurrence).where(Occurrence.task_id == task.id)))
    for occurrence in occurrences:
        if occurrence.status is TaskStatus.AWAITING_DIRECTION:
            occurrence.status = TaskStatus.OPEN
    if task.status is TaskStatus.AWAITING_DIRECTION:
        task.status = TaskStatus.OPEN
    ensure_shares(session, occurrences)
    settle(session, task)
    event = record_event(
        session, now, actor, task, EventKind.UPDATED, via=via,
        payload={"lead": [[u.name for u in removed_units], [u.name for u in added]]},
    )  # fmt: skip
    schedule_occurrences(session, clock, occurrences)
    tell(
        session, clock, added, f"assigned:{event.id}",
        line(
            N_("📌 {chair} gives your unit task {code} “{title}”, due {due}."),
            chair=actor.name, code=task.code, title=task.title, due=show(task.due),
        ),
    )  # fmt: skip
    tell(
        session, clock, removed_units, f"moved:{event.id}",
        line(
            N_("↪️ {chair} moved task {code} “{title}” from your unit to {units}."),
            chair=actor.name, code=task.code, title=task.title,
            units=", ".join(u.name for u in wanted),
        ),
    )  # fmt: skip
    session.commit()
    return given(task, wanted)


def cancel(
    session: Session,
    clock: Clock,
    actor: Officer,
    task_id: int,
    *,
    reason: str,
    via: Channel,
) -> Given:
    """Cancel a task for `reason` (the chair and the admins): its reminders stop, its units'
    officers are told; its history stays."""
    require_manager(actor)
    task = access_task(session, actor, task_id)
    reason = " ".join(reason.split())
    if not reason:
        raise EmptyText()
    if task.status is TaskStatus.CANCELLED:
        raise AlreadyCancelled(ref=task.code)
    if task.status is TaskStatus.DONE:
        raise DoneNotCancellable(ref=task.code)
    now = clock.now()
    occurrences = list(session.exec(select(Occurrence).where(Occurrence.task_id == task.id)))
    parts = ensure_shares(session, occurrences)
    for occurrence in occurrences:
        if occurrence.status is TaskStatus.DONE:
            continue
        occurrence.status = TaskStatus.CANCELLED
        occurrence.next_reminder_at = None
        session.add(occurrence)
        for part in parts.get(occurrence.id or 0, []):
            if part.share.status is not TaskStatus.DONE:
                part.share.status = TaskStatus.CANCELLED
                session.add(part.share)
    task.status = TaskStatus.CANCELLED
    session.add(task)
    settle(session, task)
    event = record_event(
        session, now, actor, task, EventKind.CANCELLED, via=via, payload={"reason": reason}
    )
    leads = lead_units(session, task)
    tell(
        session, clock, leads, f"cancelled:{event.id}",
        line(
            N_("✖️ {chair} cancelled task {code} “{title}”: {reason}"),
            chair=actor.name, code=task.code, title=task.title, reason=reason,
        ),
    )  # fmt: skip
    session.commit()
    return given(task, leads)


def uncancel(
    session: Session, clock: Clock, actor: Officer, task_id: int, *, via: Channel
) -> Given:
    """Open a cancelled task again (the chair and the admins): reminders resume, its lead
    units' officers are told."""
    require_manager(actor)
    task = access_task(session, actor, task_id)
    if task.status is not TaskStatus.CANCELLED:
        raise NotCancelled(ref=task.code)
    now = clock.now()
    occurrences = list(session.exec(select(Occurrence).where(Occurrence.task_id == task.id)))
    parts = ensure_shares(session, occurrences)
    for occurrence in occurrences:
        if occurrence.status is TaskStatus.CANCELLED:
            occurrence.status = TaskStatus.OPEN
            session.add(occurrence)
        for part in parts.get(occurrence.id or 0, []):
            if part.share.status is TaskStatus.CANCELLED:
                part.share.status = TaskStatus.OPEN
                session.add(part.share)
    task.status = TaskStatus.OPEN
    session.add(task)
    settle(session, task)
    event = record_event(
        session, now, actor, task, EventKind.REOPENED, via=via, payload={"cancelled": False}
    )
    schedule_occurrences(session, clock, occurrences)
    leads = lead_units(session, task)
    tell(
        session, clock, leads, f"uncancelled:{event.id}",
        line(
            N_("🔄 {chair} reopened the cancelled task {code} “{title}”, due {due}."),
            chair=actor.name, code=task.code, title=task.title, due=show(task.due),
        ),
    )  # fmt: skip
    session.commit()
    return given(task, leads)


# --- helpers -------------------------------------------------------------------------------


def _coordinators(session: Session, task: Task) -> list[Unit]:
    return list(
        session.exec(
            select(Unit)
            .join(TaskAssignment, col(TaskAssignment.unit_id) == Unit.id)
            .where(
                TaskAssignment.task_id == task.id,
                TaskAssignment.role == AssignmentRole.COORDINATOR,
            )
            .order_by(col(TaskAssignment.id))
        )
    )


def _plan_for(session: Session, actor: Officer, plan_id: int | None, now: datetime) -> Plan:
    if plan_id is None:
        return manual_plan(session, actor.organization_id, now)
    plan = session.get(Plan, plan_id)
    if plan is None or plan.organization_id != actor.organization_id:
        return manual_plan(session, actor.organization_id, now)
    return plan


def _next_code(session: Session, plan: Plan) -> str:
    codes = session.exec(select(Task.code).where(Task.plan_id == plan.id)).all()
    numbers = [
        int(code[len(CODE_PREFIX) :])
        for code in codes
        if code.startswith(CODE_PREFIX) and code[len(CODE_PREFIX) :].isdecimal()
    ]
    return f"{CODE_PREFIX}{max(numbers, default=0) + 1}"


def _next_position(session: Session, plan: Plan) -> int:
    positions = session.exec(select(Task.position).where(Task.plan_id == plan.id)).all()
    return max(positions, default=0) + 1


def _apply_deadline(task: Task, deadline: Deadline) -> None:
    task.deadline_text = deadline.text
    task.deadline_kind = deadline.kind.value
    task.due = deadline.due
    task.starts = deadline.starts
    task.recurrence = deadline.recurrence.value if deadline.recurrence else None


def _occurrences(task: Task, deadline: Deadline) -> list[Occurrence]:
    assert task.id is not None
    if deadline.kind is DeadlineKind.RECURRING and deadline.recurrence is not None:
        dates = deadline.occurrences()
        if dates:
            return [
                Occurrence(task_id=task.id, due=due, period_start=_period_start(dates, due))
                for due in dates
            ]
    return [Occurrence(task_id=task.id, due=deadline.due, period_start=deadline.starts)]


def _period_start(dates: list[date], due: date) -> date | None:
    """A period begins the day after the one before it ends."""
    before = [d for d in dates if d < due]
    return max(before) + timedelta(days=1) if before else None
