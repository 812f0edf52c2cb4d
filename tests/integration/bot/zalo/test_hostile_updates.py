"""Zalo updates an attacker or a broken platform could send: dates out of every range, bodies that
are no update, updates whose processing never ends, pictures on addresses that are not Zalo's.
Through the fake platform, on both databases."""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.conversation.incoming import Incoming
from bot.inbound import MAX_ATTEMPTS
from bot.zalo.client import ZaloClient
from bot.zalo.inbox import Inbox
from bot.zalo.runner import running
from bot.zalo.store import ZaloStore
from bot.zalo.webhook import SECRET_HEADER, webhook_route
from jobs.runner import JobRunner
from models import Channel, Outbox
from models.inbound import InboundUpdate
from services.messages import Reply
from tests.support.clock import FakeClock
from tests.support.fake_server import serve_app
from tests.support.fake_zalo import TOKEN, RunningFake
from tests.support.ports import free_port
from tests.support.scripted_conversation import ScriptedConversation
from tests.support.ward import Ward

MINH = "6ede9afa66b88fe6d6a9"
SECRET = "a-long-webhook-secret"


@pytest.fixture
async def hook(zalo: RunningFake, inbox: Inbox) -> AsyncIterator[str]:
    """The adapter in webhook mode behind a web app on loopback; the webhook's URL."""
    url = f"http://127.0.0.1:{free_port()}/zalo/webhook"
    route = webhook_route(inbox, webhook_url=url, secret=SECRET)
    async with (
        serve_app(Starlette(routes=[route]), urlsplit(url).port),
        running(inbox, webhook_url=url, secret=SECRET, retry_delay=0.01),
    ):
        await zalo.fake.wait_for(lambda: bool(zalo.fake.webhook_url))
        yield url


def rows(engine: Engine) -> list[InboundUpdate]:
    with Session(engine) as session:
        return list(session.exec(select(InboundUpdate).order_by(col(InboundUpdate.id))).all())


async def post(url: str, body: bytes) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(
            url,
            content=body,
            headers={SECRET_HEADER: SECRET, "content-type": "application/json"},
        )


@pytest.mark.parametrize("date", [10**20, 10**400, -1, 1.5e300])
async def test_a_date_out_of_every_range_is_answered_and_finished(
    zalo: RunningFake, hook: str, engine: Engine, date: int | float
) -> None:
    update = zalo.fake.text_update(MINH, "xin chào", message_id=f"d-{date!s:.20}")
    update["message"]["date"] = date

    response = await zalo.fake.post_webhook(update)

    assert response.status_code == 200
    assert await zalo.fake.wait_texts(MINH) == ["You said: xin chào"]
    async with asyncio.timeout(5):
        while rows(engine)[0].processed_at is None:  # noqa: ASYNC110 - the row is in a database
            await asyncio.sleep(0.02)


async def test_a_body_that_is_no_update_is_recorded_once_and_acknowledged(
    zalo: RunningFake, conversation: ScriptedConversation, hook: str, engine: Engine
) -> None:
    bodies = [b"{not json", b'{"ok": true}', b"[1, 2]", b'{"event_name": "x", "date": 1e400}']
    first = [await post(hook, body) for body in bodies]
    again = [await post(hook, body) for body in bodies]

    assert {r.status_code for r in first + again} == {200}
    kept = rows(engine)
    assert len(kept) == len(bodies)
    assert all(row.parked_at is not None and row.payload["malformed"] for row in kept)
    assert conversation.received == []


async def test_a_body_over_the_limit_is_refused_as_it_comes(
    zalo: RunningFake, hook: str, engine: Engine
) -> None:
    response = await post(hook, b'{"event_name": "' + b"x" * (2 * 1024 * 1024) + b'"}')

    assert response.status_code == 413
    assert rows(engine) == []


async def test_an_update_that_never_finishes_is_parked_and_the_admin_told(
    zalo: RunningFake,
    engine: Engine,
    clock: FakeClock,
    session: Session,
    caplog: pytest.LogCaptureFixture,
) -> None:
    ward = Ward.build(session, clock)
    ward.bind(ward.officer("minh"), user_id=MINH, channel=Channel.ZALO)
    store = ZaloStore(JobRunner(engine), clock)
    update = zalo.fake.text_update(MINH, "làm treo máy", message_id="poison")
    assert await store.record_update("m:poison", update) is not None
    hung = ScriptedConversation(_hang)
    for _ in range(MAX_ATTEMPTS):  # each start tries it, and each stop finds it unfinished
        async with one_run(zalo, store, hung) as inbox:
            assert await inbox.replay() == 1
            await asyncio.sleep(0.05)
            await inbox.drain(grace=0)

    answered = ScriptedConversation()
    async with one_run(zalo, store, answered) as inbox:
        await inbox.replay()
        await inbox.drain(grace=5)
    async with one_run(zalo, store, answered) as inbox:
        left = await inbox.replay()

    (row,) = rows(engine)
    assert (row.attempts, row.parked_at is not None, row.processed_at) == (
        MAX_ATTEMPTS + 1,
        True,
        None,
    )
    assert answered.received == []
    assert left == 0
    assert f"parked: its processing never ended in {MAX_ATTEMPTS} tries" in caplog.text
    notices = session.exec(select(Outbox).where(Outbox.officer_id == ward.admin.id)).all()
    assert len(notices) == 1
    assert "Phạm Văn Minh" in str(notices[0].payload)


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:{port}/admin",
        "http://localhost.:{port}/admin",
        "https://xn--zdn-vn.evil/admin",  # no valid IDNA label (httpx raised: an apology)
    ],
)
async def test_a_picture_is_fetched_only_from_zalos_own_hosts(
    zalo: RunningFake, conversation: ScriptedConversation, bot: object, address: str
) -> None:
    asked: list[str] = []

    async def internal(request: Request) -> Response:
        asked.append(request.url.path)
        return Response(b"secret", media_type="image/jpeg")

    async with serve_app(Starlette(routes=[Route("/admin", internal)])) as port:
        update = zalo.fake.photo_update(MINH, b"\xff\xd8jpeg")
        update["message"]["photo_url"] = address.format(port=port)
        zalo.fake.push(update)
        (text,) = await zalo.fake.wait_texts(MINH)

    assert text == "Tôi chưa tải được ảnh này từ Zalo. Anh/chị vui lòng gửi lại."
    assert asked == []
    assert conversation.received == []


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://f20-zpc.zdn.vn/123/abc.jpg", True),
        ("https://s120-ava-talk.zadn.vn/a/b.jpg", True),
        ("https://zdn.vn/x.jpg", True),
        ("http://f20-zpc.zdn.vn/x.jpg", False),
        ("https://zdn.vn.evil.example/x.jpg", False),
        ("https://evilzdn.vn/x.jpg", False),
        ("https://user@f20-zpc.zdn.vn/x.jpg", False),
        ("https://f20-zpc.zdn.vn:8443/x.jpg", False),
        ("http://169.254.169.254/latest/meta-data/", False),
        ("http://127.0.0.1:5432/", False),
        ("file:///etc/passwd", False),
        ("https://xn--zdn-vn.evil/x.jpg", False),  # no valid IDNA label: httpx raises
        ("https://f20-zpc.zdn.vn\u3002evil.example/x.jpg", False),
    ],
)
async def test_which_addresses_count_as_zalos(url: str, *, allowed: bool) -> None:
    client = ZaloClient(TOKEN)
    try:
        assert client.is_platform_file(url) is allowed
    finally:
        await client.aclose()


async def _hang(incoming: Incoming) -> list[Reply]:
    await asyncio.Event().wait()
    return []


@asynccontextmanager
async def one_run(
    zalo: RunningFake, store: ZaloStore, conversation: ScriptedConversation
) -> AsyncIterator[Inbox]:
    """An inbox over the fake, as one run of dondoc has it."""
    client = ZaloClient(TOKEN, base_url=zalo.base_url, backoff=0.01, timeout=5.0)
    try:
        yield Inbox(
            client=client, store=store, conversation=conversation, locale_of=conversation.locale_of
        )
    finally:
        await client.aclose()
