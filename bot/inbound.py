"""Updates a chat platform delivered, kept in the database around their processing: stored
before they are answered (a repeat is recognised by its key and skipped), counted each time
their processing starts, marked when it ends. One that never ends (the process died on it) is
tried again at the next start, and parked after `MAX_ATTEMPTS` so that it cannot fail at every
start forever; a body that is no update at all is recorded once, parked at once.

`InboundStore` runs these steps for async adapters (Telegram's webhook, Zalo's inbox) through
the one runner, each step committing at once.
"""

import asyncio
import functools
import hashlib
import json
import logging
import math
from collections.abc import Coroutine
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import delete, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select
from starlette.requests import Request

from jobs.runner import JobRunner
from models import Channel, InboundUpdate
from services.clock import Clock
from services.reminding.outbox import tell_admins_update_parked

logger = logging.getLogger(__name__)

MAX_ATTEMPTS: Final = 3
REPLAY_WINDOW: Final = timedelta(hours=6)  # older unprocessed updates are not answered late
KEEP_UPDATES: Final = timedelta(days=7)  # they hold what people wrote: kept only for dedupe


class InFlight:
    """The updates an inbox is processing, each in a task of its own: started, logged if one
    fails, and drained at shutdown. One chat's updates run one after another, in the order they
    were started: a person's "/viec" is answered before the "3" typed after it."""

    def __init__(self, what: str) -> None:
        self.what = what
        self._tasks: set[asyncio.Task[None]] = set()
        self._last: dict[str, asyncio.Task[None]] = {}

    def start(self, processing: Coroutine[object, object, None], *, chat: str | None) -> None:
        """Process an update in the background, after the updates of `chat` started before it
        (None: a body that belongs to no chat, processed at once)."""
        before = None if chat is None else self._last.get(chat)
        task = asyncio.create_task(_after(before, processing))
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        if chat is not None:
            self._last[chat] = task
            task.add_done_callback(functools.partial(self._forget, chat))

    async def drain(self, grace: float) -> None:
        """Wait for the updates in progress (up to `grace` s), then cancel what is left; the
        cancelled ones stay stored and are processed again at the next start."""
        if not self._tasks:
            return
        _, late = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)

    def _finished(self, task: asyncio.Task[None]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            logger.error("%s processing failed", self.what, exc_info=task.exception())

    def _forget(self, chat: str, task: asyncio.Task[None]) -> None:
        if self._last.get(chat) is task:
            del self._last[chat]


async def _after(
    before: asyncio.Task[None] | None, processing: Coroutine[object, object, None]
) -> None:
    """`processing`, once `before` has ended (however it ended)."""
    if before is not None:
        try:
            await asyncio.wait({before})
        except asyncio.CancelledError:
            processing.close()  # never started: stored, processed at the next start
            raise
    await processing


async def read_capped(request: Request, limit: int) -> bytes | None:
    """A webhook's body, or None as soon as it is declared or found over `limit` bytes."""
    declared = request.headers.get("content-length", "")
    if declared.isdecimal() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > limit:
            return None
    return bytes(body)


class NotJson(ValueError):
    """A webhook body that is not a JSON object of finite numbers."""


def read_json(body: bytes) -> dict[str, Any]:
    """A webhook body as a JSON object; `NotJson` for anything else (NaN and infinities too:
    no database would store them)."""

    def finite(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise NotJson(text[:20])
        return value

    def refuse(text: str) -> float:
        raise NotJson(text)

    try:
        data = json.loads(body, parse_float=finite, parse_constant=refuse)
    except (ValueError, RecursionError) as error:
        raise NotJson(str(error)[:100]) from None
    if not isinstance(data, dict):
        raise NotJson(type(data).__name__)
    return data


def malformed_key(body: bytes) -> str:
    """The key a malformed body is recorded under (its digest: the same body is the same)."""
    return f"x:{hashlib.sha256(body).hexdigest()}"


def record_update(
    session: Session,
    now: datetime,
    channel: Channel,
    key: str,
    payload: dict[str, Any],
    *,
    parked: bool = False,
) -> int | None:
    """Store an update unless one with the same key is stored; its row id when new."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    table = InboundUpdate.__table__  # type: ignore[attr-defined]
    statement = (
        insert(table)
        .values(
            channel=channel.value,
            update_key=key[:200],
            payload=payload,
            received_at=now,
            parked_at=now if parked else None,
        )
        .on_conflict_do_nothing(index_elements=["channel", "update_key"])
        .returning(table.c.id)
    )
    row_id = session.execute(statement).scalar()
    session.commit()
    return None if row_id is None else int(row_id)


def begin_attempt(session: Session, row_id: int) -> int:
    """Count one more attempt at processing the update (committed before it starts); how many
    there have been."""
    row = session.get(InboundUpdate, row_id)
    if row is None:
        return 0
    row.attempts += 1
    session.add(row)
    session.commit()
    return row.attempts


def mark_processed(session: Session, now: datetime, row_id: int) -> None:
    """The update was handled (or could not be, for good): not to be replayed."""
    session.execute(
        update(InboundUpdate).where(col(InboundUpdate.id) == row_id).values(processed_at=now)
    )
    session.commit()


def park(
    session: Session, clock: Clock, row_id: int, *, sender: str | None, attempts: int
) -> None:
    """Set the update aside for good; the admins of whoever sent it are told."""
    row = session.get(InboundUpdate, row_id)
    if row is None:
        return
    row.parked_at = clock.now()
    session.add(row)
    if sender is not None:
        tell_admins_update_parked(
            session, row.parked_at, row.channel, sender, key=row.update_key, attempts=attempts
        )
    session.commit()


def unprocessed(
    session: Session, channel: Channel, since: datetime
) -> list[tuple[int, dict[str, Any]]]:
    """Updates stored since `since`, neither processed nor parked (the process stopped first),
    oldest first."""
    rows = session.exec(
        select(InboundUpdate)
        .where(
            InboundUpdate.channel == channel,
            col(InboundUpdate.processed_at).is_(None),
            col(InboundUpdate.parked_at).is_(None),
            InboundUpdate.received_at >= since,
        )
        .order_by(col(InboundUpdate.id))
    ).all()
    return [(row.id, dict(row.payload)) for row in rows if row.id is not None]


def prune_updates(session: Session, channel: Channel, before: datetime) -> int:
    """Forget updates received before `before`; how many."""
    result = session.execute(
        delete(InboundUpdate).where(
            col(InboundUpdate.channel) == channel, col(InboundUpdate.received_at) < before
        )
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def _replayable(
    session: Session, channel: Channel, now: datetime
) -> list[tuple[int, dict[str, Any]]]:
    prune_updates(session, channel, now - KEEP_UPDATES)
    return unprocessed(session, channel, now - REPLAY_WINDOW)


class InboundStore:
    """The steps above for one channel's async adapter, through the one runner."""

    def __init__(self, runner: JobRunner, clock: Clock, channel: Channel) -> None:
        self._runner = runner
        self._clock = clock
        self.channel = channel

    async def record_update(
        self, key: str, payload: dict[str, Any], *, parked: bool = False
    ) -> int | None:
        """See `record_update`."""
        return await self._runner.run(
            record_update, self._clock.now(), self.channel, key, payload, parked=parked
        )

    async def record_malformed(self, body: bytes) -> bool:
        """Record a body that is no update, parked at once; whether it is new."""
        payload = {"malformed": True, "bytes": len(body)}
        return await self.record_update(malformed_key(body), payload, parked=True) is not None

    async def begin_attempt(self, row_id: int) -> int:
        """See `begin_attempt`."""
        return await self._runner.run(begin_attempt, row_id)

    async def mark_processed(self, row_id: int) -> None:
        """See `mark_processed`."""
        await self._runner.run(mark_processed, self._clock.now(), row_id)

    async def park(self, row_id: int, *, sender: str | None, attempts: int) -> None:
        """See `park`."""
        await self._runner.run(park, self._clock, row_id, sender=sender, attempts=attempts)

    async def may_process(self, row_id: int, *, sender: str | None, named: str) -> bool:
        """Count one more attempt at the update; past `MAX_ATTEMPTS` park it instead (an error
        line naming it as `named`, its sender's admins told) and say it is not to be processed."""
        attempts = await self.begin_attempt(row_id)
        if attempts <= MAX_ATTEMPTS:
            return True
        logger.error("%s parked: its processing never ended in %d tries", named, attempts - 1)
        await self.park(row_id, sender=sender, attempts=attempts - 1)
        return False

    async def unprocessed(self) -> list[tuple[int, dict[str, Any]]]:
        """Updates of the last hours left unprocessed; older ones are pruned first."""
        return await self._runner.run(_replayable, self.channel, self._clock.now())

    async def prune(self) -> int:
        """Forget updates older than `KEEP_UPDATES`; how many."""
        return await self._runner.run(
            prune_updates, self.channel, self._clock.now() - KEEP_UPDATES
        )
