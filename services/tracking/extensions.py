"""Extension requests: an officer asks for a later due date with a reason, the chair or an admin
grants or denies it in chat, the officer is told, and the reminders follow the new date.

A request is its `EXTENSION_REQUESTED` event; the answer is an `EXTENSION_GRANTED` or
`EXTENSION_DENIED` event whose payload names the request, so the history stays append-only.
"""

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from locales import N_
from models import Channel, EventKind, Officer, Role, TaskEvent, TaskStatus, TokenSubject
from services.access import access_occurrence, issue_token, managers_of, require_manager
from services.clock import Clock, local_today
from services.errors import (
    AlreadyDone,
    ChairSetsDeadlines,
    DateInPast,
    EmptyText,
    ExtensionDecided,
    ExtensionNotLater,
    ExtensionPending,
    TaskCancelled,
    TaskNotFound,
)
from services.messages import Action, Button, Text
from services.reminding.outbox import line, notify
from services.tracking.tasks import TaskRef, record_event, reschedule

logger = logging.getLogger(__name__)

DECISIONS = (EventKind.EXTENSION_GRANTED, EventKind.EXTENSION_DENIED)


@dataclass(frozen=True, slots=True)
class ExtensionDecision:
    """The chair's answer: which task, whose request, the dates, granted or not."""

    task: TaskRef
    requester: str
    until: date
    granted: bool


def request_extension(
    session: Session,
    clock: Clock,
    actor: Officer,
    occurrence_id: int,
    *,
    until: date,
    reason: str,
    via: Channel,
) -> TaskRef:
    """Ask the chair to move the occurrence's due date to `until`, for `reason` (the chair
    herself is refused: she re-dates with /doihan)."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    if actor.role is Role.CHAIR:
        raise ChairSetsDeadlines()
    reason = " ".join(reason.split())
    if not reason:
        raise EmptyText()
    if occurrence.status is TaskStatus.DONE:
        raise AlreadyDone(ref=task.code)
    if task.status is TaskStatus.CANCELLED:
        raise TaskCancelled(ref=task.code)
    if until < local_today(clock):
        raise DateInPast(date=until)
    if occurrence.due is not None and until <= occurrence.due:
        raise ExtensionNotLater(ref=task.code, date=occurrence.due)
    assert occurrence.id is not None
    if pending_request(session, occurrence.id) is not None:
        raise ExtensionPending(ref=task.code)
    event = record_event(
        session, clock.now(), actor, occurrence, EventKind.EXTENSION_REQUESTED, via=via,
        payload={
            "until": until.isoformat(),
            "reason": reason,
            "from": occurrence.due.isoformat() if occurrence.due else None,
        },
    )  # fmt: skip
    for manager in managers_of(session, actor.organization_id):
        token = issue_token(session, clock, manager, TokenSubject.EXTENSION, event_id=event.id)
        notify(
            session,
            clock.now(),
            manager,
            key=f"extension:{event.id}",
            lines=[
                line(
                    N_(
                        "📅 {officer} asks to move task {code} “{title}” from {old} to {new}: "
                        "{reason}"
                    ),
                    officer=actor.name,
                    code=task.code,
                    title=task.title,
                    old=occurrence.due or "—",
                    new=until,
                    reason=reason,
                )
            ],
            buttons=[
                [
                    Button(Action.APPROVE, token, Text(N_("✅ Approve"))),
                    Button(Action.DENY, token, Text(N_("❌ Deny"))),
                ]
            ],
        )
    session.commit()
    return TaskRef.of(occurrence, task)


def decide_extension(
    session: Session,
    clock: Clock,
    actor: Officer,
    request_id: int,
    *,
    grant: bool,
    via: Channel,
) -> ExtensionDecision:
    """Grant or deny request `request_id` (chair or admin); the requester is told."""
    require_manager(actor)
    request = session.get(TaskEvent, request_id)
    if request is None or request.kind is not EventKind.EXTENSION_REQUESTED:
        raise TaskNotFound(ref=str(request_id))
    assert request.occurrence_id is not None
    try:
        occurrence, task = access_occurrence(session, actor, request.occurrence_id)
    except TaskNotFound:  # named by what was asked for: another ward's ids stay unknown
        raise TaskNotFound(ref=str(request_id)) from None
    if pending_request(session, request.occurrence_id) != request.id:
        raise ExtensionDecided()
    until = date.fromisoformat(str(request.payload["until"]))
    kind = EventKind.EXTENSION_GRANTED if grant else EventKind.EXTENSION_DENIED
    previous = occurrence.due
    if grant:
        occurrence.due = until
        if task.recurrence is None:
            task.due = until
    record_event(
        session, clock.now(), actor, occurrence, kind, via=via,
        payload={
            "request": request.id,
            "until": until.isoformat(),
            "from": previous.isoformat() if previous else None,
        },
    )  # fmt: skip
    requester = session.get(Officer, request.officer_id) if request.officer_id else None
    if requester is not None:
        msgid = (
            N_("✅ The chair moved task {code} “{title}” to {date}.")
            if grant
            else N_("❌ The chair kept task {code} “{title}” due on {date}.")
        )
        notify(
            session,
            clock.now(),
            requester,
            key=f"extension-decision:{request.id}",
            lines=[
                line(
                    msgid,
                    code=task.code,
                    title=task.title,
                    date=(until if grant else previous) or "—",
                )
            ],
        )
    reschedule(session, clock, [occurrence])
    session.commit()
    logger.info("extension request %s %s by officer %s", request.id, kind.value, actor.id)
    return ExtensionDecision(
        task=TaskRef.of(occurrence, task),
        requester=requester.name if requester else "—",
        until=until,
        granted=grant,
    )


def pending_request(session: Session, occurrence_id: int) -> int | None:
    """The id of the occurrence's unanswered extension request, if any."""
    return pending_requests(session, [occurrence_id]).get(occurrence_id)


def pending_requests(session: Session, occurrence_ids: Sequence[int]) -> dict[int, int]:
    """Each occurrence's unanswered extension request (its id), for those that have one; one
    statement for them all."""
    if not occurrence_ids:
        return {}
    events: dict[int, list[TaskEvent]] = {}
    for event in session.exec(
        select(TaskEvent)
        .where(
            col(TaskEvent.occurrence_id).in_(occurrence_ids),
            col(TaskEvent.kind).in_([EventKind.EXTENSION_REQUESTED, EventKind.UNDONE, *DECISIONS]),
        )
        .order_by(col(TaskEvent.id))
    ):
        events.setdefault(event.occurrence_id or 0, []).append(event)
    pending = {key: _pending(found) for key, found in events.items()}
    return {key: request for key, request in pending.items() if request is not None}


def _pending(events: list[TaskEvent]) -> int | None:
    """The last unanswered request among one occurrence's events (oldest first)."""
    answered = {e.payload.get("request") for e in events if e.kind in DECISIONS}
    for event in events:  # a request taken back ("↩️ Hoàn tác") is answered too
        if event.kind is EventKind.UNDONE:
            undid = event.payload.get("undid")
            answered.update(undid if isinstance(undid, list) else [undid])
    open_ = [e.id for e in events if e.kind is EventKind.EXTENSION_REQUESTED]
    pending = [i for i in open_ if i not in answered]
    return pending[-1] if pending else None
