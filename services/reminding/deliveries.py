"""What the office sees of deliveries: the messages of its ward listed by state, and a failed
one sent again (`dondoc outbox list | retry`). Admins' acts; the dispatcher's side is
`services/reminding/outbox.py`."""

from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from locales import N_
from models import Channel, Officer, Outbox, OutboxKind, OutboxState
from services.access import require_admin
from services.clock import Clock
from services.errors import DomainError

UNDELIVERED: Final = (OutboxState.FAILED, OutboxState.DEAD)


class OutboxRowNotFound(DomainError):
    msgid = N_("There is no outbox message {id}.")


class OutboxRowNotRetryable(DomainError):
    msgid = N_("Outbox message {id} is {state}: only failed or dead messages can be retried.")


@dataclass(frozen=True, slots=True)
class OutboxView:
    """An outbox row as listed to the admin."""

    id: int
    officer: str
    kind: OutboxKind
    state: OutboxState
    attempts: int
    scheduled_for: datetime
    channel: Channel | None
    last_error: str | None


def list_outbox(
    session: Session, actor: Officer, *, state: OutboxState | None = None, limit: int = 50
) -> list[OutboxView]:
    """The latest messages of the actor's organization (`failed` lists every undelivered one:
    retrying and dead); an admin's read, as retrying is an admin's act."""
    require_admin(actor)
    query = (
        sa_select(
            col(Outbox.id),
            col(Officer.name),
            col(Outbox.kind),
            col(Outbox.state),
            col(Outbox.attempts),
            col(Outbox.scheduled_for),
            col(Outbox.channel),
            col(Outbox.last_error),
        )
        .join(Officer, col(Officer.id) == Outbox.officer_id)
        .where(col(Outbox.organization_id) == actor.organization_id)
        .order_by(col(Outbox.id).desc())
        .limit(limit)
    )
    if state is OutboxState.FAILED:
        query = query.where(col(Outbox.state).in_(UNDELIVERED))
    elif state is not None:
        query = query.where(col(Outbox.state) == state)
    return [OutboxView(*row) for row in session.execute(query)]


def retry_outbox(session: Session, clock: Clock, actor: Officer, row_id: int) -> Outbox:
    """Send an undelivered row of the actor's organization again, now, with a fresh count of
    attempts (an admin's act; the command line acts as the office). Commits."""
    require_admin(actor)
    row = session.get(Outbox, row_id)
    if row is None or row.organization_id != actor.organization_id:
        raise OutboxRowNotFound(id=row_id)
    if row.state not in UNDELIVERED:
        raise OutboxRowNotRetryable(id=row_id, state=row.state.value)
    row.state = OutboxState.PENDING
    row.attempts = 0
    row.scheduled_for = clock.now()
    row.locked_until = None
    session.add(row)
    session.commit()
    return row
