"""A dispatcher in a process of its own, for drills: `python -m tests.support.dispatch_worker
--database-url URL --sender file:/path/deliveries.txt [--lease-seconds 2] [--window 8]
[--exit-when-idle]`.

It prints `ready` once connected, then delivers until killed (or, with `--exit-when-idle`,
until nothing is left to send). The crash, concurrency and restart tests run several of these
and kill them at random.
"""

import argparse
import asyncio
import logging
import sys
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, text
from sqlalchemy import select as sa_select
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, col

from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from models import Channel, Outbox, OutboxState
from models.db import make_engine
from services.clock import SystemClock
from tests.support.clock import HCM
from tests.support.senders import FileSender

logger = logging.getLogger(__name__)


def _left(session: Session) -> int:
    undelivered = [OutboxState.PENDING, OutboxState.SENDING, OutboxState.FAILED]
    query = sa_select(func.count()).where(col(Outbox.state).in_(undelivered))
    return int(session.execute(query).scalar_one())


async def run(
    engine: Engine,
    sender: FileSender,
    *,
    lease: float,
    batch: int,
    window: int,
    idle_exit: bool,
) -> None:
    """Deliver until killed, or until nothing is left when `idle_exit`."""
    runner = JobRunner(engine)
    dispatcher = Dispatcher(
        runner,
        SystemClock(HCM),
        {channel: sender for channel in Channel},
        batch=batch,
        lease=timedelta(seconds=lease),
        window=window,
    )
    if not idle_exit:
        await dispatcher.run_forever(idle=0.2, outage_pause=0.5)
        return
    while True:
        try:
            result = await dispatcher.run_once()
            if result.claimed == 0:
                if await runner.run(_left) == 0:
                    return
                await asyncio.sleep(0.2)
        except DBAPIError:  # the database restarting: wait and claim again
            logger.warning("dispatch worker: database unavailable, retrying")
            await asyncio.sleep(0.5)


def main(argv: list[str] | None = None) -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(prog="python -m tests.support.dispatch_worker")
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--sender", required=True, help="file:/path/of/deliveries")
    parser.add_argument("--lease-seconds", type=float, default=30.0)
    parser.add_argument("--batch", type=int, default=10)
    parser.add_argument("--window", type=int, default=1, help="sends in flight at most")
    parser.add_argument("--send-delay", type=float, default=0.0)
    parser.add_argument("--exit-when-idle", action="store_true")
    parser.add_argument("--no-fsync", action="store_true", help="for runs that kill nobody")
    options = parser.parse_args(argv)
    if not options.sender.startswith("file:"):
        parser.error("--sender must be file:/path")
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    engine = make_engine(options.database_url)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sender = FileSender(
        Path(options.sender.removeprefix("file:")),
        delay=options.send_delay,
        durable=not options.no_fsync,
    )
    try:
        asyncio.run(
            run(
                engine,
                sender,
                lease=options.lease_seconds,
                batch=options.batch,
                window=options.window,
                idle_exit=options.exit_when_idle,
            )
        )
    finally:
        engine.dispose()


if __name__ == "__main__":
    main()
