"""Issue 12's audit, as a red-team user: messages that acted on a task before their fix (a
question with a closing particle, the chair asking what blocks a task, "không vướng gì", two
tasks named at once, another task named while the bot asks which), and the undo's thirty
minutes of real time under a demo clock."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from models import EventKind, Occurrence, Outbox, Share, TaskStatus
from services.errors import ChairSetsDeadlines, InvalidButton, NothingToUndo
from services.messages import Action
from tests.support.clock import FakeClock
from tests.support.conversing import (
    as_stored,
    bound,
    events,
    msgids,
    press,
    sent_reminder,
    text,
    token_for,
)
from tests.support.ward import Ward


@pytest.mark.parametrize(
    "question",
    [
        "việc 7 xong rồi ư",
        "việc 7 xong rồi nhỉ",
        "việc 7 xong rồi chứ anh",
        "nếu việc 7 xong rồi thì sao",
        "sao việc 7 xong rồi",
        "việc 7 xong r hả e",
    ],
)
async def test_a_question_with_a_closing_particle_changes_nothing(
    conversation: Conversation, ward: Ward, fresh: Session, question: str
) -> None:
    bound(ward)
    task = ward.task("7", "Kiểm tra an toàn thực phẩm", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", question))
    assert msgids(replies) == [messages.STATUS_OPEN], question
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 0)
    assert events(fresh, EventKind.DONE) == []


@pytest.mark.parametrize(
    "words",
    ["mai em xong ạ", "xong bước 1 rồi", "em sẽ làm xong trong tuần", "xong đâu mà xong"],
)
async def test_done_promised_or_in_part_leaves_the_task_open(
    conversation: Conversation,
    ward: Ward,
    session: Session,
    clock: FakeClock,
    fresh: Session,
    words: str,
) -> None:
    """In reply to the reminder, "mai em xong" is a promise: the bot asks how far along."""
    bound(ward)
    minh = ward.officer("minh")
    task = ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, minh, task)
    sent_reminder(session, clock, minh, {"items": [{"task": "1", "token": token}]}, "m-1")
    replies = await conversation.handle(text("minh", words, reply_to="m-1"))
    assert msgids(replies) == [messages.ASK_PERCENT]
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 0)
    assert events(fresh, EventKind.DONE) == []


async def test_the_chair_asking_what_blocks_a_task_records_no_blocker(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    """The issue's "việc 3 có vướng gì không?", said as chairs say it: "việc 1 vướng gì vậy"."""
    bound(ward)
    task = ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    await conversation.handle(text("minh", "việc 1 vướng: chưa có kinh phí"))
    replies = await conversation.handle(text("lan", "việc 1 vướng gì vậy"))
    assert msgids(replies) == [messages.STATUS_BLOCKED]
    reported = events(fresh, EventKind.BLOCKER_REPORTED)
    assert [e.payload["reason"] for e in reported] == ["chưa có kinh phí"]
    assert as_stored(fresh, task)[0] is TaskStatus.BLOCKED


async def test_saying_nothing_blocks_a_task_records_no_blocker(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    task = ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, minh, task)
    sent_reminder(session, clock, minh, {"items": [{"task": "1", "token": token}]}, "m-1")
    for words in (
        "không vướng gì ạ",
        "ko vướng gì",
        "em không có vấn đề gì đâu ạ",
        "đâu có vướng",
    ):
        replies = await conversation.handle(text("minh", words, reply_to="m-1"))
        assert msgids(replies) == [messages.ASK_ACTION], words  # it asks, never guesses
    assert events(fresh, EventKind.BLOCKER_REPORTED) == []
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 0)


@pytest.mark.parametrize(
    "words",
    ["việc 3 và 4 xong rồi", "việc 3, 4 xong rồi", "việc 3 4 xong rồi", "việc 3, việc 4 xong"],
)
async def test_two_tasks_named_done_at_once_are_both_done(
    conversation: Conversation, ward: Ward, fresh: Session, words: str
) -> None:
    """Task 3 alone was closed: task 4 was dropped without a word."""
    bound(ward)
    three = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    replies = await conversation.handle(text("minh", words))
    assert msgids(replies) == [messages.DONE_OK, messages.DONE_OK]  # one message
    labels = [(b.action, b.label.msgid, b.label.params) for b in replies[0].all_buttons()]
    assert labels == [(Action.UNDO, messages.UNDO_TASK, {"code": code}) for code in ("3", "4")]
    assert (as_stored(fresh, three), as_stored(fresh, four)) == ((TaskStatus.DONE, 100),) * 2
    await conversation.handle(text("minh", "hoàn tác việc 3"))
    assert (as_stored(fresh, three)[0], as_stored(fresh, four)[0]) == (
        TaskStatus.OPEN,
        TaskStatus.DONE,
    )


async def test_two_tasks_named_with_other_actions_are_asked_and_nothing_is_guessed(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    """ "Việc 3 được 80%, việc 4 xong" read as one progress of 80% for whichever task was picked
    (picking 4 recorded 80% on the task said done): now the task picked offers its actions."""
    bound(ward)
    three = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    replies = await conversation.handle(text("minh", "việc 3 được 80%, việc 4 xong"))
    assert msgids(replies) == [messages.ASK_WHICH, messages.CHOICE_LINE, messages.CHOICE_LINE]
    replies = await conversation.handle(text("minh", "4"))
    assert msgids(replies) == [messages.ASK_ACTION]
    assert (as_stored(fresh, three), as_stored(fresh, four)) == ((TaskStatus.OPEN, 0),) * 2


async def test_two_tasks_asked_about_are_both_answered(
    conversation: Conversation, ward: Ward
) -> None:
    bound(ward)
    ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    replies = await conversation.handle(text("minh", "việc 3 và 4 xong chưa?"))
    assert msgids(replies) == [messages.STATUS_OPEN, messages.STATUS_OPEN]


async def test_another_task_named_while_the_bot_asks_which_is_that_task(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    """Asked which of 1 and 4 is done, Minh names task 7, already done: he is told so, and
    neither 1 nor 4 is touched, then or by a number typed after."""
    bound(ward)
    one = ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    four = ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    seven = ward.task("7", "Kiểm tra an toàn thực phẩm", due=date(2025, 3, 5))
    await conversation.handle(text("minh", "việc 7 xong rồi"))
    replies = await conversation.handle(text("minh", "xong rồi"))
    assert msgids(replies)[0] == messages.ASK_WHICH
    replies = await conversation.handle(text("minh", "hôm qua việc 7 xong rồi mà"))
    assert msgids(replies) == [messages.ALREADY_DONE_TODAY]
    replies = await conversation.handle(text("minh", "4"))
    assert msgids(replies) == [messages.NOT_UNDERSTOOD]  # the question was dropped
    assert as_stored(fresh, one)[0] is TaskStatus.OPEN
    assert as_stored(fresh, four)[0] is TaskStatus.OPEN
    assert len(events(fresh, EventKind.DONE)) == 1
    assert as_stored(fresh, seven)[0] is TaskStatus.DONE


@pytest.mark.parametrize(
    "words", ["việc 3 xong rồi", "việc 3 được 40%", "việc 3 vướng: thiếu người"]
)
async def test_a_change_taken_back_can_be_made_again(
    conversation: Conversation, ward: Ward, fresh: Session, words: str
) -> None:
    """The first change to a task makes its unit's share; taking the change back takes the share
    back too (it said "done" after the undo, and "việc 3 xong rồi" was refused as done)."""
    bound(ward)
    task = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    await conversation.handle(text("minh", words))
    assert msgids(await conversation.handle(text("minh", "hoàn tác"))) == [messages.UNDONE_OK]
    assert fresh.exec(select(Share)).all() == []  # as before the change: no share yet
    replies = await conversation.handle(text("minh", "việc 3 xong rồi"))
    assert msgids(replies) == [messages.DONE_OK]
    assert as_stored(fresh, task) == (TaskStatus.DONE, 100)


async def test_undo_lasts_thirty_minutes_of_real_time_whatever_the_demo_clock_says(
    engine: Engine, ward: Ward, clock: FakeClock, tmp_path: Path, fresh: Session
) -> None:
    """Under `--demo-clock` the clock runs days ahead: the words and the button still undo for
    29 minutes of real time, and neither does after 31."""
    bound(ward)
    wall = FakeClock(clock.now())
    demo = Conversation(engine, clock, evidence_dir=tmp_path, wall=wall)
    task = ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    await demo.handle(text("minh", "việc 2.1 xong rồi"))
    clock.advance(days=2)
    wall.advance(minutes=29)
    assert msgids(await demo.handle(text("minh", "hoàn tác"))) == [messages.UNDONE_OK]
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 0)
    replies = await demo.handle(text("minh", "việc 2.1 xong rồi"))
    (undo,) = replies[0].all_buttons()
    assert undo.action is Action.UNDO
    wall.advance(minutes=31)
    assert msgids(await demo.handle(text("minh", "nhầm rồi"))) == [NothingToUndo.msgid]
    replies = await demo.handle(press("minh", Action.UNDO, undo.token))
    assert msgids(replies) == [InvalidButton.msgid]
    assert as_stored(fresh, task) == (TaskStatus.DONE, 100)


async def test_undo_in_words_takes_back_the_task_named_or_replied_to(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    """After tasks 3 then 4 were closed, "hoàn tác việc 3" (and "nhầm rồi" in reply to task 3's
    reminder) take back task 3's change, never the latest one (task 4's)."""
    bound(ward)
    minh = ward.officer("minh")
    three = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    token = token_for(session, clock, minh, three)
    sent_reminder(session, clock, minh, {"items": [{"task": "3", "token": token}]}, "m-3")
    for words, reply_to in (("hoàn tác việc 3", None), ("nhầm rồi", "m-3")):
        await conversation.handle(text("minh", "việc 3 xong rồi"))
        await conversation.handle(text("minh", "việc 4 xong rồi"))
        replies = await conversation.handle(text("minh", words, reply_to=reply_to))
        assert msgids(replies) == [messages.UNDONE_OK], words
        assert as_stored(fresh, three)[0] is TaskStatus.OPEN, words
        assert as_stored(fresh, four)[0] is TaskStatus.DONE, words
        await conversation.handle(text("minh", "hoàn tác việc 4"))
    replies = await conversation.handle(text("minh", "hoàn tác việc 3"))
    assert msgids(replies) == [NothingToUndo.msgid]  # task 3 has nothing left to undo


async def test_undo_in_reply_to_a_message_the_bot_cannot_place_asks_which(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    """ "Nhầm rồi" in reply to the bot's answer about task 3 (Telegram keeps no record of it) while
    task 4 was closed after: which change is meant is asked, with a "↩️" button for each."""
    bound(ward)
    three = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    await conversation.handle(text("minh", "việc 3 xong rồi"))
    await conversation.handle(text("minh", "việc 4 xong rồi"))
    replies = await conversation.handle(text("minh", "nhầm rồi", reply_to="tg-answer-about-3"))
    assert msgids(replies) == [messages.UNDO_WHICH]
    buttons = replies[0].all_buttons()
    assert [b.label.params["code"] for b in buttons] == ["4", "3"]
    assert all(b.action is Action.UNDO for b in buttons)
    assert (as_stored(fresh, three)[0], as_stored(fresh, four)[0]) == (TaskStatus.DONE,) * 2
    replies = await conversation.handle(press("minh", Action.UNDO, buttons[1].token))
    assert msgids(replies) == [messages.UNDONE_OK]
    assert as_stored(fresh, three)[0] is TaskStatus.OPEN
    assert as_stored(fresh, four)[0] is TaskStatus.DONE


@pytest.mark.parametrize(
    "words", ["chiều nay nhắc anh Minh việc 3", "nhắc anh Minh việc 3", "nhắc Minh làm việc 3 nhé"]
)
async def test_the_chair_asking_to_remind_minh_reminds_him_and_snoozes_nothing(
    conversation: Conversation, ward: Ward, fresh: Session, words: str
) -> None:
    """The chair's "nhắc anh Minh việc 3" is a nudge: Minh is reminded now. It held his
    reminders instead (a snooze of task 3 until the afternoon, or a snooze offered)."""
    bound(ward)
    task = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    replies = await conversation.handle(text("lan", words))
    assert msgids(replies) == [messages.REMINDED]
    occurrence = fresh.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    assert occurrence.snoozed_until is None
    sent = fresh.exec(select(Outbox).where(Outbox.officer_id == ward.officer("minh").id)).all()
    assert len(sent) == 1


async def test_the_chair_asking_herself_for_an_extension_is_told_to_redate(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    replies = await conversation.handle(text("lan", "việc 3 gia hạn đến 30/6"))
    assert msgids(replies) == [ChairSetsDeadlines.msgid]
    assert events(fresh, EventKind.EXTENSION_REQUESTED) == []


async def test_the_chair_answering_a_notice_with_nham_roi_undoes_nothing_unasked(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    """Lan closed task 3 herself, then replies "nhầm rồi" to the notice that Minh finished task
    4: her own change to task 3 is offered, not taken back, and Minh's stands."""
    bound(ward)
    three = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    await conversation.handle(text("lan", "việc 3 xong rồi"))
    await conversation.handle(text("minh", "việc 4 xong rồi"))
    replies = await conversation.handle(text("lan", "nhầm rồi", reply_to="notice-about-4"))
    assert msgids(replies) == [messages.UNDO_WHICH]
    assert [b.label.params["code"] for b in replies[0].all_buttons()] == ["3"]
    assert (as_stored(fresh, three)[0], as_stored(fresh, four)[0]) == (TaskStatus.DONE,) * 2
