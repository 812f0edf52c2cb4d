"""The Zalo channel as `dondoc run` builds it: polling without a webhook URL, the webhook route
on the web app with one."""

import pytest
from sqlalchemy import Engine
from starlette.applications import Starlette

from bot.zalo.channel import build_zalo
from jobs.runner import JobRunner
from tests.support.clock import FakeClock
from tests.support.fake_server import serve_app
from tests.support.fake_zalo import TOKEN, RunningFake
from tests.support.ports import free_port
from tests.support.scripted_conversation import ScriptedConversation

MINH = "6ede9afa66b88fe6d6a9"
SECRET = "a-long-webhook-secret"


async def test_without_a_webhook_url_it_polls(
    zalo: RunningFake, engine: Engine, clock: FakeClock, conversation: ScriptedConversation
) -> None:
    channel = build_zalo(
        token=TOKEN,
        base_url=zalo.base_url,
        runner=JobRunner(engine),
        clock=clock,
        conversation=conversation,
        locale_of=conversation.locale_of,
    )
    assert channel.routes() == []
    async with channel.running(poll_timeout=1):
        zalo.fake.push_text(MINH, "chào")
        assert await zalo.fake.wait_texts(MINH) == ["You said: chào"]


async def test_with_a_webhook_url_the_web_app_receives(
    zalo: RunningFake, engine: Engine, clock: FakeClock, conversation: ScriptedConversation
) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/hooks/zalo"
    channel = build_zalo(
        token=TOKEN,
        base_url=zalo.base_url,
        runner=JobRunner(engine),
        clock=clock,
        conversation=conversation,
        locale_of=conversation.locale_of,
        webhook_url=url,
        secret=SECRET,
    )
    (route,) = channel.routes()
    async with serve_app(Starlette(routes=[route]), port), channel.running():
        await zalo.fake.wait_for(lambda: zalo.fake.webhook_url == url)
        response = await zalo.fake.post_webhook(zalo.fake.text_update(MINH, "chào"))
        assert response.status_code == 200
        assert await zalo.fake.wait_texts(MINH) == ["You said: chào"]
    assert zalo.fake.calls_of("getUpdates") == []


def test_a_webhook_without_its_secret_is_refused(
    engine: Engine, clock: FakeClock, conversation: ScriptedConversation
) -> None:
    with pytest.raises(ValueError, match="secret"):
        build_zalo(
            token=TOKEN,
            runner=JobRunner(engine),
            clock=clock,
            conversation=conversation,
            locale_of=conversation.locale_of,
            webhook_url="https://ward.example/hooks/zalo",
        )
