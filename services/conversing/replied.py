"""What a message replied to is about: the tasks of the reminder an officer answered, the
extension request the chair answered. Only messages sent to the person asking, on the channel
they write from, and only buttons addressed to them, count."""

from sqlmodel import Session, col, select

from models import ActionToken, Channel, Officer, Outbox, TokenSubject
from services.access import SIGNED, signed_token
from services.clock import Clock
from services.messages import Reply
from services.tracking import queries


def replied_tokens(
    session: Session,
    clock: Clock,
    actor: Officer,
    subject: TokenSubject,
    *,
    channel: Channel,
    message_id: str,
) -> list[ActionToken]:
    """The live tokens of `subject` addressed to `actor` in message `message_id` (sent to them
    on `channel`), in the order the message shows them."""
    rows = session.exec(
        select(Outbox).where(
            Outbox.platform_message_id == message_id,
            Outbox.officer_id == actor.id,
            Outbox.channel == channel,
        )
    ).all()
    tokens = list(dict.fromkeys(token for row in rows for token in _tokens_in(row.payload)))
    if not tokens:
        return []
    stored = [token for token in tokens if not SIGNED.fullmatch(token)]
    found = list(
        session.exec(
            select(ActionToken).where(
                col(ActionToken.token).in_(stored),
                ActionToken.officer_id == actor.id,
                ActionToken.subject == subject,
                col(ActionToken.expires_at) > clock.now(),
            )
        ).all()
        if stored
        else []
    )
    for token in tokens:
        if SIGNED.fullmatch(token):
            row = signed_token(session, clock, actor, token)
            if row is not None and row.subject is subject:
                found.append(row)
    return sorted(found, key=lambda row: tokens.index(row.token))


def tasks_replied_to(
    session: Session, clock: Clock, actor: Officer, *, channel: Channel, message_id: str
) -> list[int]:
    """The occurrences of the reminder `message_id`, the open ones when any is open."""
    ids: list[int] = []
    for row in replied_tokens(
        session, clock, actor, TokenSubject.OCCURRENCE, channel=channel, message_id=message_id
    ):
        if row.occurrence_id is not None and row.occurrence_id not in ids:
            ids.append(row.occurrence_id)
    open_ = {item.occurrence_id for item in queries.items(session, actor)}
    return [i for i in ids if i in open_] or ids


def _tokens_in(payload: object) -> list[str]:
    """Every button token a message's payload carries (a reply's buttons, a digest's items)."""
    if isinstance(payload, dict) and "lines" in payload:
        return list(Reply.from_json(payload).tokens())
    found: list[str] = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key == "token" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_tokens_in(value))
    elif isinstance(payload, list):
        for value in payload:
            found.extend(_tokens_in(value))
    return found
