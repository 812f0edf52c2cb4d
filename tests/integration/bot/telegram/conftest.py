"""A fake Bot API on loopback, and dondoc's bot polling it through real python-telegram-bot: with
a scripted conversation (`bot`), or with the real one for a whole ward (`office`)."""

import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.conversation.engine import Conversation
from bot.telegram.app import DondocApplication, build_application
from bot.telegram.runner import running
from bot.telegram.sender import TelegramSender
from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from models import Channel
from tests.support.clock import FakeClock
from tests.support.fake_telegram import BOT_USERNAME, TOKEN, FakeTelegram, RunningFake, serve_fake
from tests.support.scripted_conversation import ScriptedConversation
from tests.support.telegram_office import HA, LAN, TUAN, Office
from tests.support.ward import Ward

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


@pytest.fixture
def fresh(engine: Engine) -> Iterator[Session]:
    """A session to read what the bot committed."""
    with Session(engine, expire_on_commit=False) as opened:
        yield opened


@pytest.fixture
async def office(
    engine: Engine,
    session: Session,
    fresh: Session,
    clock: FakeClock,
    tmp_path: Path,
    telegram: RunningFake,
) -> AsyncIterator[Office]:
    """Phường Bắc Sơn: Lan (chair), Hà (office) and Tuấn on Telegram; Minh not yet."""
    ward = Ward.build(session, clock)
    ward.bind(ward.chair, user_id=str(LAN))
    ward.bind(ward.admin, user_id=str(HA))
    ward.bind(ward.officer("tuan"), user_id=str(TUAN))
    conversation = Conversation(
        engine, clock, evidence_dir=tmp_path / "evidence", bot_username=BOT_USERNAME
    )
    application = build_application(
        token=TOKEN,
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
    )
    async with running(application, poll_timeout=POLL) as sender:
        dispatcher = Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: sender})
        yield Office(ward, telegram.fake, dispatcher, fresh, clock)
