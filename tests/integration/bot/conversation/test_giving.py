"""The chair gives a task in words ("giao anh Minh …, xong trước …"), sees it said back with its
date and confirms with ✅; re-dates, reassigns and cancels it with commands; Minh is told and
reminded; an officer can do none of it."""

from datetime import date, datetime

from sqlmodel import Session, col, select

from bot.conversation.engine import Conversation
from models import (
    Channel,
    EventKind,
    Outbox,
    Task,
    TaskEvent,
    TaskStatus,
    TokenSubject,
)
from services.access import issue_token
from services.messages import Action, render_lines
from services.reminding.reminders import scan
from services.tracking.giving import DeadlineMovedSince
from tests.support.clock import HCM, FakeClock
from tests.support.conversing import bound, msgids, press, text
from tests.support.told import told_of
from tests.support.ward import Ward


async def test_the_chair_gives_a_task_in_words_and_changes_it_with_commands(
    conversation: Conversation, ward: Ward, fresh: Session, clock: FakeClock
) -> None:
    bound(ward)
    replies = await conversation.handle(
        text("lan", "giao anh Minh rà soát thủ tục hành chính, xong trước 15/3")
    )
    preview = replies[0]
    shown = render_lines("vi", preview)
    assert "Rà soát thủ tục hành chính" in shown
    assert ward.vhxh.name in shown
    assert "14/03/2025" in shown  # the date is said back before anything is stored
    msgids(replies)  # every line and button in Vietnamese
    assert fresh.exec(select(Task)).all() == []
    confirm, _cancel = preview.buttons[0]
    assert confirm.action is Action.CONFIRM
    replies = await conversation.handle(press("lan", Action.CONFIRM, confirm.token))
    assert "V1" in render_lines("vi", replies[0])
    task = fresh.exec(select(Task)).one()
    assert (task.title, task.due) == ("Rà soát thủ tục hành chính", date(2025, 3, 14))
    minh = ward.officer("minh")
    told = fresh.exec(select(Outbox).where(Outbox.officer_id == minh.id)).all()
    assert any("gives your unit" in str(row.payload) for row in told)

    clock.move_to(datetime(2025, 3, 7, 9, 0, tzinfo=HCM))  # seven days before
    scan(fresh, clock)
    assert minh.id in told_of(fresh, task.code)

    replies = await conversation.handle(text("lan", "việc V1 đã xong chưa?"))
    assert "Trong kế hoạch" not in render_lines("vi", replies[0])  # given by hand: no row
    replies = await conversation.handle(text("lan", "/doihan V1 Quý II/2025"))
    assert "30/06/2025" in render_lines("vi", replies[0])  # said back first
    fresh.expire_all()
    assert fresh.get_one(Task, task.id).due == date(2025, 3, 14)
    _confirm, dismiss = replies[0].buttons[0]
    replies = await conversation.handle(press("lan", Action.CANCEL, dismiss.token))
    assert msgids(replies) == ["The deadline is unchanged."]
    replies = await conversation.handle(text("lan", "/doihan V1 Quý II/2025"))
    confirm, _dismiss = replies[0].buttons[0]
    replies = await conversation.handle(press("lan", Action.CONFIRM, confirm.token))
    assert "30/06/2025" in render_lines("vi", replies[0])
    fresh.expire_all()
    assert fresh.get_one(Task, task.id).due == date(2025, 6, 30)
    replies = await conversation.handle(text("lan", "/huyviec V1 trùng với kế hoạch"))
    fresh.expire_all()
    assert fresh.get_one(Task, task.id).status is TaskStatus.CANCELLED
    replies = await conversation.handle(text("lan", "/mo V1"))
    fresh.expire_all()
    assert fresh.get_one(Task, task.id).status is TaskStatus.OPEN
    kinds = [
        (e.kind, e.channel)
        for e in fresh.exec(
            select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(col(TaskEvent.id))
        )
    ]
    assert kinds == [
        (EventKind.CREATED, Channel.TELEGRAM),
        (EventKind.UPDATED, Channel.TELEGRAM),
        (EventKind.CANCELLED, Channel.TELEGRAM),
        (EventKind.REOPENED, Channel.TELEGRAM),
    ]


async def test_the_chair_can_say_no_to_the_preview(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    replies = await conversation.handle(text("lan", "giao CCVHXH báo cáo sơ kết, hạn 31/3"))
    _confirm, cancel = replies[0].buttons[0]
    replies = await conversation.handle(press("lan", Action.CANCEL, cancel.token))
    assert msgids(replies) == ["Nothing was given."]
    assert fresh.exec(select(Task)).all() == []


async def test_an_officer_can_give_move_or_cancel_nothing(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    for words in (
        "/giao anh Tuấn rà soát thủ tục, xong trước 15/3",
        "/doihan 1 31/3",
        "/giaolai 1 CCĐCXD",
        "/huyviec 1 không cần",
    ):
        replies = await conversation.handle(text("minh", words))
        assert msgids(replies) == ["Only the chair or the office can do that."], words
    task = fresh.exec(select(Task).where(Task.code == "1")).one()
    assert (task.status, task.due) == (TaskStatus.OPEN, date(2025, 3, 10))
    assert len(fresh.exec(select(Task)).all()) == 1


async def test_a_tasks_status_shows_its_requirement_and_each_units_part(
    conversation: Conversation, ward: Ward, session: Session
) -> None:
    bound(ward)
    task = ward.task(
        "2", "Rà soát thủ tục", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 20)
    )
    task.requirement = "100% thủ tục được rà soát"
    task.note = "Theo Kế hoạch số 12"
    session.add(task)
    session.commit()
    await conversation.handle(text("minh", "việc 2 xong rồi"))
    replies = await conversation.handle(text("lan", "việc 2 đã xong chưa?"))
    shown = render_lines("vi", replies[0])
    assert "Yêu cầu: 100% thủ tục được rà soát" in shown
    assert "Ghi chú: Theo Kế hoạch số 12" in shown
    assert ward.dia_chinh.name in shown


async def test_a_deadline_phrase_is_read_in_the_wards_day_not_utcs(
    conversation: Conversation, ward: Ward, fresh: Session, clock: FakeClock
) -> None:
    """Monday 06:00 in the ward is still Sunday in UTC: "next week" is the ward's next week."""
    bound(ward)
    clock.move_to(datetime(2025, 3, 10, 6, 0, tzinfo=HCM))
    replies = await conversation.handle(
        text("lan", "giao anh Minh họp giao ban, xong thứ sáu tuần sau")
    )
    assert "21/03/2025" in render_lines("vi", replies[0])
    confirm, _cancel = replies[0].buttons[0]
    await conversation.handle(press("lan", Action.CONFIRM, confirm.token))
    assert fresh.exec(select(Task)).one().due == date(2025, 3, 21)
    replies = await conversation.handle(text("lan", "/doihan V1 thứ hai tuần sau"))
    assert "17/03/2025" in render_lines("vi", replies[0])
    confirm, _cancel = replies[0].buttons[0]
    await conversation.handle(press("lan", Action.CONFIRM, confirm.token))
    fresh.expire_all()
    assert fresh.exec(select(Task)).one().due == date(2025, 3, 17)


async def test_a_date_said_back_before_midnight_is_not_stored_as_another_after_it(
    conversation: Conversation, ward: Ward, fresh: Session, clock: FakeClock
) -> None:
    bound(ward)
    clock.move_to(datetime(2025, 3, 7, 23, 50, tzinfo=HCM))
    replies = await conversation.handle(text("lan", "giao anh Minh rà soát hồ sơ, 3 ngày nữa"))
    assert "10/03/2025" in render_lines("vi", replies[0])
    confirm, _cancel = replies[0].buttons[0]
    clock.move_to(datetime(2025, 3, 8, 0, 10, tzinfo=HCM))  # "3 ngày nữa" is now the 11th
    replies = await conversation.handle(press("lan", Action.CONFIRM, confirm.token))
    assert msgids(replies) == [DeadlineMovedSince.msgid]
    assert "11/03/2025" in render_lines("vi", replies[0])
    assert fresh.exec(select(Task)).all() == []

    replies = await conversation.handle(text("lan", "giao anh Minh rà soát hồ sơ, 3 ngày nữa"))
    confirm, _cancel = replies[0].buttons[0]
    await conversation.handle(press("lan", Action.CONFIRM, confirm.token))
    assert fresh.exec(select(Task)).one().due == date(2025, 3, 11)
    clock.move_to(datetime(2025, 3, 8, 23, 55, tzinfo=HCM))
    replies = await conversation.handle(text("lan", "/doihan V1 3 ngày nữa"))
    assert "11/03/2025" in render_lines("vi", replies[0])
    confirm, _cancel = replies[0].buttons[0]
    clock.move_to(datetime(2025, 3, 9, 0, 5, tzinfo=HCM))
    replies = await conversation.handle(press("lan", Action.CONFIRM, confirm.token))
    assert msgids(replies) == [DeadlineMovedSince.msgid]
    fresh.expire_all()
    assert fresh.exec(select(Task)).one().due == date(2025, 3, 11)
    assert [e.kind for e in fresh.exec(select(TaskEvent))] == [EventKind.CREATED]


async def test_a_confirmation_that_said_no_date_stores_none(
    conversation: Conversation, ward: Ward, fresh: Session, clock: FakeClock
) -> None:
    """A ✅ whose token keeps no date said back is refused, as the web shows its form again: no
    one stores a date they did not see."""
    bound(ward)
    task = ward.task("8", "Rà soát thủ tục", due=date(2025, 3, 20))
    for data in (
        {"title": "Rà soát hồ sơ", "units": [ward.vhxh.id], "phrase": "trước 15/3"},
        {"redate": task.id, "phrase": "trước 15/3"},
        {"redate": task.id, "phrase": "trước 15/3", "due": ""},
    ):
        token = issue_token(fresh, clock, ward.chair, TokenSubject.GIVE, data=dict(data))
        fresh.commit()
        replies = await conversation.handle(press("lan", Action.CONFIRM, token))
        assert msgids(replies) == [DeadlineMovedSince.msgid]
        assert "14/03/2025" in render_lines("vi", replies[0])
    fresh.expire_all()
    assert [t.due for t in fresh.exec(select(Task))] == [date(2025, 3, 20)]
