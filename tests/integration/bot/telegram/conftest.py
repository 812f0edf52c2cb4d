"""A fake Bot API on loopback, and dondoc's bot polling it through real python-telegram-bot."""

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta

import pytest

from bot.telegram.app import DondocApplication, build_application
from bot.telegram.runner import running
from bot.telegram.sender import TelegramSender
from tests.support.fake_telegram import TOKEN, FakeTelegram, RunningFake, serve_fake
from tests.support.scripted_conversation import ScriptedConversation

# RetryAfter warns on construction without it (and pytest turns warnings into errors).
os.environ.setdefault("PTB_TIMEDELTA", "1")

POLL = timedelta(seconds=1)  # short long polls: the fake's teardown waits for none of them


@dataclass(frozen=True, slots=True)
class RunningBot:
    """dondoc's bot, started against the fake."""

    application: DondocApplication
    sender: TelegramSender


@pytest.fixture
async def telegram() -> AsyncIterator[RunningFake]:
    """The fake Bot API server, on a free loopback port."""
    async with serve_fake(FakeTelegram()) as served:
        yield served


@pytest.fixture
def conversation() -> ScriptedConversation:
    """The conversation layer's stand-in (an echo unless a test scripts it)."""
    return ScriptedConversation()


@pytest.fixture
async def bot(
    telegram: RunningFake, conversation: ScriptedConversation
) -> AsyncIterator[RunningBot]:
    """The bot, polling the fake."""
    application = build_application(
        token=TOKEN,
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
        max_file_bytes=1024,
    )
    async with running(application, poll_timeout=POLL) as sender:
        yield RunningBot(application, sender)
