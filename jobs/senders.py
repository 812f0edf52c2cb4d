"""What the dispatcher needs of a channel: deliver one rendered reply to one chat.

Each channel (`bot/telegram`, `bot/zalo`, `bot/web`) implements `Sender`, as does the recording
sender of `dondoc simulate` (`jobs/recording.py`); the composition root hands the dispatcher one
per channel. Errors say how to retry.
"""

from dataclasses import dataclass
from typing import Protocol

from services.messages import Reply


class SendError(Exception):
    """Delivery failed."""


class TransientSendError(SendError):
    """Try again later (429, 5xx, timeout); `retry_after` seconds when the platform says."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """The platform refuses this chat for good (the user blocked the bot, the chat is gone)."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where and how to say it: the chat on that channel, and the officer's language."""

    officer_id: int
    chat_id: str
    locale: str


class Sender(Protocol):
    """Delivers replies on one channel."""

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver `reply` and return the platform's message id."""
        ...
