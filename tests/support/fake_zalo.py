"""A local fake of the Zalo Bot Platform that speaks its HTTP protocol (`docs/spec/zalo.md`).

One route, `/bot{token}/{method}`, answers getMe, getUpdates (a real long poll that returns one
update, or HTTP 408 with `error_code` 408 when idle), setWebhook, deleteWebhook, getWebhookInfo,
sendMessage (1–2,000 characters), sendPhoto and sendChatAction, with the envelope
`{"ok", "result" | "error_code", "description"}`; getUpdates is refused while a webhook is set.
`/files/{name}` serves the pictures users sent (Zalo hands out `photo_url`s).

Tests act as users (`push_text`, `push_photo`: queued for getUpdates, or POSTed to the webhook
with `post_webhook`) and read back what the bot did (`calls`, `texts_to`, `wait_for`). Failures
are injected per method: 429 "Quota exceeded", a 5xx, a refusal for one chat, latency.
"""

import asyncio
import itertools
import secrets
import time
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.fake_server import (
    JSON,
    PATIENCE,
    Call,
    Failure,
    Recorder,
    Updates,
    main,
    ok,
    serve_app,
)

TOKEN = "1234567890:fake-zalo-secret"
BOT_ID = "b0f1e2d3c4b5a6978899"
SECRET_HEADER = "X-Bot-Api-Secret-Token"
TEXT_LIMIT = 2000


class FakeZalo:
    """The fake platform's state and its Starlette app."""

    def __init__(self, token: str = TOKEN, *, latency: float = 0.0) -> None:
        self.token = token
        self.latency = latency
        self.recorder = Recorder()
        self.updates = Updates()
        self.sent: list[JSON] = []
        self.per_chat: Counter[str] = Counter()
        self.last_sent_at = 0.0
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self._files: dict[str, tuple[bytes, str]] = {}
        self._dates = itertools.count(int(time.time() * 1000))
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/files/{name}", self._file, methods=["GET"]),
                Route("/_fake/stats", self._stats, methods=["GET"]),
            ]
        )
        self.port = 0

    # -- what tests do as users --------------------------------------------------------------

    def text_update(
        self,
        user_id: str,
        text: str,
        *,
        name: str = "Minh",
        message_id: str | None = None,
        wrapped: bool = False,
    ) -> JSON:
        """The update Zalo sends when `user_id` writes `text` in their private chat."""
        message = self._user_message(user_id, name, message_id)
        message["text"] = text
        return self._update("message.text.received", message, wrapped)

    def photo_update(
        self, user_id: str, content: bytes, *, caption: str | None = None, name: str = "Minh"
    ) -> JSON:
        """The update for a picture: Zalo hands out a URL to download it from."""
        file_name = f"{secrets.token_hex(6)}.jpg"
        self._files[file_name] = (content, "image/jpeg")
        message = self._user_message(user_id, name, None)
        message["photo_url"] = f"http://127.0.0.1:{self.port}/files/{file_name}"
        if caption is not None:
            message["caption"] = caption
        return self._update("message.image.received", message, False)

    def push(self, update: JSON) -> JSON:
        """Queue `update` for the next getUpdates."""
        self.updates.push(update)
        return update

    def push_text(self, user_id: str, text: str, **options: Any) -> JSON:
        """A user writes `text` (delivered by getUpdates)."""
        return self.push(self.text_update(user_id, text, **options))

    async def post_webhook(self, update: JSON, *, secret: str | None = None) -> httpx.Response:
        """Deliver `update` to the registered webhook as Zalo does (with the secret given to
        setWebhook unless `secret` says otherwise)."""
        assert self.webhook_url, "no webhook registered"
        header = self.webhook_secret if secret is None else secret
        async with httpx.AsyncClient() as http:
            return await http.post(
                self.webhook_url, json=update, headers={SECRET_HEADER: header or ""}
            )

    # -- what tests set up and read back -----------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        *,
        times: int = 1,
        chat_id: str | None = None,
        retry_after: int | None = None,
        http_status: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error:
        `error_code` `status`, sent with HTTP `http_status` (default: the same)."""
        self.recorder.fail(
            method, Failure(status, description, times, chat_id, retry_after, http_status)
        )

    @property
    def calls(self) -> list[Call]:
        """Every call the bot made, in order."""
        return self.recorder.calls

    def calls_of(self, method: str) -> list[Call]:
        """The recorded calls of one method, in order."""
        return self.recorder.calls_of(method)

    def texts_to(self, chat_id: str) -> list[str]:
        """The texts the bot sent to a chat, oldest first."""
        return [m["text"] for m in self.sent if m["chat_id"] == chat_id and "text" in m]

    async def wait_for(self, predicate: Callable[[], bool], *, within: float = PATIENCE) -> None:
        """Wait until `predicate()` holds; fail the test after `within` seconds."""
        await self.recorder.wait_until(predicate, within=within)

    async def wait_texts(
        self, chat_id: str, count: int = 1, *, within: float = PATIENCE
    ) -> list[str]:
        """Wait until the bot has sent `count` texts to `chat_id`; return them all."""
        await self.wait_for(lambda: len(self.texts_to(chat_id)) >= count, within=within)
        return self.texts_to(chat_id)

    def close(self) -> None:
        """Release every long poll at once, so the server stops without waiting."""
        self.updates.close()

    # -- the protocol ------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> Response:
        method = request.path_params["method"]
        params = await _fields(request)
        await self.recorder.record(Call(method, params, time.monotonic()))
        if self.latency:
            await asyncio.sleep(self.latency)
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        failure = self.recorder.take_failure(method, params)
        if failure is not None:
            return _error(
                failure.status, failure.description, failure.retry_after, failure.http_status
            )
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:  # method names are case-sensitive
            return _error(404, "Not Found")
        result: Response = await handler(params)
        return result

    async def _api_getMe(self, params: JSON) -> Response:  # noqa: N802
        return ok(
            {
                "id": BOT_ID,
                "account_name": "bot.dondoc",
                "account_type": "BASIC",
                "can_join_groups": False,
            }
        )

    async def _api_setWebhook(self, params: JSON) -> Response:  # noqa: N802
        url = str(params.get("url", ""))
        secret = str(params.get("secret_token", ""))
        if not url.startswith(("https://", "http://")) or not 8 <= len(secret) <= 256:
            return _error(400, "Bad Request")
        self.webhook_url = url
        self.webhook_secret = secret
        return ok({"url": url, "updated_at": next(self._dates)})

    async def _api_deleteWebhook(self, params: JSON) -> Response:  # noqa: N802
        self.webhook_url = ""
        self.webhook_secret = None
        return ok({"url": "", "updated_at": next(self._dates)})

    async def _api_getWebhookInfo(self, params: JSON) -> Response:  # noqa: N802
        return ok({"url": self.webhook_url, "updated_at": next(self._dates)})

    async def _api_getUpdates(self, params: JSON) -> Response:  # noqa: N802
        if self.webhook_url:
            return _error(400, "Bad Request: webhook is active")
        await self.updates.wait(float(params.get("timeout", 30) or 0))  # sent as a string
        if not self.updates.queued:
            return _error(408, "Request timeout")
        return ok(self.updates.queued.pop(0))

    async def _api_sendMessage(self, params: JSON) -> Response:  # noqa: N802
        text = params.get("text")
        if not isinstance(text, str) or not 1 <= len(text) <= TEXT_LIMIT:
            return _error(400, "Bad Request: text must be 1-2000 characters")
        return await self._send(params, {"text": text})

    async def _api_sendPhoto(self, params: JSON) -> Response:  # noqa: N802
        if not str(params.get("photo", "")).startswith(("http://", "https://")):
            return _error(400, "Bad Request")
        content: JSON = {"photo": params["photo"]}
        if "caption" in params:
            content["caption"] = params["caption"]
        return await self._send(params, content)

    async def _api_sendChatAction(self, params: JSON) -> Response:  # noqa: N802
        if not params.get("chat_id") or params.get("action") not in ("typing", "upload_photo"):
            return _error(400, "Bad Request")
        return JSONResponse({"ok": True})

    async def _send(self, params: JSON, content: JSON) -> Response:
        chat_id = str(params.get("chat_id") or "")
        if not chat_id:
            return _error(400, "Bad Request")
        message_id = secrets.token_hex(10)
        date = next(self._dates)
        self.per_chat[chat_id] += 1
        self.last_sent_at = time.time()
        if self.recorder.keep:
            self.sent.append({"chat_id": chat_id, "message_id": message_id, **content})
        return ok({"message_id": message_id, "date": date})

    async def _stats(self, request: Request) -> Response:
        """How many messages the bot sent, to which chats, the last when (wall clock): for a
        fake run in another process (benchmarks)."""
        return JSONResponse(
            {
                "sent": sum(self.per_chat.values()),
                "chats": dict(self.per_chat),
                "last_sent_at": self.last_sent_at,
            }
        )

    async def _file(self, request: Request) -> Response:
        stored = self._files.get(request.path_params["name"])
        if stored is None:
            return Response(status_code=404)
        return Response(stored[0], media_type=stored[1])

    # -- state -------------------------------------------------------------------------------

    def _user_message(self, user_id: str, name: str, message_id: str | None) -> JSON:
        return {
            "message_id": message_id or secrets.token_hex(10),
            "date": next(self._dates),  # milliseconds, as documented
            "from": {"id": user_id, "display_name": name, "is_bot": False},
            "chat": {"id": user_id, "chat_type": "PRIVATE"},
        }

    @staticmethod
    def _update(event: str, message: JSON, wrapped: bool) -> JSON:
        update = {"event_name": event, "message": message}
        return {"ok": True, "result": update} if wrapped else update


async def _fields(request: Request) -> JSON:
    """The call's parameters: JSON, form or query string (all documented as accepted)."""
    params: JSON = dict(request.query_params)
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("application/json"):
        body = await request.body()
        if body:
            data = await request.json()
            if isinstance(data, dict):
                params.update(data)
    elif content_type.startswith("application/x-www-form-urlencoded"):
        async with request.form() as form:
            params.update({k: v for k, v in form.items() if isinstance(v, str)})
    return params


def _error(
    code: int, description: str, retry_after: int | None = None, http_status: int | None = None
) -> Response:
    body: JSON = {"ok": False, "error_code": code, "description": description}
    headers = {} if retry_after is None else {"Retry-After": str(retry_after)}
    return JSONResponse(body, status_code=http_status or code, headers=headers)


@dataclass(frozen=True, slots=True)
class RunningFake:
    """A started fake: its state, and the base URL to give the client."""

    fake: FakeZalo
    port: int

    @property
    def base_url(self) -> str:
        """What `DONDOC_ZALO_BASE_URL` would be (the client appends `{token}/{method}`)."""
        return f"http://127.0.0.1:{self.port}/bot"


@asynccontextmanager
async def serve_fake(fake: FakeZalo) -> AsyncIterator[RunningFake]:
    """Run `fake` on a free loopback port until the block ends."""
    async with serve_app(fake.app) as port:
        fake.port = port
        try:
            yield RunningFake(fake, port)
        finally:
            fake.close()


if __name__ == "__main__":
    main("A fake Zalo Bot Platform on loopback.", lambda latency: FakeZalo(latency=latency))
