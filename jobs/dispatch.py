"""The dispatcher: claims due outbox rows, sends each through the recipient's channel, marks it
sent with the platform's message id, each row in its own short transaction.

- One row at a time per dispatcher: a dispatcher killed between sending and marking repeats at
  most that one message; rows it had claimed come back when its lease runs out. Before a send,
  a lease that is half spent is renewed, fenced by its old value: a row another dispatcher has
  reclaimed meanwhile is left to it, so live dispatchers never send the same row twice.
- 429 (honouring `retry_after`), 5xx and timeouts are retried with exponential backoff; after
  `MAX_ATTEMPTS` the row is `dead`. A permanent refusal (the user blocked the bot) marks that
  chat unreachable, tells the admins, and the row goes out through the officer's next chat.
- Reminders wait for a working day outside the quiet hours; replies go at once.
- A database outage (PostgreSQL restarting) costs a pause, never a row: `run_forever` waits and
  claims again.
"""

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import DBAPIError
from sqlmodel import Session

from jobs.digests import render
from jobs.runner import JobRunner
from jobs.senders import PermanentSendError, Recipient, Sender, TransientSendError
from models import Channel, OutboxKind, OutboxState
from plans.calendar import WorkingCalendar
from services.clock import Clock
from services.reminding.calendars import calendar_for
from services.reminding.outbox import (
    Claimed,
    Destination,
    backoff,
    claim_due,
    destination,
    mark_failed,
    mark_sent,
    no_chat,
    refuse_chat,
    release,
    renew_claim,
)
from services.reminding.policies import Policy, effective_policies
from services.reminding.reminder_schedule import allowed_moment
from services.reminding.reminders import ZONE

logger = logging.getLogger(__name__)

IMMEDIATE = frozenset({OutboxKind.REPLY})


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


class Dispatcher:
    """Delivers the outbox through the configured senders, one per channel."""

    def __init__(
        self,
        runner: JobRunner,
        clock: Clock,
        senders: Mapping[Channel, Sender],
        *,
        batch: int = 50,
        lease: timedelta = timedelta(minutes=2),
        send_timeout: float = 30.0,
        zone: ZoneInfo = ZONE,
    ) -> None:
        self.runner = runner
        self.clock = clock
        self.senders = dict(senders)
        self.batch = batch
        self.lease = lease
        self.send_timeout = send_timeout
        self.zone = zone

    async def run_once(self) -> DispatchResult:
        """Claim one batch and deliver it."""
        claimed = await self.runner.run(
            claim_due, self.clock.now(), limit=self.batch, lease=self.lease
        )
        sent = failed = deferred = 0
        rules: dict[int, tuple[Policy, WorkingCalendar]] = {}
        for row in claimed:
            outcome = await self._deliver(row, rules)
            sent += outcome == "sent"
            failed += outcome == "failed"
            deferred += outcome == "deferred"
        if claimed:
            logger.info("dispatch: %d claimed, %d sent, %d failed", len(claimed), sent, failed)
        return DispatchResult(len(claimed), sent, failed, deferred)

    async def run_until_idle(self) -> int:
        """Deliver everything due now; how many were sent."""
        total = 0
        while True:
            result = await self.run_once()
            total += result.sent
            if result.claimed == 0:
                return total

    async def run_forever(self, *, idle: float = 1.0, outage_pause: float = 1.0) -> None:
        """Deliver until cancelled, riding out database outages."""
        while True:
            try:
                result = await self.run_once()
            except DBAPIError:
                logger.warning("dispatch: database unavailable, retrying in %.1fs", outage_pause)
                await asyncio.sleep(outage_pause)
                continue
            if result.claimed < self.batch:
                await asyncio.sleep(idle)

    async def _deliver(
        self, row: Claimed, rules: dict[int, tuple[Policy, WorkingCalendar]]
    ) -> str:
        now = self.clock.now()
        if row.kind not in IMMEDIATE:
            if row.organization_id not in rules:
                rules[row.organization_id] = await self.runner.run(_rules, row.organization_id)
            policy, calendar = rules[row.organization_id]
            allowed = allowed_moment(now, policy, calendar, self.zone)
            if allowed > now:
                await self.runner.run(release, row.id, at=allowed)
                logger.info("outbox %d waits for %s (quiet hours or day off)", row.id, allowed)
                return "deferred"
        if row.locked_until - now < self.lease / 2:
            # Too little of the lease is left to cover a send: renew it, unless another
            # dispatcher has taken the row since (then it is theirs).
            renewed = await self.runner.run(renew_claim, row, until=now + self.lease)
            if renewed is None:
                logger.warning("outbox %d: lease lost to another dispatcher", row.id)
                return "skipped"
            row = renewed
        target = await self.runner.run(destination, row.officer_id, self.senders)
        if target is None or target.channel is None or target.chat_id is None:
            await self.runner.run(no_chat, now, row, target)
            logger.warning("outbox %d: officer %d has no reachable chat", row.id, row.officer_id)
            return "failed"
        return await self._send(row, target)

    async def _send(self, row: Claimed, target: Destination) -> str:
        assert target.channel is not None
        assert target.chat_id is not None
        reply = render(row.kind, row.payload, name=target.name, role=target.role)
        recipient = Recipient(target.officer_id, target.chat_id, target.locale)
        attempts = row.attempts + 1
        try:
            message_id = await asyncio.wait_for(
                self.senders[target.channel].send(recipient, reply), self.send_timeout
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
                target.channel,
                target.identity_id,
            )
            return "failed"
        await self.runner.run(
            mark_sent, self.clock.now(), row.id, channel=target.channel, message_id=message_id
        )
        logger.info("outbox %d sent via %s as message %s", row.id, target.channel, message_id)
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
