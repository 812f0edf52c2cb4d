"""Issue 12's follow-ups: a reopened task keeps the progress it had before it was closed; a
due-soon question lists what falls due, not what is overdue already."""

from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.conversation.intents import IntentKind, classify
from models import Channel, Task, TaskAssignment, TaskStatus
from services.tracking.tasks import mark_done, record_progress, reopen
from tests.support.clock import HCM, FakeClock
from tests.support.conversing import (
    as_stored,
    bound,
    msgids,
    occurrence_of,
    sent_reminder,
    text,
    token_for,
)
from tests.support.ward import Ward


async def test_mo_reopens_a_task_at_the_progress_it_had_before_it_was_closed(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 10))
    await conversation.handle(text("minh", "việc 3 được 30% rồi"))
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 30)
    await conversation.handle(text("minh", "việc 3 xong rồi"))
    assert as_stored(fresh, task) == (TaskStatus.DONE, 100)
    replies = await conversation.handle(text("lan", "/mo 3"))
    assert msgids(replies) == [messages.REOPENED_AT]
    assert replies[0].lines[0].params["progress"] == 30
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 30)


async def test_mo_reopens_a_task_never_reported_on_at_nought(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 10))
    await conversation.handle(text("minh", "việc 3 xong rồi"))
    replies = await conversation.handle(text("lan", "/mo 3"))
    assert msgids(replies) == [messages.REOPENED_AT]
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 0)


@pytest.mark.parametrize("way", ["web", "cli"])
def test_the_web_and_the_cli_reopen_each_share_at_its_progress(
    ward: Ward, session: Session, clock: FakeClock, fresh: Session, way: str
) -> None:
    """The web reopens one unit's share (its unit named), the command line every share."""
    task = ward.task("5", "Tuyên truyền", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 10))
    occurrence = occurrence_of(session, task)
    chair = ward.chair
    for unit, percent in ((ward.vhxh, 40), (ward.dia_chinh, 60)):
        record_progress(
            session, clock, chair, occurrence, percent=percent, via=Channel.WEB, unit_id=unit.id
        )
        mark_done(session, clock, chair, occurrence, via=Channel.WEB, unit_id=unit.id)
    assert as_stored(fresh, task) == (TaskStatus.DONE, 100)
    if way == "web":
        ref = reopen(session, clock, chair, occurrence, via=Channel.WEB, unit_id=ward.vhxh.id)
        expected = {ward.vhxh.id: 40, ward.dia_chinh.id: 100}
    else:
        ref = reopen(session, clock, chair, occurrence, via=Channel.CONSOLE, whole=True)
        expected = {ward.vhxh.id: 40, ward.dia_chinh.id: 60}
    fresh.expire_all()
    leads = fresh.exec(select(TaskAssignment).where(TaskAssignment.task_id == task.id))
    assert {a.unit_id: a.progress for a in leads} == expected
    assert ref.progress == sum(expected.values()) // 2
    assert as_stored(fresh, task) == (TaskStatus.OPEN, ref.progress)


@pytest.mark.parametrize(
    "question",
    ["tuần này đến hạn gì?", "sắp đến hạn", "việc nào sắp đến hạn?", "what is due this week?"],
)
async def test_a_due_soon_question_lists_what_falls_due_and_counts_the_overdue_apart(
    conversation: Conversation, ward: Ward, clock: FakeClock, question: str
) -> None:
    """Tuesday 4 March: task 1 was due on the 3rd (overdue), 2 falls due on the 6th, 3 in
    November; the question lists 2 alone, and one line says one more is overdue."""
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 3))
    ward.task("2", "Đo đạc đất", unit=ward.dia_chinh, due=date(2025, 3, 6))
    ward.task("3", "Tuyên truyền", due=date(2025, 11, 20))
    clock.advance(days=1)
    replies = await conversation.handle(text("lan", question))
    assert msgids(replies)[-1] == messages.ALSO_OVERDUE, question
    listed = [line.params.get("code") for line in replies[0].lines[1:-1]]
    assert listed == ["2"], question
    assert replies[0].lines[-1].params["count"] == 1


async def test_a_due_soon_question_says_nothing_of_overdue_when_there_is_none(
    conversation: Conversation, ward: Ward
) -> None:
    bound(ward)
    ward.task("2", "Đo đạc đất", due=date(2025, 3, 6))
    replies = await conversation.handle(text("minh", "tuần này đến hạn gì?"))
    assert messages.ALSO_OVERDUE not in msgids(replies)
    assert [line.params.get("code") for line in replies[0].lines[1:]] == ["2"]


def test_due_soon_in_english_is_a_list() -> None:
    now = datetime(2025, 3, 3, 8, 0, tzinfo=HCM)
    for words in ("what is due this week?", "anything due soon?"):
        assert classify(words, now=now).kind is IntentKind.LIST_TASKS, words


@pytest.mark.parametrize(
    "question",
    [
        "báo cáo tiến độ việc 3",
        "tiến độ việc 3 thế nào?",
        "việc 3 đến đâu rồi",
        "tình hình việc 3",
        "xem báo cáo việc 3",
    ],
)
async def test_the_chair_asking_about_a_named_task_hears_its_status(
    conversation: Conversation, ward: Ward, fresh: Session, question: str
) -> None:
    """A message that names a task is about that task: the chair hears its status, as "việc 3
    đã xong chưa?" gives it, not a report ("Không có kế hoạch viec 3") and no change."""
    bound(ward)
    task = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 10))
    await conversation.handle(text("minh", "việc 3 được 30% rồi"))
    expected = await conversation.handle(text("lan", "việc 3 đã xong chưa?"))
    replies = await conversation.handle(text("lan", question))
    assert [r.lines for r in replies] == [r.lines for r in expected], question
    assert as_stored(fresh, task) == (TaskStatus.OPEN, 30)


@pytest.mark.parametrize("request_", ["/baocao", "gửi báo cáo quý 2", "xuất excel"])
async def test_a_report_request_naming_no_task_stays_a_report_request(
    conversation: Conversation, ward: Ward, request_: str
) -> None:
    bound(ward)
    ward.task("3", "Phân tích số liệu", due=date(2025, 3, 10))
    status = await conversation.handle(text("lan", "việc 3 đã xong chưa?"))
    replies = await conversation.handle(text("lan", request_))
    assert [r.lines for r in replies] != [r.lines for r in status]
    assert not any(line.params.get("code") == "3" for r in replies for line in r.lines)


MY_PART = ["xong phần việc của em rồi", "phần của em xong rồi", "đơn vị em xong rồi"]


def _shares(fresh: Session, task: Task) -> dict[int | None, TaskStatus]:
    fresh.expire_all()
    leads = fresh.exec(select(TaskAssignment).where(TaskAssignment.task_id == task.id))
    return {a.unit_id: a.status for a in leads}


@pytest.mark.parametrize("words", MY_PART)
async def test_my_part_done_in_reply_to_a_one_task_reminder_closes_my_units_share(
    conversation: Conversation,
    ward: Ward,
    session: Session,
    clock: FakeClock,
    fresh: Session,
    words: str,
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    task = ward.task("5", "Tuyên truyền", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 10))
    ward.task("6", "Lễ hội", due=date(2025, 3, 12))
    token = token_for(session, clock, minh, task)
    sent_reminder(session, clock, minh, {"items": [{"task": "5", "token": token}]}, "m-1")
    replies = await conversation.handle(text("minh", words, reply_to="m-1"))
    assert messages.ASK_WHICH not in msgids(replies), words
    assert _shares(fresh, task) == {
        ward.vhxh.id: TaskStatus.DONE,
        ward.dia_chinh.id: TaskStatus.OPEN,
    }
    assert as_stored(fresh, task)[0] is TaskStatus.OPEN


@pytest.mark.parametrize("words", MY_PART)
async def test_my_part_done_with_one_open_task_closes_it(
    conversation: Conversation, ward: Ward, fresh: Session, words: str
) -> None:
    bound(ward)
    task = ward.task("6", "Lễ hội", due=date(2025, 3, 12))
    replies = await conversation.handle(text("minh", words))
    assert messages.ASK_WHICH not in msgids(replies), words
    assert as_stored(fresh, task) == (TaskStatus.DONE, 100)


@pytest.mark.parametrize("words", MY_PART)
async def test_my_part_done_with_several_open_tasks_asks_which(
    conversation: Conversation, ward: Ward, fresh: Session, words: str
) -> None:
    bound(ward)
    tasks = [ward.task(code, "Lễ hội " + code, due=date(2025, 3, 12)) for code in ("6", "7")]
    replies = await conversation.handle(text("minh", words))
    assert msgids(replies)[0] == messages.ASK_WHICH, words
    assert [as_stored(fresh, task)[0] for task in tasks] == [TaskStatus.OPEN, TaskStatus.OPEN]
