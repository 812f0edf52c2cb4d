"""A fake Zalo Bot Platform on loopback, and dondoc's Zalo adapter polling it."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import Engine

from bot.zalo.client import ZaloClient
from bot.zalo.inbox import Inbox
from bot.zalo.runner import running
from bot.zalo.sender import ZaloSender
from bot.zalo.store import ZaloStore
from jobs.runner import JobRunner
from tests.support.clock import FakeClock
from tests.support.fake_zalo import TOKEN, FakeZalo, RunningFake, serve_fake
from tests.support.scripted_conversation import ScriptedConversation

POLL = 1.0  # short long polls: the fake releases them at teardown anyway
QUICK = 0.01  # retry delays


@pytest.fixture
async def zalo() -> AsyncIterator[RunningFake]:
    """The fake platform, on a free loopback port."""
    async with serve_fake(FakeZalo()) as served:
        yield served


@pytest.fixture
def conversation() -> ScriptedConversation:
    """The conversation layer's stand-in (an echo unless a test scripts it)."""
    return ScriptedConversation()


@pytest.fixture
def store(engine: Engine, clock: FakeClock) -> ZaloStore:
    """The adapter's storage on the test's database."""
    return ZaloStore(JobRunner(engine), clock, wall=clock)


@pytest.fixture
async def inbox(
    zalo: RunningFake, store: ZaloStore, conversation: ScriptedConversation
) -> AsyncIterator[Inbox]:
    """The adapter's inbound side, talking to the fake."""
    client = ZaloClient(TOKEN, base_url=zalo.base_url, backoff=QUICK, timeout=5.0)
    yield Inbox(
        client=client,
        store=store,
        conversation=conversation,
        locale_of=conversation.locale_of,
        max_file_bytes=1024,
    )
    await client.aclose()


@pytest.fixture
async def bot(inbox: Inbox) -> AsyncIterator[ZaloSender]:
    """The adapter, long-polling the fake; yields the dispatcher's Sender."""
    async with running(inbox, poll_timeout=POLL, retry_delay=QUICK) as sender:
        yield sender
