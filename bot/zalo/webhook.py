"""The webhook endpoint, for the web app to mount when `DONDOC_ZALO_WEBHOOK_URL` is set.

Zalo sends the `secret_token` given to setWebhook in `X-Bot-Api-Secret-Token` (a plain string,
no HMAC): it is compared in constant time and anything without it is refused before its body is
read. A body over `MAX_BODY_BYTES` is refused (413) as it comes; one that is no update is
recorded once and acknowledged. The update is stored before the answer, and processed after it.
"""

import hmac
import logging
from typing import Final
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.inbound import NotJson, read_capped, read_json
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
        body = await read_capped(request, MAX_BODY_BYTES)
        if body is None:
            return Response(status_code=413)
        try:
            update = unwrap(read_json(body))
        except NotJson:
            update = None
        if update is None:
            if await inbox.store.record_malformed(body):
                logger.warning("zalo webhook: a body that is no update recorded and set aside")
            return JSONResponse({"ok": True})  # acknowledged: sending it again changes nothing
        await inbox.receive(update)
        return JSONResponse({"ok": True})

    return Route(urlsplit(webhook_url).path or "/", receive, methods=["POST"])
