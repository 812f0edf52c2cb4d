"""Signing in to the web pages: passwords the admin sets, one-time links from invites, and the
demo people one may pick on a local demo. Each opens a server-side session (`web_sessions`).

A password sign-in names its organization (the sign-in page offers the organizations when there
are several): a name is looked up in that organization only, so no ward's officers can make
another ward's name ambiguous. It takes as long whether the name exists or not (an unknown name
is checked against a dummy hash) and is held after repeated failures (`sign_in_holds`).

Passwords are stored as `scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`. A signed-in officer's web
chat is a `ChannelIdentity` on `Channel.WEB` whose external id and chat id are `officer:<id>`, so
the conversation layer and the dispatcher reach the web chat like any other channel.
"""

import hashlib
import hmac
import logging
import secrets
from collections.abc import Collection
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Final

from sqlmodel import Session, col, select

from locales import N_
from models import (
    Channel,
    ChannelIdentity,
    Invite,
    Officer,
    OfficerUnit,
    Organization,
    Role,
    Unit,
)
from services.access import require_admin, unit_ids_of
from services.clock import Clock
from services.errors import DomainError, InviteInvalid
from services.people.invites import accept_invite
from services.people.officers import get_officer
from services.people.sign_in_holds import (
    Attempt,
    HoldScope,
    forget_pair,
    holds_on,
    record_failure,
)
from services.people.web_sessions import open_session, revoke_sessions

logger = logging.getLogger(__name__)

SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
MIN_PASSWORD: Final = 8
MAX_PASSWORD: Final = 1024


class WrongLogin(DomainError):
    msgid = N_("Wrong name or password.")


class PasswordTooShort(DomainError):
    msgid = N_("A password needs at least {count} characters.")


class NotDemo(DomainError):
    msgid = N_("Only the demo people can be picked without a password.")


class SignInHeld(DomainError):
    msgid = N_("Too many wrong sign-ins: please try again in {minutes} minutes.")


@dataclass(frozen=True, slots=True)
class WebSignIn:
    """A signed-in officer and the token of their new session (for the cookie)."""

    officer: Officer
    token: str


@dataclass(frozen=True, slots=True)
class OrganizationChoice:
    """An organization as the sign-in page offers it."""

    id: int
    name: str


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """The stored form of `password` (scrypt with a random salt)."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def is_password(password: str, stored: str | None) -> bool:
    """Whether `password` matches the stored form (false for none, or a form not ours)."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, expected = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            password.encode("utf-8"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
            dklen=len(expected) // 2,
        )
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), expected)


def set_password(session: Session, actor: Officer, name: str, password: str) -> Officer:
    """Give the officer of the actor's organization called `name` a web password (the office's:
    admins only); every web session they had ends."""
    require_admin(actor)
    if len(password) < MIN_PASSWORD:
        raise PasswordTooShort(count=MIN_PASSWORD)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    officer = get_officer(session, org, " ".join(name.split()))
    assert officer.id is not None
    officer.password_hash = hash_password(password)
    session.add(officer)
    revoke_sessions(session, officer.id)
    session.commit()
    return officer


def sign_in_organizations(session: Session) -> list[OrganizationChoice]:
    """The organizations one may sign in to, by name."""
    return [
        OrganizationChoice(id=org.id or 0, name=org.name)
        for org in session.exec(select(Organization).order_by(col(Organization.name)))
    ]


def sign_in_with_password(
    session: Session,
    clock: Clock,
    *,
    organization_id: int,
    name: str,
    password: str,
    address: str,
    known: Collection[int] = (),
) -> WebSignIn:
    """A session for the active officer of organization `organization_id` called `name`, if
    this is their password; `WrongLogin` otherwise, `SignInHeld` after too many failures of
    this name or from this `address`. `known`: the officers who signed in on this browser
    before; the hold a name gets from failures spread over many addresses spares them, so
    nobody can keep an officer out of the browser they use."""
    now = clock.now()
    attempt = Attempt.of(organization_id, name, address)
    officer = session.exec(
        select(Officer).where(
            Officer.organization_id == organization_id,
            Officer.name == " ".join(name[:MAX_PASSWORD].split()),
            col(Officer.active),
        )
    ).first()
    holds = holds_on(session, now, attempt)
    if officer is not None and officer.id in known:
        holds.pop(HoldScope.NAME, None)
    if holds:
        raise SignInHeld(minutes=_minutes(max(holds.values()) - now))
    stored = officer.password_hash if officer is not None else None
    # The same scrypt work whatever the name: the time taken tells no one which names exist.
    matches = is_password(password[:MAX_PASSWORD], stored or _dummy_hash())
    if officer is None or stored is None or len(password) > MAX_PASSWORD or not matches:
        record_failure(session, now, attempt)
        session.commit()
        logger.warning("web: failed sign-in for organization %d", organization_id)
        raise WrongLogin()
    forget_pair(session, attempt)
    return _open(session, clock, officer)


def sign_in_with_invite(session: Session, clock: Clock, secret: str) -> WebSignIn:
    """A session for the officer an unused, unexpired invite names; the invite is used up."""
    invite = session.exec(select(Invite).where(Invite.token == secret.strip()[:64])).first()
    if invite is None:
        raise InviteInvalid()
    web_id = web_chat_id(invite.officer_id)
    officer = accept_invite(
        session, clock, secret, channel=Channel.WEB, external_id=web_id, chat_id=web_id
    )
    return _open(session, clock, officer)


def sign_in_demo(session: Session, clock: Clock, officer_id: int) -> WebSignIn:
    """A session for a demo person, picked on a local demo."""
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.is_demo or not officer.active:
        raise NotDemo()
    return _open(session, clock, officer)


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A demo person as the picker shows them."""

    id: int
    name: str
    role: Role
    units: tuple[str, ...]
    open_tasks: int = 0
    """How many open tasks their units lead: what they will find in the chat."""


def demo_people(session: Session) -> list[DemoPerson]:
    """Every active demo person with their units and open tasks, the chair and the admins
    first."""
    from services.tracking.queries import items

    people = session.exec(select(Officer).where(col(Officer.is_demo), col(Officer.active))).all()
    units: dict[int, list[str]] = {}
    for officer_id, unit_name in session.exec(
        select(OfficerUnit.officer_id, Unit.name)
        .join(Unit, col(Unit.id) == OfficerUnit.unit_id)
        .where(col(OfficerUnit.officer_id).in_([o.id for o in people]))
    ):
        units.setdefault(officer_id, []).append(unit_name)
    rank = {Role.CHAIR: 0, Role.ADMIN: 1, Role.OFFICER: 2}
    return [
        DemoPerson(
            id=o.id or 0,
            name=o.name,
            role=o.role,
            units=tuple(units.get(o.id or 0, ())),
            open_tasks=len(items(session, o, unit_ids=unit_ids_of(session, o)))
            if o.role is not Role.CHAIR
            else 0,
        )
        for o in sorted(people, key=lambda o: (rank[o.role], o.id or 0))
    ]


def web_chat_id(officer_id: int) -> str:
    """The external id and chat id of an officer's web chat."""
    return f"officer:{officer_id}"


def _open(session: Session, clock: Clock, officer: Officer) -> WebSignIn:
    token = open_session(session, clock, officer)
    return WebSignIn(officer=bind_web_chat(session, clock, officer), token=token)


@cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def _minutes(left: timedelta) -> int:
    return max(1, -(-int(left.total_seconds()) // 60))


def bind_web_chat(session: Session, clock: Clock, officer: Officer) -> Officer:
    """Make sure the officer's web chat is a channel dondoc can reach them on (commits)."""
    assert officer.id is not None
    web_id = web_chat_id(officer.id)
    identity = session.exec(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == Channel.WEB, ChannelIdentity.external_id == web_id
        )
    ).first()
    if identity is None:
        session.add(
            ChannelIdentity(
                officer_id=officer.id,
                channel=Channel.WEB,
                external_id=web_id,
                chat_id=web_id,
                bound_at=clock.now(),
            )
        )
    elif not identity.reachable:
        identity.reachable = True
        session.add(identity)
    session.commit()
    return officer
