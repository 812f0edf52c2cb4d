"""The flow in progress in one chat (waiting for a blocker's reason, an extension date, a
percent, which task, the admin's import confirmation), kept in `ChatState` with an expiry, so
that a restart loses nothing and another replica can answer the next message.

Lifetimes run on real time (`wall`), never on an accelerated demo clock: a person answering the
bot's question takes the same minutes whatever the simulated date. Nothing here commits; the
conversation commits once per turn.
"""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Final

from sqlmodel import Session, select

from models import Channel, ChatState
from services.clock import Clock

LIFETIME: Final = timedelta(minutes=30)


class Flow(StrEnum):
    """What the bot is waiting for in a chat."""

    PROGRESS = "progress"
    BLOCKER = "blocker"
    EXTENSION = "extension"
    SNOOZE = "snooze"
    WHICH = "which"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class ChatKey:
    """One person in one chat of one channel."""

    channel: Channel
    chat_id: str
    user_id: str


@dataclass(frozen=True, slots=True)
class Waiting:
    """A flow in progress and its data."""

    id: int
    flow: Flow
    data: dict[str, object]


def current(session: Session, wall: Clock, chat: ChatKey) -> Waiting | None:
    """The chat's unexpired flow, if any."""
    state = _row(session, chat)
    if state is None or state.expires_at <= wall.now():
        return None
    try:
        flow = Flow(state.flow)
    except ValueError:
        return None
    assert state.id is not None
    return Waiting(id=state.id, flow=flow, data=dict(state.data))


def start(
    session: Session,
    wall: Clock,
    chat: ChatKey,
    flow: Flow,
    data: dict[str, object],
    *,
    lifetime: timedelta = LIFETIME,
) -> int:
    """Wait for `flow` in this chat (replacing any other), flushed; returns the state's id."""
    now = wall.now()
    state = _row(session, chat) or ChatState(
        channel=chat.channel,
        chat_id=chat.chat_id,
        user_id=chat.user_id,
        flow=flow.value,
        expires_at=now,
        updated_at=now,
    )
    state.flow = flow.value
    state.data = data
    state.expires_at = now + lifetime
    state.updated_at = now
    session.add(state)
    session.flush()
    assert state.id is not None
    return state.id


def finish(session: Session, chat: ChatKey) -> None:
    """Forget the chat's flow (flushed)."""
    state = _row(session, chat)
    if state is not None:
        session.delete(state)
        session.flush()


def _row(session: Session, chat: ChatKey) -> ChatState | None:
    return session.exec(
        select(ChatState).where(
            ChatState.channel == chat.channel,
            ChatState.chat_id == chat.chat_id,
            ChatState.user_id == chat.user_id,
        )
    ).first()
