"""What Telegram answers becomes what the outbox should do: retry later, or give up the chat."""

import json

import pytest
from telegram import Bot
from telegram.error import BadRequest, TimedOut
from telegram.request import BaseRequest, RequestData

from bot.telegram.app import file_url
from bot.telegram.sender import TelegramSender, _split
from jobs.senders import PermanentSendError, Recipient, TransientSendError
from services.messages import Reply, Text

MINH = Recipient(officer_id=7, chat_id="4242", locale="vi")
REPLY = Reply(lines=(Text("Task {code}", {"code": "2.1"}),))


class ScriptedRequest(BaseRequest):
    """PTB's transport, answering every request with one status and body (or raising)."""

    def __init__(self, status: int, body: dict[str, object] | None = None) -> None:
        self.status = status
        self.body = body or {}
        self.raises: Exception | None = None
        self.methods: list[str] = []
        self.fields: list[dict[str, object]] = []

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = None,
        write_timeout: object = None,
        connect_timeout: object = None,
        pool_timeout: object = None,
    ) -> tuple[int, bytes]:
        self.methods.append(url.rsplit("/", 1)[-1])
        self.fields.append(dict(request_data.parameters) if request_data is not None else {})
        if self.raises is not None:
            raise self.raises
        return self.status, json.dumps(self.body).encode()


def _error(status: int, description: str, **parameters: int) -> ScriptedRequest:
    body: dict[str, object] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return ScriptedRequest(status, body)


async def _send(request: ScriptedRequest, reply: Reply = REPLY) -> str:
    return await TelegramSender(Bot("1:T", request=request)).send(MINH, reply)


async def test_a_sent_message_returns_its_telegram_id() -> None:
    message = {
        "message_id": 91,
        "date": 0,
        "chat": {"id": 4242, "type": "private"},
        "text": "Task 2.1",
    }
    request = ScriptedRequest(200, {"ok": True, "result": message})
    assert await _send(request) == "91"
    assert request.methods == ["sendMessage"]
    assert request.fields[0]["chat_id"] == 4242


async def test_flood_control_is_transient_with_telegrams_retry_after() -> None:
    request = _error(429, "Too Many Requests: retry after 5", retry_after=5)
    with pytest.raises(TransientSendError) as raised:
        await _send(request)
    assert raised.value.retry_after == 5.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
async def test_a_server_error_is_transient(status: int) -> None:
    with pytest.raises(TransientSendError) as raised:
        await _send(_error(status, "Internal Server Error"))
    assert raised.value.retry_after is None


async def test_a_timeout_is_transient() -> None:
    request = ScriptedRequest(200)
    request.raises = TimedOut()
    with pytest.raises(TransientSendError):
        await _send(request)


@pytest.mark.parametrize(
    ("status", "description"),
    [
        (403, "Forbidden: bot was blocked by the user"),
        (403, "Forbidden: user is deactivated"),
        (400, "Bad Request: chat not found"),
        (400, "Bad Request: PEER_ID_INVALID"),
    ],
)
async def test_a_blocked_or_vanished_chat_is_permanent(status: int, description: str) -> None:
    with pytest.raises(PermanentSendError, match=f"(?i){description.split(': ', 1)[1]}"):
        await _send(_error(status, description))


async def test_another_bad_request_is_a_bug_and_raised_as_such() -> None:
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await _send(_error(400, "Bad Request: can't parse entities"))


async def test_a_reply_with_neither_text_nor_file_is_refused() -> None:
    with pytest.raises(ValueError, match="text or an attachment"):
        await _send(ScriptedRequest(200), Reply(lines=()))


def test_long_text_is_split_at_line_ends() -> None:
    assert _split("aaaa\nbb\ncc", 5) == ["aaaa", "bb\ncc"]
    assert _split("abcdefghij\nk", 4) == ["abcd", "efgh", "ij\nk"]
    assert _split("short", 4096) == ["short"]
    assert _split("", 10) == [""]


def test_files_are_fetched_beside_the_api() -> None:
    assert file_url("https://api.telegram.org/bot") == "https://api.telegram.org/file/bot"
    assert file_url("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/file/bot"


async def test_a_chat_named_by_username_is_passed_as_it_stands() -> None:
    request = _error(400, "Bad Request: chat not found")
    with pytest.raises(PermanentSendError):
        await TelegramSender(Bot("1:T", request=request)).send(
            Recipient(officer_id=7, chat_id="@phuong_bac_son", locale="vi"), REPLY
        )
    assert request.fields[0]["chat_id"] == "@phuong_bac_son"
