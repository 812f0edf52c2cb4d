"""Talking to `Conversation.handle` as the ward's people do, on Telegram with no platform: who
says what (`text`, `press`), what the bot answered (`msgids`), and the reminders a reply or a
press refers to (`token_for`, `sent_reminder`)."""

from functools import cache

from babel.messages.pofile import read_po
from sqlmodel import Session, select

from bot.conversation.incoming import ChatUser, Incoming, Press
from locales import po_path
from models import (
    Channel,
    EventKind,
    Occurrence,
    Officer,
    Outbox,
    OutboxKind,
    Task,
    TaskEvent,
    TaskStatus,
    TokenSubject,
)
from services.access import issue_token
from services.clock import Clock
from services.messages import Action, Reply
from tests.support.ward import Ward

TG = Channel.TELEGRAM


def user(key: str) -> ChatUser:
    """The Telegram account named `key` (its user and chat ids)."""
    return ChatUser(channel=TG, user_id=key, chat_id=key)


def text(who: str, words: str, *, reply_to: str | None = None) -> Incoming:
    """`who` writes `words` (in reply to message `reply_to`)."""
    return Incoming(user=user(who), text=words, reply_to=reply_to)


def press(who: str, action: Action, token: str, *, message_id: str | None = None) -> Incoming:
    """`who` presses a button (under message `message_id`)."""
    return Incoming(user=user(who), press=Press(action, token), message_id=message_id)


@cache
def _vietnamese() -> frozenset[str]:
    with po_path("vi").open("rb") as po_file:
        return frozenset(m.id for m in read_po(po_file) if isinstance(m.id, str) and m.string)


def msgids(replies: list[Reply]) -> list[str]:
    """The msgids of the replies' lines; each line and button label must be in Vietnamese."""
    texts = [line for reply in replies for line in reply.lines]
    texts += [button.label for reply in replies for button in reply.all_buttons()]
    missing = [text.msgid for text in texts if text.msgid not in _vietnamese()]
    assert not missing, missing
    return [line.msgid for reply in replies for line in reply.lines]


def as_stored(fresh: Session, task: Task) -> tuple[TaskStatus, int]:
    """`task`'s status and progress as stored now (read again, not from the session's cache)."""
    fresh.expire_all()
    found = fresh.get(Task, task.id)
    assert found is not None
    return found.status, found.progress


def occurrence_of(session: Session, task: Task) -> int:
    """The id of `task`'s (first) occurrence."""
    row = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).first()
    assert row is not None
    assert row.id is not None
    return row.id


def bound(ward: Ward) -> None:
    """Minh, Tuấn, Lan and Hà each bound to a Telegram chat named after them."""
    for key in ("minh", "tuan", "lan", "ha"):
        ward.bind(ward.officer(key), user_id=key)


def events(session: Session, kind: EventKind) -> list[TaskEvent]:
    """Every event of `kind`."""
    return list(session.exec(select(TaskEvent).where(TaskEvent.kind == kind)))


def token_for(session: Session, clock: Clock, officer: Officer, task: Task) -> str:
    """A button token for `officer` on `task`'s occurrence, as a reminder carries."""
    token = issue_token(
        session,
        clock,
        officer,
        TokenSubject.OCCURRENCE,
        occurrence_id=occurrence_of(session, task),
    )
    session.commit()
    return token


def sent_reminder(
    session: Session,
    clock: Clock,
    officer: Officer,
    payload: dict[str, object],
    sent_as: str,
    *,
    channel: Channel = TG,
) -> None:
    """A digest to `officer`, recorded as sent as message `sent_as` on `channel`."""
    assert officer.id is not None
    session.add(
        Outbox(
            organization_id=officer.organization_id,
            officer_id=officer.id,
            channel=channel,
            kind=OutboxKind.DIGEST,
            payload=payload,
            idempotency_key=f"test:{channel}:{sent_as}",
            scheduled_for=clock.now(),
            created_at=clock.now(),
            platform_message_id=sent_as,
        )
    )
    session.commit()
