"""Web push across replicas: two hubs on one PostgreSQL, as two `dondoc run` processes hold
them; a message one replica sends reaches the pages the other serves, once each."""

import asyncio
from contextlib import AsyncExitStack

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.web import transcript
from bot.web.hub import ChatEvent, ChatHub, ReplicatedChatHub
from bot.web.sender import WebSender
from jobs.runner import JobRunner
from jobs.senders import Recipient
from services.messages import Reply, Text
from services.people.web_auth import web_chat_id
from tests.support.clock import FakeClock
from tests.support.ward import Ward

pytestmark = pytest.mark.postgresql


def _replica(engine: Engine) -> ReplicatedChatHub:
    runner = JobRunner(engine)

    async def load(message_id: int) -> dict[str, object] | None:
        return await runner.run(transcript.message_payload, message_id)

    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    return ReplicatedChatHub(url, load)


async def _next(queue: "asyncio.Queue[ChatEvent | None]") -> ChatEvent | None:
    return await asyncio.wait_for(queue.get(), 10)


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
async def test_a_message_sent_on_one_replica_reaches_the_pages_open_on_another(
    engine: Engine, session: Session, clock: FakeClock
) -> None:
    minh = Ward.build(session, clock).officer("minh")
    assert minh.id is not None
    first, second = _replica(engine), _replica(engine)
    async with AsyncExitStack() as stack:
        await stack.enter_async_context(first.running())
        await stack.enter_async_context(second.running())
        with first.listen(minh.id) as far, second.listen(minh.id) as near:
            sender = WebSender(JobRunner(engine), clock, second)
            recipient = Recipient(minh.id, web_chat_id(minh.id), "vi")
            message_id = await sender.send(recipient, Reply(lines=(Text("Xin chào"),)))
            long_text = "Báo cáo " * 2000  # too long for a notification: read back from the DB
            long_id = await sender.send(recipient, Reply(lines=(Text(long_text),)))
            for page in (far, near):
                event = await _next(page)
                assert event is not None
                assert (event.message_id, event.from_officer) == (int(message_id), False)
                assert event.payload["lines"] == [{"msgid": "Xin chào", "params": {}}]
                event = await _next(page)
                assert event is not None
                assert event.message_id == int(long_id)
                assert long_text in str(event.payload)
            await asyncio.sleep(0.3)
            assert far.empty()  # each page heard each message once
            assert near.empty()


async def test_on_one_process_the_hub_hands_events_to_its_pages_directly() -> None:
    hub = ChatHub()
    async with hub.running():
        with hub.listen(7) as page:
            assert await hub.publish(7, ChatEvent(1, {"text": "a"}, False)) == 1
            assert await hub.publish(8, ChatEvent(2, {"text": "b"}, False)) == 0
            assert page.get_nowait() == ChatEvent(1, {"text": "a"}, False)
            assert page.empty()
