"""One turn of a conversation, frozen: who is writing, from which chat, what they wrote or
pressed, what it replies to, what the chat is waiting for, the meaning of the text (classified
once), and the two clocks: `clock` dates what happens (it may be an accelerated demo clock),
`wall` measures how long people take to answer (flows, undo), always real time."""

from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from bot.conversation.incoming import Incoming
from bot.conversation.intents import Intent
from locales import DEFAULT_LOCALE
from models import Channel, Officer
from services.clock import Clock
from services.conversing.flows import ChatKey, Waiting


@dataclass(frozen=True, slots=True)
class ConversationSettings:
    """What the conversation needs from the configuration."""

    bot_username: str | None
    evidence_dir: Path
    default_locale: str = DEFAULT_LOCALE


@dataclass(frozen=True, slots=True)
class Turn:
    """Everything a handler may know about the update it answers."""

    session: Session
    clock: Clock
    wall: Clock
    settings: ConversationSettings
    incoming: Incoming
    actor: Officer
    chat: ChatKey
    text: str
    intent: Intent
    waiting: Waiting | None

    @property
    def via(self) -> Channel:
        """The channel the person writes from."""
        return self.incoming.user.channel

    @property
    def reply_to(self) -> str | None:
        """The platform id of the message answered, if any."""
        return self.incoming.reply_to
