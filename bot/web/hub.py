"""Open chat pages listening for their officer's new and edited messages (server-sent events).

`ChatHub` hands each event to the pages open on this process: enough on SQLite, where one
process serves everything. With several replicas on one PostgreSQL, a message sent by one
replica's dispatcher must reach a page that another replica serves: `ReplicatedChatHub`
publishes through PostgreSQL's NOTIFY on `CHANNEL`, and every replica (the sender too) LISTENs
and hands what it hears to its own pages, so each page sees each event once, in the order it
was published. A notification carries the message's payload when it fits within PostgreSQL's
8,000 bytes, else only its id, and the listening replica reads the payload back from the
database. While the listening connection is down (PostgreSQL restarting), pages miss what is
sent; they show it when reloaded.
"""

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from typing import Any, Final

logger = logging.getLogger(__name__)

CHANNEL: Final = "dondoc_chat"
PAYLOAD_LIMIT: Final = 7000  # bytes of JSON carried in a notification (PostgreSQL: < 8000)
RECONNECT_SECONDS: Final = 1.0

LoadPayload = Callable[[int], Awaitable[dict[str, object] | None]]


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

    async def publish(self, officer_id: int, event: ChatEvent) -> int:
        """Hand `event` to every open page of the officer; how many (on this process)."""
        return self._deliver(officer_id, event)

    @asynccontextmanager
    async def running(self) -> AsyncIterator["ChatHub"]:
        """The hub at work while the block runs (nothing to start for pages of one process)."""
        yield self

    def close(self) -> None:
        """Tell every open page the server is stopping."""
        for listeners in self._queues.values():
            for queue in listeners:
                queue.put_nowait(None)

    def _deliver(self, officer_id: int, event: ChatEvent) -> int:
        listeners = self._queues.get(officer_id, set())
        for queue in listeners:
            queue.put_nowait(event)
        return len(listeners)

    def _is_listened(self, officer_id: int) -> bool:
        return officer_id in self._queues


class ReplicatedChatHub(ChatHub):
    """A `ChatHub` whose events reach the pages of every replica on one PostgreSQL."""

    def __init__(self, conninfo: str, load: LoadPayload) -> None:
        super().__init__()
        self._conninfo = conninfo
        self._load = load
        self._sender: Any = None
        self._listening = asyncio.Event()

    async def publish(self, officer_id: int, event: ChatEvent) -> int:
        """Notify every replica (this one too, which hands the event to its pages when
        PostgreSQL echoes it); how many pages are open on this replica."""
        import psycopg

        body = _encode(officer_id, event)
        for attempt in (1, 2):
            try:
                if self._sender is None or self._sender.closed:
                    self._sender = await psycopg.AsyncConnection.connect(
                        self._conninfo, autocommit=True
                    )
                await self._sender.execute("SELECT pg_notify(%s, %s)", (CHANNEL, body))
                break
            except psycopg.OperationalError:
                self._sender = None
                if attempt == 2:
                    logger.warning("chat event for officer %d not published", officer_id)
        return len(self._queues.get(officer_id, set()))

    @asynccontextmanager
    async def running(self) -> AsyncIterator["ChatHub"]:
        """LISTEN while the block runs (reconnecting when the connection drops)."""
        task = asyncio.create_task(self._listen_forever())
        try:
            await asyncio.wait(
                {task, asyncio.create_task(self._listening.wait())},
                return_when=asyncio.FIRST_COMPLETED,
            )
            if task.done():
                task.result()
            yield self
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            if self._sender is not None:
                await self._sender.close()
                self._sender = None

    async def _listen_forever(self) -> None:
        import psycopg

        while True:
            try:
                async with await psycopg.AsyncConnection.connect(
                    self._conninfo, autocommit=True
                ) as connection:
                    await connection.execute(f"LISTEN {CHANNEL}")
                    self._listening.set()
                    async for notice in connection.notifies():
                        await self._heard(notice.payload)
            except psycopg.OperationalError as error:
                logger.warning("chat hub: PostgreSQL unreachable (%s), listening again", error)
            await asyncio.sleep(RECONNECT_SECONDS)

    async def _heard(self, body: str) -> None:
        try:
            fields = json.loads(body)
            officer_id = int(fields["officer"])
        except (ValueError, KeyError, TypeError):
            logger.warning("chat hub: unreadable notification ignored")
            return
        if not self._is_listened(officer_id):
            return
        payload = fields.get("payload")
        if payload is None:
            payload = await self._load(int(fields["id"]))
            if payload is None:
                return
        event = ChatEvent(
            int(fields["id"]), payload, bool(fields["from_officer"]), bool(fields["edit"])
        )
        self._deliver(officer_id, event)


def _encode(officer_id: int, event: ChatEvent) -> str:
    fields: dict[str, object] = {
        "officer": officer_id,
        "id": event.message_id,
        "from_officer": event.from_officer,
        "edit": event.is_edit,
        "payload": event.payload,
    }
    body = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    if len(body.encode()) <= PAYLOAD_LIMIT:
        return body
    del fields["payload"]  # too long to carry: the listener reads it back from the database
    return json.dumps(fields, separators=(",", ":"))
