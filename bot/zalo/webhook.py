"""The webhook endpoint, for the web app to mount when `DONDOC_ZALO_WEBHOOK_URL` is set.

Zalo sends the `secret_token` given to setWebhook in `X-Bot-Api-Secret-Token` (a plain string,
no HMAC): it is compared in constant time and anything without it is refused before its body is
read. The update is stored before the answer, and processed after it.
"""

import hmac
import json
import logging
from typing import Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.zalo.inbox import Inbox
from bot.zalo.updates import unwrap

logger = logging.getLogger(__name__)

SECRET_HEADER: Final = "X-Bot-Api-Secret-Token"
MAX_BODY_BYTES: Final = 1024 * 1024


def webhook_route(inbox: Inbox, *, webhook_url: str, secret: str) -> Route:
    """A POST route at the webhook URL's path that stores Zalo's updates for `inbox`."""
    if not secret:
        raise ValueError("a Zalo webhook needs its secret token")
    expected = secret.encode("utf-8")

    async def receive(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8")
        if not hmac.compare_digest(given, expected):
            logger.warning("zalo webhook: request without the secret token refused")
            return Response(status_code=401)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            return Response(status_code=413)
        body = await request.body()
        if len(body) > MAX_BODY_BYTES:
            return Response(status_code=413)
        try:
            update = unwrap(json.loads(body))
        except ValueError:
            update = None
        if update is None:
            return Response(status_code=400)
        await inbox.receive(update)
        return JSONResponse({"ok": True})

    return Route(urlsplit(webhook_url).path or "/", receive, methods=["POST"])
