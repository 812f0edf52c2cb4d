"""What an officer does to a task (one occurrence of it): done, progress, blocker, resolve,
snooze, comment. Each use case authorises, changes the state, writes its `TaskEvent` and
commits once; blockers reach the chair and the admins through the outbox at once, a task done
reaches the chair."""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from locales import N_
from models import Channel, EventKind, Occurrence, Officer, Role, Task, TaskEvent, TaskStatus
from services.access import access_occurrence
from services.clock import Clock
from services.errors import AlreadyDone, BadPercent, DateInPast, EmptyText, NotBlocked
from services.reminding.notices import line, managers_of, notify
from services.reminding.reminders import schedule_occurrences

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

    @classmethod
    def of(cls, occurrence: Occurrence, task: Task) -> "TaskRef":
        """The reference of `occurrence` of `task`."""
        assert occurrence.id is not None
        assert task.id is not None
        return cls(
            occurrence_id=occurrence.id,
            task_id=task.id,
            code=task.code,
            title=task.title,
            due=occurrence.due,
            status=occurrence.status,
            progress=task.progress,
        )


def mark_done(
    session: Session, clock: Clock, actor: Officer, occurrence_id: int, *, via: Channel
) -> TaskRef:
    """Close an occurrence (and its task when no other occurrence is open)."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if occurrence.status is TaskStatus.DONE:
        raise AlreadyDone(ref=task.code)
    now = clock.now()
    occurrence.status = TaskStatus.DONE
    occurrence.done_at = now
    occurrence.snoozed_until = None
    if not _other_open(session, occurrence):
        task.status = TaskStatus.DONE
        task.progress = 100
    event = _record(session, clock, actor, occurrence, EventKind.DONE, via=via)
    reschedule(session, clock, [occurrence])
    for chair in managers_of(session, actor.organization_id):
        if chair.role is Role.CHAIR and chair.id != actor.id:
            notify(
                session,
                clock,
                chair,
                key=f"done:{event.id}",
                lines=[
                    line(
                        N_("✅ {officer} has finished task {code} “{title}”."),
                        officer=actor.name,
                        code=task.code,
                        title=task.title,
                    )
                ],
            )
    session.commit()
    logger.info("occurrence %s done by officer %s via %s", occurrence.id, actor.id, via)
    return TaskRef.of(occurrence, task)


def record_progress(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    percent: int,
    comment: str | None = None,
    via: Channel,
) -> TaskRef:
    """Record how far the task is (0–100 %) with an optional comment."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if not 0 <= percent <= 100:
        raise BadPercent()
    if occurrence.status is TaskStatus.DONE:
        raise AlreadyDone(ref=task.code)
    task.progress = percent
    payload: dict[str, object] = {"percent": percent}
    if comment and comment.strip():
        payload["comment"] = _clean(comment)
    _record(session, clock, actor, occurrence, EventKind.PROGRESS, via=via, payload=payload)
    session.commit()
    return TaskRef.of(occurrence, task)


def report_blocker(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    reason: str,
    via: Channel,
) -> TaskRef:
    """Mark the occurrence blocked for `reason`; the chair and the admins are told at once."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    reason = _clean(reason)
    if occurrence.status is TaskStatus.DONE:
        raise AlreadyDone(ref=task.code)
    occurrence.status = TaskStatus.BLOCKED
    task.status = TaskStatus.BLOCKED
    event = _record(
        session, clock, actor, occurrence, EventKind.BLOCKER_REPORTED, via=via,
        payload={"reason": reason},
    )  # fmt: skip
    for manager in managers_of(session, actor.organization_id):
        if manager.id == actor.id:
            continue
        notify(
            session,
            clock,
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
    return TaskRef.of(occurrence, task)


def resolve_blocker(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    note: str | None = None,
    via: Channel,
) -> TaskRef:
    """Lift the occurrence's blocker; the task is open again."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if occurrence.status is not TaskStatus.BLOCKED:
        raise NotBlocked(ref=task.code)
    occurrence.status = TaskStatus.OPEN
    if task.status is TaskStatus.BLOCKED:
        task.status = TaskStatus.OPEN
    payload: dict[str, object] = {"note": _clean(note)} if note and note.strip() else {}
    _record(
        session, clock, actor, occurrence, EventKind.BLOCKER_RESOLVED, via=via, payload=payload
    )
    reschedule(session, clock, [occurrence])
    session.commit()
    return TaskRef.of(occurrence, task)


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
        raise DateInPast(date=until.strftime("%d/%m/%Y %H:%M"))
    occurrence.snoozed_until = until
    _record(
        session, clock, actor, occurrence, EventKind.SNOOZED, via=via,
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
    _record(
        session, clock, actor, occurrence, EventKind.COMMENT, via=via,
        payload={"text": _clean(text)},
    )  # fmt: skip
    session.commit()
    return TaskRef.of(occurrence, task)


def reschedule(session: Session, clock: Clock, occurrences: list[Occurrence]) -> None:
    """Recompute when the scan looks at `occurrences` next (the reminder engine decides)."""
    schedule_occurrences(session, clock.now(), occurrences)


def record_event(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence: Occurrence,
    kind: EventKind,
    *,
    via: Channel | None,
    payload: dict[str, object] | None = None,
) -> TaskEvent:
    """Append one event to the task's history (flushed, not committed)."""
    return _record(session, clock, actor, occurrence, kind, via=via, payload=payload)


def _record(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence: Occurrence,
    kind: EventKind,
    *,
    via: Channel | None,
    payload: dict[str, object] | None = None,
) -> TaskEvent:
    event = TaskEvent(
        task_id=occurrence.task_id,
        occurrence_id=occurrence.id,
        officer_id=actor.id,
        kind=kind,
        channel=via,
        at=clock.now(),
        payload=payload or {},
    )
    session.add(event)
    session.flush()
    return event


def _other_open(session: Session, occurrence: Occurrence) -> bool:
    return (
        session.exec(
            select(Occurrence.id).where(
                Occurrence.task_id == occurrence.task_id,
                col(Occurrence.id) != occurrence.id,
                col(Occurrence.status).not_in([TaskStatus.DONE, TaskStatus.CANCELLED]),
            )
        ).first()
        is not None
    )


def _clean(text: str | None) -> str:
    cleaned = " ".join((text or "").split())[:MAX_TEXT]
    if not cleaned:
        raise EmptyText()
    return cleaned
