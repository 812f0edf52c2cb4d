"""Webhook mode: setWebhook with the secret on start, and a route that refuses strangers."""

from collections.abc import AsyncIterator
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from starlette.applications import Starlette

from bot.inbound import MAX_ATTEMPTS, InboundStore
from bot.telegram.app import build_application
from bot.telegram.runner import running
from bot.telegram.webhook import SECRET_HEADER, TelegramInbox, webhook_route
from jobs.runner import JobRunner
from models import Channel, Outbox
from models.inbound import InboundUpdate
from tests.support.clock import FakeClock
from tests.support.fake_telegram import TOKEN, RunningFake
from tests.support.scripted_conversation import ScriptedConversation
from tests.support.ward import Ward

HOOK = "https://dondoc.example.vn/telegram/hook-7f3a"
SECRET = "s3cret-token_for-the-hook"
UPDATE = {
    "update_id": 501,
    "message": {
        "message_id": 3,
        "date": 0,
        "chat": {"id": 4242, "type": "private"},
        "from": {"id": 4242, "is_bot": False, "first_name": "Minh"},
        "text": "/viec",
        "entities": [{"type": "bot_command", "offset": 0, "length": 5}],
    },
}


@pytest.fixture
def store(engine: Engine, clock: FakeClock) -> InboundStore:
    """Where the webhook keeps Telegram's updates, on the test's database."""
    return InboundStore(JobRunner(engine), clock, Channel.TELEGRAM)


@pytest.fixture
async def inbox(
    telegram: RunningFake, conversation: ScriptedConversation, store: InboundStore
) -> AsyncIterator[TelegramInbox]:
    """The bot in webhook mode (setWebhook done), storing and processing through `store`."""
    application = build_application(
        token=TOKEN,
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
        webhook_url=HOOK,
        secret=SECRET,
    )
    async with running(application, poll_timeout=timedelta(seconds=1)):
        inbox = TelegramInbox(application, store)
        yield inbox
        await inbox.drain(grace=5)


@pytest.fixture
async def web(inbox: TelegramInbox) -> AsyncIterator[httpx.AsyncClient]:
    """The webhook's route mounted on a web app, and a client for that app."""
    app = Starlette(routes=[webhook_route(inbox)])
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="https://dondoc.example.vn") as c:
        yield c


def stored(engine: Engine) -> list[InboundUpdate]:
    with Session(engine) as session:
        return list(session.exec(select(InboundUpdate).order_by(col(InboundUpdate.id))).all())


async def test_the_webhook_is_registered_with_its_secret_and_nothing_polls(
    telegram: RunningFake, web: httpx.AsyncClient
) -> None:
    assert telegram.fake.webhook_url == HOOK
    assert telegram.fake.webhook_secret == SECRET
    assert telegram.fake.calls_of("getUpdates") == []


async def test_an_update_with_the_secret_is_handled(
    telegram: RunningFake, conversation: ScriptedConversation, web: httpx.AsyncClient
) -> None:
    response = await web.post("/telegram/hook-7f3a", json=UPDATE, headers={SECRET_HEADER: SECRET})
    assert response.status_code == 200
    await telegram.fake.wait_calls("sendMessage")
    assert [i.text for i in conversation.received] == ["/viec"]


@pytest.mark.parametrize("headers", [{}, {SECRET_HEADER: "guess"}, {SECRET_HEADER: SECRET + "x"}])
async def test_a_request_without_the_secret_is_refused(
    conversation: ScriptedConversation, web: httpx.AsyncClient, headers: dict[str, str]
) -> None:
    response = await web.post("/telegram/hook-7f3a", json=UPDATE, headers=headers)
    assert response.status_code == 403
    assert conversation.received == []


async def test_a_replayed_update_is_processed_once(
    telegram: RunningFake,
    conversation: ScriptedConversation,
    web: httpx.AsyncClient,
    inbox: TelegramInbox,
) -> None:
    answers = [
        await web.post("/telegram/hook-7f3a", json=UPDATE, headers={SECRET_HEADER: SECRET})
        for _ in range(3)
    ]
    await telegram.fake.wait_calls("sendMessage")  # the follow-up comes after the answer
    message = UPDATE["message"]
    assert isinstance(message, dict)
    follow = {**UPDATE, "update_id": 502, "message": {**message, "text": "xong"}}
    await web.post("/telegram/hook-7f3a", json=follow, headers={SECRET_HEADER: SECRET})
    await telegram.fake.wait_calls("sendMessage", 2)
    await inbox.drain(grace=5)  # whatever was started has ended

    assert [a.status_code for a in answers] == [200, 200, 200]
    assert [i.text for i in conversation.received] == ["/viec", "xong"]
    assert len(telegram.fake.calls_of("sendMessage")) == 2


async def test_a_body_that_is_no_update_is_recorded_once_and_acknowledged(
    conversation: ScriptedConversation,
    web: httpx.AsyncClient,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    bodies = [
        b"not json",
        b"[1, 2]",
        b'{"update_id": "x"}',
        b'{"update_id": 7, "message": {"date": NaN}}',
        b'{"update_id": 8, "message": {"chat": 5}}',
    ]
    first = [await _post(web, body) for body in bodies]
    again = [await _post(web, body) for body in bodies]

    assert {r.status_code for r in first + again} == {200}
    rows = stored(engine)
    assert len(rows) == len(bodies)
    assert all(row.parked_at is not None for row in rows)
    assert caplog.text.count("a body that is no update recorded") == len(bodies)
    assert conversation.received == []


async def test_a_body_over_the_limit_is_refused_as_it_comes(
    web: httpx.AsyncClient, engine: Engine
) -> None:
    huge = b'{"update_id": 9, "x": "' + b"a" * (2 * 1024 * 1024) + b'"}'

    response = await _post(web, huge)

    assert response.status_code == 413
    assert stored(engine) == []


async def test_an_update_that_never_finishes_is_parked_and_the_admin_told(
    conversation: ScriptedConversation,
    inbox: TelegramInbox,
    store: InboundStore,
    session: Session,
    clock: FakeClock,
    engine: Engine,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ward = Ward.build(session, clock)
    ward.bind(ward.officer("minh"), user_id="4242")
    row_id = await store.record_update("u:501", UPDATE)
    assert row_id is not None
    for _ in range(MAX_ATTEMPTS):  # three runs died while processing it
        await store.begin_attempt(row_id)

    assert await inbox.replay() == 1
    await inbox.drain(grace=5)

    (row,) = stored(engine)
    assert row.parked_at is not None
    assert row.processed_at is None
    assert conversation.received == []
    parked = f"update 501 (stored as {row_id}) parked: its processing never ended in"
    assert f"{parked} {MAX_ATTEMPTS} tries" in caplog.text
    (notice,) = session.exec(select(Outbox).where(Outbox.officer_id == ward.admin.id)).all()
    assert "Phạm Văn Minh" in str(notice.payload)
    assert await inbox.replay() == 0


async def test_an_unfinished_update_is_processed_at_the_next_start(
    telegram: RunningFake,
    conversation: ScriptedConversation,
    inbox: TelegramInbox,
    store: InboundStore,
    engine: Engine,
) -> None:
    assert await store.record_update("u:501", UPDATE) is not None

    assert await inbox.replay() == 1
    await telegram.fake.wait_calls("sendMessage")
    await inbox.drain(grace=5)

    assert [i.text for i in conversation.received] == ["/viec"]
    assert stored(engine)[0].processed_at is not None


async def _post(web: httpx.AsyncClient, body: bytes) -> httpx.Response:
    return await web.post(
        "/telegram/hook-7f3a",
        content=body,
        headers={SECRET_HEADER: SECRET, "content-type": "application/json"},
    )


def test_a_webhook_needs_its_secret(conversation: ScriptedConversation) -> None:
    with pytest.raises(ValueError, match="secret"):
        build_application(
            token=TOKEN,
            conversation=conversation,
            locale_of=conversation.locale_of,
            webhook_url=HOOK,
        )
