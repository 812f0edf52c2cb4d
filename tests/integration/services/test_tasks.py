"""Officer actions change the state, write their event, and tell the chair when they must."""

import logging
from datetime import date, timedelta

import pytest
from sqlmodel import Session, select

from models import Channel, EventKind, Occurrence, Outbox, Task, TaskEvent, TaskStatus
from services.errors import AlreadyDone, BadPercent, DateInPast, EmptyText, NotBlocked
from services.tracking.tasks import (
    add_comment,
    mark_done,
    record_progress,
    report_blocker,
    resolve_blocker,
    snooze,
)
from tests.support.clock import FakeClock
from tests.support.ward import Ward

WEB = Channel.WEB


def _occurrences(session: Session, task: Task) -> list[Occurrence]:
    return list(
        session.exec(
            select(Occurrence).where(Occurrence.task_id == task.id).order_by(Occurrence.due)  # type: ignore[arg-type]
        )
    )


def _events(session: Session, task: Task) -> list[EventKind]:
    return [e.kind for e in session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id))]


def test_done_closes_the_task_and_stops_its_reminders(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence = _occurrences(session, task)[0]
    occurrence.next_reminder_at = clock.now()
    session.commit()
    assert occurrence.id is not None
    ref = mark_done(session, clock, ward.officer("minh"), occurrence.id, via=WEB)
    assert ref.status is TaskStatus.DONE
    session.refresh(task)
    session.refresh(occurrence)
    assert (task.status, task.progress) == (TaskStatus.DONE, 100)
    assert occurrence.next_reminder_at is None
    assert occurrence.done_at == clock.now()
    assert _events(session, task) == [EventKind.DONE]
    [told] = session.exec(select(Outbox)).all()
    assert told.officer_id == ward.chair.id  # the chair hears of it; the admin does not
    with pytest.raises(AlreadyDone):
        mark_done(session, clock, ward.officer("minh"), occurrence.id, via=WEB)


def test_done_reaches_the_admin_when_the_ward_has_no_chair(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.chair.active = False
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence_id = _occurrences(session, task)[0].id
    assert occurrence_id is not None
    mark_done(session, clock, ward.officer("minh"), occurrence_id, via=WEB)
    [told] = session.exec(select(Outbox)).all()
    assert told.officer_id == ward.admin.id
    assert told.idempotency_key.startswith("notice:done:")


def test_done_for_one_quarter_keeps_a_recurring_task_open(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("2", "Báo cáo quý", dues=(date(2025, 3, 31), date(2025, 6, 30)))
    first = _occurrences(session, task)[0]
    assert first.id is not None
    mark_done(session, clock, ward.officer("minh"), first.id, via=WEB)
    session.refresh(task)
    assert task.status is TaskStatus.OPEN


def test_progress_is_a_percent_with_a_comment(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence_id = _occurrences(session, task)[0].id
    assert occurrence_id is not None
    minh = ward.officer("minh")
    with pytest.raises(BadPercent):
        record_progress(session, clock, minh, occurrence_id, percent=120, via=WEB)
    record_progress(
        session, clock, minh, occurrence_id, percent=60, comment=" xong  khâu 1", via=WEB
    )
    session.refresh(task)
    assert task.progress == 60
    event = session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)).one()
    assert event.payload == {"percent": 60, "comment": "xong khâu 1"}


def test_a_blocker_reaches_the_chair_and_the_admin_at_once(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence_id = _occurrences(session, task)[0].id
    assert occurrence_id is not None
    minh = ward.officer("minh")
    with pytest.raises(EmptyText):
        report_blocker(session, clock, minh, occurrence_id, reason="  ", via=WEB)
    report_blocker(session, clock, minh, occurrence_id, reason="chưa có kinh phí", via=WEB)
    session.refresh(task)
    assert task.status is TaskStatus.BLOCKED
    rows = session.exec(select(Outbox)).all()
    assert {r.officer_id for r in rows} == {ward.chair.id, ward.admin.id}
    assert all(r.scheduled_for == clock.now() for r in rows)
    lines = rows[0].payload["lines"]
    assert isinstance(lines, list)
    assert lines[0]["params"]["reason"] == "chưa có kinh phí"
    resolve_blocker(session, clock, ward.chair, occurrence_id, note="đã có", via=WEB)
    session.refresh(task)
    assert task.status.value == "open"
    with pytest.raises(NotBlocked):
        resolve_blocker(session, clock, minh, occurrence_id, via=WEB)
    assert _events(session, task) == [EventKind.BLOCKER_REPORTED, EventKind.BLOCKER_RESOLVED]


def test_snooze_holds_reminders_until_then(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence = _occurrences(session, task)[0]
    assert occurrence.id is not None
    minh = ward.officer("minh")
    with pytest.raises(DateInPast):
        snooze(session, clock, minh, occurrence.id, until=clock.now(), via=WEB)
    until = clock.now() + timedelta(days=2)
    snooze(session, clock, minh, occurrence.id, until=until, via=WEB)
    session.refresh(occurrence)
    assert occurrence.snoozed_until == until
    assert occurrence.next_reminder_at == until


def test_comment_is_kept_in_the_history(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence_id = _occurrences(session, task)[0].id
    assert occurrence_id is not None
    add_comment(session, clock, ward.officer("minh"), occurrence_id, text="đã gửi", via=WEB)
    event = session.exec(select(TaskEvent)).one()
    assert (event.kind, event.payload, event.channel) == (
        EventKind.COMMENT,
        {"text": "đã gửi"},
        WEB,
    )


def test_done_is_logged_with_ids_only(
    session: Session, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội bí mật", due=date(2025, 3, 10))
    occurrence_id = _occurrences(session, task)[0].id
    assert occurrence_id is not None
    with caplog.at_level(logging.INFO, logger="services.tracking.tasks"):
        mark_done(session, clock, ward.officer("minh"), occurrence_id, via=WEB)
    assert f"occurrence {occurrence_id} done by officer" in caplog.text
    assert "bí mật" not in caplog.text
