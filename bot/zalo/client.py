"""A thin httpx client for the Zalo Bot Platform (`docs/spec/zalo.md` §1).

Every call is `POST {base_url}{token}/{method}` with a JSON body, answered by the envelope
`{"ok": bool, "result": …, "error_code": int, "description": str}`. The token sits in the URL
path, so neither URLs nor httpx's own messages are ever logged or put into an error.

Errors keep Zalo's `error_code` (HTTP-shaped: 400, 401, 403, 404, 408, 429); `is_transient`
says which ones are worth another try. A transient failure is retried here a few times when the
wait is short (`max_retries`, `max_delay`), so that one slow second does not cost a reminder its
place in the outbox; longer waits are left to the caller (the outbox's backoff).
"""

import asyncio
import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import httpx

logger = logging.getLogger(__name__)

DEFAULT_BASE_URL: Final = "https://bot-api.zaloplatforms.com/bot"
TEXT_LIMIT: Final = 2000  # `text` and `caption`: 1–2000 characters
POLL_HEADROOM: Final = 5.0  # read timeout of a long poll: its `timeout` plus this
IDLE: Final = 408  # getUpdates: nothing arrived during the long poll
RATE_LIMITED: Final = 429
# Zalo publishes no rate limit for bots (docs/spec/zalo.md §1.5; overuse answers 429 "Quota
# exceeded"): dondoc sends at most 20 messages a second, evenly spaced, a third of the 4,000 a
# minute that Zalo's Official Account API allows an app.
MAX_SEND_RATE: Final = 20.0
# Where Zalo keeps what users send (its CDNs and its own domains): `photo_url` is fetched from
# these, over https, or from the configured API's own address (a local server), never elsewhere.
FILE_HOSTS: Final = (
    "zdn.vn",
    "zadn.vn",
    "zalo.me",
    "zaloapp.com",
    "zapps.me",
    "zaloplatforms.com",
)
# 403 is documented as "Internal server error" (sic), so it is retried like a 5xx.
_TRANSIENT_CODES: Final = frozenset({403, IDLE, RATE_LIMITED})


class ZaloError(Exception):
    """A call to the Zalo Bot Platform failed."""


class ZaloApiError(ZaloError):
    """Zalo answered with an error: its `error_code`, description and (rarely) a wait."""

    def __init__(
        self, method: str, code: int, description: str, *, retry_after: float | None = None
    ) -> None:
        super().__init__(f"{method}: {code} {description}")
        self.method = method
        self.code = code
        self.description = description
        self.retry_after = retry_after


class ZaloNetworkError(ZaloError):
    """Zalo could not be reached, or did not answer in time."""


@dataclass(frozen=True, slots=True)
class SentMessage:
    """What sendMessage and sendPhoto return."""

    message_id: str
    date: int | None = None


def is_transient(error: ZaloError) -> bool:
    """Whether trying again later may succeed: timeouts, 5xx, 429 (and Zalo's 403)."""
    if isinstance(error, ZaloNetworkError):
        return True
    assert isinstance(error, ZaloApiError)
    return error.code in _TRANSIENT_CODES or error.code >= 500


class _Pace:
    """Spaces calls evenly, at most `rate` a second (0: no limit)."""

    def __init__(self, rate: float) -> None:
        self._gap = 1 / rate if rate > 0 else 0.0
        self._next = 0.0

    async def wait(self) -> None:
        """Return when the next call may go."""
        if not self._gap:
            return
        now = time.monotonic()
        at = max(now, self._next)
        self._next = at + self._gap
        if at > now:
            await asyncio.sleep(at - now)


class ZaloClient:
    """The bot's side of the API: one `httpx.AsyncClient`, closed by `aclose`."""

    def __init__(
        self,
        token: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        timeout: float = 15.0,
        max_retries: int = 2,
        backoff: float = 0.5,
        max_delay: float = 5.0,
        transport: httpx.AsyncBaseTransport | None = None,
        max_send_rate: float = MAX_SEND_RATE,
    ) -> None:
        if not token:
            raise ValueError("a Zalo bot token is needed")
        self._pace = _Pace(max_send_rate)
        self._token = token
        self._base_url = base_url
        self._timeout = timeout
        self._max_retries = max_retries
        self._backoff = backoff
        self._max_delay = max_delay
        self._http = httpx.AsyncClient(timeout=timeout, transport=transport)

    async def aclose(self) -> None:
        """Close the connections."""
        await self._http.aclose()

    async def get_me(self) -> dict[str, Any]:
        """The bot's own account (`id`, `account_name`, …): a token check."""
        return _mapping(await self.call("getMe"))

    async def get_updates(self, wait: float) -> list[dict[str, Any]]:
        """Long-poll for up to `wait` seconds: the update(s) that arrived, or none (408)."""
        seconds = max(0, round(wait))
        try:
            result = await self.call(
                "getUpdates",
                {"timeout": str(seconds)},  # a string, as the documentation shows it
                read_timeout=seconds + POLL_HEADROOM,
                retries=0,
            )
        except ZaloApiError as error:
            if error.code == IDLE:
                return []
            raise
        if isinstance(result, list):  # documented as one update; accept a batch too
            return [item for item in result if isinstance(item, dict) and item]
        if isinstance(result, dict) and result:
            return [result]
        return []

    async def set_webhook(self, url: str, secret_token: str) -> dict[str, Any]:
        """Have Zalo POST updates to `url` with `secret_token` in `X-Bot-Api-Secret-Token`."""
        return _mapping(await self.call("setWebhook", {"url": url, "secret_token": secret_token}))

    async def delete_webhook(self) -> dict[str, Any]:
        """Stop webhook delivery (getUpdates works only without one)."""
        return _mapping(await self.call("deleteWebhook"))

    async def get_webhook_info(self) -> dict[str, Any]:
        """The webhook Zalo has on file (`url` empty when none)."""
        return _mapping(await self.call("getWebhookInfo"))

    async def send_message(self, chat_id: str, text: str) -> list[SentMessage]:
        """Send `text`, in as many messages of at most 2,000 characters as it needs (cut at line
        ends where possible); the messages sent, in order."""
        chunks = split_text(text)
        if not chunks:
            raise ValueError("Zalo cannot send an empty message")
        sent = []
        for chunk in chunks:
            await self._pace.wait()
            result = await self.call("sendMessage", {"chat_id": chat_id, "text": chunk})
            sent.append(_sent(result))
        return sent

    async def send_photo(self, chat_id: str, photo_url: str, caption: str = "") -> SentMessage:
        """Send the picture Zalo downloads from `photo_url`, with a caption cut to the limit."""
        body: dict[str, object] = {"chat_id": chat_id, "photo": photo_url}
        if caption.strip():
            body["caption"] = _shorten(caption.strip(), TEXT_LIMIT)
        await self._pace.wait()
        return _sent(await self.call("sendPhoto", body))

    async def send_chat_action(self, chat_id: str, action: str = "typing") -> None:
        """Show "typing…" in the chat for a few seconds."""
        await self.call("sendChatAction", {"chat_id": chat_id, "action": action}, retries=0)

    async def fetch(self, url: str, *, max_bytes: int) -> tuple[bytes, str | None]:
        """Download a file Zalo points to (a photo a user sent): its bytes and media type;
        `ZaloError` when it cannot be had, is over `max_bytes`, or is not on Zalo's own hosts
        (an update could name an address inside the office's network)."""
        if not self.is_platform_file(url):
            raise ZaloApiError("download", 400, "not a Zalo address")
        try:
            async with self._http.stream("GET", url) as response:
                if response.status_code != httpx.codes.OK:
                    raise ZaloApiError("download", response.status_code, "file not available")
                content = bytearray()
                async for piece in response.aiter_bytes():
                    content.extend(piece)
                    if len(content) > max_bytes:
                        raise ZaloApiError("download", 413, "file too big")
                media_type = response.headers.get("content-type")
        except httpx.HTTPError as error:
            raise ZaloNetworkError(f"download: {type(error).__name__}") from None
        return bytes(content), None if media_type is None else media_type.split(";")[0]

    def is_platform_file(self, url: str) -> bool:
        """Whether `url` is on one of Zalo's own hosts (https), or on the configured API's."""
        try:
            parts = httpx.URL(url)
            host = parts.host.lower().rstrip(".")  # decodes IDNA, which may raise
        except (httpx.InvalidURL, TypeError, ValueError):  # ValueError: an invalid IDNA label
            return False
        if parts.userinfo:
            return False
        api = httpx.URL(self._base_url)
        if (parts.scheme, parts.host, parts.port) == (api.scheme, api.host, api.port):
            return True
        return (
            parts.scheme == "https"
            and parts.port in (None, 443)
            and any(host == name or host.endswith("." + name) for name in FILE_HOSTS)
        )

    async def call(
        self,
        method: str,
        body: Mapping[str, object] | None = None,
        *,
        read_timeout: float | None = None,
        retries: int | None = None,
    ) -> object:
        """Call `method` and return its `result`; retry short transient failures."""
        attempts = (self._max_retries if retries is None else retries) + 1
        for attempt in range(attempts):
            try:
                return await self._call_once(method, body, read_timeout)
            except ZaloError as error:
                delay = self._retry_delay(error, attempt)
                if attempt + 1 >= attempts or delay is None:
                    raise
                logger.warning("zalo %s failed (%s); retry in %.1fs", method, _what(error), delay)
                await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry_delay(self, error: ZaloError, attempt: int) -> float | None:
        if not is_transient(error) or (isinstance(error, ZaloApiError) and error.code == IDLE):
            return None
        wanted = error.retry_after if isinstance(error, ZaloApiError) else None
        delay = wanted if wanted is not None else self._backoff * 2**attempt
        return delay if delay <= self._max_delay else None

    async def _call_once(
        self, method: str, body: Mapping[str, object] | None, read_timeout: float | None
    ) -> object:
        url = f"{self._base_url}{self._token}/{method}"
        timeout = httpx.Timeout(self._timeout, read=read_timeout or self._timeout)
        try:
            response = await self._http.post(url, json=dict(body or {}), timeout=timeout)
        except httpx.TimeoutException:
            raise ZaloNetworkError(f"{method}: timed out") from None
        except httpx.HTTPError as error:  # never chained: httpx errors may carry the URL
            raise ZaloNetworkError(f"{method}: {type(error).__name__}") from None
        return _result(method, response)


def split_text(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """`text` in pieces of at most `limit` characters (UTF-16 units, the stricter count), cut
    at line ends, else at a space, else anywhere; blank pieces are dropped."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        candidate = line if not current else f"{current}\n{line}"
        if _length(candidate) <= limit:
            current = candidate
            continue
        if current.strip():
            chunks.append(current)
        current = ""
        while _length(line) > limit:
            head, line = _cut(line, limit)
            chunks.append(head)
        current = line
    if current.strip():
        chunks.append(current)
    return [chunk.strip("\n") for chunk in chunks if chunk.strip()]


def _cut(line: str, limit: int) -> tuple[str, str]:
    """The longest head of `line` within `limit`, preferably ending at a space; and the rest."""
    end = 0
    units = 0
    for index, char in enumerate(line):
        units += _length(char)
        if units > limit:
            break
        end = index + 1
    end = max(end, 1)
    space = line.rfind(" ", 0, end)
    if space > end // 2:
        return line[:space], line[space + 1 :]
    return line[:end], line[end:]


def _length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _shorten(text: str, limit: int) -> str:
    if _length(text) <= limit:
        return text
    head, _ = _cut(text, limit - 1)
    return head + "…"


def _result(method: str, response: httpx.Response) -> object:
    try:
        data = response.json()
    except ValueError:
        data = None
    if isinstance(data, dict) and data.get("ok") is True:
        return data.get("result")
    code = response.status_code
    description = response.reason_phrase or "error"
    retry_after = _retry_after(response, data)
    if isinstance(data, dict):
        if isinstance(data.get("error_code"), int):
            code = int(data["error_code"])
        if isinstance(data.get("description"), str):
            description = str(data["description"])
    if code < 400:  # ok: false in a 200: still a refusal
        code = 400
    raise ZaloApiError(method, code, description, retry_after=retry_after)


def _retry_after(response: httpx.Response, data: object) -> float | None:
    """A wait, if Zalo names one: Telegram-style `parameters.retry_after` or `Retry-After`.
    Neither is documented for Zalo; both are read in case they come."""
    if isinstance(data, dict):
        parameters = data.get("parameters")
        if isinstance(parameters, dict) and isinstance(parameters.get("retry_after"), int | float):
            return float(parameters["retry_after"])
    header = response.headers.get("retry-after")
    if header is not None and header.strip().isdecimal():
        return float(header.strip())
    return None


def _sent(result: object) -> SentMessage:
    data = _mapping(result)
    date = data.get("date")
    return SentMessage(
        message_id=str(data.get("message_id", "")), date=date if isinstance(date, int) else None
    )


def _mapping(result: object) -> dict[str, Any]:
    return dict(result) if isinstance(result, dict) else {}


def _what(error: ZaloError) -> str:
    return str(error.code) if isinstance(error, ZaloApiError) else "network"
