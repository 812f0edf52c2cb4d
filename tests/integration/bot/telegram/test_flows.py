"""The issue's flows end to end: the real conversation layer and dispatcher behind dondoc's bot,
python-telegram-bot polling the fake Bot API, a FakeClock for dondoc's time."""

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.conversation.views import PAGE_SIZE
from bot.telegram.app import build_application
from bot.telegram.runner import running
from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from locales import translate
from models import (
    Channel,
    ChannelIdentity,
    EventKind,
    Occurrence,
    Outbox,
    OutboxState,
    Task,
    TaskEvent,
    TaskStatus,
)
from services.errors import InvalidButton, InviteNeedsPrivateChat
from services.people.invites import create_invite
from services.reminding.reminders import scan, schedule_occurrences
from tests.integration.bot.telegram.conftest import POLL
from tests.support.clock import FakeClock
from tests.support.fake_telegram import BOT_USERNAME, TOKEN, FakeTelegram, RunningFake
from tests.support.ward import Ward

MINH, TUAN, LAN, HA = 101, 102, 301, 302
STRANGER = 999
JSON = dict[str, Any]


@dataclass
class Office:
    """A ward whose people talk to dondoc on (fake) Telegram."""

    ward: Ward
    fake: FakeTelegram
    dispatcher: Dispatcher
    session: Session
    clock: FakeClock

    async def said(self, chat: int, count: int) -> JSON:
        """Wait until the bot has `count` messages in `chat`; the last of them."""
        await self.fake.wait_for(lambda _: len(self.fake.messages_to(chat)) >= count)
        return self.fake.messages_to(chat)[count - 1]

    async def remind(self, task: Task) -> JSON:
        """Plan the task's reminders, move to the first, scan and dispatch: Minh's reminder."""
        occurrences = self.session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
        schedule_occurrences(self.session, self.clock, occurrences.all())
        self.session.commit()
        occurrence = self._occurrence(task)
        assert occurrence.next_reminder_at is not None
        self.clock.move_to(occurrence.next_reminder_at)
        scan(self.session, self.clock)
        before = len(self.fake.messages_to(MINH))
        assert await self.dispatcher.run_until_idle() >= 1
        return await self.said(MINH, before + 1)

    def task(self, task: Task) -> Task:
        """The task as committed now."""
        self.session.expire_all()
        found = self.session.get(Task, task.id)
        assert found is not None
        return found

    def _occurrence(self, task: Task) -> Occurrence:
        self.session.expire_all()
        return self.session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()

    def events(self, kind: EventKind) -> list[TaskEvent]:
        """The history entries of one kind, as committed now."""
        self.session.expire_all()
        return list(self.session.exec(select(TaskEvent).where(TaskEvent.kind == kind)))


@pytest.fixture
def fresh(engine: Engine) -> Iterator[Session]:
    """A session to read what the bot committed."""
    with Session(engine, expire_on_commit=False) as opened:
        yield opened


@pytest.fixture
async def office(
    engine: Engine,
    session: Session,
    fresh: Session,
    clock: FakeClock,
    tmp_path: Path,
    telegram: RunningFake,
) -> AsyncIterator[Office]:
    """Phường Bắc Sơn: Lan (chair), Hà (office) and Tuấn on Telegram; Minh not yet."""
    ward = Ward.build(session, clock)
    ward.bind(ward.chair, user_id=str(LAN))
    ward.bind(ward.admin, user_id=str(HA))
    ward.bind(ward.officer("tuan"), user_id=str(TUAN))
    conversation = Conversation(
        engine, clock, evidence_dir=tmp_path / "evidence", bot_username=BOT_USERNAME
    )
    application = build_application(
        token=TOKEN,
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
    )
    async with running(application, poll_timeout=POLL) as sender:
        dispatcher = Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: sender})
        yield Office(ward, telegram.fake, dispatcher, fresh, clock)


def _button(message: JSON, action: str) -> str:
    """The callback data of the button for `action` under `message`."""
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith(f"{action}:"):
                return str(button["callback_data"])
    raise AssertionError(f"no {action} button under message {message['message_id']}")


async def _joined(office: Office) -> None:
    """Minh follows his invitation link: /start <token>."""
    card = create_invite(office.ward.session, office.clock, office.ward.admin, "Phạm Văn Minh")
    office.fake.push_text(MINH, f"/start {card.token}")
    welcome = await office.said(MINH, 1)
    assert welcome["text"] == translate("vi", messages.WELCOME, name="Phạm Văn Minh")


@pytest.mark.parametrize("kind", ["group", "supergroup"])
async def test_an_invite_sent_in_a_group_is_refused_and_stays_usable(
    office: Office, kind: str
) -> None:
    group = -100123
    card = create_invite(office.ward.session, office.clock, office.ward.admin, "Phạm Văn Minh")

    office.fake.push_group_text(group, MINH, f"/start {card.token}", kind=kind)
    refused = await office.said(group, 1)
    bound = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.external_id == str(MINH))
    ).all()
    office.fake.push_text(MINH, f"/start {card.token}")
    welcome = await office.said(MINH, 1)

    assert refused["text"] == translate("vi", InviteNeedsPrivateChat.msgid)
    assert bound == []
    assert welcome["text"] == translate("vi", messages.WELCOME, name="Phạm Văn Minh")


async def test_a_bound_officer_asking_in_a_group_is_sent_to_a_private_chat(
    office: Office,
) -> None:
    group = -100456
    office.ward.task("2.1", "Tổ chức lễ hội", unit=office.ward.dia_chinh, due=date(2025, 3, 10))

    office.fake.push_group_text(group, TUAN, "/viec")
    answer = await office.said(group, 1)

    assert answer["text"] == translate("vi", messages.PRIVATE_ONLY)
    assert "Tổ chức lễ hội" not in answer["text"]


async def test_a_channel_post_binds_nothing(office: Office) -> None:
    card = create_invite(office.ward.session, office.clock, office.ward.admin, "Phạm Văn Minh")
    office.fake.push_update(
        {
            "channel_post": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": -100777, "type": "channel", "title": "Bản tin phường"},
                "text": f"/start {card.token}",
            }
        }
    )
    office.fake.push_text(MINH, f"/start {card.token}")  # after it, in order
    await office.said(MINH, 1)

    assert office.fake.messages_to(-100777) == []
    identities = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.officer_id == office.ward.officer("minh").id)
    ).all()
    assert [identity.chat_id for identity in identities] == [str(MINH)]


async def test_invite_start_reminder_and_done_button(office: Office) -> None:
    await _joined(office)
    identity = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.external_id == str(MINH))
    ).one()
    assert identity.officer_id == office.ward.officer("minh").id
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))

    reminder = await office.remind(task)
    assert "2.1" in reminder["text"]
    assert "Tổ chức lễ hội" in reminder["text"]
    buttons = [b for row in reminder["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["callback_data"].split(":")[0] for b in buttons] == [
        "done",
        "progress",
        "blocker",
        "extend",
        "snooze",
    ]
    assert [b["text"].split()[0] for b in buttons] == ["✅", "📊", "🚧", "📅", "⏰"]
    assert buttons[0]["text"] == "✅ Xong"

    office.fake.push_press(MINH, reminder["message_id"], _button(reminder, "done"))
    await office.fake.wait_calls("editMessageText")
    edited = office.fake.message(MINH, reminder["message_id"])
    assert edited["text"].startswith("✅")
    assert "2.1" in edited["text"]
    assert len(office.fake.calls_of("answerCallbackQuery")) == 1
    assert office.task(task).status is TaskStatus.DONE
    (done,) = office.events(EventKind.DONE)
    assert (done.officer_id, done.channel) == (office.ward.officer("minh").id, Channel.TELEGRAM)


async def test_a_blocker_typed_in_reply_to_the_reminder_reaches_the_chair_and_the_office(
    office: Office,
) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)

    office.fake.push_text(MINH, "vướng: chưa có kinh phí", reply_to=reminder["message_id"])
    answer = await office.said(MINH, 3)
    assert answer["text"].startswith("🚧")
    assert "chưa có kinh phí" in answer["text"]
    (blocker,) = office.events(EventKind.BLOCKER_REPORTED)
    assert blocker.occurrence_id is not None
    assert office.task(task).status is TaskStatus.BLOCKED

    await office.dispatcher.run_until_idle()
    for chat in (LAN, HA):
        (notice,) = office.fake.messages_to(chat)
        assert "chưa có kinh phí" in notice["text"]
        assert "2.1" in notice["text"]
    assert office.fake.messages_to(TUAN) == []


async def test_an_extension_asked_approved_and_the_reminders_moved(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    first_reminder_at = office._occurrence(task).next_reminder_at
    assert first_reminder_at is not None

    office.fake.push_press(MINH, reminder["message_id"], _button(reminder, "extend"))
    asked = await office.said(MINH, 3)
    assert "2.1" in asked["text"]
    office.fake.push_text(MINH, "20/03/2025, chờ kinh phí")
    await office.said(MINH, 4)
    (requested,) = office.events(EventKind.EXTENSION_REQUESTED)
    assert requested.occurrence_id is not None

    await office.dispatcher.run_until_idle()
    request = await office.said(LAN, 1)
    assert "20/03/2025" in request["text"]
    office.fake.push_press(LAN, request["message_id"], _button(request, "approve"))
    granted = await office.said(LAN, 2)
    assert "20/03/2025" in granted["text"]

    assert office.task(task).due == date(2025, 3, 20)
    occurrence = office._occurrence(task)
    assert occurrence.due == date(2025, 3, 20)
    assert occurrence.next_reminder_at is not None
    assert occurrence.next_reminder_at > first_reminder_at
    await office.dispatcher.run_until_idle()
    told = office.fake.messages_to(MINH)[-1]
    assert "20/03/2025" in told["text"]


async def test_a_forged_callback_is_refused_and_changes_nothing(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    office.fake.push_press(MINH, reminder["message_id"], "done:Zz9Zz9Zz9Z")
    refusal = await office.said(MINH, 3)
    assert refusal["text"] == translate("vi", InvalidButton.msgid)
    assert office.task(task).status is TaskStatus.OPEN
    assert office.events(EventKind.DONE) == []


async def test_someone_elses_button_is_refused(office: Office) -> None:
    """Tuấn replays the callback data of Minh's reminder in his own chat."""
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    office.fake.push_press(TUAN, 1, _button(reminder, "done"))
    refusal = await office.said(TUAN, 1)
    assert refusal["text"] == translate("vi", InvalidButton.msgid)
    assert office.task(task).status is TaskStatus.OPEN


async def test_a_stranger_is_refused(office: Office) -> None:
    office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.push_text(STRANGER, "xong rồi ạ")
    answer = await office.said(STRANGER, 1)
    assert answer["text"] == translate("vi", messages.STRANGER)
    office.fake.push_text(STRANGER, "/viec")
    answer = await office.said(STRANGER, 2)
    assert answer["text"] == translate("vi", messages.STRANGER)
    assert office.events(EventKind.DONE) == []


async def test_a_429_is_honoured_and_the_reminder_still_delivered(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.fail(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=MINH
    )
    reminder = await office.remind(task)
    first, second = office.fake.calls_of("sendMessage")[-2:]
    assert second.at - first.at >= 1.0
    row = office.session.exec(select(Outbox).where(col(Outbox.officer_id) == _minh_id(office)))
    sent = [r for r in row.all() if r.state is OutboxState.SENT]
    assert [r.platform_message_id for r in sent] == [str(reminder["message_id"])]


async def test_a_429_that_persists_is_rescheduled_for_its_retry_after(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.fail(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=2
    )
    occurrences = office.session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
    schedule_occurrences(office.session, office.clock, occurrences.all())
    office.session.commit()
    moment = office._occurrence(task).next_reminder_at
    assert moment is not None
    office.clock.move_to(moment)
    scan(office.session, office.clock)
    result = await office.dispatcher.run_once()
    assert (result.sent, result.failed) == (0, 1)
    office.session.expire_all()
    (row,) = office.session.exec(
        select(Outbox).where(col(Outbox.officer_id) == _minh_id(office))
    ).all()
    assert row.state is OutboxState.FAILED
    assert row.scheduled_for == office.clock.now() + timedelta(seconds=1)
    office.clock.advance(seconds=1)
    assert await office.dispatcher.run_until_idle() == 1
    assert "2.1" in office.fake.messages_to(MINH)[-1]["text"]


async def test_a_user_who_blocked_the_bot_is_marked_unreachable_and_the_office_told(
    office: Office,
) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.blocked_chats.add(MINH)
    occurrences = office.session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
    schedule_occurrences(office.session, office.clock, occurrences.all())
    office.session.commit()
    moment = office._occurrence(task).next_reminder_at
    assert moment is not None
    office.clock.move_to(moment)
    scan(office.session, office.clock)
    await office.dispatcher.run_until_idle()
    await office.dispatcher.run_until_idle()  # the notice to the office, written meanwhile
    office.session.expire_all()
    identity = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.external_id == str(MINH))
    ).one()
    assert identity.reachable is False
    assert len(office.fake.messages_to(MINH)) == 1  # the welcome, from before
    told = office.fake.messages_to(HA)
    assert told, "the office was not told"
    assert "Phạm Văn Minh" in told[-1]["text"]


def _minh_id(office: Office) -> int:
    minh = office.ward.officer("minh").id
    assert minh is not None
    return minh


async def test_turning_a_page_of_a_list_edits_the_message_in_place(office: Office) -> None:
    await _joined(office)
    for n in range(1, PAGE_SIZE + 3):
        office.ward.task(f"{n}", f"Việc số {n}", due=date(2025, 3, 10) + timedelta(days=n))
    office.fake.push_text(MINH, "/tasks")
    first = await office.said(MINH, 2)
    assert "Việc số 1" in first["text"]
    office.fake.push_press(MINH, first["message_id"], _button(first, "page"))
    await office.fake.wait_calls("editMessageText")
    assert len(office.fake.messages_to(MINH)) == 2  # nothing new: the list changed in place
    turned = office.fake.message(MINH, first["message_id"])
    assert f"Việc số {PAGE_SIZE + 1}" in turned["text"]
    assert "Việc số 2" not in turned["text"]


async def test_the_reminder_is_edited_in_place_after_done(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    answers = ("editMessageText", "sendMessage")
    before = sum(len(office.fake.calls_of(method)) for method in answers)
    office.fake.push_press(MINH, reminder["message_id"], _button(reminder, "done"))
    await office.fake.wait_for(
        lambda _: sum(len(office.fake.calls_of(method)) for method in answers) > before
    )
    assert office.task(task).status is TaskStatus.DONE
    edits = office.fake.calls_of("editMessageText")
    assert [call.params["message_id"] for call in edits] == [reminder["message_id"]]
    edited = office.fake.message(MINH, reminder["message_id"])
    assert edited["text"].startswith("✅")
    (row,) = edited["reply_markup"]["inline_keyboard"]  # the reminder's buttons gave way
    assert [button["text"] for button in row] == ["↩️ Hoàn tác"]


async def test_the_chair_is_told_when_a_task_is_done(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    office.fake.push_press(MINH, reminder["message_id"], _button(reminder, "done"))
    await office.fake.wait_calls("editMessageText")
    assert office.task(task).status is TaskStatus.DONE
    await office.dispatcher.run_until_idle()
    told = office.fake.messages_to(LAN)
    assert told, "the chair heard nothing"
    assert "2.1" in told[-1]["text"]


# --- issue 12: a reply can never change the wrong task ---------------------------------------


async def test_a_question_is_answered_and_leaves_the_task_open(office: Office) -> None:
    task = office.ward.task("7", "Tổ chức lễ hội", due=date(2025, 3, 10))
    for question in ("việc 7 đã xong chưa?", "viec 7 co vuong gi ko", "tiến độ việc 7 thế nào?"):
        before = len(office.fake.messages_to(LAN))
        office.fake.push_text(LAN, question, first_name="Lan")
        answer = await office.said(LAN, before + 1)
        assert "7" in answer["text"], question
        assert "chưa xong" in answer["text"], question
    assert office.task(task).status is TaskStatus.OPEN
    office.session.expire_all()
    assert office.session.exec(select(TaskEvent)).all() == []


async def test_a_named_task_done_twice_changes_nothing_the_second_time(office: Office) -> None:
    await _joined(office)
    first = office.ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    other = office.ward.task("11", "Báo cáo dân số", due=date(2025, 3, 20))
    office.fake.push_text(MINH, "việc 1 xong rồi")
    done = await office.said(MINH, 2)
    assert done["text"].startswith("✅")
    office.fake.push_text(MINH, "việc 1 xong rồi")
    again = await office.said(MINH, 3)
    assert again["text"] == translate(
        "vi", messages.ALREADY_DONE_TODAY, code="1", time="08:00"
    )  # "Việc 1 đã ghi hoàn thành lúc 08:00 hôm nay"
    assert len(office.events(EventKind.DONE)) == 1
    assert office.task(first).status is TaskStatus.DONE
    assert office.task(other).status is TaskStatus.OPEN  # never another task instead


async def test_undo_restores_status_progress_blocker_and_reminders(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    scheduled = office._occurrence(task).next_reminder_at
    office.fake.push_text(MINH, "được 60% rồi", reply_to=reminder["message_id"])
    await office.said(MINH, 3)
    office.fake.push_text(MINH, "vướng: chưa có kinh phí", reply_to=reminder["message_id"])
    blocked = await office.said(MINH, 4)
    assert office.task(task).status is TaskStatus.BLOCKED
    (undo_row,) = blocked["reply_markup"]["inline_keyboard"]
    assert undo_row[0]["text"].startswith("↩️")
    office.fake.push_press(MINH, blocked["message_id"], undo_row[0]["callback_data"])
    undone = await office.said(MINH, 5)
    assert undone["text"].startswith("↩️")
    assert (office.task(task).status, office.task(task).progress) == (TaskStatus.OPEN, 60)
    office.fake.push_text(MINH, "nhầm rồi")  # the words undo the change before it too
    await office.said(MINH, 6)
    assert (office.task(task).status, office.task(task).progress) == (TaskStatus.OPEN, 0)
    office.fake.push_press(MINH, reminder["message_id"], _button(reminder, "done"))
    await office.fake.wait_calls("editMessageText")
    edited = office.fake.message(MINH, reminder["message_id"])
    (row,) = edited["reply_markup"]["inline_keyboard"]
    assert office.task(task).status is TaskStatus.DONE
    assert office._occurrence(task).next_reminder_at is None
    office.fake.push_press(MINH, reminder["message_id"], row[0]["callback_data"])
    await office.said(MINH, 7)
    assert office.task(task).status is TaskStatus.OPEN
    assert office._occurrence(task).next_reminder_at == scheduled  # the reminders resume
    kinds = [e.kind for e in office.events(EventKind.UNDONE)]
    assert len(kinds) == 3


async def test_undo_lasts_thirty_minutes_of_real_time(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.push_text(MINH, "việc 2.1 xong rồi")
    done = await office.said(MINH, 2)
    (row,) = done["reply_markup"]["inline_keyboard"]
    office.clock.advance(days=3)  # dondoc's (demo) clock runs ahead: the undo does not expire
    office.fake.push_press(MINH, done["message_id"], row[0]["callback_data"])
    await office.said(MINH, 3)
    assert office.task(task).status is TaskStatus.OPEN


async def test_the_chair_reopens_a_task_with_mo(office: Office) -> None:
    await _joined(office)
    task = office.ward.task("3", "Tổng kết", due=date(2025, 3, 10))
    office.fake.push_text(MINH, "việc 3 xong rồi")
    await office.said(MINH, 2)
    office.fake.push_text(TUAN, "/mo 3", first_name="Tuấn")
    refused = await office.said(TUAN, 1)
    assert "Chủ tịch" in refused["text"] or "chủ tịch" in refused["text"]
    office.fake.push_text(LAN, "/mo 3", first_name="Lan")
    reopened = await office.said(LAN, 1)
    assert reopened["text"].startswith("🔓")
    assert office.task(task).status is TaskStatus.OPEN
    assert [e.kind for e in office.events(EventKind.REOPENED)] == [EventKind.REOPENED]
    assert office._occurrence(task).next_reminder_at is not None


async def test_the_chairs_filtered_questions_list_only_what_matches(office: Office) -> None:
    office.ward.task("1", "Lễ hội", due=date(2025, 3, 5))
    office.ward.task("2", "Đo đạc đất", unit=office.ward.dia_chinh, due=date(2025, 3, 6))
    office.ward.task("3", "Tuyên truyền", due=date(2025, 11, 20))
    asked = {
        "phòng văn hóa còn gì?": {"1", "3"},
        "CCĐCXD còn việc gì?": {"2"},
        "anh Tuấn còn việc gì?": {"2"},
        "quý 4 còn gì?": {"3"},
        "tuần này đến hạn gì?": {"1", "2"},
    }
    for question, codes in asked.items():
        before = len(office.fake.messages_to(LAN))
        office.fake.push_text(LAN, question, first_name="Lan")
        answer = (await office.said(LAN, before + 1))["text"]
        shown = {line.split()[1] for line in answer.splitlines()[1:] if line.startswith("•")}
        assert shown == codes, (question, answer)
    office.fake.push_text(LAN, "đã xong bao nhiêu?", first_name="Lan")
    rate = await office.said(LAN, len(asked) + 1)
    assert rate["text"] == "📊 Đã xong 0/3 việc (0%)."
