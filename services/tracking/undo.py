"""Taking back a change made from chat, exactly.

Before a change from chat (done, progress, a blocker or its lifting, an extension request, a
snooze) the conversation takes a `checkpoint` of the task: the occurrence (status, completion,
snooze), the task (status, progress), and each lead unit's share and assignment. After it,
`offer_undo` issues the "↩️ Hoàn tác" token naming the change's events and keeping the
checkpoint; the token lives 30 minutes of real time (`wall`, never an accelerated demo clock).
`undo` restores the checkpoint as it was — and so the reminders, recomputed from it — records
an `undone` event naming the events taken back, and drops what the change queued for others if
it has not gone out yet. A change followed by another one can no longer be undone.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import (
    ActionToken,
    Channel,
    EventKind,
    Officer,
    Outbox,
    OutboxKind,
    OutboxState,
    Share,
    TaskAssignment,
    TaskEvent,
    TaskStatus,
    TokenSubject,
)
from services.access import access_occurrence, issue_token, redeem_token
from services.clock import Clock
from services.errors import ChangedSince, NothingToUndo
from services.tracking.tasks import TaskRef, iso, record_event, reschedule

logger = logging.getLogger(__name__)

# Events that do not change what a task is: they do not stand in the way of an undo.
_QUIET: Final = frozenset((EventKind.COMMENT, EventKind.EVIDENCE, EventKind.REMINDED))
# The notices a change queues for others, by the key prefix `services` gives them.
_NOTICES: Final = {
    EventKind.DONE: "done",
    EventKind.BLOCKER_REPORTED: "blocker",
    EventKind.EXTENSION_REQUESTED: "extension",
}


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A task as it was before a change: what `undo` restores."""

    occurrence_id: int
    last_event: int
    state: dict[str, object]


@dataclass(frozen=True, slots=True)
class Undone:
    """What an undo took back: the change's kind, and the task as it is again."""

    kind: EventKind
    task: TaskRef


def checkpoint(session: Session, actor: Officer, occurrence_id: int) -> Checkpoint:
    """The occurrence's state now, before `actor` changes it (`TaskNotFound` if not theirs)."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    last = session.exec(
        select(TaskEvent.id)
        .where(TaskEvent.occurrence_id == occurrence_id)
        .order_by(col(TaskEvent.id).desc())
    ).first()
    assignments = session.exec(
        select(TaskAssignment).where(TaskAssignment.task_id == task.id)
    ).all()
    shares = session.exec(select(Share).where(Share.occurrence_id == occurrence_id)).all()
    state: dict[str, object] = {
        "status": occurrence.status.value,
        "done_at": iso(occurrence.done_at),
        "snoozed_until": iso(occurrence.snoozed_until),
        "task_status": task.status.value,
        "progress": task.progress,
        "assignments": {
            str(a.id): [a.status.value, a.progress, iso(a.done_at)] for a in assignments
        },
        "shares": {str(s.id): [s.status.value, iso(s.done_at)] for s in shares},
    }
    return Checkpoint(occurrence_id=occurrence_id, last_event=last or 0, state=state)


def offer_undo(session: Session, wall: Clock, actor: Officer, before: Checkpoint) -> str | None:
    """The undo token for what `actor` just changed since `before` (flushed, not committed);
    None when nothing changed."""
    events = session.exec(
        select(TaskEvent.id, TaskEvent.officer_id).where(
            TaskEvent.occurrence_id == before.occurrence_id,
            col(TaskEvent.id) > before.last_event,
        )
    ).all()
    mine = [event_id for event_id, officer_id in events if officer_id == actor.id and event_id]
    if not mine or len(mine) != len(events):
        return None
    return issue_token(
        session,
        wall,
        actor,
        TokenSubject.UNDO,
        occurrence_id=before.occurrence_id,
        event_id=max(mine),
        data={"events": mine, "before": before.state, "last": before.last_event},
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
    if row.occurrence_id is None or not isinstance(row.data.get("before"), dict):
        raise NothingToUndo()
    occurrence, task = access_occurrence(session, actor, row.occurrence_id)
    taken = [int(str(i)) for i in _list(row.data.get("events"))]
    later = session.exec(
        select(TaskEvent).where(
            TaskEvent.occurrence_id == occurrence.id,
            col(TaskEvent.id) > int(str(row.data["last"])),
        )
    ).all()
    # Changes taken back since (and their `undone` events) do not stand in the way: undoing
    # twice takes back the change before the last one.
    undone = {int(str(i)) for e in later if e.kind is EventKind.UNDONE for i in _undid(e)}
    standing = [
        e
        for e in later
        if e.kind not in _QUIET
        and e.kind is not EventKind.UNDONE
        and e.id not in taken
        and e.id not in undone
    ]
    if standing:
        raise ChangedSince(ref=task.code)
    changes = [session.get(TaskEvent, event_id) for event_id in taken]
    kinds = [event.kind for event in changes if event is not None]
    before = row.data["before"]
    assert isinstance(before, dict)
    occurrence.status = TaskStatus(str(before["status"]))
    occurrence.done_at = _moment(before.get("done_at"))
    occurrence.snoozed_until = _moment(before.get("snoozed_until"))
    task.status = TaskStatus(str(before["task_status"]))
    progress = before.get("progress")
    task.progress = progress if isinstance(progress, int) else task.progress
    _restore_units(session, occurrence.id, before)
    session.add_all([occurrence, task])
    record_event(
        session, clock.now(), actor, occurrence, EventKind.UNDONE, via=via,
        payload={"undid": taken, "kind": kinds[0].value if kinds else None},
    )  # fmt: skip
    session.delete(row)
    for event in changes:
        if event is not None:
            _drop_unsent_notices(session, event)
    reschedule(session, clock, [occurrence])
    session.commit()
    logger.info("events %s undone by officer %s", taken, actor.id)
    return Undone(kind=kinds[0] if kinds else EventKind.UPDATED, task=TaskRef.of(occurrence, task))


def _restore_units(
    session: Session, occurrence_id: int | None, before: dict[object, object]
) -> None:
    assignments = before.get("assignments")
    if isinstance(assignments, dict):
        for key, (status, progress, done_at) in assignments.items():
            assignment = session.get(TaskAssignment, int(key))
            if assignment is not None:
                assignment.status = TaskStatus(status)
                assignment.progress = int(progress)
                assignment.done_at = _moment(done_at)
                session.add(assignment)
    shares = before.get("shares")
    saved = shares if isinstance(shares, dict) else {}
    for share in session.exec(select(Share).where(Share.occurrence_id == occurrence_id)).all():
        kept = saved.get(str(share.id))
        if kept is None:  # made by the change taken back (shares are made when first needed)
            session.delete(share)
            continue
        status, done_at = kept
        share.status = TaskStatus(status)
        share.done_at = _moment(done_at)
        session.add(share)


@dataclass(frozen=True, slots=True)
class Undoable:
    """A change `actor` may still take back: its undo token and the task it changed."""

    token: str
    occurrence_id: int
    code: str


def undoable(session: Session, wall: Clock, actor: Officer) -> list[Undoable]:
    """`actor`'s changes that can still be taken back, the latest first, one per occurrence."""
    rows = session.exec(_live_undo_tokens(wall, actor)).all()
    found: dict[int, Undoable] = {}
    for row in rows:
        if row.occurrence_id is None or row.occurrence_id in found:
            continue
        _, task = access_occurrence(session, actor, row.occurrence_id)
        found[row.occurrence_id] = Undoable(row.token, row.occurrence_id, task.code)
    return list(found.values())


def _live_undo_tokens(wall: Clock, actor: Officer) -> SelectOfScalar[ActionToken]:
    """`actor`'s undo tokens that have not expired, the latest first."""
    return (
        select(ActionToken)
        .where(
            ActionToken.officer_id == actor.id,
            ActionToken.subject == TokenSubject.UNDO,
            col(ActionToken.expires_at) > wall.now(),
        )
        .order_by(col(ActionToken.id).desc())
    )


def _latest(session: Session, wall: Clock, actor: Officer) -> ActionToken:
    row = session.exec(_live_undo_tokens(wall, actor)).first()
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


def _undid(event: TaskEvent) -> list[object]:
    undid = event.payload.get("undid")
    return undid if isinstance(undid, list) else [undid]


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
