"""A local fake of Telegram's Bot API that speaks its HTTP protocol, for PTB to talk to.

One route, `/bot{token}/{method}`, answers what dondoc's bot calls (getMe, deleteWebhook,
setWebhook, getUpdates with a real long poll, sendMessage, editMessageText, answerCallbackQuery,
sendDocument, sendPhoto, getFile) and `/file/bot{token}/{path}` serves the files users sent.
Tests push updates as a user would (`push_text`, `push_press`, `push_document`) and read back
what the bot did (`calls`, `messages_to`, `wait_for`). Failures are injected per method: a 429
with `retry_after`, a 5xx, a 403 for a chat that blocked the bot, latency on every call.

How PTB encodes a call's fields is read by `tests.support.bot_api_fields`; what every fake
platform shares (recording, failures, long polls, serving) is `tests.support.fake_server`.
"""

import asyncio
import itertools
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from tests.support.bot_api_fields import read_fields
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

BOT_ID = 7_000_000
BOT_USERNAME = "dondoc_test_bot"
TOKEN = "7000000:TEST-TOKEN"
BLOCKED = "Forbidden: bot was blocked by the user"
CHAT_NOT_FOUND = "Bad Request: chat not found"

# Like Telegram, keep idle connections: uvicorn's 5 s default races clients reusing them.
KEEP_ALIVE = 120


class FakeTelegram:
    """The fake server's state and its Starlette app."""

    def __init__(self, token: str = TOKEN, *, latency: float = 0.0) -> None:
        self.token = token
        self.latency = latency
        self.recorder = Recorder()
        self.updates = Updates()
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.blocked_chats: set[int] = set()
        self.missing_chats: set[int] = set()
        self.commands: dict[str, list[JSON]] = {}
        self.sent_count = 0
        self.per_chat: Counter[int] = Counter()
        self.last_sent_at = 0.0
        self._update_ids = itertools.count(1)
        self._message_ids: dict[int, itertools.count[int]] = defaultdict(
            lambda: itertools.count(1)
        )
        self._messages: dict[tuple[int, int], JSON] = {}
        self._files: dict[str, tuple[str, bytes]] = {}
        self._file_ids = itertools.count(1)
        self.app = Starlette(
            routes=[
                Route("/bot{token}/{method}", self._endpoint, methods=["GET", "POST"]),
                Route("/file/bot{token}/{path:path}", self._download, methods=["GET"]),
                Route("/_fake/stats", self._stats, methods=["GET"]),
            ]
        )

    # -- what tests do as users --------------------------------------------------------------

    def push_text(
        self,
        user_id: int,
        text: str,
        *,
        reply_to: int | None = None,
        first_name: str = "Minh",
        language_code: str | None = "vi",
    ) -> JSON:
        """A user writes `text` (a command too) in their private chat with the bot."""
        message = self._user_message(user_id, first_name, language_code)
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        if reply_to is not None:
            replied = self._messages.get((user_id, reply_to))
            message["reply_to_message"] = replied or {
                "message_id": reply_to,
                "date": int(time.time()),
                "chat": message["chat"],
            }
        self._push({"message": message})
        return message

    def push_group_text(
        self, group_id: int, user_id: int, text: str, *, kind: str = "group"
    ) -> JSON:
        """A user writes `text` in a group (`kind`: "group" or "supergroup") the bot is in."""
        message = self._user_message(user_id, "Minh", "vi")
        message["chat"] = {"id": group_id, "type": kind, "title": "Tổ dân phố 3"}
        message["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        self._push({"message": message})
        return message

    def push_document(
        self,
        user_id: int,
        file_name: str,
        content: bytes,
        *,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
        declared_size: int | None = None,
    ) -> JSON:
        """A user sends a file; `declared_size` lets a test claim a bigger one than stored."""
        message = self._user_message(user_id, "Minh", "vi")
        file_id = self._store_file(f"documents/{file_name}", content)
        message["document"] = {
            "file_id": file_id,
            "file_unique_id": f"u{file_id}",
            "file_name": file_name,
            "mime_type": mime_type,
            "file_size": len(content) if declared_size is None else declared_size,
        }
        if caption is not None:
            message["caption"] = caption
        self._push({"message": message})
        return message

    def push_photo(self, user_id: int, content: bytes) -> JSON:
        """A user sends a photo (Telegram offers a thumbnail and the full size)."""
        message = self._user_message(user_id, "Minh", "vi")
        thumb = self._store_file("photos/thumb.jpg", content[:16])
        full = self._store_file("photos/full.jpg", content)
        message["photo"] = [
            {"file_id": thumb, "file_unique_id": f"u{thumb}", "width": 90, "height": 90},
            {
                "file_id": full,
                "file_unique_id": f"u{full}",
                "width": 1280,
                "height": 960,
                "file_size": len(content),
            },
        ]
        self._push({"message": message})
        return message

    def push_press(self, user_id: int, message_id: int, data: str) -> str:
        """A user taps a button with callback `data` under the bot's message `message_id`."""
        query_id = f"q{next(self._update_ids)}"
        message = self._messages.get((user_id, message_id)) or {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Minh"},
            "from": self._bot_user(),
            "text": "…",
        }
        self._push(
            {
                "callback_query": {
                    "id": query_id,
                    "from": self._user(user_id, "Minh", "vi"),
                    "chat_instance": f"ci{user_id}",
                    "message": message,
                    "data": data,
                }
            }
        )
        return query_id

    def push_update(self, update: JSON) -> None:
        """Queue a raw update (its `update_id` is assigned here)."""
        self._push(update)

    # -- what tests read back ----------------------------------------------------------------

    def fail(
        self,
        method: str,
        status: int,
        description: str,
        *,
        retry_after: int | None = None,
        times: int = 1,
        chat_id: int | None = None,
    ) -> None:
        """Answer the next `times` calls of `method` (to `chat_id`, if given) with an error."""
        chat = None if chat_id is None else str(chat_id)
        self.recorder.fail(method, Failure(status, description, times, chat, retry_after))

    @property
    def calls(self) -> list[Call]:
        """Every call the bot made, in order."""
        return self.recorder.calls

    def calls_of(self, method: str) -> list[Call]:
        """The recorded calls of one method, in order."""
        return self.recorder.calls_of(method)

    def messages_to(self, chat_id: int) -> list[JSON]:
        """The messages the bot has in a chat now (edits applied), oldest first."""
        return [m for (chat, _), m in sorted(self._messages.items()) if chat == chat_id]

    def message(self, chat_id: int, message_id: int) -> JSON:
        """One message of a chat as it stands now."""
        return self._messages[(chat_id, message_id)]

    async def wait_for(
        self, predicate: Callable[[list[Call]], bool], *, within: float = PATIENCE
    ) -> list[Call]:
        """Wait until `predicate(calls)` holds; fail the test after `within` seconds."""
        await self.recorder.wait_until(lambda: predicate(self.calls), within=within)
        return self.calls

    async def wait_calls(
        self, method: str, count: int = 1, *, within: float = PATIENCE
    ) -> list[Call]:
        """Wait for `count` calls of `method`; return them."""
        await self.wait_for(lambda _: len(self.calls_of(method)) >= count, within=within)
        return self.calls_of(method)

    def close(self) -> None:
        """Release every long poll at once, so the server stops without waiting."""
        self.updates.close()

    # -- the protocol ------------------------------------------------------------------------

    async def _endpoint(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return _error(401, "Unauthorized")
        method = request.path_params["method"]
        params, files = await read_fields(request)
        await self.recorder.record(Call(method, params, time.monotonic(), files))
        if method != "getUpdates" and self.latency:
            await asyncio.sleep(self.latency)
        failure = self.recorder.take_failure(method, params)
        if failure is not None:
            return _error(failure.status, failure.description, failure.retry_after)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        result: Response = await handler(params, files)
        return result

    async def _api_getMe(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        return ok(
            {**self._bot_user(), "can_join_groups": True, "can_read_all_group_messages": False}
        )

    async def _api_deleteWebhook(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        self.webhook_url = ""
        self.webhook_secret = None
        return ok(True)

    async def _api_setWebhook(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        self.webhook_url = str(params["url"])
        self.webhook_secret = params.get("secret_token")
        return ok(True)

    async def _api_getUpdates(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        limit = int(params.get("limit", 100) or 100)
        if offset:
            self.updates.queued = [u for u in self.updates.queued if u["update_id"] >= offset]
        await self.updates.wait(timeout)
        return ok(self.updates.queued[:limit])

    async def _api_sendMessage(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        chat_id = int(params["chat_id"])
        refusal = self._refuse(chat_id)
        if refusal is not None:
            return refusal
        message = self._bot_message(chat_id, params)
        message["text"] = str(params["text"])
        return ok(message)

    async def _api_editMessageText(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        chat_id = int(params["chat_id"])
        key = (chat_id, int(params["message_id"]))
        message = self._messages.get(key)
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup = params.get("reply_markup")
        if message.get("text") == params["text"] and message.get("reply_markup") == markup:
            return _error(400, "Bad Request: message is not modified")
        message["text"] = str(params["text"])
        message["edit_date"] = int(time.time())
        if markup is None:
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        return ok(message)

    async def _api_setMyCommands(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        language = str(params.get("language_code") or "")
        self.commands[language] = list(params["commands"])
        return ok(True)

    async def _api_answerCallbackQuery(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        return ok(True)

    async def _api_sendDocument(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        return self._send_file(params, files, "document")

    async def _api_sendPhoto(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        return self._send_file(params, files, "photo")

    async def _api_getFile(self, params: JSON, files: JSON) -> Response:  # noqa: N802
        file_id = str(params["file_id"])
        if file_id not in self._files:
            return _error(400, "Bad Request: invalid file_id")
        path, content = self._files[file_id]
        return ok(
            {
                "file_id": file_id,
                "file_unique_id": f"u{file_id}",
                "file_size": len(content),
                "file_path": path,
            }
        )

    async def _stats(self, request: Request) -> Response:
        """How many messages the bot sent, to which chats, the last when (wall clock): for a
        fake run in another process (benchmarks)."""
        return JSONResponse(
            {
                "sent": self.sent_count,
                "chats": {str(chat): count for chat, count in self.per_chat.items()},
                "last_sent_at": self.last_sent_at,
            }
        )

    async def _download(self, request: Request) -> Response:
        if request.path_params["token"] != self.token:
            return Response(status_code=401)
        wanted = request.path_params["path"]
        for path, content in self._files.values():
            if path == wanted:
                return Response(content, media_type="application/octet-stream")
        return Response(status_code=404)

    # -- state -------------------------------------------------------------------------------

    def _send_file(self, params: JSON, files: Mapping[str, bytes], kind: str) -> Response:
        chat_id = int(params["chat_id"])
        refusal = self._refuse(chat_id)
        if refusal is not None:
            return refusal
        content = files.get(kind, b"")
        file_id = self._store_file(f"sent/{kind}", content)
        message = self._bot_message(chat_id, params)
        if kind == "photo":
            message["photo"] = [
                {"file_id": file_id, "file_unique_id": file_id, "width": 1, "height": 1}
            ]
        else:
            name = params.get(f"{kind}_name") or "file"
            message["document"] = {
                "file_id": file_id,
                "file_unique_id": file_id,
                "file_name": name,
            }
        if "caption" in params:
            message["caption"] = str(params["caption"])
        return ok(message)

    def _refuse(self, chat_id: int) -> Response | None:
        if chat_id in self.blocked_chats:
            return _error(403, BLOCKED)
        if chat_id in self.missing_chats:
            return _error(400, CHAT_NOT_FOUND)
        return None

    def _bot_message(self, chat_id: int, params: JSON) -> JSON:
        self.sent_count += 1
        self.per_chat[chat_id] += 1
        self.last_sent_at = time.time()
        message_id = next(self._message_ids[chat_id])
        message: JSON = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Minh"},
            "from": self._bot_user(),
        }
        if params.get("reply_markup") is not None:
            message["reply_markup"] = params["reply_markup"]
        if self.recorder.keep:
            self._messages[(chat_id, message_id)] = message
        return message

    def _user_message(self, user_id: int, first_name: str, language_code: str | None) -> JSON:
        return {
            "message_id": next(self._message_ids[user_id]),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": first_name},
            "from": self._user(user_id, first_name, language_code),
        }

    @staticmethod
    def _user(user_id: int, first_name: str, language_code: str | None) -> JSON:
        user: JSON = {"id": user_id, "is_bot": False, "first_name": first_name}
        if language_code is not None:
            user["language_code"] = language_code
        return user

    @staticmethod
    def _bot_user() -> JSON:
        return {"id": BOT_ID, "is_bot": True, "first_name": "Đôn đốc", "username": BOT_USERNAME}

    def _store_file(self, path: str, content: bytes) -> str:
        file_id = f"F{next(self._file_ids)}"
        self._files[file_id] = (f"{path}.{file_id}", content)
        return file_id

    def _push(self, update: JSON) -> None:
        update["update_id"] = next(self._update_ids)
        self.updates.push(update)


def _error(status: int, description: str, retry_after: int | None = None) -> Response:
    body: JSON = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)


@dataclass(frozen=True, slots=True)
class RunningFake:
    """A started fake: its state, and the URLs to give PTB."""

    fake: FakeTelegram
    port: int

    @property
    def base_url(self) -> str:
        """What `ApplicationBuilder.base_url` wants (PTB appends the token)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """What `ApplicationBuilder.base_file_url` wants."""
        return f"http://127.0.0.1:{self.port}/file/bot"


@asynccontextmanager
async def serve_fake(fake: FakeTelegram) -> AsyncIterator[RunningFake]:
    """Run `fake` on a free loopback port in this event loop until the block ends."""
    async with serve_app(fake.app, keep_alive=KEEP_ALIVE) as port:
        try:
            yield RunningFake(fake, port)
        finally:
            fake.close()


if __name__ == "__main__":
    main(
        "A fake Telegram Bot API on loopback.",
        lambda latency: FakeTelegram(latency=latency),
        keep_alive=KEEP_ALIVE,
    )
