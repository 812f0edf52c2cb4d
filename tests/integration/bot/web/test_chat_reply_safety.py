"""Issue 12 in the web chat (the real conversation behind the pages): a second done changes
nothing, the words take a change back with its reminders, a number picks the task the screen
lists under that code, the chair reopens with /mo (an officer cannot) and her filtered questions
list only what matches."""

import html
import re
from datetime import date, datetime

from sqlmodel import Session, select

from bot.conversation import messages
from locales import translate
from models import EventKind, Occurrence, Task, TaskEvent, TaskStatus
from services.reminding.reminders import schedule_occurrences
from tests.integration.bot.web.conftest import Browser, Site
from tests.support.ward import Ward

_BOT = re.compile(r'<div class="msg bot" id="m-\d+">\s*<div class="lines">(.*?)</div>', re.S)
_LINE = re.compile(r"<p>(.*?)</p>", re.S)


async def _says(browser: Browser, words: str) -> str:
    """Send `words` in the chat; the bot's last message, line by line."""
    response = await browser.post("/chat/send", {"text": words})
    page = await browser.get(response.headers["location"])
    last = _BOT.findall(page.text)[-1]
    return "\n".join(html.unescape(line) for line in _LINE.findall(last))


def _state(session: Session, task: Task) -> tuple[TaskStatus, int, datetime | None]:
    session.expire_all()
    found = session.get(Task, task.id)
    assert found is not None
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    return found.status, found.progress, occurrence.next_reminder_at


def _kinds(session: Session) -> list[EventKind]:
    return [e.kind for e in session.exec(select(TaskEvent).order_by(TaskEvent.id))]  # type: ignore[arg-type]


async def test_a_named_task_done_twice_changes_nothing_the_second_time(
    talking: Site, ward: Ward, session: Session
) -> None:
    first = ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    other = ward.task("11", "Báo cáo dân số", due=date(2025, 3, 20))
    async with talking.browser() as client:
        browser = Browser(client)
        await browser.sign_in(ward.officer("minh"))
        assert (await _says(browser, "việc 1 xong rồi")).startswith("✅")
        again = await _says(browser, "việc 1 xong rồi")
    assert again == translate("vi", messages.ALREADY_DONE_TODAY, code="1", time="08:00")
    assert _kinds(session) == [EventKind.DONE]
    assert _state(session, first)[0] is TaskStatus.DONE
    assert _state(session, other)[0] is TaskStatus.OPEN


async def test_the_words_undo_status_progress_blocker_and_reminders(
    talking: Site, ward: Ward, session: Session
) -> None:
    task = ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    schedule_occurrences(session, talking.clock, session.exec(select(Occurrence)).all())
    session.commit()
    scheduled = _state(session, task)[2]
    assert scheduled is not None
    async with talking.browser() as client:
        browser = Browser(client)
        await browser.sign_in(ward.officer("minh"))
        await _says(browser, "việc 2.1 được 60%")
        await _says(browser, "việc 2.1 vướng: chưa có kinh phí")
        assert _state(session, task)[:2] == (TaskStatus.BLOCKED, 60)
        assert (await _says(browser, "hoàn tác")).startswith("↩️")
        assert _state(session, task)[:2] == (TaskStatus.OPEN, 60)
        assert (await _says(browser, "nhầm rồi")).startswith("↩️")
        assert _state(session, task)[:2] == (TaskStatus.OPEN, 0)
        await _says(browser, "việc 2.1 xong rồi")
        assert _state(session, task) == (TaskStatus.DONE, 100, None)
        assert (await _says(browser, "undo")).startswith("↩️")
    assert _state(session, task) == (TaskStatus.OPEN, 0, scheduled)  # the reminders resume
    assert _kinds(session).count(EventKind.UNDONE) == 3


async def test_a_number_picks_the_task_the_screen_lists_under_that_code(
    talking: Site, ward: Ward, session: Session
) -> None:
    """The list reads "• 3: …" then "• 4: …": "4" is task 4, never the 4th line or choice 2."""
    three = ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    async with talking.browser() as client:
        browser = Browser(client)
        await browser.sign_in(ward.officer("minh"))
        which = await _says(browser, "xong rồi")
        assert "• 3: Phân tích số liệu\n• 4: Xây dựng kế hoạch" in which
        asked_again = await _says(browser, "2")  # no task 2 is listed: asked again
        assert asked_again == translate("vi", messages.WHICH_AGAIN, codes="3, 4")
        assert _state(session, three)[0] is TaskStatus.OPEN
        assert _state(session, four)[0] is TaskStatus.OPEN
        assert (await _says(browser, "4")).startswith("✅")
    assert _state(session, three)[0] is TaskStatus.OPEN
    assert _state(session, four)[0] is TaskStatus.DONE


async def test_the_chair_reopens_with_mo_an_officer_cannot_and_her_filters_hold(
    talking: Site, ward: Ward, session: Session
) -> None:
    done = ward.task("1", "Lễ hội", due=date(2025, 3, 5))
    ward.task("2", "Đo đạc đất", unit=ward.dia_chinh, due=date(2025, 3, 6))
    ward.task("3", "Tuyên truyền", due=date(2025, 11, 20))
    async with talking.browser() as client:
        minh = Browser(client)
        await minh.sign_in(ward.officer("minh"))
        await _says(minh, "việc 1 xong rồi")
        assert "Chủ tịch" in await _says(minh, "/mo 1")
    assert _state(session, done)[0] is TaskStatus.DONE
    async with talking.browser() as client:
        lan = Browser(client)
        await lan.sign_in(ward.chair)
        asked = {
            "phòng văn hóa còn gì?": {"3"},
            "CCĐCXD còn việc gì?": {"2"},
            "anh Tuấn còn việc gì?": {"2"},
            "quý 4 còn gì?": {"3"},
            "tuần này đến hạn gì?": {"2"},
        }
        for question, codes in asked.items():
            answer = await _says(lan, question)
            shown = {line.split()[1] for line in answer.splitlines()[1:] if line.startswith("•")}
            assert shown == codes, (question, answer)
        assert await _says(lan, "đã xong bao nhiêu?") == "📊 Đã xong 1/3 việc (33%)."
        assert (await _says(lan, "/mo 1")).startswith("🔓")
        assert "• 1 Lễ hội" in await _says(lan, "tuần này đến hạn gì?")
    status, _, next_reminder = _state(session, done)
    assert status is TaskStatus.OPEN
    assert next_reminder is not None
    assert _kinds(session) == [EventKind.DONE, EventKind.REOPENED]
