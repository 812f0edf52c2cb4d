"""Holds on failed web sign-ins, kept in the database so every replica and every restart agree.

Failures are counted under three keys: the name with the address it came from (5 in a quarter
of an hour hold that pair), the address alone (20 hold it, whatever names it tries) and the name
alone (100, from however many addresses, hold the name). Someone guessing from one address is
held long before the name is, so a stranger cannot keep the chair out by typing her name; only a
guess spread over many addresses reaches the name's own limit, and that hold spares the browsers
the officer signed in on before (`services.people.web_auth`).

What is counted is never stored: a key is the sha256 of at most `MAX_NAME` characters of the
folded name (with the organization) or of the address (an IPv6 address by its /64, what one
household or server gets). Rows expire a window after their last failure, and the table never
holds more than `MAX_ROWS` of them (the oldest go first, those holding no one before any hold).
"""

import hashlib
import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from sqlalchemy import ColumnElement, and_, case, delete, func, or_
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlmodel import Session, col, select

from models import SignInHold

WINDOW: Final = timedelta(minutes=15)
HOLD: Final = timedelta(minutes=15)
MAX_NAME: Final = 200  # characters of a name that count; the rest is not read
MAX_ROWS: Final = 10_000


class HoldScope(StrEnum):
    """What a hold counts failures of."""

    PAIR = "pair"
    ADDRESS = "address"
    NAME = "name"


LIMITS: Final = {HoldScope.PAIR: 5, HoldScope.ADDRESS: 20, HoldScope.NAME: 100}


@dataclass(frozen=True, slots=True)
class Attempt:
    """A sign-in attempt as holds see it: digests of who and from where."""

    keys: tuple[tuple[HoldScope, str], ...]

    @classmethod
    def of(cls, organization_id: int, name: str, address: str) -> "Attempt":
        """The keys of an attempt at `name` of organization `organization_id` from `address`."""
        folded = " ".join(name[:MAX_NAME].split()).casefold()
        who = f"{organization_id}:{folded}"
        where = network_of(address)
        return cls(
            keys=(
                (HoldScope.PAIR, _digest(f"{who}\n{where}")),
                (HoldScope.ADDRESS, _digest(where)),
                (HoldScope.NAME, _digest(who)),
            )
        )


def network_of(address: str) -> str:
    """The address failures are counted for: an IPv4 address, an IPv6 address's /64."""
    try:
        parsed = ipaddress.ip_address(address[:64])
    except ValueError:
        return address[:64]
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def holds_on(session: Session, now: datetime, attempt: Attempt) -> dict[HoldScope, datetime]:
    """The attempt's keys that are held, and until when."""
    rows = session.exec(
        select(SignInHold.scope, SignInHold.held_until).where(
            _any_key(attempt), col(SignInHold.held_until) > now
        )
    ).all()
    return {HoldScope(scope): until for scope, until in rows if until is not None}


def record_failure(session: Session, now: datetime, attempt: Attempt) -> None:
    """Count a failure under each of the attempt's keys and hold those over their limit; old
    rows are forgotten first. The caller commits."""
    _forget_old(session, now)
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    for scope, key in attempt.keys:
        session.execute(
            insert(SignInHold)
            .values(scope=scope.value, key=key, failures=0, first_at=now, last_at=now)
            .on_conflict_do_nothing(index_elements=["scope", "key"])
        )
        row = session.exec(
            select(SignInHold)
            .where(SignInHold.scope == scope.value, SignInHold.key == key)
            .with_for_update()
        ).one()
        if now - row.first_at > WINDOW:
            row.failures, row.first_at = 0, now
        row.failures += 1
        row.last_at = now
        if row.failures >= LIMITS[scope]:
            row.held_until = now + HOLD
        session.add(row)
    session.flush()
    _keep_at_most(session, now, MAX_ROWS)


def forget_pair(session: Session, attempt: Attempt) -> None:
    """A good sign-in: the name's failures from this address are forgotten (the address's and
    the name's own counts stay). The caller commits."""
    scope, key = attempt.keys[0]
    session.execute(
        delete(SignInHold).where(col(SignInHold.scope) == scope.value, col(SignInHold.key) == key)
    )


def _any_key(attempt: Attempt) -> ColumnElement[bool]:
    return or_(
        *(
            and_(col(SignInHold.scope) == scope.value, col(SignInHold.key) == key)
            for scope, key in attempt.keys
        )
    )


def _forget_old(session: Session, now: datetime) -> None:
    session.execute(
        delete(SignInHold).where(
            col(SignInHold.last_at) < now - WINDOW,
            (col(SignInHold.held_until).is_(None)) | (col(SignInHold.held_until) < now),
        )
    )


def _keep_at_most(session: Session, now: datetime, limit: int) -> None:
    count = session.exec(select(func.count()).select_from(SignInHold)).one()
    if count <= limit:
        return
    held = case((col(SignInHold.held_until) > now, 1), else_=0)
    oldest = (  # counts that hold nothing go first: a flood of new names frees no one held
        select(SignInHold.id)
        .order_by(held, col(SignInHold.last_at), col(SignInHold.id))
        .limit(count - limit)
    )
    session.execute(delete(SignInHold).where(col(SignInHold.id).in_(oldest.scalar_subquery())))


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
