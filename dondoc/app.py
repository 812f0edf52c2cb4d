"""Builds what dondoc runs on: the database, the scheduler and the configured channels."""

import asyncio
import gc
import logging
from collections.abc import Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from dondoc.settings import Settings

if TYPE_CHECKING:
    import socket
    from collections.abc import Mapping

    from apscheduler.schedulers.asyncio import AsyncIOScheduler
    from sqlalchemy import Engine
    from sqlmodel import Session
    from starlette.routing import BaseRoute

    from bot.conversation.engine import Conversation
    from bot.telegram.app import DondocApplication
    from bot.telegram.webhook import TelegramInbox
    from bot.web.hub import ChatHub
    from bot.zalo.channel import ZaloChannel
    from jobs.runner import JobRunner
    from jobs.senders import Sender
    from models import Channel
    from services.clock import Clock

logger = logging.getLogger(__name__)

LOCAL_SECRET_FILE = ".dondoc-secret-key"
EVIDENCE_DIR = Path("evidence")
"""Where evidence files are kept (`services.tracking.evidence`), beside the process."""


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached."""


def configure_logging(level: int | str = logging.INFO, *, file: str | None = None) -> None:
    """Configure logging once, for the whole process: English lines with their time, to `file`
    (appended) or, without one, to stderr. Chat API URLs carry tokens: httpx stays quiet."""
    handler: logging.Handler = (
        logging.StreamHandler() if file is None else logging.FileHandler(file, encoding="utf-8")
    )
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        handlers=[handler],
        force=True,
    )
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("alembic").setLevel(logging.WARNING)


def open_database(settings: Settings, *, migrate: bool = True) -> "Engine":
    """The engine for `settings.database_url`, migrated to this code's schema when `migrate`."""
    from sqlalchemy.exc import OperationalError

    from models.db import make_engine
    from models.migrate import ensure_not_newer, stands_at_head, upgrade

    engine = make_engine(settings.database_url)
    try:
        # One connection says both that the database answers and where its schema stands.
        with engine.connect() as connection:
            at_head = stands_at_head(connection)
    except OperationalError as error:
        engine.dispose()
        raise DatabaseUnavailable(str(error.orig).strip().splitlines()[0]) from error
    if at_head:
        return engine  # the usual case, answered without importing Alembic
    ensure_not_newer(engine)
    if migrate:
        upgrade(engine)
    return engine


def local_secret_key(path: Path) -> tuple[str, bool]:
    """The key kept in `path` for a dondoc served on this machine only, made (32 random bytes,
    readable by this user only) when there is none or it is not a good key; whether it was
    made now."""
    import os
    import secrets

    from dondoc.settings import is_random_key

    try:
        kept = path.read_text("ascii").strip()
    except (OSError, UnicodeDecodeError):
        kept = ""
    if is_random_key(kept):
        return kept, False
    key = secrets.token_urlsafe(32)
    path.unlink(missing_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key + "\n")
    return key, True


@contextmanager
def session_scope(engine: "Engine") -> Iterator["Session"]:
    """A session for one command or one unit of work."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        yield session


async def serve(
    settings: Settings,
    engine: "Engine",
    *,
    clock: "Clock | None" = None,
    secret_key: str,
    on_ready: "Callable[[str], None] | None" = None,
    scan_seconds: float = 60.0,
    listening: "socket.socket | None" = None,
) -> None:
    """Run the scheduler, the web pages and every configured channel in this event loop until
    cancelled; `on_ready` hears the web address once it serves. The reminder scan runs every
    `scan_seconds` (less under a demo clock). `listening` is the web socket, when the caller
    bound it already (to fail before anything else starts)."""
    from bot.conversation.engine import Conversation
    from bot.web.app import build_web_app, is_loopback
    from bot.web.sender import WebSender
    from bot.web.server import serve_web
    from jobs.runner import JobRunner
    from models import Channel
    from models.db import reader_of
    from services.clock import SystemClock

    clock = clock or SystemClock(settings.zone)
    runner = JobRunner(engine, reader=reader_of(engine))
    conversation = Conversation(
        engine, clock, evidence_dir=EVIDENCE_DIR, default_locale=settings.locale
    )
    hub = _chat_hub(engine, runner)
    web_sender = WebSender(runner, clock, hub)
    zalo = _zalo(settings, runner, clock, conversation)
    telegram = _telegram(settings, conversation)
    telegram_inbox = _telegram_inbox(settings, telegram, runner, clock)
    web_app = build_web_app(
        runner=runner,
        clock=clock,
        conversation=conversation,
        sender=web_sender,
        secret_key=secret_key,
        zone=settings.zone,
        default_locale=settings.locale,
        demo_login=is_loopback(settings.web_host),
        public_url=settings.public_url or _local_url(settings),
        max_form_bytes=settings.max_form_bytes,
        max_upload_bytes=settings.max_upload_bytes,
        extra_routes=[
            *([] if zalo is None else zalo.routes()),
            *_telegram_routes(telegram_inbox),
        ],
    )
    channels = AsyncExitStack()
    await channels.enter_async_context(hub.running())
    senders: dict[Channel, Sender] = {Channel.WEB: web_sender}
    if zalo is not None:
        senders[Channel.ZALO] = await channels.enter_async_context(zalo.running())
    if telegram is not None:
        from bot.telegram.runner import running

        senders[Channel.TELEGRAM] = await channels.enter_async_context(running(telegram))
        conversation.know_bot_username(telegram.bot.username)
        if telegram_inbox is not None:
            channels.push_async_callback(telegram_inbox.drain)
            await telegram_inbox.replay()
    scheduler = _reminders(
        runner,
        clock,
        senders,
        scan_seconds,
        timezone=settings.timezone,
        ceilings=platform_ceilings(settings),
    )
    scheduler.start()
    logger.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    started = asyncio.Event()
    web = asyncio.create_task(
        serve_web(
            web_app,
            host=settings.web_host,
            port=settings.web_port,
            started=started,
            sock=listening,
        )
    )
    try:
        await asyncio.wait(
            {web, asyncio.create_task(started.wait())}, return_when="FIRST_COMPLETED"
        )
        if web.done():
            web.result()
        if on_ready is not None:
            on_ready(f"{_local_url(settings)}/")
        # What start-up built lives as long as the process: frozen, it is no longer walked by
        # the full collections that a scan's thousands of new objects set off (30-60 ms each).
        gc.collect()
        gc.freeze()
        await web
    finally:
        web.cancel()
        scheduler.shutdown(wait=False)
        await channels.aclose()
        runner.dispose()
        engine.dispose()


def _chat_hub(engine: "Engine", runner: "JobRunner") -> "ChatHub":
    """Pages of this process only on SQLite; on PostgreSQL, of every replica (LISTEN/NOTIFY)."""
    from bot.web import transcript
    from bot.web.hub import ChatHub, ReplicatedChatHub

    if engine.dialect.name != "postgresql":
        return ChatHub()

    async def load(message_id: int) -> dict[str, object] | None:
        return await runner.run(transcript.message_payload, message_id)

    url = engine.url.set(drivername="postgresql")
    return ReplicatedChatHub(url.render_as_string(hide_password=False), load)


def _reminders(
    runner: "JobRunner",
    clock: "Clock",
    senders: "Mapping[Channel, Sender]",
    scan_seconds: float,
    *,
    timezone: str,
    ceilings: "Mapping[Channel, float]",
) -> "AsyncIOScheduler":
    """The fixed reminder jobs (scan, dispatch through `senders`, daily, weekly: this one also
    clears `EVIDENCE_DIR` of the files nothing names)."""
    from jobs.dispatch import Dispatcher
    from jobs.schedule import build_scheduler
    from services.clock import SystemClock

    # Leases measure real time, whatever the clock says (a demo clock runs faster).
    dispatcher = Dispatcher(
        runner, clock, senders, lease_clock=SystemClock(clock.zone), ceilings=ceilings
    )
    return build_scheduler(
        runner,
        clock,
        dispatcher,
        timezone=timezone,
        scan_seconds=scan_seconds,
        dispatch_seconds=min(1.0, scan_seconds),
        evidence=EVIDENCE_DIR,
    )


def _zalo(
    settings: Settings, runner: "JobRunner", clock: "Clock", conversation: "Conversation"
) -> "ZaloChannel | None":
    """The Zalo channel, when `DONDOC_ZALO_TOKEN` is set (webhook with a URL, else polling)."""
    if settings.zalo_token is None:
        return None
    from bot.zalo.channel import build_zalo
    from models import Channel

    secret = settings.zalo_secret
    return build_zalo(
        token=settings.zalo_token.get_secret_value(),
        base_url=settings.zalo_base_url,
        webhook_url=settings.zalo_webhook_url,
        secret=None if secret is None else secret.get_secret_value(),
        runner=runner,
        clock=clock,
        conversation=conversation,
        locale_of=conversation.locale_of,
        max_send_rate=platform_ceilings(settings)[Channel.ZALO],
        files_url=public_address(settings),
    )


def public_address(settings: Settings) -> str | None:
    """The web pages' address when people beyond this machine reach it (`DONDOC_PUBLIC_URL`
    naming another host than this one), else None."""
    from urllib.parse import urlsplit

    from bot.web.app import is_loopback

    if settings.public_url is None:
        return None
    host = urlsplit(settings.public_url).hostname or ""
    return None if is_loopback(host) else settings.public_url.rstrip("/")


def platform_ceilings(settings: Settings) -> "dict[Channel, float]":
    """Each platform's messages per second for this process: its ceiling, shared evenly among
    the `DONDOC_REPLICAS` processes that send through the same bot."""
    from jobs.senders import PLATFORM_CEILINGS

    return {channel: rate / settings.replicas for channel, rate in PLATFORM_CEILINGS.items()}


def _telegram(settings: Settings, conversation: "Conversation") -> "DondocApplication | None":
    """The Telegram bot, when `DONDOC_TELEGRAM_TOKEN` is set (webhook with a URL, else polling)."""
    if settings.telegram_token is None:
        return None
    from bot.telegram.app import build_application
    from models import Channel

    secret = settings.telegram_secret
    return build_application(
        token=settings.telegram_token.get_secret_value(),
        base_url=settings.telegram_base_url,
        webhook_url=settings.telegram_webhook_url,
        secret=None if secret is None else secret.get_secret_value(),
        conversation=conversation,
        locale_of=conversation.locale_of,
        overall_max_rate=platform_ceilings(settings)[Channel.TELEGRAM],
    )


def _telegram_inbox(
    settings: Settings,
    telegram: "DondocApplication | None",
    runner: "JobRunner",
    clock: "Clock",
) -> "TelegramInbox | None":
    """Where the webhook stores and processes updates, when Telegram runs by webhook."""
    if telegram is None or settings.telegram_webhook_url is None:
        return None
    from bot.inbound import InboundStore
    from bot.telegram.webhook import TelegramInbox
    from models import Channel

    return TelegramInbox(telegram, InboundStore(runner, clock, Channel.TELEGRAM))


def _telegram_routes(inbox: "TelegramInbox | None") -> list["BaseRoute"]:
    """The webhook route for the web app, when Telegram runs by webhook."""
    if inbox is None:
        return []
    from bot.telegram.webhook import webhook_route

    return [webhook_route(inbox)]


def _local_url(settings: Settings) -> str:
    """The address of the web pages on this machine."""
    return f"http://{_url_host(settings.web_host)}:{settings.web_port}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
