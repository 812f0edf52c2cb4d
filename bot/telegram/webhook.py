"""The webhook endpoint, for the web app to mount when `DONDOC_TELEGRAM_WEBHOOK_URL` is set.

Telegram sends the secret token given to `setWebhook` in `X-Telegram-Bot-Api-Secret-Token`;
anything without it is refused before its body is read.
"""

import hmac
import json
import logging
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from telegram import Update

from bot.telegram.app import DondocApplication
from bot.telegram.context import WIRING_KEY, Wiring

logger = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


def webhook_route(application: DondocApplication) -> Route:
    """A POST route at the webhook URL's path that queues Telegram's updates for `application`."""
    wiring = application.bot_data[WIRING_KEY]
    assert isinstance(wiring, Wiring)
    if wiring.webhook_url is None or not wiring.secret:
        raise ValueError("the application was built without a webhook URL and secret")
    expected = wiring.secret.encode("utf-8")

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            logger.warning("telegram webhook: request without the secret token refused")
            return Response(status_code=403)
        try:
            data = json.loads(await request.body())
        except ValueError:
            return Response(status_code=400)
        if not isinstance(data, dict):
            return Response(status_code=400)
        update = Update.de_json(data, application.bot)
        await application.update_queue.put(update)
        return Response()

    return Route(urlsplit(wiring.webhook_url).path or "/", receive, methods=["POST"])
