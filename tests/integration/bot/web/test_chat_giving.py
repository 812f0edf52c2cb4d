"""Issue 14 in the web chat (the real conversation behind the pages): the chair gives a task in
words with a deadline phrase, sees the date said back and confirms with ✅; Minh is told and his
reminder is planned by the policy; the chair re-dates, cancels and reopens it with commands; each
step is in the history, by her, through the web; an officer can do none of it."""

import html
import re
from datetime import date, datetime

from sqlmodel import Session, col, select

from locales import translate
from models import Channel, EventKind, Occurrence, Outbox, Task, TaskEvent, TaskStatus
from services.errors import NotAllowed
from tests.integration.bot.web.conftest import Browser, Site
from tests.support.clock import HCM
from tests.support.ward import Ward

_BOT = re.compile(r'<div class="msg bot" id="m-(\d+)">\s*<div class="lines">(.*?)</div>', re.S)
_LINE = re.compile(r"<p>(.*?)</p>", re.S)
_CONFIRM = re.compile(r'name="action" value="confirm">\s*<input type="hidden" name="token" '
                      r'value="([^"]+)">')  # fmt: skip


async def _says(browser: Browser, words: str) -> tuple[str, str]:
    """Send `words` in the chat: the bot's last message, line by line, and the page."""
    response = await browser.post("/chat/send", {"text": words})
    page = await browser.get(response.headers["location"])
    _, last = _BOT.findall(page.text)[-1]
    return "\n".join(html.unescape(line) for line in _LINE.findall(last)), page.text


def _task(session: Session) -> Task:
    session.expire_all()
    return session.exec(select(Task).where(Task.code == "V1")).one()


async def test_the_chair_gives_redates_cancels_and_reopens_a_task_in_the_web_chat(
    talking: Site, ward: Ward, session: Session
) -> None:
    async with talking.browser() as client:
        chair = Browser(client)
        await chair.sign_in(ward.chair)
        said, page = await _says(
            chair, "giao anh Minh rà soát thủ tục hành chính, xong trước 15/3"
        )
        assert "14/03/2025" in said  # said back before anything is stored
        assert session.exec(select(Task)).all() == []
        token = _CONFIRM.findall(page)[-1]
        await chair.post("/chat/press", {"action": "confirm", "token": token})
        task = _task(session)
        assert (task.title, task.due) == ("Rà soát thủ tục hành chính", date(2025, 3, 14))
        minh = ward.officer("minh")
        told = session.exec(select(Outbox).where(Outbox.officer_id == minh.id)).all()
        assert any("gives your unit" in str(row.payload) for row in told)
        occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
        assert occurrence.next_reminder_at == datetime(2025, 3, 7, 7, 30, tzinfo=HCM)

        said, page = await _says(chair, "/doihan V1 Quý II/2025")
        assert "30/06/2025" in said  # said back before it is stored
        assert _task(session).due == date(2025, 3, 14)
        await chair.post("/chat/press", {"action": "confirm", "token": _CONFIRM.findall(page)[-1]})
        assert _task(session).due == date(2025, 6, 30)
        await _says(chair, "/huyviec V1 trùng với kế hoạch quý")
        assert _task(session).status is TaskStatus.CANCELLED
        await _says(chair, "/mo V1")
        assert (_task(session).status, _task(session).due) == (
            TaskStatus.OPEN,
            date(2025, 6, 30),
        )
    async with talking.browser() as client:
        officer = Browser(client)
        await officer.sign_in(ward.officer("tuan"))
        refusal = translate("vi", NotAllowed.msgid)
        for words in (
            "/giao anh Minh báo cáo sơ kết, xong trước 20/7",
            "/doihan V1 31/12/2025",
            "/giaolai V1 CCĐCXD",
            "/huyviec V1 không cần",
            "/mo V1",
        ):
            assert (await _says(officer, words))[0] == refusal, words
    assert len(session.exec(select(Task)).all()) == 1
    assert (_task(session).status, _task(session).due) == (TaskStatus.OPEN, date(2025, 6, 30))
    events = session.exec(
        select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(col(TaskEvent.id))
    ).all()
    assert [(e.kind, e.channel, e.officer_id) for e in events] == [
        (EventKind.CREATED, Channel.WEB, ward.chair.id),
        (EventKind.UPDATED, Channel.WEB, ward.chair.id),
        (EventKind.CANCELLED, Channel.WEB, ward.chair.id),
        (EventKind.REOPENED, Channel.WEB, ward.chair.id),
    ]
