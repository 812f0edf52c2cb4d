"""The web chat with the real conversation behind it: a question is answered and changes
nothing, a change is offered "↩️ Hoàn tác" and the button takes it back."""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.conversation.engine import Conversation
from bot.web.app import build_web_app
from bot.web.hub import ChatHub
from bot.web.sender import WebSender
from jobs.runner import JobRunner
from models import EventKind, Task, TaskEvent, TaskStatus
from tests.integration.bot.web.conftest import Browser, Site
from tests.support.clock import HCM, FakeClock
from tests.support.scripted_conversation import ScriptedConversation
from tests.support.ward import Ward

UNDO = re.compile(r'name="action" value="undo">\s*<input type="hidden" name="token" value="(\w+)"')


@pytest.fixture
def talking(engine: Engine, clock: FakeClock, ward: Ward, tmp_path: Path) -> Site:
    """The site with dondoc's own conversation answering the chat."""
    runner = JobRunner(engine)
    sender = WebSender(runner, clock, ChatHub())
    conversation = Conversation(engine, clock, evidence_dir=tmp_path, wall=clock)
    app = build_web_app(
        runner=runner,
        clock=clock,
        conversation=conversation,
        sender=sender,
        secret_key="test-secret-key-test-secret-key",
        zone=HCM,
        demo_login=True,
        public_url="http://127.0.0.1:8080",
    )
    return Site(
        app=app, conversation=ScriptedConversation(), sender=sender, ward=ward, clock=clock
    )


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
