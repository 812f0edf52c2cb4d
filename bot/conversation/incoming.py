"""What a channel hands the conversation layer: who wrote, and what (text, a button, a file)."""

from dataclasses import dataclass
from typing import Protocol

from models.enums import Channel
from services.messages import Action, Reply


@dataclass(frozen=True, slots=True)
class ChatUser:
    """The person writing, as the channel knows them."""

    channel: Channel
    user_id: str
    chat_id: str
    display_name: str | None = None
    language_code: str | None = None
    is_private: bool = True  # a one-to-one chat with the bot, not a group or a channel


@dataclass(frozen=True, slots=True)
class Press:
    """A button pressed (or, on Zalo, a numbered choice answered): action + server-side token."""

    action: Action
    token: str


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A document or photo sent in the chat (a plan to import, evidence for a task)."""

    file_name: str
    content: bytes
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One update: text, a press or a file; `reply_to` is the platform id of the message the
    user answered (a reminder), when the channel tells."""

    user: ChatUser
    text: str | None = None
    press: Press | None = None
    file: IncomingFile | None = None
    reply_to: str | None = None
    message_id: str | None = None


class ConversationHandler(Protocol):
    """The conversation layer as the channels see it."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one update with the replies for the same chat (others are told via the
        outbox)."""
        ...
