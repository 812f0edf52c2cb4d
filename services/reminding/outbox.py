"""The outbox: messages written by the scan and the use cases, claimed and marked by the
dispatcher (the office's view of it, listed and retried, is `services/reminding/deliveries.py`).

The use cases and the dispatcher queue a message for one officer with `notify`, and tell the
admins of a ward with `tell_admins` (the scan writes its digests many at once,
`services/reminding/batches.py`). Both leave the commit to the caller.

States: `pending` (due at `scheduled_for`) → `sending` (claimed until `locked_until`) → `sent`.
A transient failure makes a row `failed` with its next attempt at `scheduled_for` (claimed again
then); after `MAX_ATTEMPTS`, or when the platform refuses the chat for good, or when the officer
has no chat dondoc can reach, it is `dead`: kept, listed, and sent again only on
`dondoc outbox retry ID`. A dispatcher that dies while holding rows loses nothing: its lease
runs out and another claims them; only a message sent but not yet marked can go out twice.

One officer's messages go out in order: a claim skips an officer while another of their rows is
held under a live lease, and on PostgreSQL claims take turns (an advisory lock held for the few
milliseconds of the claim), so two dispatchers never hold two rows of one officer at once. A
row waiting for a retry does not hold back the officer's later ones.
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import (
    and_,
    exists,
    not_,
    or_,
    update,
)
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from locales import N_
from models import Channel, ChannelIdentity, Officer, Outbox, OutboxKind, OutboxState
from services.access import admins_of
from services.messages import Button, Param, Reply, Text
from services.reminding.batches import advisory_lock, insert_ignoring, table_of

MAX_ATTEMPTS: Final = 8
BACKOFF_BASE_SECONDS: Final = 30.0
BACKOFF_CAP_SECONDS: Final = 3600.0
CHANNEL_PREFERENCE: Final = (Channel.TELEGRAM, Channel.ZALO, Channel.WEB, Channel.CONSOLE)
CLAIM_LOCK: Final = 0x646F_6E02


def line(msgid: str, /, **params: Param) -> Text:
    """One line of a message: a msgid and its params."""
    return Text(msgid, params)


def notify(
    session: Session,
    now: datetime,
    officer: Officer,
    *,
    key: str,
    lines: Sequence[Text],
    buttons: Sequence[Sequence[Button]] = (),
    kind: OutboxKind = OutboxKind.NOTICE,
    report: Mapping[str, object] | None = None,
) -> Outbox:
    """Queue one message for `officer`, due `now`, in the `Reply.to_json` form (rendered in
    their locale when sent); flushed, not committed. `key` makes it idempotent: the same key
    again (from this process or a replica racing it) queues nothing and returns the row
    already queued. The row's key is `"<kind>:<key>:<officer id>"`. A report row
    (`OutboxKind.REPORT`) carries the draft's spec beside the reply (`report`), which the
    dispatcher builds the file from (`services/reporting/obligations.py`)."""
    assert officer.id is not None
    idempotency_key = f"{kind.value}:{key}:{officer.id}"
    payload = Reply(lines=tuple(lines), buttons=tuple(map(tuple, buttons))).to_json()
    if report is not None:
        payload["report"] = dict(report)
    row = {
        "organization_id": officer.organization_id,
        "officer_id": officer.id,
        "kind": kind,
        "payload": payload,
        "idempotency_key": idempotency_key,
        "scheduled_for": now,
        "state": OutboxState.PENDING,
        "attempts": 0,
        "created_at": now,
    }
    insert_ignoring(session, table_of(Outbox), [row])  # a replica racing it: nothing twice
    return session.exec(select(Outbox).where(Outbox.idempotency_key == idempotency_key)).one()


def tell_admins(
    session: Session, now: datetime, organization_id: int, *, key: str, lines: Sequence[Text]
) -> list[Outbox]:
    """Queue a notice for each admin of the ward (`notify`, once per `key` and admin)."""
    return [
        notify(session, now, admin, key=key, lines=lines)
        for admin in admins_of(session, organization_id)
    ]


def tell_admins_update_parked(
    session: Session,
    now: datetime,
    channel: Channel,
    external_id: str,
    *,
    key: str,
    attempts: int,
) -> list[Outbox]:
    """The admins of whoever sent an update that could not be processed are told it was set
    aside (nobody is, for a stranger: the log line is all). Flushed, not committed."""
    sender = session.exec(
        select(Officer)
        .join(ChannelIdentity, col(ChannelIdentity.officer_id) == Officer.id)
        .where(ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id)
    ).first()
    if sender is None:
        return []
    text = line(
        N_(
            "A message {name} sent on {channel} could not be handled after {attempts} tries "
            "and was set aside. Please ask them to send it again."
        ),
        name=sender.name,
        channel=channel.value.capitalize(),
        attempts=attempts,
    )
    return tell_admins(
        session, now, sender.organization_id, key=f"parked:{channel.value}:{key}", lines=[text]
    )


# --- the dispatcher's side ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    """A row the dispatcher holds, with what it needs to send it."""

    id: int
    organization_id: int
    officer_id: int
    kind: OutboxKind
    payload: dict[str, object]
    attempts: int
    scheduled_for: datetime
    locked_until: datetime
    """The lease this claim holds; it also fences the row against a later claim."""


def claim_due(
    session: Session,
    now: datetime,
    *,
    limit: int,
    lease: timedelta,
    lease_now: datetime | None = None,
) -> list[Claimed]:
    """Take up to `limit` rows due now (pending, failed and due for a retry, or held by a
    dispatcher whose lease ran out) of officers none of whose rows is held under a live lease,
    and hold them until `lease_now + lease` (leases may run on a clock of their own: real time
    under a demo clock; default `now`). Commits."""
    lease_now = lease_now or now
    advisory_lock(session, CLAIM_LOCK)
    due = or_(
        and_(
            col(Outbox.state).in_([OutboxState.PENDING, OutboxState.FAILED]),
            col(Outbox.scheduled_for) <= now,
        ),
        and_(col(Outbox.state) == OutboxState.SENDING, col(Outbox.locked_until) < lease_now),
    )
    held = aliased(Outbox)
    busy = exists().where(
        col(held.officer_id) == col(Outbox.officer_id),
        col(held.state) == OutboxState.SENDING,
        col(held.locked_until) >= lease_now,
    )
    query = (
        sa_select(col(Outbox.id))
        .where(due, not_(busy))
        .order_by(col(Outbox.scheduled_for), col(Outbox.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    ids = [row[0] for row in session.execute(query)]
    if not ids:
        session.commit()
        return []
    session.execute(
        update(Outbox)
        .where(col(Outbox.id).in_(ids))
        .values(state=OutboxState.SENDING, locked_until=lease_now + lease)
    )
    rows = session.execute(
        sa_select(
            col(Outbox.id),
            col(Outbox.organization_id),
            col(Outbox.officer_id),
            col(Outbox.kind),
            col(Outbox.payload),
            col(Outbox.attempts),
            col(Outbox.scheduled_for),
            col(Outbox.locked_until),
        )
        .where(col(Outbox.id).in_(ids))
        .order_by(col(Outbox.scheduled_for), col(Outbox.id))
    ).all()
    session.commit()
    return [Claimed(*row) for row in rows]


def renew_claim(session: Session, row: Claimed, *, until: datetime) -> Claimed | None:
    """Extend the lease on a row this claim still holds; None when its lease ran out and
    another dispatcher claimed it since (then it is theirs to send). Commits."""
    renewed = session.execute(
        update(Outbox)
        .where(
            col(Outbox.id) == row.id,
            col(Outbox.state) == OutboxState.SENDING,
            col(Outbox.locked_until) == row.locked_until,
        )
        .values(locked_until=until)
    )
    session.commit()
    if renewed.rowcount != 1:  # type: ignore[attr-defined]
        return None
    return replace(row, locked_until=until)


def mark_sent(
    session: Session, now: datetime, row_id: int, *, channel: Channel, message_id: str
) -> None:
    """Record that the row went out (its own short transaction)."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row_id)
        .values(
            state=OutboxState.SENT,
            channel=channel,
            platform_message_id=message_id[:100],
            sent_at=now,
            locked_until=None,
            attempts=Outbox.attempts + 1,
            last_error=None,
        )
    )
    session.commit()


def backoff(attempts: int, retry_after: float | None = None) -> timedelta:
    """How long to wait before attempt `attempts + 1`: the platform's word when it gives one,
    else exponential from 30 s, capped at an hour."""
    if retry_after is not None and retry_after > 0:
        return timedelta(seconds=min(retry_after, BACKOFF_CAP_SECONDS))
    return timedelta(
        seconds=min(BACKOFF_BASE_SECONDS * 2 ** max(attempts - 1, 0), BACKOFF_CAP_SECONDS)
    )


def mark_failed(
    session: Session,
    now: datetime,
    row_id: int,
    *,
    attempts: int,
    error: str,
    retry_at: datetime,
) -> OutboxState:
    """Record a transient failure: retry at `retry_at`, or give up (`dead`) after
    `MAX_ATTEMPTS`. Returns the new state."""
    state = OutboxState.DEAD if attempts >= MAX_ATTEMPTS else OutboxState.FAILED
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row_id)
        .values(
            state=state,
            attempts=attempts,
            last_error=error[:1000],
            scheduled_for=retry_at,
            locked_until=None,
        )
    )
    session.commit()
    return state


def mark_dead(session: Session, row_id: int, *, attempts: int, error: str) -> None:
    """Give up on the row for good (kept, listed, retryable by hand)."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row_id)
        .values(
            state=OutboxState.DEAD, attempts=attempts, last_error=error[:1000], locked_until=None
        )
    )
    session.commit()


def release(session: Session, row_id: int, *, at: datetime) -> None:
    """Give a claimed row back, due at `at`, without counting an attempt (quiet hours, or
    another of the officer's chats to try)."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row_id)
        .values(state=OutboxState.PENDING, scheduled_for=at, locked_until=None)
    )
    session.commit()


@dataclass(frozen=True, slots=True)
class Destination:
    """Where an officer can be reached now."""

    officer_id: int
    name: str
    locale: str
    role: str
    identity_id: int | None
    channel: Channel | None
    chat_id: str | None


def destination(
    session: Session, officer_id: int, channels: Iterable[Channel]
) -> Destination | None:
    """The officer, and the reachable chat of theirs on one of `channels` (by preference)."""
    return destinations(session, [officer_id], channels).get(officer_id)


def destinations(
    session: Session, officer_ids: Iterable[int], channels: Iterable[Channel]
) -> dict[int, Destination]:
    """`destination` for several officers, in two queries (officers missing are left out)."""
    wanted = sorted(set(officer_ids))
    if not wanted:
        return {}
    officers = session.exec(select(Officer).where(col(Officer.id).in_(wanted))).all()
    usable = set(channels)
    by_officer: dict[int, list[ChannelIdentity]] = {}
    for identity in session.exec(
        select(ChannelIdentity).where(
            col(ChannelIdentity.officer_id).in_(wanted),
            ChannelIdentity.reachable == True,  # noqa: E712
        )
    ):
        if identity.channel in usable:
            by_officer.setdefault(identity.officer_id, []).append(identity)
    found: dict[int, Destination] = {}
    for officer in officers:
        assert officer.id is not None
        found[officer.id] = _destination(officer, by_officer.get(officer.id, []))
    return found


def _destination(officer: Officer, identities: list[ChannelIdentity]) -> Destination:
    assert officer.id is not None
    ranked = sorted(
        identities,
        key=lambda i: (CHANNEL_PREFERENCE.index(i.channel), -i.bound_at.timestamp()),
    )
    best = ranked[0] if ranked and officer.active else None
    officer_id = officer.id
    return Destination(
        officer_id=officer_id,
        name=officer.name,
        locale=officer.locale,
        role=officer.role.value,
        identity_id=best.id if best else None,
        channel=best.channel if best else None,
        chat_id=best.chat_id if best else None,
    )


def mark_unreachable(session: Session, identity_id: int) -> ChannelIdentity | None:
    """The platform refused this chat for good: stop using it (no commit)."""
    identity = session.get(ChannelIdentity, identity_id)
    if identity is not None:
        identity.reachable = False
        session.add(identity)
    return identity


# --- when nobody can be reached ----------------------------------------------------------

UNREACHABLE: Final = N_(
    "{name} can no longer be reached on {channel} (the bot was blocked or the chat is gone). "
    "Please ask them to start the bot again, or send them a new invite."
)
NO_CHAT: Final = N_(
    "{name} has no chat connected to dondoc, so their reminders cannot reach them. "
    "Please send them an invite."
)


def refuse_chat(
    session: Session, now: datetime, row: Claimed, target: Destination, *, error: str
) -> None:
    """The platform refused the chat for good: stop using it, tell the admins, and give the
    row back to be sent through the officer's next chat (or to die if there is none)."""
    assert target.identity_id is not None
    identity = mark_unreachable(session, target.identity_id)
    channel = target.channel.value if target.channel else "?"
    bound = identity.bound_at.isoformat() if identity is not None else ""
    tell_admins(
        session,
        now,
        row.organization_id,
        key=f"unreachable:{target.identity_id}:{bound}",
        lines=[line(UNREACHABLE, name=target.name, channel=channel)],
    )
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row.id)
        .values(state=OutboxState.PENDING, last_error=error[:1000], locked_until=None)
    )
    session.commit()


def no_chat(
    session: Session, now: datetime, row: Claimed, target: Destination | None, *, zone: ZoneInfo
) -> None:
    """The officer has no chat to send to: the row is dead, the admins are told (once a day of
    the ward, in its `zone`)."""
    session.execute(
        update(Outbox)
        .where(col(Outbox.id) == row.id)
        .values(state=OutboxState.DEAD, last_error="no reachable chat", locked_until=None)
    )
    if target is not None:
        tell_admins(
            session,
            now,
            row.organization_id,
            key=f"nochat:{row.officer_id}:{now.astimezone(zone).date().isoformat()}",
            lines=[line(NO_CHAT, name=target.name)],
        )
    session.commit()
