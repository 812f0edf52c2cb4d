"""Extension requests: asked with a date and reason, answered by the chair, the officer told."""

from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from models import Channel, EventKind, Occurrence, Outbox, Task, TaskEvent
from services.errors import ExtensionDecided, ExtensionNotLater, ExtensionPending
from services.messages import Reply, render_lines
from services.reminding.reminders import schedule_occurrences
from services.tracking.extensions import decide_extension, pending_request, request_extension
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward

WEB = Channel.WEB


def _setup(session: Session, clock: FakeClock) -> tuple[Ward, Task, int]:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    assert occurrence.id is not None
    return ward, task, occurrence.id


def test_granted_extension_moves_the_due_date_and_tells_the_officer(
    session: Session, clock: FakeClock
) -> None:
    ward, task, occurrence_id = _setup(session, clock)
    minh = ward.officer("minh")
    request_extension(
        session, clock, minh, occurrence_id, until=date(2025, 3, 20), reason="mưa", via=WEB
    )
    notices = session.exec(select(Outbox)).all()
    assert {n.officer_id for n in notices} == {ward.chair.id, ward.admin.id}
    buttons = notices[0].payload["buttons"]
    assert isinstance(buttons, list)
    assert [b["action"] for b in buttons[0]] == ["approve", "deny"]
    with pytest.raises(ExtensionPending):
        request_extension(
            session, clock, minh, occurrence_id, until=date(2025, 3, 25), reason="x", via=WEB
        )
    request_id = pending_request(session, occurrence_id)
    assert request_id is not None
    occurrence = session.get(Occurrence, occurrence_id)
    assert occurrence is not None
    schedule_occurrences(session, clock, [occurrence])
    session.commit()
    before = occurrence.next_reminder_at
    decision = decide_extension(session, clock, ward.chair, request_id, grant=True, via=WEB)
    session.refresh(occurrence)
    assert before is not None
    assert occurrence.next_reminder_at is not None
    # the reminders follow the new due date: 14 days before 20/03 at 07:30, not 3 before 10/03
    assert before == datetime(2025, 3, 7, 7, 30, tzinfo=HCM)
    assert occurrence.next_reminder_at == datetime(2025, 3, 6, 7, 30, tzinfo=HCM)
    assert decision.granted
    assert decision.requester == minh.name
    session.refresh(task)
    assert task.due == date(2025, 3, 20)
    told = session.exec(select(Outbox).where(Outbox.officer_id == minh.id)).one()
    said = Reply.from_json(told.payload)
    assert said.lines[0].params["date"] == date(2025, 3, 20)
    assert "20/03/2025" in render_lines("vi", said)
    assert "20 Mar 2025" in render_lines("en", said)
    with pytest.raises(ExtensionDecided):
        decide_extension(session, clock, ward.admin, request_id, grant=False, via=WEB)
    kinds = [e.kind for e in session.exec(select(TaskEvent).order_by(TaskEvent.id))]  # type: ignore[arg-type]
    assert kinds == [EventKind.EXTENSION_REQUESTED, EventKind.EXTENSION_GRANTED]


def test_denied_extension_keeps_the_date(session: Session, clock: FakeClock) -> None:
    ward, task, occurrence_id = _setup(session, clock)
    request_extension(
        session, clock, ward.officer("minh"), occurrence_id, until=date(2025, 3, 20),
        reason="mưa", via=WEB,
    )  # fmt: skip
    request_id = pending_request(session, occurrence_id)
    assert request_id is not None
    assert not decide_extension(
        session, clock, ward.chair, request_id, grant=False, via=WEB
    ).granted
    session.refresh(task)
    assert task.due == date(2025, 3, 10)
    assert pending_request(session, occurrence_id) is None


def test_an_extension_must_be_later_than_the_due_date(session: Session, clock: FakeClock) -> None:
    ward, _, occurrence_id = _setup(session, clock)
    with pytest.raises(ExtensionNotLater):
        request_extension(
            session, clock, ward.officer("minh"), occurrence_id, until=date(2025, 3, 9),
            reason="x", via=WEB,
        )  # fmt: skip
