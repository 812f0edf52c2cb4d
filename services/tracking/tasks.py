"""What an officer does to a task (one occurrence of it): done, progress, blocker, resolve,
snooze, comment, and the chair's reopen. Each use case authorises, changes the state, writes its
`TaskEvent` and commits once; blockers reach the chair and the admins through the outbox at once,
a task done reaches the chair (its admins when the ward has none: `access.chairs_of`).

Done, progress and blockers are about a *share*: the part of the acting officer's unit (or of
the unit named), so one unit's "xong" leaves a task led by several units open for the others;
the chair, an admin or a coordinator acting without naming a unit acts on every share."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from locales import N_
from models import (
    CLOSED_STATUSES,
    Channel,
    EventKind,
    Occurrence,
    Officer,
    Task,
    TaskEvent,
    TaskStatus,
    Unit,
)
from services.access import (
    access_occurrence,
    chairs_of,
    is_manager,
    managers_of,
    require_manager,
    unit_ids_of,
)
from services.clock import Clock
from services.errors import (
    AlreadyDone,
    BadPercent,
    DateInPast,
    EmptyText,
    NotBlocked,
    NotDone,
    TaskCancelled,
    UnitNotLead,
)
from services.reminding.outbox import line, notify
from services.reminding.reminders import schedule_occurrences
from services.tracking.progress_history import restore_progress
from services.tracking.shares import Part, acting_parts, done_already, part_name, settle

logger = logging.getLogger(__name__)

MAX_TEXT = 1000


@dataclass(frozen=True, slots=True)
class TaskRef:
    """An occurrence as people read it: the task's code and title, its due date and status."""

    occurrence_id: int
    task_id: int
    code: str
    title: str
    due: date | None
    status: TaskStatus
    progress: int
    units_done: int = 0
    units_total: int = 0

    @classmethod
    def of(cls, occurrence: Occurrence, task: Task, parts: list[Part] | None = None) -> "TaskRef":
        """The reference of `occurrence` of `task` (with how many of its lead units are done,
        when `parts`, its shares, are given)."""
        assert occurrence.id is not None
        assert task.id is not None
        parts = parts or []
        return cls(
            occurrence_id=occurrence.id,
            task_id=task.id,
            code=task.code,
            title=task.title,
            due=occurrence.due,
            status=occurrence.status,
            progress=task.progress,
            units_done=sum(p.share.status is TaskStatus.DONE for p in parts),
            units_total=len(parts),
        )


def mark_done(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    via: Channel,
    unit_id: int | None = None,
    whole: bool = False,
) -> TaskRef:
    """Close the actor's share of an occurrence (or the named unit's, or with `whole` every
    share); the occurrence and the task close when every lead unit is done."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    chosen, parts = _parts(session, actor, occurrence, task, unit_id, whole=whole)
    now = clock.now()
    todo = [p for p in chosen if p.share.status is not TaskStatus.DONE]
    if (parts and not todo) or (not parts and occurrence.status is TaskStatus.DONE):
        raise done_already(session, task, occurrence, chosen, parts)
    for part in todo:
        part.share.status = TaskStatus.DONE
        part.share.done_at = now
        session.add(part.share)
    if not parts:
        occurrence.status = TaskStatus.DONE
        occurrence.done_at = now
        occurrence.snoozed_until = None
        if not _other_open(session, occurrence):
            task.status = TaskStatus.DONE
            task.progress = 100
    settle(session, task)
    events = _record_parts(
        session, clock, actor, occurrence, EventKind.DONE, todo, via=via, among=parts
    )
    reschedule(session, clock, [occurrence])
    _tell_chair_done(session, clock, actor, task, occurrence, todo, parts, events[0])
    session.commit()
    logger.info("occurrence %s done by officer %s via %s", occurrence.id, actor.id, via)
    return TaskRef.of(occurrence, task, parts)


def _tell_chair_done(
    session: Session,
    clock: Clock,
    actor: Officer,
    task: Task,
    occurrence: Occurrence,
    todo: list[Part],
    parts: list[Part],
    event: TaskEvent,
) -> None:
    """The chair hears that a task is done, or which units remain when only a part is."""
    partial = occurrence.status is not TaskStatus.DONE and len(parts) > 1
    if partial:
        remaining = [part_name(session, p) for p in parts if p.share.status is not TaskStatus.DONE]
        message = line(
            N_(
                "✅ {officer} ({units}) has finished their part of task {code} “{title}”: "
                "{done}/{total} units done; still open: {remaining}."
            ),
            officer=actor.name,
            units=", ".join(part_name(session, p) for p in todo),
            code=task.code,
            title=task.title,
            done=len(parts) - len(remaining),
            total=len(parts),
            remaining=", ".join(remaining),
        )
    else:
        message = line(
            N_("✅ {officer} has finished task {code} “{title}”."),
            officer=actor.name,
            code=task.code,
            title=task.title,
        )
    for chair in chairs_of(session, actor.organization_id):
        if chair.id != actor.id:
            notify(session, clock.now(), chair, key=f"done:{event.id}", lines=[message])


def record_progress(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    percent: int,
    comment: str | None = None,
    via: Channel,
    unit_id: int | None = None,
) -> TaskRef:
    """Record how far the actor's share is (0–100 %) with an optional comment; the task's
    progress is the mean of its lead units'."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if not 0 <= percent <= 100:
        raise BadPercent()
    if occurrence.status is TaskStatus.DONE:
        raise AlreadyDone(ref=task.code)
    chosen, parts = _parts(session, actor, occurrence, task, unit_id)
    open_parts = [p for p in chosen if p.share.status is not TaskStatus.DONE]
    if parts and not open_parts:
        raise done_already(session, task, occurrence, chosen, parts)
    for part in open_parts:
        part.assignment.progress = percent
        session.add(part.assignment)
    if not parts:
        task.progress = percent
    settle(session, task)
    payload: dict[str, object] = {"percent": percent}
    if comment and comment.strip():
        payload["comment"] = _written(comment)
    _record_parts(
        session, clock, actor, occurrence, EventKind.PROGRESS, open_parts, via=via,
        payload=payload, among=parts,
    )  # fmt: skip
    session.commit()
    return TaskRef.of(occurrence, task, parts)


def report_blocker(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    reason: str,
    via: Channel,
    unit_id: int | None = None,
) -> TaskRef:
    """Mark the actor's share blocked for `reason`; the chair and the admins are told at once."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    reason = _written(reason)
    if occurrence.status is TaskStatus.DONE:
        raise AlreadyDone(ref=task.code)
    chosen, parts = _parts(session, actor, occurrence, task, unit_id)
    open_parts = [p for p in chosen if p.share.status is not TaskStatus.DONE]
    if parts and not open_parts:
        raise done_already(session, task, occurrence, chosen, parts)
    for part in open_parts:
        part.share.status = TaskStatus.BLOCKED
        session.add(part.share)
    occurrence.status = TaskStatus.BLOCKED
    task.status = TaskStatus.BLOCKED
    settle(session, task)
    events = _record_parts(
        session, clock, actor, occurrence, EventKind.BLOCKER_REPORTED, open_parts, via=via,
        payload={"reason": reason}, among=parts,
    )  # fmt: skip
    event = events[0]
    for manager in managers_of(session, actor.organization_id):
        if manager.id == actor.id:
            continue
        notify(
            session,
            clock.now(),
            manager,
            key=f"blocker:{event.id}",
            lines=[
                line(
                    N_("🚧 {officer} reports a blocker on task {code} “{title}”: {reason}"),
                    officer=actor.name,
                    code=task.code,
                    title=task.title,
                    reason=reason,
                )
            ],
        )
    session.commit()
    logger.info(
        "occurrence %s blocked by officer %s (event %s)", occurrence.id, actor.id, event.id
    )
    return TaskRef.of(occurrence, task, parts)


def resolve_blocker(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    note: str | None = None,
    via: Channel,
    unit_id: int | None = None,
) -> TaskRef:
    """Lift the blocker of the actor's share (or of every blocked share); the task is open
    again when no unit is blocked."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if occurrence.status is not TaskStatus.BLOCKED:
        raise NotBlocked(ref=task.code)
    chosen, parts = _parts(session, actor, occurrence, task, unit_id)
    blocked = [p for p in chosen if p.share.status is TaskStatus.BLOCKED] or [
        p for p in parts if p.share.status is TaskStatus.BLOCKED
    ]
    if parts and not blocked:
        raise NotBlocked(ref=task.code)
    for part in blocked:
        part.share.status = TaskStatus.OPEN
        session.add(part.share)
    if not parts:
        occurrence.status = TaskStatus.OPEN
        if task.status is TaskStatus.BLOCKED:
            task.status = TaskStatus.OPEN
    settle(session, task)
    payload: dict[str, object] = {"note": _written(note)} if note and note.strip() else {}
    _record_parts(
        session, clock, actor, occurrence, EventKind.BLOCKER_RESOLVED, blocked, via=via,
        payload=payload, among=parts,
    )  # fmt: skip
    reschedule(session, clock, [occurrence])
    session.commit()
    return TaskRef.of(occurrence, task, parts)


def reopen(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    via: Channel,
    unit_id: int | None = None,
    reason: str | None = None,
    whole: bool = False,
) -> TaskRef:
    """Open again a done occurrence (the named unit's share, or every done share) at the
    progress it had before it was closed: the chair and the admins only; reminders resume."""
    require_manager(actor)
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    chosen, parts = _parts(session, actor, occurrence, task, unit_id, whole=whole)
    done = [p for p in chosen if p.share.status is TaskStatus.DONE]
    if (parts and not done) or (not parts and occurrence.status is not TaskStatus.DONE):
        raise NotDone(ref=task.code)
    for part in done:
        part.share.status = TaskStatus.OPEN
        part.share.done_at = None
        session.add(part.share)
    if not parts:
        occurrence.status = TaskStatus.OPEN
        occurrence.done_at = None
    if task.status is TaskStatus.DONE:
        task.status = TaskStatus.OPEN
    restore_progress(session, occurrence, task, done)
    settle(session, task)
    payload: dict[str, object] = {"reason": _written(reason)} if reason and reason.strip() else {}
    _record_parts(
        session, clock, actor, occurrence, EventKind.REOPENED, done, via=via, payload=payload,
        among=parts,
    )  # fmt: skip
    reschedule(session, clock, [occurrence])
    session.commit()
    logger.info("occurrence %s reopened by officer %s via %s", occurrence.id, actor.id, via)
    return TaskRef.of(occurrence, task, parts)


def snooze(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    until: datetime,
    via: Channel,
) -> TaskRef:
    """Hold the occurrence's reminders until `until` (aware)."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if occurrence.status is TaskStatus.DONE:
        raise AlreadyDone(ref=task.code)
    if until <= clock.now():
        raise DateInPast(date=until.astimezone(clock.zone))
    occurrence.snoozed_until = until
    record_event(
        session, clock.now(), actor, occurrence, EventKind.SNOOZED, via=via,
        payload={"until": until.isoformat()},
    )  # fmt: skip
    reschedule(session, clock, [occurrence])
    session.commit()
    return TaskRef.of(occurrence, task)


def add_comment(
    session: Session, clock: Clock, actor: Officer, occurrence_id: int, *, text: str, via: Channel
) -> TaskRef:
    """Add a comment to the task's history."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    record_event(
        session, clock.now(), actor, occurrence, EventKind.COMMENT, via=via,
        payload={"text": _written(text)},
    )  # fmt: skip
    session.commit()
    return TaskRef.of(occurrence, task)


def reschedule(session: Session, clock: Clock, occurrences: list[Occurrence]) -> None:
    """Recompute when the scan looks at `occurrences` next (the reminder engine decides)."""
    schedule_occurrences(session, clock, occurrences)


def record_event(
    session: Session,
    at: datetime,
    actor: Officer | None,
    about: Occurrence | Task,
    kind: EventKind,
    *,
    via: Channel | None,
    payload: dict[str, object] | None = None,
    assignment_id: int | None = None,
) -> TaskEvent:
    """Append one event to a task's history, of one occurrence or (`about` a task) of the whole
    task, by `actor` (none: an import) through `via` (flushed, for its id; not committed)."""
    task_id = about.task_id if isinstance(about, Occurrence) else about.id
    assert task_id is not None
    event = TaskEvent(
        task_id=task_id,
        occurrence_id=about.id if isinstance(about, Occurrence) else None,
        assignment_id=assignment_id,
        officer_id=actor.id if actor else None,
        kind=kind,
        channel=via,
        at=at,
        payload=payload or {},
    )
    session.add(event)
    session.flush()
    return event


def iso(moment: date | None) -> str | None:
    """A date or an instant as a task's history stores it."""
    return moment.isoformat() if moment else None


def _record_parts(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence: Occurrence,
    kind: EventKind,
    parts: list[Part],
    *,
    via: Channel | None,
    payload: dict[str, object] | None = None,
    among: list[Part],
) -> list[TaskEvent]:
    """One event per share acted on (one for the occurrence when it has no share); when the
    task has several lead units, the payload names the unit."""
    if not parts:
        return [
            record_event(session, clock.now(), actor, occurrence, kind, via=via, payload=payload)
        ]
    events = []
    for part in parts:
        event = record_event(
            session, clock.now(), actor, occurrence, kind, via=via,
            payload={**(payload or {}), "unit": part_name(session, part)}
            if len(among) > 1
            else payload,
            assignment_id=part.assignment.id,
        )  # fmt: skip
        events.append(event)
    return events


def _parts(
    session: Session,
    actor: Officer,
    occurrence: Occurrence,
    task: Task,
    unit_id: int | None,
    *,
    whole: bool = False,
) -> tuple[list[Part], list[Part]]:
    """The shares an action is about (see `acting_parts`; `whole`, for a manager: every one),
    refusing a unit that does not lead the task or that an officer does not belong to."""
    if task.status is TaskStatus.CANCELLED:
        raise TaskCancelled(ref=task.code)
    mine = unit_ids_of(session, actor)
    chosen, parts = acting_parts(session, actor, occurrence, unit_ids=mine, unit_id=unit_id)
    if whole and unit_id is None:
        require_manager(actor)
        chosen = parts
    if unit_id is not None:
        allowed = is_manager(actor) or unit_id in mine
        if not chosen or not allowed:
            unit = session.get(Unit, unit_id)
            raise UnitNotLead(ref=task.code, unit=unit.name if unit else str(unit_id))
    return chosen, parts


def _other_open(session: Session, occurrence: Occurrence) -> bool:
    return (
        session.exec(
            select(Occurrence.id).where(
                Occurrence.task_id == occurrence.task_id,
                col(Occurrence.id) != occurrence.id,
                col(Occurrence.status).not_in(CLOSED_STATUSES),
            )
        ).first()
        is not None
    )


def _written(text: str | None) -> str:
    """What a person wrote, on one line and at most `MAX_TEXT` long; `EmptyText` for nothing."""
    cleaned = " ".join((text or "").split())[:MAX_TEXT]
    if not cleaned:
        raise EmptyText()
    return cleaned
