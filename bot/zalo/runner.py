"""Runs the Zalo bot inside an event loop someone else owns (`dondoc run`, beside the others).

With a webhook URL, it registers the webhook (the web app mounts `webhook_route`); without one
(development), it deletes any webhook — Zalo serves getUpdates only then — and long-polls.
"""

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Final

from sqlalchemy.exc import DBAPIError

from bot.zalo.client import ZaloApiError, ZaloError, is_transient
from bot.zalo.inbox import Inbox
from bot.zalo.sender import ZaloSender

logger = logging.getLogger(__name__)

POLL_TIMEOUT: Final = 30.0
RETRY_DELAY: Final = 2.0
MAX_RETRY_DELAY: Final = 60.0
GRACE: Final = 10.0  # at a stop, how long updates in progress may take to finish
PRUNE_EVERY: Final = 24 * 3600.0  # stored updates are pruned at start and then daily
UNAUTHORIZED: Final = 401


@asynccontextmanager
async def running(
    inbox: Inbox,
    *,
    webhook_url: str | None = None,
    secret: str | None = None,
    poll_timeout: float = POLL_TIMEOUT,
    retry_delay: float = RETRY_DELAY,
    grace: float = GRACE,
) -> AsyncIterator[ZaloSender]:
    """The bot receiving updates until the block ends; yields the `Sender` the dispatcher uses
    for Zalo identities. Zalo being down does not stop the rest of dondoc: the start is retried
    in the background; a token, webhook URL or secret Zalo rejects is logged as an error and
    receiving stops (sending goes on, and fails as Zalo says). At the end, updates in progress
    get `grace` seconds; the rest are processed at the next start. The client is closed."""
    if webhook_url is not None and not secret:
        raise ValueError("a Zalo webhook needs its secret token")
    await inbox.replay()
    task = asyncio.create_task(
        _receive(inbox, webhook_url, secret or "", poll_timeout, retry_delay)
    )
    task.add_done_callback(_report_crash)
    pruning = asyncio.create_task(_prune_daily(inbox))
    pruning.add_done_callback(_report_crash)
    try:
        yield ZaloSender(inbox.client, inbox.store, files_url=inbox.files_url)
    finally:
        task.cancel()
        pruning.cancel()
        await asyncio.gather(task, pruning, return_exceptions=True)
        await inbox.drain(grace)
        await inbox.client.aclose()
        logger.info("zalo bot stopped")


async def _receive(
    inbox: Inbox, webhook_url: str | None, secret: str, poll_timeout: float, retry_delay: float
) -> None:
    client = inbox.client
    failures = 0
    started = False
    while True:
        try:
            if not started:
                me = await client.get_me()
                if webhook_url is not None:
                    await client.set_webhook(webhook_url, secret)
                else:
                    await client.delete_webhook()
                started = True
                mode = "polling" if webhook_url is None else "webhook"
                logger.info("zalo bot %s started (%s)", me.get("account_name", "?"), mode)
                if webhook_url is not None:
                    return
            for update in await client.get_updates(poll_timeout):
                await _store(inbox, update, retry_delay)
            failures = 0
        except ZaloError as error:
            if isinstance(error, ZaloApiError) and error.code == UNAUTHORIZED:
                logger.error("Zalo rejects the bot token: check DONDOC_ZALO_TOKEN")  # noqa: TRY400
                return
            if not started and not is_transient(error):
                # e.g. a webhook URL or secret Zalo will not take: the configuration must change
                logger.error("zalo refuses to start: %s", error)  # noqa: TRY400
                return
            failures += 1
            delay = min(retry_delay * 2 ** (failures - 1), MAX_RETRY_DELAY)
            logger.warning("zalo unreachable (%s); trying again in %.0fs", error, delay)
            await asyncio.sleep(delay)


async def _prune_daily(inbox: Inbox) -> None:
    while True:
        await asyncio.sleep(PRUNE_EVERY)
        try:
            pruned = await inbox.store.prune()
        except DBAPIError:
            logger.warning("zalo: database unavailable, stored updates pruned tomorrow")
        else:
            logger.info("zalo: %d stored updates older than a week forgotten", pruned)


def _report_crash(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.error("zalo: a background task stopped on an error", exc_info=task.exception())


async def _store(inbox: Inbox, update: dict[str, Any], retry_delay: float) -> None:
    """Hand `update` to the inbox, waiting out a database outage: Zalo will not send it again."""
    failures = 0
    while True:
        try:
            await inbox.receive(update)
        except DBAPIError:
            failures += 1
            delay = min(retry_delay * 2 ** (failures - 1), MAX_RETRY_DELAY)
            logger.warning("zalo: database unavailable, storing an update again in %.1fs", delay)
            await asyncio.sleep(delay)
        else:
            return
