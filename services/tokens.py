"""Button tokens: the one scheme every button of dondoc uses (reminders, notices, replies).

A button's callback data is `"<action>:<token>"` (at most 64 bytes on Telegram). The token is a
random 10-character id naming an `ActionToken` row; the row says *what* the button is about
(an occurrence, an extension request, a blocker, an import draft, a page of a list) and *whom*
it is addressed to. Nothing in the callback data is trusted:

- `redeem_token` refuses an unknown token, an expired one, one addressed to someone else (a
  forwarded message pressed by a colleague), and one about another kind of row (`InvalidButton`);
- the use case then authorises the row again with `access_*`, so a token for a task that has since
  moved to another unit is refused too.

The reminder engine issues one token per (reminder, occurrence, officer):

    token = issue_token(session, clock, officer, TokenSubject.OCCURRENCE, occurrence_id=occ.id)
    notify(session, clock, officer, key=..., lines=[...], buttons=task_buttons(token))

and the conversation layer answers the press (`Action.DONE`, `PROGRESS`, `BLOCKER`, `EXTEND`,
`SNOOZE`) for that occurrence. Tokens are never logged.
"""

import secrets
import string
from datetime import timedelta
from typing import Final

from sqlmodel import Session, select

from models import ActionToken, Officer, TokenSubject
from services.clock import Clock
from services.errors import InvalidButton

ALPHABET: Final = string.ascii_letters + string.digits
LENGTH: Final = 10
LIFETIMES: Final = {
    TokenSubject.OCCURRENCE: timedelta(days=60),
    TokenSubject.EXTENSION: timedelta(days=30),
    TokenSubject.BLOCKER: timedelta(days=60),
    TokenSubject.IMPORT: timedelta(hours=24),
    TokenSubject.PAGE: timedelta(days=2),
    TokenSubject.CHOICE: timedelta(hours=24),
    TokenSubject.GIVE: timedelta(hours=24),
    TokenSubject.UNDO: timedelta(
        minutes=30
    ),  # of real time: issued and redeemed on the wall clock
}


def new_token() -> str:
    """A fresh token value: LENGTH letters and digits from the system's random source (the scan
    makes thousands at a time, so it reads bytes; the modulo bias, 8 in 256, does not matter)."""
    return "".join(ALPHABET[byte % len(ALPHABET)] for byte in secrets.token_bytes(LENGTH))


def issue_token(
    session: Session,
    clock: Clock,
    officer: Officer,
    subject: TokenSubject,
    *,
    occurrence_id: int | None = None,
    event_id: int | None = None,
    data: dict[str, object] | None = None,
) -> str:
    """A new token addressed to `officer` naming the given row (flushed, not committed)."""
    now = clock.now()
    token = new_token()
    assert officer.id is not None
    session.add(
        ActionToken(
            token=token,
            organization_id=officer.organization_id,
            officer_id=officer.id,
            subject=subject,
            occurrence_id=occurrence_id,
            event_id=event_id,
            data=data or {},
            created_at=now,
            expires_at=now + LIFETIMES[subject],
        )
    )
    session.flush()
    return token


def redeem_token(
    session: Session,
    clock: Clock,
    officer: Officer,
    token: str,
    *subjects: TokenSubject,
) -> ActionToken:
    """The row `token` names, if it is addressed to `officer`, unexpired and about one of
    `subjects`; `InvalidButton` otherwise."""
    if len(token) != LENGTH or not all(ch in ALPHABET for ch in token):
        raise InvalidButton()
    row = session.exec(select(ActionToken).where(ActionToken.token == token)).first()
    if (
        row is None
        or row.officer_id != officer.id
        or row.expires_at <= clock.now()
        or row.subject not in subjects
    ):
        raise InvalidButton()
    return row
