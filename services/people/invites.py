"""Onboarding: a one-time, expiring invite binds a chat account to an officer.

An invite has two spellings of one secret: a `token` for Telegram's deep link
(`https://t.me/<bot>?start=<token>`) and a short `code` such as `4F7K-9QXA` that a person types
on channels without deep links. Either is accepted once, before it expires.
"""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from sqlmodel import Session, select

from models import Channel, ChannelIdentity, Invite, Officer, Organization
from services.access import require_admin
from services.clock import Clock
from services.errors import (
    EmptyName,
    InviteExpired,
    InviteInvalid,
    InviteNeedsPrivateChat,
    InviteUsed,
)
from services.people.officers import find_officer

LIFETIME: Final = timedelta(days=7)
CODE_ALPHABET: Final = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I
TOKEN_BYTES: Final = 18


@dataclass(frozen=True, slots=True)
class InviteCard:
    """What the office hands the officer: the deep-link token, the short code, until when."""

    officer: str
    token: str
    code: str
    expires_at: datetime

    def deep_link(self, bot_username: str) -> str:
        """The Telegram link that starts the bot with this invite."""
        return f"https://t.me/{bot_username.lstrip('@')}?start={self.token}"


def create_invite(
    session: Session,
    clock: Clock,
    actor: Officer,
    officer_name: str,
    *,
    lifetime: timedelta = LIFETIME,
) -> InviteCard:
    """A new invite for the active officer of the actor's organization a person means by
    `officer_name` (the full name, or a part naming only one); admins only."""
    require_admin(actor)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    officer_name = " ".join(officer_name.split())
    if not officer_name:
        raise EmptyName()
    officer = find_officer(session, org, officer_name)
    now = clock.now()
    assert org.id is not None
    assert officer.id is not None
    invite = Invite(
        organization_id=org.id,
        officer_id=officer.id,
        token=secrets.token_urlsafe(TOKEN_BYTES),
        code=_code(),
        created_at=now,
        expires_at=now + lifetime,
    )
    session.add(invite)
    session.commit()
    return InviteCard(
        officer=officer.name, token=invite.token, code=invite.code, expires_at=invite.expires_at
    )


def accept_invite(
    session: Session,
    clock: Clock,
    secret: str,
    *,
    channel: Channel,
    external_id: str,
    chat_id: str,
    private_chat: bool = True,
) -> Officer:
    """Bind (channel, external_id) to the invite's officer; the invite is then used up. Only
    in a private chat: bound in a group, the officer's reminders and the ward's lists would
    go to everyone in it (the invite stays unused)."""
    invite = _find(session, secret)
    if invite is None:
        raise InviteInvalid()
    if not private_chat:
        raise InviteNeedsPrivateChat()
    now = clock.now()
    if invite.used_at is not None:
        raise InviteUsed()
    if invite.expires_at <= now:
        raise InviteExpired()
    officer = session.get(Officer, invite.officer_id)
    if officer is None or not officer.active:
        raise InviteInvalid()
    assert officer.id is not None
    identity = session.exec(
        select(ChannelIdentity).where(
            ChannelIdentity.channel == channel, ChannelIdentity.external_id == external_id
        )
    ).first()
    if identity is None:
        identity = ChannelIdentity(
            officer_id=officer.id,
            channel=channel,
            external_id=external_id,
            chat_id=chat_id,
            bound_at=now,
        )
    identity.officer_id = officer.id
    identity.chat_id = chat_id
    identity.reachable = True
    identity.bound_at = now
    session.add(identity)
    invite.used_at = now
    session.commit()
    return officer


def looks_like_code(text: str) -> bool:
    """Whether `text` has the shape of a short invite code ("4F7K-9QXA", "4f7k9qxa")."""
    compact = text.strip().upper().replace("-", "").replace(" ", "")
    return len(compact) == 8 and all(ch in CODE_ALPHABET for ch in compact)


def _find(session: Session, secret: str) -> Invite | None:
    secret = secret.strip()
    if not secret or len(secret) > 64:
        return None
    if looks_like_code(secret):
        compact = secret.upper().replace("-", "").replace(" ", "")
        code = f"{compact[:4]}-{compact[4:]}"
        return session.exec(select(Invite).where(Invite.code == code)).first()
    return session.exec(select(Invite).where(Invite.token == secret)).first()


def _code() -> str:
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(8))
    return f"{chars[:4]}-{chars[4:]}"
