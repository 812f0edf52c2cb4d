"""Zalo's updates as typed values (`docs/spec/zalo.md` §1.3): the JSON stops here.

An update is `{"event_name": "message.text.received", "message": {message_id, date, from, chat,
text | photo_url | sticker …}}`, from getUpdates or POSTed to the webhook. The webhook body may
come wrapped as `{"ok": true, "result": {…}}` or bare (sources disagree): both are accepted.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

_MILLISECONDS: Final = 10**11  # a `date` above this is in milliseconds (documented), else seconds


class Event(StrEnum):
    """The kinds of update the Bot Platform sends."""

    TEXT = "message.text.received"
    IMAGE = "message.image.received"
    STICKER = "message.sticker.received"
    VOICE = "message.voice.received"
    UNSUPPORTED = "message.unsupported.received"


@dataclass(frozen=True, slots=True)
class ZaloMessage:
    """One message a person sent the bot."""

    event: str
    message_id: str
    chat_id: str
    user_id: str
    display_name: str | None = None
    is_group: bool = False
    from_bot: bool = False
    text: str | None = None
    photo_url: str | None = None
    sent_at: datetime | None = None


def unwrap(body: object) -> dict[str, Any] | None:
    """The update in a webhook body or getUpdates result, wrapped or bare; None if it is none."""
    if not isinstance(body, dict):
        return None
    update: dict[str, Any] = body
    if update.get("ok") is True and isinstance(update.get("result"), dict):
        update = update["result"]
    if not isinstance(update.get("event_name"), str):
        return None
    return dict(update)


def dedupe_key(update: Mapping[str, Any]) -> str:
    """What makes an update the same update when it comes again: its message id (a digest of
    the whole update when it has none)."""
    message = update.get("message")
    if isinstance(message, dict) and message.get("message_id"):
        return f"m:{message['message_id']}"[:200]
    canonical = json.dumps(update, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return f"h:{hashlib.sha256(canonical).hexdigest()}"


def parse_message(update: Mapping[str, Any]) -> ZaloMessage | None:
    """The message an update carries, or None when it carries none we can read."""
    message = update.get("message")
    event = update.get("event_name")
    if not isinstance(message, dict) or not isinstance(event, str):
        return None
    sender = message.get("from")
    chat = message.get("chat")
    if not isinstance(sender, dict) or sender.get("id") in (None, ""):
        return None
    chat_id = chat.get("id") if isinstance(chat, dict) else None
    chat_type = chat.get("chat_type") if isinstance(chat, dict) else None
    name = sender.get("display_name") or sender.get("name")
    text = message.get("text") if event == Event.TEXT else message.get("caption")
    photo = message.get("photo_url") or message.get("photo") if event == Event.IMAGE else None
    return ZaloMessage(
        event=event,
        message_id=str(message.get("message_id") or ""),
        chat_id=str(chat_id or sender["id"]),  # a private chat's id is the user's
        user_id=str(sender["id"]),
        display_name=name if isinstance(name, str) and name.strip() else None,
        is_group=str(chat_type or "").upper() == "GROUP",
        from_bot=sender.get("is_bot") is True,
        text=text if isinstance(text, str) and text.strip() else None,
        photo_url=photo if isinstance(photo, str) and photo.strip() else None,
        sent_at=_when(message.get("date")),
    )


def _when(value: object) -> datetime | None:
    if not isinstance(value, int | float) or isinstance(value, bool) or value <= 0:
        return None
    try:
        seconds = value / 1000 if value > _MILLISECONDS else value
        return datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):  # a year past 9999, or beyond the platform's
        return None
