"""Issue 12 on Zalo (the fake Bot Platform, the real conversation and dispatcher): a question
leaves the task open, a second done changes nothing, "↩️ Hoàn tác" (a numbered choice) and the
words take a change back with its reminders, the chair reopens with /mo, and her filtered
questions list only what matches."""

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.zalo.client import ZaloClient
from bot.zalo.inbox import Inbox
from bot.zalo.runner import running
from bot.zalo.store import ZaloStore
from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from locales import translate
from models import Channel, EventKind, Occurrence, Task, TaskEvent, TaskStatus
from services.reminding.reminders import scan, schedule_occurrences
from tests.support.clock import HCM, FakeClock
from tests.support.fake_zalo import TOKEN, FakeZalo, RunningFake
from tests.support.ward import Ward

MINH = "6ede9afa66b88fe6d6a9"
TUAN = "0f1e2d3c4b5a69788796"
LAN = "a1b2c3d4e5f60718293a"


@dataclass
class Office:
    """The ward on Zalo: Lan (chair), Minh and Tuấn bound; the dispatcher delivers."""

    ward: Ward
    fake: FakeZalo
    dispatcher: Dispatcher
    engine: Engine
    clock: FakeClock

    def task(self, code: str, title: str, *, due: date, tuan: bool = False) -> Task:
        with Session(self.engine, expire_on_commit=False) as session:
            self.ward.session = session
            unit = self.ward.dia_chinh if tuan else self.ward.vhxh
            task = self.ward.task(code, title, unit=unit, due=due)
            schedule_occurrences(session, self.clock, session.exec(select(Occurrence)).all())
            session.commit()
            return task

    def state(self, task: Task) -> tuple[TaskStatus, int, datetime | None]:
        with Session(self.engine) as session:
            found = session.get(Task, task.id)
            assert found is not None
            occurrence = session.exec(
                select(Occurrence).where(Occurrence.task_id == task.id)
            ).one()
            return found.status, found.progress, occurrence.next_reminder_at

    def events(self, kind: EventKind) -> list[TaskEvent]:
        with Session(self.engine) as session:
            return list(session.exec(select(TaskEvent).where(TaskEvent.kind == kind)))

    async def says(self, who: str, words: str) -> str:
        """`who` writes `words`; the bot's answer."""
        before = len(self.fake.texts_to(who))
        self.fake.push_text(who, words)
        return (await self.fake.wait_texts(who, before + 1))[-1]


@pytest.fixture
async def office(
    zalo: RunningFake, engine: Engine, clock: FakeClock, tmp_path: Path
) -> AsyncIterator[Office]:
    with Session(engine, expire_on_commit=False) as session:
        ward = Ward.build(session, clock)
        ward.bind(ward.chair, user_id=LAN, channel=Channel.ZALO)
        ward.bind(ward.officer("minh"), user_id=MINH, channel=Channel.ZALO)
        ward.bind(ward.officer("tuan"), user_id=TUAN, channel=Channel.ZALO)
    conversation = Conversation(engine, clock, evidence_dir=tmp_path)
    inbox = Inbox(
        client=ZaloClient(TOKEN, base_url=zalo.base_url, backoff=0.01),
        store=ZaloStore(JobRunner(engine), clock),
        conversation=conversation,
        locale_of=conversation.locale_of,
    )
    async with running(inbox, poll_timeout=1, retry_delay=0.01) as sender:
        dispatcher = Dispatcher(JobRunner(engine), clock, {Channel.ZALO: sender})
        yield Office(ward, zalo.fake, dispatcher, engine, clock)


async def test_a_question_is_answered_and_leaves_the_task_open(office: Office) -> None:
    task = office.task("7", "Tổ chức lễ hội", due=date(2025, 3, 10))
    for who, question in (
        (LAN, "việc 7 đã xong chưa?"),
        (LAN, "viec 7 co vuong gi ko"),
        (MINH, "việc 7 xong rồi à"),
        (MINH, "tiến độ việc 7 thế nào?"),
    ):
        answer = await office.says(who, question)
        assert "Việc 7" in answer, question
        assert "chưa xong" in answer, question
    assert office.state(task)[:2] == (TaskStatus.OPEN, 0)
    with Session(office.engine) as session:
        assert session.exec(select(TaskEvent)).all() == []


async def test_a_named_task_done_twice_changes_nothing_the_second_time(office: Office) -> None:
    first = office.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    other = office.task("11", "Báo cáo dân số", due=date(2025, 3, 20))
    assert (await office.says(MINH, "việc 1 xong rồi")).startswith("✅")
    again = await office.says(MINH, "việc 1 xong rồi")
    assert again == translate("vi", messages.ALREADY_DONE_TODAY, code="1", time="08:00")
    assert len(office.events(EventKind.DONE)) == 1
    assert office.state(first)[0] is TaskStatus.DONE
    assert office.state(other)[0] is TaskStatus.OPEN  # never another task instead


async def test_undo_restores_status_progress_blocker_and_reminders(office: Office) -> None:
    task = office.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    scheduled = office.state(task)[2]
    assert scheduled is not None
    await office.says(MINH, "việc 2.1 được 60% rồi")
    blocked = await office.says(MINH, "việc 2.1 vướng: chưa có kinh phí")
    assert "1 ↩️ Hoàn tác" in blocked  # the button, as a numbered choice
    assert office.state(task)[:2] == (TaskStatus.BLOCKED, 60)
    assert (await office.says(MINH, "1")).startswith("↩️")
    assert office.state(task)[:2] == (TaskStatus.OPEN, 60)
    assert (await office.says(MINH, "undo")).startswith("↩️")  # the change before it too
    assert office.state(task)[:2] == (TaskStatus.OPEN, 0)
    await office.says(MINH, "việc 2.1 xong rồi")
    assert office.state(task) == (TaskStatus.DONE, 100, None)
    assert (await office.says(MINH, "nhầm rồi")).startswith("↩️")
    assert office.state(task) == (TaskStatus.OPEN, 0, scheduled)  # the reminders resume
    assert len(office.events(EventKind.UNDONE)) == 3


async def test_the_chair_reopens_a_task_with_mo_and_an_officer_cannot(office: Office) -> None:
    task = office.task("3", "Tổng kết", due=date(2025, 3, 10))
    await office.says(MINH, "việc 3 xong rồi")
    assert "Chủ tịch" in await office.says(MINH, "/mo 3")
    assert office.state(task)[0] is TaskStatus.DONE
    assert (await office.says(LAN, "/mo 3")).startswith("🔓")
    status, _, next_reminder = office.state(task)
    assert status is TaskStatus.OPEN
    assert next_reminder is not None  # the reminders resume
    assert len(office.events(EventKind.REOPENED)) == 1


async def test_the_chairs_filtered_questions_list_only_what_matches(office: Office) -> None:
    office.task("1", "Lễ hội", due=date(2025, 3, 5))
    office.task("2", "Đo đạc đất", due=date(2025, 3, 6), tuan=True)
    office.task("3", "Tuyên truyền", due=date(2025, 11, 20))
    asked = {
        "phòng văn hóa còn gì?": {"1", "3"},
        "/quahan CCĐCXD": set(),
        "CCĐCXD còn việc gì?": {"2"},
        "anh Tuấn còn việc gì?": {"2"},
        "quý 4 còn gì?": {"3"},
        "tuần này đến hạn gì?": {"1", "2"},
        "sắp đến hạn": {"1", "2"},
    }
    for question, codes in asked.items():
        answer = await office.says(LAN, question)
        shown = {line.split()[1] for line in answer.splitlines()[1:] if line.startswith("•")}
        assert shown == codes, (question, answer)
    office.clock.move_to(datetime(2025, 3, 7, 9, 0, tzinfo=HCM))
    with Session(office.engine) as session:
        scan(session, office.clock)
    late = await office.says(LAN, "/quahan CCĐCXD")
    assert {line.split()[1] for line in late.splitlines()[1:] if "Đo đạc" in line} == {"2"}
    assert "Lễ hội" not in late
    assert await office.says(LAN, "đã xong bao nhiêu?") == "📊 Đã xong 0/3 việc (0%)."


async def test_two_tasks_done_at_once_number_their_undo_apart(office: Office) -> None:
    """ "Việc 3 và 4 xong rồi" closes both in one message whose choices are "1 ↩️ Việc 3" and
    "2 ↩️ Việc 4" (two messages each ending "1 ↩️ Hoàn tác" gave one number two meanings)."""
    three = office.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = office.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    done = await office.says(MINH, "việc 3 và 4 xong rồi")
    assert "1 ↩️ Việc 3" in done
    assert "2 ↩️ Việc 4" in done
    assert (await office.says(MINH, "1")).startswith("↩️")
    assert office.state(three)[0] is TaskStatus.OPEN
    assert office.state(four)[0] is TaskStatus.DONE
