"""Builds the python-telegram-bot `Application`: handlers, rate limiter, URLs, error handler."""

import os
from typing import Any, Final, TypeAlias

from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    ExtBot,
    MessageHandler,
    filters,
)

from bot.conversation.incoming import ConversationHandler
from bot.telegram import handlers
from bot.telegram.context import WIRING_KEY, DondocContext, LocaleOf, Wiring
from bot.telegram.ordering import DEFAULT_CONCURRENCY, ChatOrderedProcessor

DEFAULT_BASE_URL: Final = "https://api.telegram.org/bot"
MAX_FILE_BYTES: Final = 20 * 1024 * 1024  # what the cloud Bot API lets a bot download
RATE_LIMIT_RETRIES: Final = 1  # a 429 pauses every send for its retry_after, then one retry

DondocApplication: TypeAlias = Application[
    ExtBot[int], DondocContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], None
]


def build_application(
    *,
    token: str,
    conversation: ConversationHandler,
    locale_of: LocaleOf,
    base_url: str = DEFAULT_BASE_URL,
    webhook_url: str | None = None,
    secret: str | None = None,
    max_file_bytes: int = MAX_FILE_BYTES,
    overall_max_rate: float = 30,
    concurrency: int = DEFAULT_CONCURRENCY,
) -> DondocApplication:
    """The bot for `token` on `base_url` (a local Bot API server too), answering through
    `conversation`; with `webhook_url` it receives updates from the web app instead of polling.

    `overall_max_rate` is Telegram's 30 messages a second; 0 lifts it (benchmarks only).
    """
    if webhook_url is not None and not secret:
        raise ValueError("a Telegram webhook needs its secret token")
    # RetryAfter.retry_after is a timedelta under this flag, and an int with a warning without.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    context_types = ContextTypes(context=DondocContext)
    builder = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .base_file_url(file_url(base_url))
        .context_types(context_types)
        .rate_limiter(
            AIORateLimiter(overall_max_rate=overall_max_rate, max_retries=RATE_LIMIT_RETRIES)
        )
        .concurrent_updates(ChatOrderedProcessor(concurrency))
        .job_queue(None)  # time-driven work belongs to jobs/, on dondoc's own scheduler
    )
    if webhook_url is not None:
        builder = builder.updater(None)
    application: DondocApplication = builder.build()
    application.bot_data[WIRING_KEY] = Wiring(
        conversation=conversation,
        locale_of=locale_of,
        max_file_bytes=max_file_bytes,
        webhook_url=webhook_url,
        secret=secret,
    )
    application.add_handler(CallbackQueryHandler(handlers.on_button))
    application.add_handler(
        MessageHandler(
            filters.UpdateType.MESSAGE & (filters.TEXT | filters.Document.ALL | filters.PHOTO),
            handlers.on_message,
        )
    )
    application.add_error_handler(handlers.on_error)
    return application


def file_url(base_url: str) -> str:
    """Where files are downloaded from, for a Bot API at `base_url` (`…/bot` -> `…/file/bot`)."""
    root, slash, last = base_url.rstrip("/").rpartition("/")
    return f"{root}{slash}file/{last}"
