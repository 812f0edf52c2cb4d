"""One chat's updates are processed in the order they came, whatever each one waits for."""

import asyncio

from bot.inbound import InFlight


async def _step(log: list[str], name: str, wait: float) -> None:
    await asyncio.sleep(wait)
    log.append(name)


async def test_one_chats_updates_run_in_the_order_they_were_started() -> None:
    log: list[str] = []
    in_flight = InFlight("test update")
    in_flight.start(_step(log, "/viec", 0.05), chat="minh")
    in_flight.start(_step(log, "3", 0), chat="minh")
    await in_flight.drain(grace=5)
    assert log == ["/viec", "3"]


async def test_other_chats_and_bodies_of_no_chat_do_not_wait() -> None:
    log: list[str] = []
    in_flight = InFlight("test update")
    in_flight.start(_step(log, "minh", 0.05), chat="minh")
    in_flight.start(_step(log, "lan", 0), chat="lan")
    in_flight.start(_step(log, "no chat", 0), chat=None)
    await in_flight.drain(grace=5)
    assert log[-1] == "minh"


async def test_a_failed_update_does_not_hold_the_next_one_back() -> None:
    log: list[str] = []

    async def fails() -> None:
        raise RuntimeError("boom")

    in_flight = InFlight("test update")
    in_flight.start(fails(), chat="minh")
    in_flight.start(_step(log, "xong", 0), chat="minh")
    await in_flight.drain(grace=5)
    assert log == ["xong"]


async def test_draining_cancels_the_waiting_ones_without_starting_them() -> None:
    log: list[str] = []
    in_flight = InFlight("test update")
    in_flight.start(_step(log, "slow", 10), chat="minh")
    in_flight.start(_step(log, "queued", 0), chat="minh")
    await in_flight.drain(grace=0.05)
    assert log == []
