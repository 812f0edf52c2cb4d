"""Signing in to the web pages: passwords the admin sets, one-time links from invites, and the
demo people one may pick on a local demo.

Passwords are stored as `scrypt$<n>$<r>$<p>$<salt hex>$<hash hex>`. A signed-in officer's web
chat is a `ChannelIdentity` on `Channel.WEB` whose external id and chat id are `officer:<id>`, so
the conversation layer and the dispatcher reach the web chat like any other channel.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
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
from services.clock import Clock
from services.errors import DomainError, InviteInvalid
from services.people.invites import accept_invite
from services.people.officers import get_officer

SCRYPT_N: Final = 2**14
SCRYPT_R: Final = 8
SCRYPT_P: Final = 1
MIN_PASSWORD: Final = 8


class WrongLogin(DomainError):
    msgid = N_("Wrong name or password.")


class PasswordTooShort(DomainError):
    msgid = N_("A password needs at least {count} characters.")


class NotDemo(DomainError):
    msgid = N_("Only the demo people can be picked without a password.")


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


def set_password(session: Session, org: Organization, name: str, password: str) -> Officer:
    """Give the officer of `org` called `name` a web password (the office does this)."""
    if len(password) < MIN_PASSWORD:
        raise PasswordTooShort(count=MIN_PASSWORD)
    officer = get_officer(session, org, " ".join(name.split()))
    officer.password_hash = hash_password(password)
    session.add(officer)
    session.commit()
    return officer


def sign_in_with_password(session: Session, clock: Clock, name: str, password: str) -> Officer:
    """The active officer called `name` whose password this is; `WrongLogin` otherwise (also
    when the name is ambiguous across organizations)."""
    found = session.exec(
        select(Officer).where(Officer.name == " ".join(name.split()), col(Officer.active))
    ).all()
    if len(found) != 1 or not is_password(password, found[0].password_hash):
        raise WrongLogin()
    return bind_web_chat(session, clock, found[0])


def sign_in_with_invite(session: Session, clock: Clock, secret: str) -> Officer:
    """The officer an unused, unexpired invite names; the invite is used up."""
    invite = session.exec(select(Invite).where(Invite.token == secret.strip())).first()
    if invite is None:
        raise InviteInvalid()
    web_id = web_chat_id(invite.officer_id)
    return accept_invite(
        session, clock, secret, channel=Channel.WEB, external_id=web_id, chat_id=web_id
    )


def sign_in_demo(session: Session, clock: Clock, officer_id: int) -> Officer:
    """A demo person, picked on a local demo."""
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.is_demo or not officer.active:
        raise NotDemo()
    return bind_web_chat(session, clock, officer)


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """A demo person as the picker shows them."""

    id: int
    name: str
    role: Role
    units: tuple[str, ...]


def demo_people(session: Session) -> list[DemoPerson]:
    """Every active demo person with their units, the chair and the admins first."""
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
        DemoPerson(id=o.id or 0, name=o.name, role=o.role, units=tuple(units.get(o.id or 0, ())))
        for o in sorted(people, key=lambda o: (rank[o.role], o.id or 0))
    ]


def signed_in(session: Session, officer_id: int) -> Officer | None:
    """The officer a web session names, while still active."""
    officer = session.get(Officer, officer_id)
    return officer if officer is not None and officer.active else None


def web_chat_id(officer_id: int) -> str:
    """The external id and chat id of an officer's web chat."""
    return f"officer:{officer_id}"


def bind_web_chat(session: Session, clock: Clock, officer: Officer) -> Officer:
    """Make sure the officer's web chat is a channel dondoc can reach them on."""
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
