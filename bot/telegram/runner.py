"""Runs the bot inside an event loop someone else owns (`dondoc run`, beside the scheduler).

PTB's `run_polling()` would own the loop and its signals; this is its manual pattern instead:
initialize, start, then poll or register the webhook; on exit, the same steps backwards.
"""

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import Final

from telegram import Update
from telegram.error import InvalidToken

from bot.conversation.incoming import ConversationHandler
from bot.telegram.app import DEFAULT_BASE_URL, DondocApplication, build_application
from bot.telegram.context import WIRING_KEY, LocaleOf, Wiring
from bot.telegram.menu import publish_menu
from bot.telegram.sender import TelegramSender

logger = logging.getLogger(__name__)

ALLOWED_UPDATES: Final = [Update.MESSAGE, Update.CALLBACK_QUERY]
POLL_TIMEOUT: Final = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class TelegramChannel:
    """A running bot: its application (the web app mounts its webhook route) and its Sender."""

    application: DondocApplication
    sender: TelegramSender


@asynccontextmanager
async def telegram_channel(
    *,
    token: str,
    conversation: ConversationHandler,
    locale_of: LocaleOf,
    base_url: str = DEFAULT_BASE_URL,
    webhook_url: str | None = None,
    secret: str | None = None,
) -> AsyncIterator[TelegramChannel]:
    """Build the bot from the configured values and run it until the block ends."""
    application = build_application(
        token=token,
        conversation=conversation,
        locale_of=locale_of,
        base_url=base_url,
        webhook_url=webhook_url,
        secret=secret,
    )
    async with running(application) as sender:
        yield TelegramChannel(application, sender)


@asynccontextmanager
async def running(
    application: DondocApplication, *, poll_timeout: timedelta = POLL_TIMEOUT
) -> AsyncIterator[TelegramSender]:
    """The bot receiving updates (long polling, or the webhook when configured) until the block
    ends; yields the `Sender` the dispatcher uses for Telegram identities."""
    wiring = application.bot_data[WIRING_KEY]
    assert isinstance(wiring, Wiring)
    try:
        await application.initialize()
    except InvalidToken:
        await application.bot.shutdown()  # its HTTP clients were opened before getMe failed
        # PTB's message quotes the token; logs and tracebacks must not.
        raise InvalidToken("Telegram rejected the configured token") from None
    except BaseException:
        await application.bot.shutdown()
        raise
    try:
        await publish_menu(application.bot)
        await application.start()
        if wiring.webhook_url is not None:
            await application.bot.set_webhook(
                wiring.webhook_url, secret_token=wiring.secret, allowed_updates=ALLOWED_UPDATES
            )
        else:
            assert application.updater is not None
            await application.updater.start_polling(
                poll_interval=0, timeout=poll_timeout, allowed_updates=ALLOWED_UPDATES
            )
        mode = "polling" if wiring.webhook_url is None else "webhook"
        logger.info("telegram bot %s started (%s)", application.bot.username, mode)
        yield TelegramSender(application.bot)
    finally:
        await _stop(application)


async def _stop(application: DondocApplication) -> None:
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
    logger.info("telegram bot stopped")
