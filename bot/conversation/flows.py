"""The flow in progress in one chat (waiting for a blocker's reason, an extension date, a
percent, which task of a digest, the admin's import confirmation), kept in `ChatState` with an
expiry, so that a restart loses nothing and another replica can answer the next message."""

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum
from typing import Final

from sqlmodel import Session, select

from bot.conversation.incoming import ChatUser
from models import ChatState
from services.clock import Clock

LIFETIME: Final = timedelta(minutes=30)
IMPORT_LIFETIME: Final = timedelta(hours=24)


class Flow(StrEnum):
    """What the bot is waiting for in a chat."""

    PROGRESS = "progress"
    BLOCKER = "blocker"
    EXTENSION = "extension"
    SNOOZE = "snooze"
    WHICH = "which"
    IMPORT = "import"


@dataclass(frozen=True, slots=True)
class Waiting:
    """A flow in progress and its data."""

    id: int
    flow: Flow
    data: dict[str, object]


def current(session: Session, clock: Clock, user: ChatUser) -> Waiting | None:
    """The chat's unexpired flow, if any."""
    state = _row(session, user)
    if state is None or state.expires_at <= clock.now():
        return None
    try:
        flow = Flow(state.flow)
    except ValueError:
        return None
    assert state.id is not None
    return Waiting(id=state.id, flow=flow, data=dict(state.data))


def start(
    session: Session,
    clock: Clock,
    user: ChatUser,
    flow: Flow,
    data: dict[str, object],
    *,
    lifetime: timedelta = LIFETIME,
) -> int:
    """Wait for `flow` in this chat (replacing any other), committed; returns the state's id."""
    now = clock.now()
    state = _row(session, user) or ChatState(
        channel=user.channel,
        chat_id=user.chat_id,
        user_id=user.user_id,
        flow=flow.value,
        expires_at=now,
        updated_at=now,
    )
    state.flow = flow.value
    state.data = data
    state.expires_at = now + lifetime
    state.updated_at = now
    session.add(state)
    session.commit()
    assert state.id is not None
    return state.id


def finish(session: Session, user: ChatUser) -> None:
    """Forget the chat's flow (committed)."""
    state = _row(session, user)
    if state is not None:
        session.delete(state)
        session.commit()


def _row(session: Session, user: ChatUser) -> ChatState | None:
    return session.exec(
        select(ChatState).where(
            ChatState.channel == user.channel,
            ChatState.chat_id == user.chat_id,
            ChatState.user_id == user.user_id,
        )
    ).first()
