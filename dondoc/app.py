"""Builds what dondoc runs on: the database, the scheduler and the configured channels."""

import asyncio
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from dondoc.settings import Settings

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlmodel import Session

logger = logging.getLogger(__name__)


class DatabaseUnavailable(RuntimeError):
    """The configured database cannot be reached."""


def configure_logging(level: int = logging.INFO) -> None:
    """Configure logging once, for the whole process; chat API URLs carry tokens."""
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


def open_database(settings: Settings, *, migrate: bool = True) -> "Engine":
    """The engine for `settings.database_url`, migrated to this code's schema when `migrate`."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from models.db import make_engine
    from models.migrate import ensure_not_newer, upgrade

    engine = make_engine(settings.database_url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except OperationalError as error:
        engine.dispose()
        raise DatabaseUnavailable(str(error.orig).strip().splitlines()[0]) from error
    ensure_not_newer(engine)
    if migrate:
        upgrade(engine)
    return engine


@contextmanager
def session_scope(engine: "Engine") -> Iterator["Session"]:
    """A session for one command or one unit of work."""
    from sqlmodel import Session

    with Session(engine, expire_on_commit=False) as session:
        yield session


async def serve(settings: Settings, engine: "Engine") -> None:
    """Run the scheduler and every configured channel in this event loop until cancelled."""
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    scheduler = AsyncIOScheduler(timezone=settings.timezone)
    scheduler.start()
    logger.info("scheduler started with %d jobs", len(scheduler.get_jobs()))
    try:
        await asyncio.Event().wait()
    finally:
        scheduler.shutdown(wait=False)
        engine.dispose()
