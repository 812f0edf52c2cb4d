"""What every handler reaches through its context: the conversation layer and its helpers."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Final

from telegram.ext import CallbackContext, ExtBot

from bot.conversation.incoming import ChatUser, ConversationHandler

LocaleOf = Callable[[ChatUser], Awaitable[str]]
"""The language to answer a chat user in (their officer's locale, or the default)."""

WIRING_KEY: Final = "dondoc"


@dataclass(frozen=True, slots=True)
class Wiring:
    """Handed to the handlers by `build_application`, kept in `bot_data`."""

    conversation: ConversationHandler
    locale_of: LocaleOf
    max_file_bytes: int
    webhook_url: str | None = None
    secret: str | None = None


class DondocContext(CallbackContext[ExtBot[int], dict[Any, Any], dict[Any, Any], dict[Any, Any]]):
    """PTB's context with dondoc's wiring, typed."""

    @property
    def wiring(self) -> Wiring:
        """The conversation layer and its helpers, as `build_application` registered them."""
        wiring = self.bot_data[WIRING_KEY]
        assert isinstance(wiring, Wiring)
        return wiring
