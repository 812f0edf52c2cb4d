"""The daily and weekly upkeep of the reminder engine, each safe to run on several replicas
at once (one of them does the work: a PostgreSQL advisory lock).

- Daily, before the send time: re-plan every occurrence of every organization, so that a day
  off announced since (or a working Saturday) moves the reminders already planned.
- Weekly: forget what is long done: sent messages and their items after `KEEP_DAYS`, expired
  button tokens, expired pending imports (a preview no one confirmed), and the evidence files
  nothing names any more (kept for a "which task?" its sender never answered).
"""

import logging
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import delete
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import ActionToken, Organization, Outbox, OutboxState, ReminderItem
from services.clock import Clock, SystemClock
from services.importing.pending import purge_expired
from services.reminding.batches import try_advisory_lock
from services.reminding.reminders import reschedule_organization
from services.tracking.evidence import forget_unclaimed

logger = logging.getLogger(__name__)

DAILY_LOCK: Final = 0x646F_6E02
WEEKLY_LOCK: Final = 0x646F_6E03
KEEP_DAYS: Final = 180


@dataclass(frozen=True, slots=True)
class Upkeep:
    """What one run did (`ran` is false when another replica held the lock)."""

    ran: bool
    count: int = 0


def replan_all(session: Session, clock: Clock) -> Upkeep:
    """Re-plan every organization's reminders from today's calendar and policies. Commits."""
    if not try_advisory_lock(session, DAILY_LOCK):
        session.rollback()
        return Upkeep(ran=False)
    count = 0
    for (org_id,) in session.execute(sa_select(col(Organization.id))).all():
        count += reschedule_organization(session, clock, org_id)
    session.commit()
    logger.info("daily: %d occurrences re-planned", count)
    return Upkeep(ran=True, count=count)


def forget_old(
    session: Session, clock: Clock, *, evidence: Path | None = None, wall: Clock | None = None
) -> Upkeep:
    """Delete sent messages and their items older than `KEEP_DAYS`, expired tokens and
    expired pending imports; and the files of the `evidence` store that nothing names, by the
    `wall` clock (the real one unless given: file times and chat states' expiries are real
    time, whatever `clock` says)."""
    if not try_advisory_lock(session, WEEKLY_LOCK):
        session.rollback()
        return Upkeep(ran=False)
    now = clock.now()
    before = now - timedelta(days=KEEP_DAYS)
    old = sa_select(col(Outbox.id)).where(
        col(Outbox.state) == OutboxState.SENT, col(Outbox.sent_at) < before
    )
    items = session.execute(delete(ReminderItem).where(col(ReminderItem.outbox_id).in_(old)))
    rows = session.execute(
        delete(Outbox).where(col(Outbox.state) == OutboxState.SENT, col(Outbox.sent_at) < before)
    )
    tokens = session.execute(delete(ActionToken).where(col(ActionToken.expires_at) < now))
    pending = purge_expired(session, now)
    files = 0
    if evidence is not None:  # under the lock still: one replica walks the store
        files = forget_unclaimed(session, evidence, (wall or SystemClock(clock.zone)).now())
    session.commit()
    done = (items, rows, tokens)
    count = sum(result.rowcount for result in done) + pending  # type: ignore[attr-defined]
    logger.info("weekly: %d old rows forgotten", count)
    if evidence is not None:
        logger.info("weekly: %d unclaimed evidence files removed", files)
    return Upkeep(ran=True, count=count)
