"""Updates of one chat run one at a time, in order; other chats do not wait; nothing is kept."""

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from bot.telegram.ordering import ChatOrderedProcessor


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    return Update(update_id, message=Message(update_id, datetime(2025, 3, 3, tzinfo=UTC), chat))


async def test_one_chat_waits_for_its_earlier_update_and_another_does_not() -> None:
    processor = ChatOrderedProcessor(8)
    release = asyncio.Event()
    order: list[str] = []

    async def work(name: str, *, hold: bool = False) -> None:
        order.append(f"{name} started")
        if hold:
            await release.wait()
        order.append(f"{name} done")

    async with processor:
        first = asyncio.create_task(
            processor.process_update(_update(1, 42), work("42a", hold=True))
        )
        second = asyncio.create_task(processor.process_update(_update(2, 42), work("42b")))
        other = asyncio.create_task(processor.process_update(_update(3, 7), work("7")))
        await other
        assert order == ["42a started", "7 started", "7 done"]
        release.set()
        await asyncio.gather(first, second)
    assert order[3:] == ["42a done", "42b started", "42b done"]
    assert processor._locks == {}
    assert processor._holders == {}


async def test_an_update_without_a_chat_is_processed_at_once() -> None:
    processor = ChatOrderedProcessor(2)
    ran: list[object] = []

    async def work() -> None:
        ran.append(True)

    async with processor:
        await processor.process_update(object(), work())
    assert ran == [True]
