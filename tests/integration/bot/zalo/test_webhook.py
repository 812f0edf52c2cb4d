"""The Zalo webhook, mounted on a Starlette app on loopback: the fake platform POSTs updates
with the secret header, as Zalo does once setWebhook is called."""

import asyncio
from collections.abc import AsyncIterator
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select
from starlette.applications import Starlette

from bot.conversation.incoming import Incoming
from bot.zalo.inbox import Inbox
from bot.zalo.runner import running
from bot.zalo.webhook import webhook_route
from models.inbound import InboundUpdate
from services.messages import Reply
from tests.support.fake_server import serve_app
from tests.support.fake_zalo import RunningFake
from tests.support.ports import free_port
from tests.support.scripted_conversation import ScriptedConversation, echo

MINH = "6ede9afa66b88fe6d6a9"
SECRET = "a-long-webhook-secret"


@pytest.fixture
async def webhook_url(inbox: Inbox) -> AsyncIterator[str]:
    """The web app, with the Zalo webhook mounted, serving on loopback; its webhook URL."""
    url = f"http://127.0.0.1:{free_port()}/zalo/webhook"
    route = webhook_route(inbox, webhook_url=url, secret=SECRET)
    async with serve_app(Starlette(routes=[route]), urlsplit(url).port):
        yield url


@pytest.fixture
async def registered(inbox: Inbox, webhook_url: str) -> AsyncIterator[str]:
    """The adapter started in webhook mode (setWebhook done); the URL."""
    async with running(inbox, webhook_url=webhook_url, secret=SECRET, retry_delay=0.01):
        yield webhook_url


def stored(engine: Engine) -> list[InboundUpdate]:
    with Session(engine) as session:
        return list(session.exec(select(InboundUpdate)).all())


async def until_registered(zalo: RunningFake) -> None:
    await zalo.fake.wait_for(lambda: bool(zalo.fake.webhook_url))


async def test_start_registers_the_webhook_with_its_secret(
    zalo: RunningFake, registered: str
) -> None:
    await until_registered(zalo)
    (call,) = zalo.fake.calls_of("setWebhook")
    assert call.params == {"url": registered, "secret_token": SECRET}
    assert zalo.fake.calls_of("getUpdates") == []


async def test_an_update_is_acknowledged_then_answered(
    zalo: RunningFake, conversation: ScriptedConversation, registered: str, engine: Engine
) -> None:
    release = asyncio.Event()

    async def slow(incoming: Incoming) -> list[Reply]:
        await release.wait()
        return await echo(incoming)

    conversation.script = slow
    await until_registered(zalo)
    response = await zalo.fake.post_webhook(zalo.fake.text_update(MINH, "Xin chào"))
    assert response.status_code == 200  # before the conversation has answered
    assert len(stored(engine)) == 1
    release.set()
    assert await zalo.fake.wait_texts(MINH) == ["You said: Xin chào"]


async def test_a_wrong_secret_is_refused_and_nothing_is_stored(
    zalo: RunningFake, conversation: ScriptedConversation, registered: str, engine: Engine
) -> None:
    await until_registered(zalo)
    update = zalo.fake.text_update(MINH, "forged")
    for secret in ["not-the-secret", ""]:
        response = await zalo.fake.post_webhook(update, secret=secret)
        assert response.status_code == 401
    async with httpx.AsyncClient() as http:
        response = await http.post(registered, json=update)  # no header at all
    assert response.status_code == 401
    assert stored(engine) == []
    assert conversation.received == []


async def test_a_repeated_delivery_is_processed_once(
    zalo: RunningFake, conversation: ScriptedConversation, registered: str, engine: Engine
) -> None:
    await until_registered(zalo)
    update = zalo.fake.text_update(MINH, "xong", message_id="dup-1")
    first = await zalo.fake.post_webhook(update)
    again = await zalo.fake.post_webhook(update)
    assert (first.status_code, again.status_code) == (200, 200)
    await zalo.fake.post_webhook(zalo.fake.text_update(MINH, "next"))
    assert await zalo.fake.wait_texts(MINH, 2) == ["You said: xong", "You said: next"]
    assert [i.text for i in conversation.received] == ["xong", "next"]
    assert len(stored(engine)) == 2


async def test_a_wrapped_body_is_accepted(
    zalo: RunningFake, conversation: ScriptedConversation, registered: str
) -> None:
    await until_registered(zalo)
    response = await zalo.fake.post_webhook(zalo.fake.text_update(MINH, "bọc", wrapped=True))
    assert response.status_code == 200
    assert await zalo.fake.wait_texts(MINH) == ["You said: bọc"]


def test_a_webhook_needs_a_secret(inbox: Inbox) -> None:
    with pytest.raises(ValueError, match="secret"):
        webhook_route(inbox, webhook_url="https://x.test/zalo", secret="")


async def test_a_webhook_zalo_refuses_is_reported_not_retried(
    zalo: RunningFake, inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    async with running(inbox, webhook_url="https://ward.example/zalo", secret="short"):
        await zalo.fake.wait_for(lambda: len(zalo.fake.calls_of("setWebhook")) == 1)
        await asyncio.sleep(0.05)  # a retry, if any, would come within this
    assert len(zalo.fake.calls_of("setWebhook")) == 1
    assert zalo.fake.webhook_url == ""
    assert "refuses to start" in caplog.text
