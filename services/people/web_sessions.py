"""Web sessions as server-side records: the browser's cookie carries a random token, the
database its digest, so a session can end before its cookie does.

A session ends when its officer signs out, gets a new password, is given another role or is
deactivated: its record is deleted, at once (signing out, a new password) or by the next request
presenting the old cookie (a role or an activity changed by any code path), and that cookie
signs in no one again.
"""

import hashlib
import secrets
from datetime import timedelta
from typing import Final

from sqlalchemy import bindparam, delete
from sqlmodel import Session, col, select

from models import Officer, WebSession
from services.clock import Clock

LIFETIME: Final = timedelta(days=14)
TOKEN_BYTES: Final = 32
MAX_TOKEN: Final = 128  # a cookie's token longer than this is not looked up
_LOOKUP: Final = (  # built once: every page asks it (50 chairs at once), its building cost more
    select(WebSession.expires_at, WebSession.role, Officer)  # than running it
    .outerjoin(Officer, col(Officer.id) == WebSession.officer_id)
    .where(col(WebSession.token_hash) == bindparam("digest"))
)


def open_session(session: Session, clock: Clock, officer: Officer) -> str:
    """A new session for `officer`; the token for the cookie. Expired records of anyone are
    forgotten on the way. The caller commits."""
    assert officer.id is not None
    now = clock.now()
    session.execute(delete(WebSession).where(col(WebSession.expires_at) < now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        WebSession(
            token_hash=_digest(token),
            officer_id=officer.id,
            role=officer.role,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    )
    return token


def session_officer(session: Session, clock: Clock, token: str) -> Officer | None:
    """The officer whose live session `token` names; None (and the record deleted) when there
    is none, it expired, or its officer is no longer active or no longer has that role."""
    if not token or len(token) > MAX_TOKEN:
        return None
    now = clock.now()
    digest = _digest(token)
    found = session.exec(_LOOKUP, params={"digest": digest}).first()
    if found is None:
        return None
    expires_at, role, officer = found
    if expires_at <= now:
        return None
    if officer is not None and officer.active and officer.role is role:
        return officer
    session.execute(delete(WebSession).where(col(WebSession.token_hash) == digest))
    session.commit()
    return None


def close_session(session: Session, token: str) -> None:
    """Sign out: the session `token` names ends."""
    if not token or len(token) > MAX_TOKEN:
        return
    session.execute(delete(WebSession).where(col(WebSession.token_hash) == _digest(token)))
    session.commit()


def revoke_sessions(session: Session, officer_id: int) -> None:
    """Every session of the officer ends (a new password, a change of role, a deactivation).
    The caller commits."""
    session.execute(delete(WebSession).where(col(WebSession.officer_id) == officer_id))


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
