"""The Zalo channel end to end: the real conversation layer, the reminder scan and the
dispatcher, talking to the fake Zalo Bot Platform — an officer binds with the invite code, gets a
reminder with numbered choices, answers "1", and the chair sees it; a blocker told in words
reaches the chair at once."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation.engine import Conversation
from bot.zalo.client import ZaloClient
from bot.zalo.inbox import Inbox
from bot.zalo.runner import running
from bot.zalo.store import ZaloStore
from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from locales import translate
from models import (
    Channel,
    ChannelIdentity,
    EventKind,
    Occurrence,
    Task,
    TaskEvent,
    TaskStatus,
)
from services.people.invites import create_invite
from services.reminding.reminders import scan, schedule_occurrences
from tests.support.clock import HCM, FakeClock
from tests.support.fake_zalo import TOKEN, RunningFake
from tests.support.ward import Ward

MINH = "6ede9afa66b88fe6d6a9"  # Zalo ids are opaque hex strings scoped to the bot
LAN = "a1b2c3d4e5f60718293a"
SUMMARY_COUNTS = "📋 {total} tasks: {done} done, {open} open, {blocked} blocked, {late} overdue."


@dataclass
class Office:
    """The ward, its Zalo bot running, and the dispatcher that delivers the outbox."""

    ward: Ward
    code: str
    dispatcher: Dispatcher
    engine: Engine
    clock: FakeClock

    def scan(self) -> None:
        with Session(self.engine) as session:
            scan(session, self.clock)

    def occurrence(self) -> Occurrence:
        with Session(self.engine) as session:
            return session.exec(select(Occurrence)).one()

    def events(self) -> list[TaskEvent]:
        with Session(self.engine) as session:
            return list(session.exec(select(TaskEvent)).all())


@pytest.fixture
async def office(
    zalo: RunningFake,
    engine: Engine,
    clock: FakeClock,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> AsyncIterator[Office]:
    """Phường Bắc Sơn with task 1 due Monday 17/3, Minh invited, Lan bound on Zalo (with the
    web pages' public address when parametrized indirectly with one)."""
    with Session(engine, expire_on_commit=False) as session:
        ward = Ward.build(session, clock)
        ward.task("1", "Báo cáo công tác dân số", due=date(2025, 3, 17))
        schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
        session.commit()
        ward.bind(ward.chair, user_id=LAN, channel=Channel.ZALO)
        code = create_invite(session, clock, ward.admin, "Phạm Văn Minh").code
    conversation = Conversation(engine, clock, evidence_dir=tmp_path)
    store = ZaloStore(JobRunner(engine), clock)
    inbox = Inbox(
        client=ZaloClient(TOKEN, base_url=zalo.base_url, backoff=0.01),
        store=store,
        conversation=conversation,
        locale_of=conversation.locale_of,
        files_url=getattr(request, "param", None),
    )
    async with running(inbox, poll_timeout=1, retry_delay=0.01) as sender:
        dispatcher = Dispatcher(JobRunner(engine), clock, {Channel.ZALO: sender})
        yield Office(ward, code, dispatcher, engine, clock)


async def test_bind_remind_answer_1_and_the_chair_sees_it(
    zalo: RunningFake, office: Office
) -> None:
    fake = zalo.fake
    fake.push_text(MINH, office.code, name="Minh")
    (welcome,) = await fake.wait_texts(MINH)
    assert "Phạm Văn Minh" in welcome
    with Session(office.engine) as session:
        identity = session.exec(
            select(ChannelIdentity).where(ChannelIdentity.external_id == MINH)
        ).one()
    assert (identity.channel, identity.chat_id) == (Channel.ZALO, MINH)

    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))  # a week before it is due
    office.scan()
    assert await office.dispatcher.run_until_idle() == 2  # Minh's reminder, Lan's summary
    reminder = fake.texts_to(MINH)[-1]
    assert "Báo cáo công tác dân số" in reminder
    assert "1 ✅ Xong · 2 📊 Tiến độ · 3 🚧 Vướng mắc" in reminder
    assert "4 📅 Gia hạn · 5 ⏰ Nhắc sau" in reminder

    fake.push_text(MINH, "1")
    texts = await fake.wait_texts(MINH, 3)
    assert "Báo cáo công tác dân số" in texts[-1]  # "✅ task 1 … recorded as done"
    assert "✅" in texts[-1]
    assert office.occurrence().status is TaskStatus.DONE
    (done,) = [e for e in office.events() if e.kind is EventKind.DONE]
    assert done.channel is Channel.ZALO

    before = len(fake.texts_to(LAN))
    fake.push_text(LAN, "/tonghop", name="Lan")
    summary = (await fake.wait_texts(LAN, before + 1))[-1]
    counts = dict(total=1, done=1, open=0, blocked=0, late=0)
    assert translate("vi", SUMMARY_COUNTS, **counts) in summary


async def test_a_blocker_in_words_reaches_the_chair(zalo: RunningFake, office: Office) -> None:
    fake = zalo.fake
    fake.push_text(MINH, office.code)
    await fake.wait_texts(MINH)
    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    office.scan()
    await office.dispatcher.run_until_idle()
    lan_before = len(fake.texts_to(LAN))

    fake.push_text(MINH, "3")  # 🚧 Vướng mắc: the bot asks what blocks it
    await fake.wait_texts(MINH, 3)
    fake.push_text(MINH, "chưa có kinh phí")  # the answer, in words
    await fake.wait_texts(MINH, 4)
    assert office.occurrence().status is TaskStatus.BLOCKED
    (reported,) = [e for e in office.events() if e.kind is EventKind.BLOCKER_REPORTED]
    assert reported.payload["reason"] == "chưa có kinh phí"
    assert reported.channel is Channel.ZALO

    await office.dispatcher.run_until_idle()
    told = fake.texts_to(LAN)[lan_before:]
    assert len(told) == 1
    assert "chưa có kinh phí" in told[0]
    assert "Phạm Văn Minh" in told[0]


async def test_a_blocker_said_straight_away_reaches_the_chair(
    zalo: RunningFake, office: Office
) -> None:
    fake = zalo.fake
    fake.push_text(MINH, office.code)
    await fake.wait_texts(MINH)
    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    office.scan()
    await office.dispatcher.run_until_idle()
    lan_before = len(fake.texts_to(LAN))
    fake.push_text(MINH, "vướng: chưa có kinh phí")
    await fake.wait_texts(MINH, 3)
    assert office.occurrence().status is TaskStatus.BLOCKED
    await office.dispatcher.run_until_idle()
    (told,) = fake.texts_to(LAN)[lan_before:]
    assert "chưa có kinh phí" in told


async def test_a_wrong_code_binds_nobody(zalo: RunningFake, office: Office) -> None:
    zalo.fake.push_text(MINH, "ABCD-EFGH")
    await zalo.fake.wait_texts(MINH)
    with Session(office.engine) as session:
        assert (
            session.exec(
                select(ChannelIdentity).where(ChannelIdentity.external_id == MINH)
            ).first()
            is None
        )


async def test_later_then_a_numbered_moment_snoozes_the_reminder(
    zalo: RunningFake, office: Office
) -> None:
    fake = zalo.fake
    fake.push_text(MINH, office.code)
    await fake.wait_texts(MINH)
    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    office.scan()
    await office.dispatcher.run_until_idle()

    fake.push_text(MINH, "5")  # ⏰ Nhắc sau: the bot offers moments, numbered
    moments = (await fake.wait_texts(MINH, 3))[-1]
    assert "1 " in moments
    assert "2 " in moments
    fake.push_text(MINH, "2")  # tomorrow, 08:00
    confirmed = (await fake.wait_texts(MINH, 4))[-1]
    assert "08:00 11/03/2025" in confirmed
    assert office.occurrence().snoozed_until == datetime(2025, 3, 11, 8, 0, tzinfo=HCM)
    fake.push_text(MINH, "2")  # the moments are spent: this is text now, not "tomorrow" again
    await fake.wait_texts(MINH, 5)
    snoozes = [e for e in office.events() if e.kind is EventKind.SNOOZED]
    assert len(snoozes) == 1


async def test_an_extension_asked_in_words_is_granted_by_the_chair_with_1(
    zalo: RunningFake, office: Office
) -> None:
    fake = zalo.fake
    fake.push_text(MINH, office.code)
    await fake.wait_texts(MINH)
    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    office.scan()
    await office.dispatcher.run_until_idle()
    lan_before = len(fake.texts_to(LAN))

    fake.push_text(MINH, "4")  # 📅 Gia hạn: the bot asks until when, and why
    await fake.wait_texts(MINH, 3)
    fake.push_text(MINH, "24/3, chờ kinh phí")
    await fake.wait_texts(MINH, 4)
    await office.dispatcher.run_until_idle()
    (request,) = fake.texts_to(LAN)[lan_before:]
    assert "24/03/2025" in request
    assert "1 ✅" in request
    assert "2 ❌" in request

    fake.push_text(LAN, "1", name="Lan")  # approve
    await fake.wait_texts(LAN, lan_before + 2)
    await office.dispatcher.run_until_idle()
    assert office.occurrence().due == date(2025, 3, 24)
    kinds = [e.kind for e in office.events()]
    assert EventKind.EXTENSION_GRANTED in kinds
    told = fake.texts_to(MINH)[-1]
    assert "24/03/2025" in told


async def test_done_in_words_with_two_tasks_asks_which_and_2_picks_the_second(
    zalo: RunningFake, office: Office
) -> None:
    fake = zalo.fake
    with Session(office.engine, expire_on_commit=False) as session:
        office.ward.session = session
        office.ward.task("2", "Kiểm tra vệ sinh an toàn thực phẩm", due=date(2025, 3, 17))
        schedule_occurrences(session, office.clock, session.exec(select(Occurrence)).all())
        session.commit()
    fake.push_text(MINH, office.code)
    await fake.wait_texts(MINH)
    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    office.scan()
    await office.dispatcher.run_until_idle()
    digest = fake.texts_to(MINH)[-1]
    assert "1 ✅ Xong · 2 📊 Tiến độ · 3 🚧 Vướng mắc" in digest  # the most urgent, labelled
    assert "6 📋 2. Kiểm tra vệ sinh an toàn thực phẩm" in digest  # the other, to choose

    fake.push_text(MINH, "xong rồi")  # which one?
    which = (await fake.wait_texts(MINH, 3))[-1]
    assert "\n• 1: Báo cáo công tác dân số\n• 2: Kiểm tra" in which
    assert "Việc 2" not in which  # offered by code: no numbered choices to mistake for codes
    fake.push_text(MINH, "2")
    await fake.wait_texts(MINH, 4)
    with Session(office.engine) as session:
        statuses = {
            task.code: occurrence.status
            for occurrence, task in session.exec(
                select(Occurrence, Task).where(Occurrence.task_id == Task.id)
            ).all()
        }
    assert statuses == {"1": TaskStatus.OPEN, "2": TaskStatus.DONE}


async def test_a_task_chosen_from_a_digest_list_is_answered_with_its_own_buttons(
    zalo: RunningFake, office: Office
) -> None:
    fake = zalo.fake
    with Session(office.engine, expire_on_commit=False) as session:
        office.ward.session = session
        office.ward.task("2", "Kiểm tra vệ sinh an toàn thực phẩm", due=date(2025, 3, 17))
        schedule_occurrences(session, office.clock, session.exec(select(Occurrence)).all())
        session.commit()
    fake.push_text(MINH, office.code)
    await fake.wait_texts(MINH)
    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    office.scan()
    await office.dispatcher.run_until_idle()
    assert "6 📋 2. Kiểm tra" in fake.texts_to(MINH)[-1]

    fake.push_text(MINH, "6")  # the task from the "Chọn việc" list
    opened = (await fake.wait_texts(MINH, 3))[-1]
    assert "việc 2" in opened
    assert "1 ✅ Xong" in opened
    fake.push_text(MINH, "1")
    await fake.wait_texts(MINH, 4)
    with Session(office.engine) as session:
        statuses = {
            task.code: occurrence.status
            for occurrence, task in session.exec(
                select(Occurrence, Task).where(Occurrence.task_id == Task.id)
            ).all()
        }
    assert statuses == {"1": TaskStatus.OPEN, "2": TaskStatus.DONE}


async def test_a_number_picks_what_the_screen_says_and_an_ambiguous_one_is_asked_back(
    zalo: RunningFake, office: Office
) -> None:
    """Tasks 3 and 4 (the screen lists them by code): "4" closes task 4, never the 4th line;
    under a digest of tasks 1 and 3, "3" is both a choice and a task: it is asked back."""
    fake = zalo.fake
    with Session(office.engine, expire_on_commit=False) as session:
        office.ward.session = session
        office.ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
        office.ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 17))
        schedule_occurrences(session, office.clock, session.exec(select(Occurrence)).all())
        session.commit()
    fake.push_text(MINH, office.code)
    await fake.wait_texts(MINH)
    fake.push_text(MINH, "xong rồi")
    which = (await fake.wait_texts(MINH, 2))[-1]
    assert "• 3: Phân tích số liệu\n• 4: Xây dựng kế hoạch" in which
    fake.push_text(MINH, "4")
    done = (await fake.wait_texts(MINH, 3))[-1]
    assert done.startswith("✅")
    assert "↩️ Hoàn tác" in done
    with Session(office.engine) as session:
        statuses = {
            task.code: occurrence.status
            for occurrence, task in session.exec(
                select(Occurrence, Task).where(Occurrence.task_id == Task.id)
            ).all()
        }
    assert statuses == {"1": TaskStatus.OPEN, "3": TaskStatus.OPEN, "4": TaskStatus.DONE}

    office.clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    office.scan()
    await office.dispatcher.run_until_idle()
    digest = (await fake.wait_texts(MINH, 4))[-1]
    assert "3 🚧" in digest  # choice 3 is task 1's blocker; task 3 is listed in the digest too
    assert "📋 3. Phân tích" in digest
    fake.push_text(MINH, "3")
    asked = (await fake.wait_texts(MINH, 5))[-1]
    assert "số 3" in asked
    assert "việc 3" in asked
    assert [e.kind for e in office.events()].count(EventKind.BLOCKER_REPORTED) == 0


async def test_the_chair_gives_and_redates_a_task_answering_the_preview_with_1(
    zalo: RunningFake, office: Office
) -> None:
    fake = zalo.fake

    def handmade() -> Task | None:
        with Session(office.engine) as session:
            return session.exec(select(Task).where(Task.code == "V1")).first()

    fake.push_text(LAN, "giao anh Minh rà soát thủ tục hành chính, xong trước 15/3", name="Lan")
    preview = (await fake.wait_texts(LAN))[-1]
    assert "14/03/2025" in preview  # said back before anything is stored
    assert handmade() is None
    fake.push_text(LAN, "1", name="Lan")  # ✅
    given = (await fake.wait_texts(LAN, 2))[-1]
    assert "V1" in given
    task = handmade()
    assert task is not None
    assert task.due == date(2025, 3, 14)
    fake.push_text(LAN, "/doihan V1 Quý II/2025", name="Lan")
    assert "30/06/2025" in (await fake.wait_texts(LAN, 3))[-1]
    fake.push_text(LAN, "1", name="Lan")
    await fake.wait_texts(LAN, 4)
    moved = handmade()
    assert moved is not None
    assert moved.due == date(2025, 6, 30)
    assert {(e.kind, e.channel) for e in office.events() if e.task_id == task.id} == {
        (EventKind.CREATED, Channel.ZALO),
        (EventKind.UPDATED, Channel.ZALO),
    }
