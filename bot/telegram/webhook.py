"""The webhook endpoint, for the web app to mount when `DONDOC_TELEGRAM_WEBHOOK_URL` is set.

Telegram sends the secret token given to `setWebhook` in `X-Telegram-Bot-Api-Secret-Token`;
anything without it is refused before its body is read, and a body over `MAX_BODY_BYTES` is
refused (413) as it comes. An update is stored under its `update_id` before it is acknowledged,
so a replay is recognised and skipped; a body that is no update is recorded once and
acknowledged (Telegram would otherwise send it again and again). Updates are processed after
the answer, one chat at a time in order; one whose processing never ended (the process died on
it) is tried again at the next start, and parked after `MAX_ATTEMPTS` tries (`bot.inbound`).
"""

import hmac
import logging
from typing import Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update

from bot.inbound import (
    InboundStore,
    InFlight,
    NotJson,
    read_capped,
    read_json,
)
from bot.telegram.app import DondocApplication
from bot.telegram.context import WIRING_KEY, Wiring

logger = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Telegram-Bot-Api-Secret-Token"
MAX_BODY_BYTES: Final = 1024 * 1024


class TelegramInbox:
    """Stores the webhook's updates and processes them through the application."""

    def __init__(self, application: DondocApplication, store: InboundStore) -> None:
        self.application = application
        self.store = store
        self._in_flight = InFlight("telegram update")

    async def receive(self, body: bytes) -> None:
        """Store the update `body` carries and start processing it; a repeat or a body that
        is no update is only recorded (once)."""
        try:
            data = read_json(body)
            is_update = isinstance(data.get("update_id"), int)
            update = Update.de_json(data, self.application.bot) if is_update else None
        except (NotJson, KeyError, TypeError, ValueError, AttributeError):
            data, update = {}, None
        if update is None:
            if await self.store.record_malformed(body):
                logger.warning("telegram webhook: a body that is no update recorded, set aside")
            return
        row_id = await self.store.record_update(f"u:{update.update_id}", data)
        if row_id is None:
            logger.info("telegram update %d seen before: skipped", update.update_id)
            return
        self._start(row_id, update)

    async def replay(self) -> int:
        """Process the updates a previous run stored but did not finish; how many."""
        pending = await self.store.unprocessed()
        for row_id, data in pending:
            self._start(row_id, Update.de_json(data, self.application.bot))
        if pending:
            logger.info("telegram: %d stored updates left from the last run", len(pending))
        return len(pending)

    async def drain(self, grace: float = 10.0) -> None:
        """Wait for the updates in progress (up to `grace` s), then cancel what is left."""
        await self._in_flight.drain(grace)

    def _start(self, row_id: int, update: Update) -> None:
        chat = update.effective_chat
        self._in_flight.start(
            self._process(row_id, update), chat=None if chat is None else str(chat.id)
        )

    async def _process(self, row_id: int, update: Update) -> None:
        user = update.effective_user
        named = f"telegram update {update.update_id} (stored as {row_id})"
        sender = None if user is None else str(user.id)
        if not await self.store.may_process(row_id, sender=sender, named=named):
            return
        application = self.application
        # Through the application's processor (its concurrency setting) after this chat's
        # earlier updates: the in-flight set keeps one chat's updates in order.
        await application.update_processor.process_update(
            update, application.process_update(update)
        )
        await self.store.mark_processed(row_id)


def webhook_route(inbox: TelegramInbox) -> Route:
    """A POST route at the webhook URL's path that stores Telegram's updates for `inbox`."""
    wiring = inbox.application.bot_data[WIRING_KEY]
    assert isinstance(wiring, Wiring)
    if wiring.webhook_url is None or not wiring.secret:
        raise ValueError("the application was built without a webhook URL and secret")
    expected = wiring.secret.encode("utf-8")

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            logger.warning("telegram webhook: request without the secret token refused")
            return Response(status_code=403)
        body = await read_capped(request, MAX_BODY_BYTES)
        if body is None:
            return Response(status_code=413)
        await inbox.receive(body)
        return Response()

    return Route(urlsplit(wiring.webhook_url).path or "/", receive, methods=["POST"])
