"""Callback data of inline buttons: `"<action>:<token>"`, at most 64 bytes.

The token names a server-side row that the conversation layer looks up and authorises; nothing
here is trusted beyond its shape. Data of any other shape is refused before it goes further.
"""

import re
from typing import Final

from bot.conversation.incoming import Press
from services.messages import Action, Button

MAX_BYTES: Final = 64  # Telegram's limit for callback_data
_SHAPE: Final = re.compile(r"(?P<action>[a-z]+):(?P<token>[A-Za-z0-9_-]+)")
_ACTIONS: Final = frozenset(action.value for action in Action)


class CallbackDataTooLong(ValueError):
    """A button's action and token do not fit in Telegram's 64 bytes."""


def format_data(button: Button) -> str:
    """The callback data of `button`."""
    data = f"{button.action.value}:{button.token}"
    if len(data.encode("utf-8")) > MAX_BYTES or parse_data(data) is None:
        raise CallbackDataTooLong(f"callback data for {button.action.value} is not usable")
    return data


def parse_data(data: str) -> Press | None:
    """The press that `data` stands for, or None when it is not of our shape."""
    if len(data.encode("utf-8")) > MAX_BYTES:
        return None
    match = _SHAPE.fullmatch(data)
    if match is None or match["action"] not in _ACTIONS:
        return None
    return Press(Action(match["action"]), match["token"])
