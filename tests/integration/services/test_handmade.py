"""Tasks given by hand: only the chair and the admins give, move, re-date and cancel them; the
officers are told, and reminded on the policy's schedule like any plan's task."""

from collections.abc import Callable
from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from models import Channel, Occurrence, Plan, Task, TaskStatus
from services.clock import local_now
from services.errors import NotAllowed
from services.reminding.reminders import scan
from services.tracking.handmade import assign, cancel, give_task, redate, uncancel
from services.tracking.task_list import ListStatus, list_tasks
from services.tracking.typed_deadlines import DeadlineNotUnderstood, DeadlinePassed, read_deadline
from tests.support.clock import HCM, FakeClock
from tests.support.told import told_of
from tests.support.ward import Ward

WEB = Channel.WEB
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=HCM)  # a Friday


@pytest.mark.parametrize(
    ("phrase", "due"),
    [
        ("trước 15/12", date(2026, 12, 14)),
        ("xong trước 15/12", date(2026, 12, 14)),
        ("Quý I/2027", date(2027, 3, 31)),
        ("thứ sáu tuần sau", date(2026, 12, 11)),
        ("15/1", date(2027, 1, 15)),  # no year: the next 15 January
        ("3 ngày nữa", date(2026, 12, 7)),
    ],
)
def test_deadline_phrases_are_read_from_today(phrase: str, due: date) -> None:
    assert read_deadline(phrase, now=NOW).due == due


def test_a_deadline_passed_or_not_understood_is_refused() -> None:
    with pytest.raises(DeadlinePassed):
        read_deadline("31/12/2025", now=NOW)
    with pytest.raises(DeadlineNotUnderstood):
        read_deadline("sớm nhất có thể", now=NOW)


def test_an_officer_can_give_move_redate_or_cancel_nothing(
    session: Session, clock: FakeClock
) -> None:
    clock.move_to(NOW)
    ward = Ward.build(session, clock)
    minh = ward.officer("minh")
    deadline = read_deadline("trước 15/12", now=local_now(clock))
    with pytest.raises(NotAllowed):
        give_task(
            session, clock, minh, title="Việc", lead_unit_ids=[ward.vhxh.id or 0],
            deadline=deadline, via=WEB,
        )  # fmt: skip
    given = give_task(
        session, clock, ward.chair, title="Rà soát thủ tục hành chính",
        lead_unit_ids=[ward.vhxh.id or 0], deadline=deadline, via=WEB,
    )  # fmt: skip
    actions: list[Callable[[], object]] = [
        lambda: redate(session, clock, minh, given.task_id, deadline=deadline, via=WEB),
        lambda: assign(session, clock, minh, given.task_id, unit_ids=[ward.vhxh.id or 0], via=WEB),
        lambda: cancel(session, clock, minh, given.task_id, reason="không cần", via=WEB),
        lambda: uncancel(session, clock, minh, given.task_id, via=WEB),
    ]
    for action in actions:
        with pytest.raises(NotAllowed):
            action()
    task = session.get_one(Task, given.task_id)
    assert (task.status, task.due) == (TaskStatus.OPEN, date(2026, 12, 14))


def test_a_task_given_by_hand_is_reminded_and_belongs_to_no_plan(
    session: Session, clock: FakeClock
) -> None:
    clock.move_to(NOW)
    ward = Ward.build(session, clock)
    given = give_task(
        session, clock, ward.chair, title="Rà soát thủ tục hành chính",
        lead_unit_ids=[ward.vhxh.id or 0],
        deadline=read_deadline("thứ sáu tuần sau", now=local_now(clock)), via=Channel.TELEGRAM,
    )  # fmt: skip
    assert given.code == "V1"
    task = session.get_one(Task, given.task_id)
    assert session.get_one(Plan, task.plan_id).manual
    [row] = list_tasks(session, clock, ward.chair, status=ListStatus.OPEN)
    assert (row.code, row.plan, row.due) == ("V1", None, date(2026, 12, 11))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    assert occurrence.next_reminder_at is not None
    clock.move_to(datetime(2026, 12, 11, 9, 0, tzinfo=HCM))
    scan(session, clock)
    assert ward.officer("minh").id in told_of(session, "V1")
    moved = assign(
        session, clock, ward.chair, given.task_id, unit_ids=[ward.dia_chinh.id or 0], via=WEB
    )
    assert moved.units == (ward.dia_chinh.name,)
    [row] = list_tasks(session, clock, ward.chair, unit=ward.dia_chinh.name)
    assert [s.unit for s in row.leads] == [ward.dia_chinh.name]
    assert list_tasks(session, clock, ward.officer("minh")) == []  # no longer his
