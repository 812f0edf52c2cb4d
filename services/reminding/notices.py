"""Messages for other people than the one writing: the chair told of a blocker, an officer told
of the chair's answer. They go through the outbox, in the `Reply.to_json` form, and are
rendered in the recipient's locale when sent."""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from locales import N_
from models import Channel, ChannelIdentity, Officer, Outbox, OutboxKind
from services.access import admins_of
from services.clock import Clock
from services.messages import Button, Param, Reply, Text


def line(msgid: str, /, **params: Param) -> Text:
    """One line of a notice: a msgid and its params."""
    return Text(msgid, params)


def notify(
    session: Session,
    clock: Clock,
    officer: Officer,
    *,
    key: str,
    lines: Sequence[Text],
    buttons: Sequence[Sequence[Button]] = (),
    kind: OutboxKind = OutboxKind.NOTICE,
) -> Outbox:
    """Queue one message for `officer` (flushed, not committed); `key` makes it idempotent: the
    same key again returns the row already queued."""
    assert officer.id is not None
    idempotency_key = f"{kind.value}:{key}:{officer.id}"
    existing = session.exec(
        select(Outbox).where(Outbox.idempotency_key == idempotency_key)
    ).first()
    if existing is not None:
        return existing
    row = Outbox(
        organization_id=officer.organization_id,
        officer_id=officer.id,
        kind=kind,
        payload=Reply(lines=tuple(lines), buttons=tuple(tuple(row) for row in buttons)).to_json(),
        idempotency_key=idempotency_key,
        scheduled_for=clock.now(),
        created_at=clock.now(),
    )
    session.add(row)
    session.flush()
    return row


def tell_admins_update_parked(
    session: Session,
    clock: Clock,
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
    return [
        notify(session, clock, admin, key=f"parked:{channel.value}:{key}", lines=[text])
        for admin in admins_of(session, sender.organization_id)
    ]
