"""Request bodies are capped before they are read: a declared length over the route's limit is
answered 413 at once, and a body that keeps coming past it is cut off with 413 as soon as it
crosses the limit, so no stranger can fill the memory or the disk with one request. A response
given before the body was read to its end (a refusal: too large, no CSRF token, not signed in)
closes the connection, so the server stops reading what nobody will use."""

from collections.abc import Mapping
from typing import Final

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_FORM_BYTES: Final = 64 * 1024  # a sign-in, a chat line, an admin's form
MAX_UPLOAD_BYTES: Final = 21 * 1024 * 1024  # a 20 MB file and its form around it
MAX_WEBHOOK_BYTES: Final = 1024 * 1024  # one update from Telegram or Zalo


class TooLarge(HTTPException):
    """The body is over its route's limit (413)."""

    def __init__(self) -> None:
        super().__init__(status_code=413, detail="request body too large")


class BodyLimit:
    """Caps every request's body: `limits` by exact path, `default` for the rest."""

    def __init__(self, app: ASGIApp, *, default: int, limits: Mapping[str, int]) -> None:
        self.app = app
        self.default = default
        self.limits = dict(limits)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a declared length over the limit; count what arrives against it."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.limits.get(scope["path"], self.default)
        declared = _content_length(scope)
        if declared is not None and declared > limit:
            await _too_large(send)
            return
        received = 0
        started = False
        unread = _has_body(scope)

        async def capped() -> Message:
            nonlocal received, unread
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise TooLarge()
                unread = bool(message.get("more_body", False))
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if unread:  # answered before the body ended: hang up rather than read it all
                    message["headers"] = [*message.get("headers", []), CLOSE]
            await send(message)

        try:
            await self.app(scope, capped, watched)
        except TooLarge:
            if started:
                raise
            await _too_large(send)


CLOSE: Final = (b"connection", b"close")


def _has_body(scope: Scope) -> bool:
    """Whether the request says a body follows (a length above zero, or chunks)."""
    for name, value in scope.get("headers", []):
        if name == b"transfer-encoding" or (name == b"content-length" and value.strip() != b"0"):
            return True
    return False


def _content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            text = value.decode("latin-1").strip()
            if not text.isdecimal():
                return None  # the server refuses such a request before it reaches here
            return int(text) if len(text) < 19 else 2**63
    return None


async def _too_large(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", b"text/plain; charset=utf-8"), CLOSE],
        }
    )
    await send({"type": "http.response.body", "body": b"413 Request Entity Too Large"})
