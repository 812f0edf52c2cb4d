"""`dondoc run` with `DONDOC_TELEGRAM_TOKEN`: the bot starts beside the web chat and the
dispatcher, answers through the real conversation, and stops with the rest."""

import asyncio
from pathlib import Path

import httpx
import pytest

from bot.conversation import messages
from bot.telegram.webhook import SECRET_HEADER
from dondoc.app import open_database, serve
from dondoc.settings import Settings
from locales import translate
from tests.support.clock import FakeClock
from tests.support.fake_telegram import TOKEN, RunningFake
from tests.support.ports import free_port

STRANGER = 999


async def _serving(settings: Settings, clock: FakeClock) -> tuple[asyncio.Task[None], str]:
    engine = open_database(settings)
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    task = asyncio.create_task(
        serve(settings, engine, clock=clock, secret_key="k" * 32, on_ready=ready.set_result)
    )
    return task, await asyncio.wait_for(ready, 15)


async def test_dondoc_run_polls_telegram_and_answers(
    telegram: RunningFake,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the evidence folder lands here
    settings = Settings(
        database_url=database_url,
        telegram_token=TOKEN,
        telegram_base_url=telegram.base_url,
        web_port=free_port(),
    )
    running, _ = await _serving(settings, clock)
    try:
        telegram.fake.push_text(STRANGER, "Xin chào")
        await telegram.fake.wait_calls("sendMessage", within=10)
        (answer,) = telegram.fake.messages_to(STRANGER)
        assert answer["text"] == translate("vi", messages.STRANGER)
        assert telegram.fake.calls_of("deleteWebhook")
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
    assert telegram.fake.calls_of("getUpdates")[-1].params.get("timeout") == 0  # stopped


async def test_dondoc_run_takes_telegram_updates_on_its_web_app_by_webhook(
    telegram: RunningFake,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(
        database_url=database_url,
        telegram_token=TOKEN,
        telegram_base_url=telegram.base_url,
        telegram_webhook_url="https://dondoc.example.vn/telegram/hook",
        telegram_secret="hook-secret",
        web_port=free_port(),
    )
    running, address = await _serving(settings, clock)
    try:
        assert telegram.fake.webhook_url == "https://dondoc.example.vn/telegram/hook"
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": STRANGER, "type": "private"},
                "from": {"id": STRANGER, "is_bot": False, "first_name": "Ai"},
                "text": "Xin chào",
            },
        }
        async with httpx.AsyncClient(base_url=address) as client:
            refused = await client.post("/telegram/hook", json=update)
            accepted = await client.post(
                "/telegram/hook", json=update, headers={SECRET_HEADER: "hook-secret"}
            )
        assert (refused.status_code, accepted.status_code) == (403, 200)
        await telegram.fake.wait_calls("sendMessage", within=10)
        assert telegram.fake.calls_of("getUpdates") == []
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
