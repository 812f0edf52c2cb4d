"""The dispatcher: claims due outbox rows, sends them through the recipients' channels with
several sends in flight, marks each sent with the platform's message id in its own short
transaction.

- Sends in flight: per channel, as many as fill the platform's ceiling at the latency
  measured (`jobs.senders.SendWindow`), never more than `window` in all. One officer's rows go
  out one after the other, in order (a lane per officer); different officers' rows go out
  side by side.
- A crash repeats at most `window` messages: only a row sent but not yet marked goes out twice,
  and a row is in that state only while it holds a slot. Rows claimed but not yet sent come back
  when the lease runs out. Before a send, a lease that is half spent is renewed, fenced by its
  old value: a row another dispatcher has reclaimed meanwhile is left to it, so live
  dispatchers never send the same row twice.
- 429 (honouring `retry_after`), 5xx and timeouts are retried with exponential backoff; after
  `MAX_ATTEMPTS` the row is `dead`. A permanent refusal (the user blocked the bot) marks that
  chat unreachable, tells the admins, and the row goes out through the officer's next chat.
- Reminders wait for a working day outside the quiet hours, except in the web chat, which
  notifies no one; replies go at once.
- A database outage (PostgreSQL restarting) costs a pause, never a row: `run_forever` waits and
  claims again. Once a lane or a claim finds the database gone, no lane starts another send
  until a claim succeeds: an outage, like a crash, repeats at most the sends in flight.
"""

import asyncio
import contextlib
import dataclasses
import logging
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from jobs.runner import JobRunner
from jobs.senders import (
    DEFAULT_CAP,
    PLATFORM_CEILINGS,
    PermanentSendError,
    Recipient,
    Sender,
    SendWindow,
    TransientSendError,
)
from models import Channel, OutboxKind, OutboxState
from plans.calendar import WorkingCalendar
from services.clock import Clock
from services.messages import render
from services.reminding.outbox import (
    Claimed,
    Destination,
    backoff,
    claim_due,
    destinations,
    mark_failed,
    mark_sent,
    no_chat,
    refuse_chat,
    release,
    renew_claim,
)
from services.reminding.policies import Policy, calendar_for, effective_policies
from services.reminding.reminder_schedule import allowed_moment
from services.reporting.obligations import DraftSpec, report_attachment

logger = logging.getLogger(__name__)

IMMEDIATE = frozenset({OutboxKind.REPLY})
RULES_TTL = 60.0  # seconds a ward's quiet hours and calendar are reused before reading again


@dataclass(frozen=True, slots=True)
class DispatchResult:
    """What one pass did."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0
    deferred: int = 0


def _rules(session: Session, organization_id: int) -> tuple[Policy, WorkingCalendar]:
    by_org, _ = effective_policies(session, [organization_id], [])
    return by_org[organization_id], calendar_for(session, organization_id)


@dataclass(slots=True)
class _Tally:
    claimed: int = 0
    sent: int = 0
    failed: int = 0
    deferred: int = 0

    def count(self, outcome: str) -> None:
        self.sent += outcome == "sent"
        self.failed += outcome == "failed"
        self.deferred += outcome == "deferred"

    def result(self) -> DispatchResult:
        return DispatchResult(self.claimed, self.sent, self.failed, self.deferred)


@dataclass(frozen=True, slots=True)
class _Batch:
    """One claim: the rows, where their officers can be reached, the rules of their wards."""

    rows: list[Claimed]
    targets: dict[int, Destination]
    rules: dict[int, tuple[Policy, WorkingCalendar]]


def _claim(
    session: Session,
    now: datetime,
    *,
    lease_now: datetime,
    limit: int,
    lease: timedelta,
    channels: Iterable[Channel],
    known: Iterable[int],
) -> _Batch:
    """Claim up to `limit` rows and read, in the same session, what sending them needs (the
    rules only of organizations not in `known`)."""
    rows = claim_due(session, now, limit=limit, lease=lease, lease_now=lease_now)
    if not rows:
        return _Batch([], {}, {})
    targets = destinations(session, (row.officer_id for row in rows), channels)
    seen = set(known)
    rules = {
        org: _rules(session, org)
        for org in {row.organization_id for row in rows if row.kind not in IMMEDIATE}
        if org not in seen
    }
    session.commit()
    return _Batch(rows, targets, rules)


class _DatabaseAway(Exception):
    """A lane found the database gone (seen by another lane or a claim) before it sent."""


class _Pass:
    """One run of the dispatcher: the rows it holds, in one lane per officer."""

    def __init__(self) -> None:
        self.tally = _Tally()
        self.held = 0
        self.finished = 0
        self.lanes: dict[int, deque[tuple[Claimed, Destination | None]]] = {}
        self.tasks: set[asyncio.Task[None]] = set()
        self.rules: dict[int, tuple[Policy, WorkingCalendar]] = {}
        self.rules_read = time.monotonic()
        self.progress = asyncio.Event()
        # Set when a lane or a claim finds the database gone: no lane starts another send
        # (it could not be marked, and would go out again), until a claim succeeds again.
        self.database_away = False

    def known_rules(self) -> list[int]:
        """Organizations whose rules are fresh enough to reuse (read under a minute ago); the
        next claim reads the others again, and the rows already held keep what they have."""
        if time.monotonic() - self.rules_read > RULES_TTL:
            self.rules_read = time.monotonic()
            return []
        return list(self.rules)

    async def settle(self) -> None:
        """Wait for every lane to finish."""
        while self.tasks:
            await asyncio.wait(set(self.tasks))

    async def cancel(self) -> None:
        """Stop every lane (its rows come back when their lease runs out)."""
        for task in self.tasks:
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


class Dispatcher:
    """Delivers the outbox through the configured senders, one per channel.

    `batch` is how many rows one dispatcher holds at once (claimed, waiting or being sent);
    `window` caps the sends in flight, so a crash repeats at most `window` messages. Leases are
    read on `lease_clock` (default: `clock`): under a demo clock running faster than real time
    they must still measure real time, or they run out during a send.
    """

    def __init__(
        self,
        runner: JobRunner,
        clock: Clock,
        senders: Mapping[Channel, Sender],
        *,
        batch: int = 64,
        lease: timedelta = timedelta(minutes=2),
        send_timeout: float = 30.0,
        window: int = DEFAULT_CAP,
        ceilings: Mapping[Channel, float] = PLATFORM_CEILINGS,
        lease_clock: Clock | None = None,
    ) -> None:
        self.runner = runner
        self.clock = clock
        self.lease_clock = lease_clock or clock
        self.senders = dict(senders)
        self.batch = batch
        self.lease = lease
        self.send_timeout = send_timeout
        self.window = SendWindow(ceilings, cap=window)

    async def run_once(self) -> DispatchResult:
        """Claim one batch and deliver it."""
        current = _Pass()
        try:
            await self._claim_into(current, self.batch)
            await current.settle()
        finally:
            await current.cancel()
        result = current.tally.result()
        if result.claimed:
            logger.info(
                "dispatch: %d claimed, %d sent, %d failed",
                result.claimed,
                result.sent,
                result.failed,
            )
        return result

    async def run_until_idle(self) -> int:
        """Deliver everything due now; how many were sent."""
        current = _Pass()
        try:
            await self._pump(current, forever=False, idle=0.05, outage_pause=0.0)
        finally:
            await current.cancel()
        return current.tally.sent

    async def run_forever(self, *, idle: float = 1.0, outage_pause: float = 1.0) -> None:
        """Deliver until cancelled, riding out database outages."""
        current = _Pass()
        try:
            await self._pump(current, forever=True, idle=idle, outage_pause=outage_pause)
        finally:
            await current.cancel()

    async def _pump(
        self, current: _Pass, *, forever: bool, idle: float, outage_pause: float
    ) -> None:
        """Keep `batch` rows held: claim as lanes free room, until nothing is left (or
        forever)."""
        while True:
            claimed = 0
            finished = current.finished
            if current.held < self.batch:
                try:
                    claimed = await self._claim_into(current, self.batch - current.held)
                    current.database_away = False
                except DBAPIError:
                    current.database_away = True
                    if not forever:
                        raise
                    logger.warning(
                        "dispatch: database unavailable, retrying in %.1fs", outage_pause
                    )
                    await asyncio.sleep(outage_pause)
                    continue
            if claimed and current.held < self.batch:
                continue  # more may be due: claim again at once
            if current.finished != finished:
                continue  # rows finished while we claimed: room, and what they wrote may be due
            if current.held == 0:
                if not forever:
                    return
                await asyncio.sleep(idle)
                continue
            current.progress.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(current.progress.wait(), idle)

    async def _claim_into(self, current: _Pass, limit: int) -> int:
        """Claim up to `limit` rows into their officers' lanes; how many."""
        batch = await self.runner.run(
            _claim,
            self.clock.now(),
            lease_now=self.lease_clock.now(),
            limit=limit,
            lease=self.lease,
            channels=list(self.senders),
            known=current.known_rules(),
        )
        current.rules.update(batch.rules)
        current.tally.claimed += len(batch.rows)
        current.held += len(batch.rows)
        for row in batch.rows:
            lane = current.lanes.get(row.officer_id)
            if lane is None:
                lane = current.lanes[row.officer_id] = deque()
                task = asyncio.create_task(self._run_lane(current, row.officer_id))
                current.tasks.add(task)
                task.add_done_callback(current.tasks.discard)
            lane.append((row, batch.targets.get(row.officer_id)))
        return len(batch.rows)

    async def _run_lane(self, current: _Pass, officer_id: int) -> None:
        """Deliver one officer's rows, one after the other."""
        lane = current.lanes[officer_id]
        try:
            while lane and not current.database_away:
                row, target = lane.popleft()
                try:
                    current.tally.count(await self._deliver(row, target, current))
                finally:
                    current.held -= 1
                    current.finished += 1
                    current.progress.set()
        except (DBAPIError, _DatabaseAway):
            # The database went away: the rows left come back when their lease runs out.
            current.database_away = True
            logger.warning(
                "dispatch: database unavailable, %d rows left to a later claim", len(lane) + 1
            )
        except Exception:
            logger.exception("dispatch: officer %d's rows left to a later claim", officer_id)
        finally:
            current.held -= len(lane)
            lane.clear()
            current.progress.set()
            del current.lanes[officer_id]

    async def _deliver(
        self,
        row: Claimed,
        target: Destination | None,
        current: _Pass,
    ) -> str:
        now = self.clock.now()
        # Quiet hours keep phones quiet; the web chat buzzes no one and is read when opened.
        if row.kind not in IMMEDIATE and (target is None or target.channel is not Channel.WEB):
            policy, calendar = current.rules[row.organization_id]
            allowed = allowed_moment(now, policy, calendar, self.clock.zone)
            if allowed > now:
                await self.runner.run(release, row.id, at=allowed)
                logger.info("outbox %d waits for %s (quiet hours or day off)", row.id, allowed)
                return "deferred"
        if target is None or target.channel is None or target.chat_id is None:
            await self.runner.run(no_chat, now, row, target, zone=self.clock.zone)
            logger.warning("outbox %d: officer %d has no reachable chat", row.id, row.officer_id)
            return "failed"
        return await self._send(row, target, current)

    async def _send(self, row: Claimed, target: Destination, current: _Pass) -> str:
        channel = target.channel
        assert channel is not None
        assert target.chat_id is not None
        reply = render(row.kind, row.payload, name=target.name, role=target.role)
        # Outbox rows keep no bytes: a report row's file is built as it is sent.
        report = DraftSpec.from_payload(row.payload) if row.kind is OutboxKind.REPORT else None
        if report is not None:
            attachment = await self.runner.run(report_attachment, self.clock, report)
            reply = dataclasses.replace(reply, attachment=attachment)
        recipient = Recipient(target.officer_id, target.chat_id, target.locale)
        attempts = row.attempts + 1
        try:
            async with self.window.slot(channel):
                if current.database_away:
                    raise _DatabaseAway()
                now = self.lease_clock.now()
                if row.locked_until - now < self.lease / 2:
                    # Too little of the lease is left to cover a send: renew it, unless another
                    # dispatcher has taken the row since (then it is theirs).
                    renewed = await self.runner.run(renew_claim, row, until=now + self.lease)
                    if renewed is None:
                        logger.warning("outbox %d: lease lost to another dispatcher", row.id)
                        return "skipped"
                    row = renewed
                message_id = await asyncio.wait_for(
                    self.senders[channel].send(recipient, reply), self.send_timeout
                )
                # Marked before the slot is given back: what a crash can repeat stays within
                # the window.
                await self.runner.run(
                    mark_sent, self.clock.now(), row.id, channel=channel, message_id=message_id
                )
        except TransientSendError as error:
            return await self._retry(row, attempts, str(error) or "transient", error.retry_after)
        except TimeoutError:
            return await self._retry(row, attempts, "timeout", None)
        except PermanentSendError as error:
            await self.runner.run(refuse_chat, self.clock.now(), row, target, error=str(error))
            logger.warning(
                "outbox %d: %s refused chat %s for good",
                row.id,
                channel,
                target.identity_id,
            )
            return "failed"
        logger.info("outbox %d sent via %s as message %s", row.id, channel, message_id)
        return "sent"

    async def _retry(
        self, row: Claimed, attempts: int, error: str, retry_after: float | None
    ) -> str:
        delay = backoff(attempts, retry_after)
        now = self.clock.now()
        state = await self.runner.run(
            mark_failed, now, row.id, attempts=attempts, error=error, retry_at=now + delay
        )
        if state is OutboxState.DEAD:
            logger.error("outbox %d: gave up after %d attempts (%s)", row.id, attempts, error)
        else:
            logger.warning(
                "outbox %d: %s, retry in %.0fs (attempt %d)",
                row.id,
                error,
                delay.total_seconds(),
                attempts,
            )
        return "failed"
