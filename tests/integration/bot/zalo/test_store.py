"""The Zalo adapter's storage on both databases: updates kept once per message, pruned after a
week; one prompt per chat, replaced by the next, gone when it expires."""

from bot.zalo.choices import Choice
from bot.zalo.store import ZaloStore
from services.messages import Action
from tests.support.clock import FakeClock

UPDATE = {"event_name": "message.text.received", "message": {"message_id": "m1", "text": "1"}}


async def test_an_update_is_stored_once_per_message(store: ZaloStore) -> None:
    first = await store.record_update("m:m1", UPDATE)
    again = await store.record_update("m:m1", UPDATE)
    assert first is not None
    assert again is None
    assert await store.unprocessed() == [(first, UPDATE)]
    await store.mark_processed(first)
    assert await store.unprocessed() == []


async def test_updates_are_forgotten_after_a_week(store: ZaloStore, clock: FakeClock) -> None:
    old = await store.record_update("m:old", UPDATE)
    clock.advance(days=6)
    recent = await store.record_update("m:recent", UPDATE)
    clock.advance(days=2)
    assert await store.prune() == 1
    assert await store.record_update("m:old", UPDATE) not in (None, old)  # new again
    assert await store.record_update("m:recent", UPDATE) is None
    assert recent is not None


async def test_unprocessed_updates_older_than_hours_are_not_replayed(
    store: ZaloStore, clock: FakeClock
) -> None:
    await store.record_update("m:stale", UPDATE)
    clock.advance(hours=7)
    assert await store.unprocessed() == []


async def test_a_newer_prompt_replaces_the_last_and_expires(
    store: ZaloStore, clock: FakeClock
) -> None:
    done = Choice(1, Action.DONE, "tok1234567", "✅ Xong")
    choose = Choice(1, Action.CHOOSE, "tok7654321", "1. 2.1")
    await store.save_prompt("chat", [done], message_id="a")
    await store.save_prompt("chat", [choose], message_id="b")
    assert await store.current_choices("chat") == [choose]
    assert await store.current_choices("other") == []
    clock.advance(days=4)
    assert await store.current_choices("chat") == []
