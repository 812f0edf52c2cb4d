"""The web chat with the real conversation behind it: a question is answered and changes
nothing, a change is offered "↩️ Hoàn tác" and the button takes it back."""

import re
from datetime import date

from sqlmodel import Session, col, select

from models import EventKind, Task, TaskEvent, TaskStatus
from tests.integration.bot.web.conftest import Browser, Site
from tests.support.ward import Ward

UNDO = re.compile(r'name="action" value="undo">\s*<input type="hidden" name="token" value="(\w+)"')


def _status(session: Session, task: Task) -> TaskStatus:
    session.expire_all()
    found = session.get(Task, task.id)
    assert found is not None
    return found.status


async def test_a_question_in_the_web_chat_changes_nothing_and_a_change_can_be_undone(
    talking: Site, ward: Ward, session: Session
) -> None:
    task = ward.task("7", "Tổ chức lễ hội", due=date(2025, 3, 10))
    async with talking.browser() as client:
        browser = Browser(client)
        await browser.sign_in(ward.officer("minh"))
        response = await browser.post("/chat/send", {"text": "việc 7 đã xong chưa ạ?"})
        page = await browser.get(response.headers["location"])
        assert "chưa xong" in page.text
        assert _status(session, task) is TaskStatus.OPEN
        response = await browser.post("/chat/send", {"text": "việc 7 xong rồi"})
        page = await browser.get(response.headers["location"])
        assert _status(session, task) is TaskStatus.DONE
        assert "↩️ Hoàn tác" in page.text
        token = UNDO.findall(page.text)[-1]
        response = await browser.post("/chat/press", {"action": "undo", "token": token})
        assert response.status_code in (204, 303)
    assert _status(session, task) is TaskStatus.OPEN
    kinds = [e.kind for e in session.exec(select(TaskEvent).order_by(col(TaskEvent.id)))]
    assert kinds == [EventKind.DONE, EventKind.UNDONE]
