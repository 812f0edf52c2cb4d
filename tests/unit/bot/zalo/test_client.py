"""The Zalo client on `httpx.MockTransport`: URLs, bodies, the envelope, errors and retries."""

import json

import httpx
import pytest

from bot.zalo.client import (
    SentMessage,
    ZaloApiError,
    ZaloClient,
    ZaloNetworkError,
    is_transient,
)

TOKEN = "12345689:abc-xyz"
BASE = "https://zalo.test/bot"


class Recorder:
    """A MockTransport handler that records requests and answers from a script."""

    def __init__(self, *answers: httpx.Response | Exception) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, Exception):
            raise answer
        return answer

    def bodies(self) -> list[dict[str, object]]:
        return [json.loads(request.content) for request in self.requests]


def ok(result: object) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": result})


def error(code: int, description: str, *, status: int | None = None) -> httpx.Response:
    body = {"ok": False, "error_code": code, "description": description}
    return httpx.Response(status or code, json=body)


def client_for(recorder: Recorder) -> ZaloClient:
    return ZaloClient(TOKEN, base_url=BASE, transport=httpx.MockTransport(recorder), backoff=0.001)


async def test_calls_post_json_to_base_token_method() -> None:
    recorder = Recorder(ok({"id": "1", "account_name": "bot.dondoc"}))
    client = client_for(recorder)
    me = await client.get_me()
    await client.aclose()
    assert me["account_name"] == "bot.dondoc"
    request = recorder.requests[0]
    assert request.method == "POST"
    assert str(request.url) == f"{BASE}{TOKEN}/getMe"
    assert request.headers["content-type"] == "application/json"


async def test_get_updates_sends_the_timeout_as_a_string_and_waits_longer() -> None:
    update = {"event_name": "message.text.received", "message": {"message_id": "m1"}}
    recorder = Recorder(ok(update))
    client = client_for(recorder)
    assert await client.get_updates(25) == [update]
    await client.aclose()
    assert recorder.bodies() == [{"timeout": "25"}]
    assert recorder.requests[0].extensions["timeout"]["read"] == 30.0


@pytest.mark.parametrize(
    "answer",
    [error(408, "Request timeout"), error(408, "Request timeout", status=200)],
    ids=["http-408", "envelope-408"],
)
async def test_an_idle_long_poll_returns_no_update(answer: httpx.Response) -> None:
    recorder = Recorder(answer)
    client = client_for(recorder)
    assert await client.get_updates(1) == []
    await client.aclose()
    assert len(recorder.requests) == 1  # an idle poll is not retried


async def test_get_updates_accepts_a_batch_too() -> None:
    first = {"event_name": "message.text.received", "message": {"message_id": "a"}}
    second = {"event_name": "message.text.received", "message": {"message_id": "b"}}
    client = client_for(Recorder(ok([first, second])))
    assert await client.get_updates(1) == [first, second]
    await client.aclose()


async def test_send_message_splits_long_text_at_line_ends() -> None:
    recorder = Recorder(ok({"message_id": "x", "date": 1750316131602}))
    client = client_for(recorder)
    lines = [f"{n:04d} " + "việc " * 30 for n in range(30)]  # ~ 4,800 characters
    sent = await client.send_message("chat-1", "\n".join(lines))
    await client.aclose()
    texts = [str(body["text"]) for body in recorder.bodies()]
    assert len(texts) == 3
    assert all(len(text) <= 2000 for text in texts)
    assert "\n".join(texts).split("\n") == lines
    assert sent == [SentMessage("x", 1750316131602)] * 3
    assert {body["chat_id"] for body in recorder.bodies()} == {"chat-1"}


async def test_rate_limit_is_retried_after_a_short_wait() -> None:
    recorder = Recorder(error(429, "Quota exceeded"), ok({"message_id": "m2", "date": 1}))
    client = client_for(recorder)
    sent = await client.send_message("c", "hello")
    await client.aclose()
    assert [s.message_id for s in sent] == ["m2"]
    assert len(recorder.requests) == 2


async def test_server_errors_are_retried_then_raised() -> None:
    recorder = Recorder(error(502, "Bad Gateway"))
    client = client_for(recorder)
    with pytest.raises(ZaloApiError) as raised:
        await client.send_message("c", "hello")
    await client.aclose()
    assert raised.value.code == 502
    assert is_transient(raised.value)
    assert len(recorder.requests) == 3  # the first try and two retries


async def test_a_long_wait_is_left_to_the_caller() -> None:
    answer = httpx.Response(
        429,
        json={"ok": False, "error_code": 429, "description": "Quota exceeded"},
        headers={"Retry-After": "60"},
    )
    recorder = Recorder(answer)
    client = client_for(recorder)
    with pytest.raises(ZaloApiError) as raised:
        await client.send_message("c", "hello")
    await client.aclose()
    assert raised.value.retry_after == 60.0
    assert len(recorder.requests) == 1


async def test_a_refusal_is_not_retried() -> None:
    recorder = Recorder(error(404, "Not Found"))
    client = client_for(recorder)
    with pytest.raises(ZaloApiError) as raised:
        await client.send_message("gone", "hello")
    await client.aclose()
    assert not is_transient(raised.value)
    assert len(recorder.requests) == 1


async def test_ok_false_in_a_200_is_an_error() -> None:
    client = client_for(Recorder(error(400, "Bad request", status=200)))
    with pytest.raises(ZaloApiError) as raised:
        await client.get_webhook_info()
    await client.aclose()
    assert raised.value.code == 400


async def test_timeouts_are_transient_and_never_show_the_token() -> None:
    recorder = Recorder(httpx.ReadTimeout(f"timed out reading {BASE}{TOKEN}/sendMessage"))
    client = client_for(recorder)
    with pytest.raises(ZaloNetworkError) as raised:
        await client.send_message("c", "hello")
    await client.aclose()
    assert is_transient(raised.value)
    assert TOKEN not in str(raised.value)
    assert raised.value.__cause__ is None
    assert len(recorder.requests) == 3


async def test_webhook_methods_send_what_the_documentation_names() -> None:
    recorder = Recorder(ok({"url": "https://x.test/zalo", "updated_at": 1}))
    client = client_for(recorder)
    await client.set_webhook("https://x.test/zalo", "s3cret-s3cret")
    await client.delete_webhook()
    await client.get_webhook_info()
    await client.send_chat_action("c")
    await client.send_photo("c", "https://x.test/p.png", "chart " * 500)
    await client.aclose()
    paths = [request.url.path.rsplit("/", 1)[1] for request in recorder.requests]
    assert paths == [
        "setWebhook",
        "deleteWebhook",
        "getWebhookInfo",
        "sendChatAction",
        "sendPhoto",
    ]
    bodies = recorder.bodies()
    assert bodies[0] == {"url": "https://x.test/zalo", "secret_token": "s3cret-s3cret"}
    assert bodies[3] == {"chat_id": "c", "action": "typing"}
    assert bodies[4]["photo"] == "https://x.test/p.png"
    assert len(str(bodies[4]["caption"])) <= 2000


def test_an_empty_token_is_refused() -> None:
    with pytest.raises(ValueError, match="token"):
        ZaloClient("")
