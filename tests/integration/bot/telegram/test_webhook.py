"""Webhook mode: setWebhook with the secret on start, and a route that refuses strangers."""

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from starlette.applications import Starlette

from bot.telegram.app import build_application
from bot.telegram.runner import running
from bot.telegram.webhook import SECRET_HEADER, webhook_route
from tests.support.fake_telegram import TOKEN, RunningFake
from tests.support.scripted_conversation import ScriptedConversation

HOOK = "https://dondoc.example.vn/telegram/hook-7f3a"
SECRET = "s3cret-token_for-the-hook"
UPDATE = {
    "update_id": 501,
    "message": {
        "message_id": 3,
        "date": 0,
        "chat": {"id": 4242, "type": "private"},
        "from": {"id": 4242, "is_bot": False, "first_name": "Minh"},
        "text": "/viec",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    },
}


@pytest.fixture
async def web(
    telegram: RunningFake, conversation: ScriptedConversation
) -> AsyncIterator[httpx.AsyncClient]:
    """The bot in webhook mode, its route mounted on a web app, and a client for that app."""
    application = build_application(
        token=TOKEN,
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
        webhook_url=HOOK,
        secret=SECRET,
    )
    async with running(application, poll_timeout=timedelta(seconds=1)):
        app = Starlette(routes=[webhook_route(application)])
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="https://dondoc.example.vn"
        ) as c:
            yield c


async def test_the_webhook_is_registered_with_its_secret_and_nothing_polls(
    telegram: RunningFake, web: httpx.AsyncClient
) -> None:
    assert telegram.fake.webhook_url == HOOK
    assert telegram.fake.webhook_secret == SECRET
    assert telegram.fake.calls_of("getUpdates") == []


async def test_an_update_with_the_secret_is_handled(
    telegram: RunningFake, conversation: ScriptedConversation, web: httpx.AsyncClient
) -> None:
    response = await web.post("/telegram/hook-7f3a", json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    await telegram.fake.wait_calls("sendMessage")
    assert [i.text for i in conversation.received] == ["/viec"]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "guess"}, {SECRET_HEADER: SECRET + "x"}])
async def test_a_request_without_the_secret_is_refused(
    conversation: ScriptedConversation, web: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await web.post("/telegram/hook-7f3a", json=UPDATE, headers=headers)
    assert response.status_code == 403
    assert conversation.received == []


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]"])
async def test_a_body_that_is_not_an_update_is_refused(
    web: httpx.AsyncClient, body: bytes
) -> None:
    response = await web.post("/telegram/hook-7f3a", content=body, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 400


def test_a_webhook_needs_its_secret(conversation: ScriptedConversation) -> None:
    with pytest.raises(ValueError, match="secret"):
        build_application(
            token=TOKEN,
            conversation=conversation,
            locale_of=conversation.locale_of,
            webhook_url=HOOK,
        )
