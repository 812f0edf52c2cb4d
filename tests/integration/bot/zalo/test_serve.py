"""`dondoc run` with `DONDOC_ZALO_TOKEN`: the Zalo channel starts beside the web chat and the
dispatcher, answers through the real conversation, and stops with the rest."""

import asyncio
from pathlib import Path

import pytest

from dondoc.app import open_database, serve
from dondoc.settings import Settings
from tests.support.clock import FakeClock
from tests.support.fake_zalo import TOKEN, RunningFake
from tests.support.ports import free_port

STRANGER = "6ede9afa66b88fe6d6a9"


async def test_dondoc_run_polls_zalo_and_answers(
    zalo: RunningFake,
    database_url: str,
    clock: FakeClock,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)  # the evidence folder lands here
    settings = Settings(
        database_url=database_url,
        zalo_token=TOKEN,
        zalo_base_url=zalo.base_url,
        web_port=free_port(),
    )
    engine = open_database(settings)
    ready = asyncio.Event()
    running = asyncio.create_task(
        serve(settings, engine, clock=clock, secret_key="k" * 32, on_ready=lambda _: ready.set())
    )
    try:
        await asyncio.wait_for(ready.wait(), 10)
        zalo.fake.push_text(STRANGER, "Xin chào")
        (answer,) = await zalo.fake.wait_texts(STRANGER, within=10)
        assert "Văn phòng" in answer  # a stranger is sent to the office for an invite
        assert zalo.fake.calls_of("deleteWebhook")
    finally:
        running.cancel()
        await asyncio.gather(running, return_exceptions=True)
