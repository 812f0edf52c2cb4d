"""Who is acting, and what they may see and do: every use case asks here first.

An officer acts on the tasks their units lead or coordinate (and on those assigned to them by
name or to "all units"); the chair and the admin on every task of their organization; nobody
sees another organization. "Not yours" reads as "not found", so nothing leaks.

The tokens a button carries are checked here too (the second half of this module): a press is
acted on only for the officer the button was made for, and only after the use case authorises
the row again.

Button tokens: the one scheme every button of dondoc uses (reminders, notices, replies).

A button's callback data is `"<action>:<token>"` (at most 64 bytes on Telegram). The token is a
random 10-character id naming an `ActionToken` row; the row says *what* the button is about
(an occurrence, an extension request, a blocker, an import draft, a page of a list) and *whom*
it is addressed to. Nothing in the callback data is trusted:

- `redeem_token` refuses an unknown token, an expired one, one addressed to someone else (a
  forwarded message pressed by a colleague), and one about another kind of row (`InvalidButton`);
- the use case then authorises the row again with `access_*`, so a token for a task that has since
  moved to another unit is refused too.

A use case issues one token per (message, occurrence, officer):

    token = issue_token(session, clock, officer, TokenSubject.OCCURRENCE, occurrence_id=occ.id)
    notify(session, clock.now(), officer, key=..., lines=[...], buttons=task_buttons(token))

and the conversation layer answers the press (`Action.DONE`, `PROGRESS`, `BLOCKER`, `EXTEND`,
`SNOOZE`) for that occurrence. Tokens are never logged.

The reminder scan, which writes a thousand buttons at 07:30, signs them instead of storing them
(`sign_occurrence`): `"<occurrence>-<expiry>-<mac>"` (base 36, then 16 characters of a keyed
BLAKE2b over the subject, ward, officer, occurrence and expiry, 96 bits). The key is the ward's
(`TokenKey`, 32 random bytes), so a signed token is as unguessable as a stored one, valid only
for the officer it was made for in that ward, until its expiry (the same 60 days), and
`revoke_signed_tokens` revokes all of a ward's at once. `redeem_token` answers both kinds alike.
"""

import base64
import hashlib
import re
import secrets
import string
from collections.abc import Callable, Collection, Iterable
from datetime import UTC, datetime, timedelta
from typing import Final, TypeVar

from sqlalchemy import ColumnElement, and_, delete, or_
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from models import (
    ActionToken,
    Channel,
    ChannelIdentity,
    Occurrence,
    Officer,
    OfficerUnit,
    Plan,
    Role,
    Task,
    TaskAssignment,
    TokenKey,
    TokenSubject,
    Unit,
    UnitKind,
)
from services.clock import Clock
from services.errors import AdminOnly, InvalidButton, NotAllowed, OfficerNotFound, TaskNotFound
from services.reminding.batches import insert_ignoring, rows_among, table_of

MANAGERS = frozenset((Role.CHAIR, Role.ADMIN))

T = TypeVar("T")


def is_manager(actor: Officer) -> bool:
    """Whether `actor` sees the whole organization (the chair, the admins)."""
    return actor.role in MANAGERS and actor.active


def require_manager(actor: Officer) -> None:
    """Refuse anyone but the chair and the admins."""
    if not is_manager(actor):
        raise NotAllowed()


def require_admin(actor: Officer) -> None:
    """Refuse anyone but the admins."""
    if actor.role is not Role.ADMIN or not actor.active:
        raise AdminOnly()


def managers_of(session: Session, organization_id: int) -> list[Officer]:
    """The active chair(s) and admins of an organization, who hear of what its people do."""
    return list(
        session.exec(
            select(Officer)
            .where(
                Officer.organization_id == organization_id,
                col(Officer.role).in_(list(MANAGERS)),
                col(Officer.active).is_(True),
            )
            .order_by(col(Officer.id))
        )
    )


def managing(managers: Iterable[tuple[Role, T]]) -> tuple[list[T], list[T]]:
    """Who manages a ward, from its active chairs and admins as (role, who): the one rule.

    Returns who hears what is for the chair (escalations, the weekly summary, a task done) and
    who hears what is for the admins (tasks waiting for a lead, units nobody can be reminded
    for, a parked update). A ward with no chair tells its admins instead, one with no admin its
    chairs: what is meant for a manager always reaches one while the ward has any."""
    found = list(managers)
    chairs = [who for role, who in found if role is Role.CHAIR]
    admins = [who for role, who in found if role is Role.ADMIN]
    return chairs or admins, admins or chairs


def chairs_of(session: Session, organization_id: int) -> list[Officer]:
    """Who hears what is for the chair: the active chairs, else the admins (`managing`)."""
    return managing((p.role, p) for p in managers_of(session, organization_id))[0]


def admins_of(session: Session, organization_id: int) -> list[Officer]:
    """Who hears what is for the admins: the active admins, else the chairs (`managing`)."""
    return managing((p.role, p) for p in managers_of(session, organization_id))[1]


def unit_ids_of(session: Session, officer: Officer) -> list[int]:
    """The units `officer` belongs to."""
    return list(
        session.exec(select(OfficerUnit.unit_id).where(OfficerUnit.officer_id == officer.id))
    )


def visible_tasks(session: Session, actor: Officer) -> ColumnElement[bool]:
    """A condition on `Task` (joined to its `Plan`) that keeps the tasks `actor` may act on."""
    in_org = col(Plan.organization_id) == actor.organization_id
    if not actor.active:
        return and_(in_org, col(Task.id).is_(None))
    if is_manager(actor):
        return in_org
    everyone = select(Unit.id).where(
        Unit.organization_id == actor.organization_id, Unit.kind == UnitKind.ALL
    )
    assigned = select(TaskAssignment.task_id).where(
        or_(
            col(TaskAssignment.unit_id).in_(unit_ids_of(session, actor)),
            col(TaskAssignment.unit_id).in_(everyone),
            col(TaskAssignment.officer_id) == actor.id,
        )
    )
    return and_(in_org, col(Task.id).in_(assigned))


def identify(session: Session, channel: Channel, external_id: str) -> Officer | None:
    """Who is writing: the active officer this chat account is bound to, if any."""
    return session.exec(
        select(Officer)
        .join(ChannelIdentity, col(ChannelIdentity.officer_id) == Officer.id)
        .where(
            ChannelIdentity.channel == channel,
            ChannelIdentity.external_id == external_id,
            col(Officer.active).is_(True),
        )
    ).first()


def access_task(session: Session, actor: Officer, task_id: int) -> Task:
    """Task `task_id` if `actor` may act on it; `TaskNotFound` otherwise."""
    task = session.exec(
        select(Task)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(col(Task.id) == task_id, visible_tasks(session, actor))
    ).first()
    if task is None:
        raise TaskNotFound(ref=str(task_id))
    return task


def access_occurrence(
    session: Session, actor: Officer, occurrence_id: int
) -> tuple[Occurrence, Task]:
    """Occurrence `occurrence_id` and its task if `actor` may act on it; `TaskNotFound`
    otherwise."""
    row = session.exec(
        select(Occurrence, Task)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(col(Occurrence.id) == occurrence_id, visible_tasks(session, actor))
    ).first()
    if row is None:
        raise TaskNotFound(ref=str(occurrence_id))
    return row[0], row[1]


def access_officer(session: Session, actor: Officer, officer_id: int) -> Officer:
    """Officer `officer_id` of the actor's organization (managers only)."""
    require_manager(actor)
    officer = session.get(Officer, officer_id)
    if officer is None or officer.organization_id != actor.organization_id:
        raise OfficerNotFound(name=str(officer_id))
    return officer


# --- button tokens -----------------------------------------------------------------------

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
    if SIGNED.fullmatch(token):
        return _redeem_signed(session, clock, officer, token, subjects)
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


# --- signed tokens -----------------------------------------------------------------------

SIGNED: Final = re.compile(r"([0-9a-z]{1,12})-([0-9a-z]{1,8})-([A-Za-z0-9_-]{16})")
_MAC_BYTES: Final = 12


def _base36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        number, rest = divmod(number, 36)
        out = digits[rest] + out
        if not number:
            return out


def _keyed(key: bytes) -> "hashlib.blake2b":
    """The MAC's hash with the ward's key already taken in: each token copies it (taking the
    key in is a block of hashing of its own)."""
    return hashlib.blake2b(key=key, digest_size=_MAC_BYTES)


def _mac(
    keyed: "hashlib.blake2b",
    organization_id: int,
    officer_id: int,
    occurrence_id: int,
    expires: int,
) -> str:
    hasher = keyed.copy()
    hasher.update(f"occurrence:{organization_id}:{officer_id}:{occurrence_id}:{expires}".encode())
    return base64.urlsafe_b64encode(hasher.digest()).decode("ascii")


def sign_occurrence(
    key: bytes, organization_id: int, officer_id: int, occurrence_id: int, expires_at: datetime
) -> str:
    """A button token for `occurrence_id` addressed to `officer_id` of the ward whose key is
    `key`, valid until `expires_at` (to the second): nothing is stored."""
    return occurrence_signer(key, organization_id, expires_at)(officer_id, occurrence_id)


def occurrence_signer(
    key: bytes, organization_id: int, expires_at: datetime
) -> Callable[[int, int], str]:
    """`sign_occurrence` for the ward whose key is `key`, until `expires_at`: `(officer,
    occurrence) -> token`, what the two have in common worked out once (a scan signs a
    thousand)."""
    expires = int(expires_at.timestamp())
    middle = f"-{_base36(expires)}-"
    keyed = _keyed(key)

    def sign(officer_id: int, occurrence_id: int) -> str:
        mac = _mac(keyed, organization_id, officer_id, occurrence_id, expires)
        return f"{_base36(occurrence_id)}{middle}{mac}"

    return sign


def token_keys(
    session: Session, organization_ids: Collection[int], now: datetime
) -> dict[int, bytes]:
    """The signing keys of these wards, made for those that have none (no commit)."""
    wanted = sorted(set(organization_ids))
    if not wanted:
        return {}
    ward = col(TokenKey.organization_id)
    found = {org: bytes.fromhex(key) for org, key in rows_among(session, _KEYS, ward, wanted)}
    missing = [org for org in wanted if org not in found]
    if missing:
        rows = [
            {"organization_id": org, "key": secrets.token_hex(32), "created_at": now}
            for org in missing
        ]
        insert_ignoring(session, table_of(TokenKey), rows, key="organization_id")
        made = rows_among(session, _KEYS, ward, missing)
        found.update((org, bytes.fromhex(key)) for org, key in made)
    return found


_KEYS: Final = sa_select(col(TokenKey.organization_id), col(TokenKey.key))


def revoke_signed_tokens(session: Session, organization_id: int) -> None:
    """Make every signed button of the ward invalid (its key goes; the next scan makes a new
    one). No commit."""
    session.execute(delete(TokenKey).where(col(TokenKey.organization_id) == organization_id))


def signed_token(
    session: Session, clock: Clock, officer: Officer, token: str
) -> ActionToken | None:
    """What a signed token names, as an (unsaved) `ActionToken`, when it was made for `officer`
    with their ward's current key and has not expired; None otherwise."""
    parts = SIGNED.fullmatch(token)
    if parts is None or officer.id is None:
        return None
    occurrence_id, expires = int(parts[1], 36), int(parts[2], 36)
    stored = session.execute(
        sa_select(col(TokenKey.key)).where(
            col(TokenKey.organization_id) == officer.organization_id
        )
    ).scalar_one_or_none()
    if stored is None:
        return None
    expected = _mac(
        _keyed(bytes.fromhex(stored)), officer.organization_id, officer.id, occurrence_id, expires
    )
    if not secrets.compare_digest(expected, parts[3]):
        return None
    expires_at = datetime.fromtimestamp(expires, UTC)
    if expires_at <= clock.now():
        return None
    subject = TokenSubject.OCCURRENCE
    return ActionToken(
        token=token,
        organization_id=officer.organization_id,
        officer_id=officer.id,
        subject=subject,
        occurrence_id=occurrence_id,
        data={},
        created_at=expires_at - LIFETIMES[subject],
        expires_at=expires_at,
    )


def _redeem_signed(
    session: Session,
    clock: Clock,
    officer: Officer,
    token: str,
    subjects: Collection[TokenSubject],
) -> ActionToken:
    row = signed_token(session, clock, officer, token)
    if row is None or row.subject not in subjects:
        raise InvalidButton()
    return row
