"""Taking back a change made from chat, and reopening a closed task.

Every change a person makes from chat (done, progress, blocker, lifting a blocker, an extension
request, a snooze) keeps in its event what the task was before (`tasks.snapshot`). For 30 minutes
of real time the person may undo it: `offer_undo` issues the "↩️ Hoàn tác" token (on the wall
clock, never the demo clock), `undo` restores the snapshot exactly (status, progress, blocker,
snooze and so the reminders), records an `undone` event naming the change, and drops what the
change queued for others if it has not gone out yet. A change followed by another one can no
longer be undone. The chair and the admins reopen a closed task (`reopen`): an event in its
history, and the reminders resume.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlmodel import Session, col, select

from models import (
    ActionToken,
    Channel,
    EventKind,
    Officer,
    Outbox,
    OutboxKind,
    OutboxState,
    TaskEvent,
    TaskStatus,
    TokenSubject,
)
from services.access import access_occurrence, require_manager
from services.clock import Clock
from services.errors import ChangedSince, NotClosed, NothingToUndo
from services.tokens import issue_token, redeem_token
from services.tracking.tasks import TaskRef, record_event, reschedule, snapshot

logger = logging.getLogger(__name__)

UNDOABLE: Final = frozenset(
    (
        EventKind.DONE,
        EventKind.PROGRESS,
        EventKind.BLOCKER_REPORTED,
        EventKind.BLOCKER_RESOLVED,
        EventKind.EXTENSION_REQUESTED,
        EventKind.SNOOZED,
    )
)
# Events that do not change what a task is: they do not stand in the way of an undo.
_QUIET: Final = frozenset((EventKind.COMMENT, EventKind.EVIDENCE, EventKind.REMINDED))
# The notices a change queues for others, by the key prefix `services` gives them.
_NOTICES: Final = {
    EventKind.DONE: "done",
    EventKind.BLOCKER_REPORTED: "blocker",
    EventKind.EXTENSION_REQUESTED: "extension",
}


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo took back: the change's kind, and the task as it is again."""

    kind: EventKind
    task: TaskRef


def offer_undo(session: Session, wall: Clock, actor: Officer, occurrence_id: int) -> str | None:
    """The undo token for `actor`'s last change to the occurrence, if it can be undone
    (flushed, not committed); it lives 30 minutes of `wall` time."""
    event = session.exec(
        select(TaskEvent)
        .where(TaskEvent.occurrence_id == occurrence_id)
        .order_by(col(TaskEvent.id).desc())
    ).first()
    if event is None or event.officer_id != actor.id or event.kind not in UNDOABLE:
        return None
    if "before" not in event.payload:
        return None
    return issue_token(
        session,
        wall,
        actor,
        TokenSubject.UNDO,
        occurrence_id=occurrence_id,
        event_id=event.id,
    )


def undo(
    session: Session,
    clock: Clock,
    wall: Clock,
    actor: Officer,
    *,
    token: str | None,
    via: Channel,
) -> Undone:
    """Take back the change `token` names, or (None) `actor`'s latest change that can still be
    undone; `NothingToUndo` when there is none."""
    row = (
        redeem_token(session, wall, actor, token, TokenSubject.UNDO)
        if token is not None
        else _latest(session, wall, actor)
    )
    event = session.get(TaskEvent, row.event_id) if row.event_id is not None else None
    if event is None or event.occurrence_id is None or event.officer_id != actor.id:
        raise NothingToUndo()
    occurrence, task = access_occurrence(session, actor, event.occurrence_id)
    later = session.exec(
        select(TaskEvent.kind).where(
            TaskEvent.occurrence_id == occurrence.id, col(TaskEvent.id) > event.id
        )
    ).all()
    if any(kind not in _QUIET for kind in later):
        raise ChangedSince(ref=task.code)
    before = event.payload["before"]
    assert isinstance(before, dict)
    occurrence.status = TaskStatus(str(before["status"]))
    occurrence.done_at = _moment(before.get("done_at"))
    occurrence.snoozed_until = _moment(before.get("snoozed_until"))
    task.status = TaskStatus(str(before["task_status"]))
    progress = before.get("progress")
    task.progress = progress if isinstance(progress, int) else task.progress
    record_event(
        session, clock, actor, occurrence, EventKind.UNDONE, via=via,
        payload={"undid": event.id, "kind": event.kind.value},
    )  # fmt: skip
    for used in session.exec(
        select(ActionToken).where(
            ActionToken.event_id == event.id, ActionToken.subject == TokenSubject.UNDO
        )
    ):
        session.delete(used)
    _drop_unsent_notices(session, event)
    reschedule(session, clock, [occurrence])
    session.commit()
    logger.info("event %s (%s) undone by officer %s", event.id, event.kind.value, actor.id)
    return Undone(kind=event.kind, task=TaskRef.of(occurrence, task))


def reopen(
    session: Session, clock: Clock, actor: Officer, occurrence_id: int, *, via: Channel | None
) -> TaskRef:
    """Open a closed occurrence again (the chair or an admin); its reminders resume."""
    require_manager(actor)
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if occurrence.status not in (TaskStatus.DONE, TaskStatus.CANCELLED):
        raise NotClosed(ref=task.code)
    before = snapshot(occurrence, task)
    occurrence.status = TaskStatus.OPEN
    occurrence.done_at = None
    if task.status in (TaskStatus.DONE, TaskStatus.CANCELLED):
        task.status = TaskStatus.OPEN
        task.progress = _progress_before_done(session, occurrence_id, task.progress)
    record_event(
        session, clock, actor, occurrence, EventKind.REOPENED, via=via,
        payload={"before": before},
    )  # fmt: skip
    reschedule(session, clock, [occurrence])
    session.commit()
    logger.info("occurrence %s reopened by officer %s", occurrence.id, actor.id)
    return TaskRef.of(occurrence, task)


def _latest(session: Session, wall: Clock, actor: Officer) -> ActionToken:
    row = session.exec(
        select(ActionToken)
        .where(
            ActionToken.officer_id == actor.id,
            ActionToken.subject == TokenSubject.UNDO,
            col(ActionToken.expires_at) > wall.now(),
        )
        .order_by(col(ActionToken.event_id).desc())
    ).first()
    if row is None:
        raise NothingToUndo()
    return row


def _drop_unsent_notices(session: Session, event: TaskEvent) -> None:
    prefix = _NOTICES.get(event.kind)
    if prefix is None:
        return
    key = f"{OutboxKind.NOTICE.value}:{prefix}:{event.id}:"
    for row in session.exec(
        select(Outbox).where(
            col(Outbox.idempotency_key).startswith(key), Outbox.state == OutboxState.PENDING
        )
    ):
        session.delete(row)


def _progress_before_done(session: Session, occurrence_id: int, progress: int) -> int:
    done = session.exec(
        select(TaskEvent)
        .where(TaskEvent.occurrence_id == occurrence_id, TaskEvent.kind == EventKind.DONE)
        .order_by(col(TaskEvent.id).desc())
    ).first()
    before = done.payload.get("before") if done is not None else None
    if isinstance(before, dict) and isinstance(before.get("progress"), int):
        value = before["progress"]
        assert isinstance(value, int)
        return value
    return progress


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None
