"""Open chat pages listening for their officer's new and edited messages (server-sent events)."""

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class ChatEvent:
    """A message to show (or to show again, edited) on an officer's open pages."""

    message_id: int
    payload: dict[str, object]
    from_officer: bool
    is_edit: bool = False


class ChatHub:
    """Each open page of an officer holds a queue here; publishing reaches all of them."""

    def __init__(self) -> None:
        self._queues: dict[int, set[asyncio.Queue[ChatEvent | None]]] = {}

    @contextmanager
    def listen(self, officer_id: int) -> Iterator["asyncio.Queue[ChatEvent | None]"]:
        """A queue of the officer's events while the block runs (`None`: the server stops)."""
        queue: asyncio.Queue[ChatEvent | None] = asyncio.Queue()
        self._queues.setdefault(officer_id, set()).add(queue)
        try:
            yield queue
        finally:
            listeners = self._queues.get(officer_id, set())
            listeners.discard(queue)
            if not listeners:
                self._queues.pop(officer_id, None)

    def publish(self, officer_id: int, event: ChatEvent) -> int:
        """Hand `event` to every open page of the officer; how many."""
        listeners = self._queues.get(officer_id, set())
        for queue in listeners:
            queue.put_nowait(event)
        return len(listeners)

    def close(self) -> None:
        """Tell every open page the server is stopping."""
        for listeners in self._queues.values():
            for queue in listeners:
                queue.put_nowait(None)
