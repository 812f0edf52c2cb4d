"""Replies onto Telegram: `deliver` for the handlers, `TelegramSender` for the dispatcher.

`deliver` renders a `Reply` in the reader's language and sends it (or edits the message it names
in place); `TelegramSender` adds what the outbox needs to know when that fails: whether to try
again (429 with its retry_after, 5xx, timeouts) or to give up on the chat (blocked, gone).
"""

import logging
from datetime import timedelta
from typing import Final

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message
from telegram.constants import MessageLimit
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter

from bot.telegram.keyboards import inline_keyboard
from jobs.senders import PermanentSendError, Recipient, TransientSendError
from services.messages import Attachment, Reply, render_lines

logger = logging.getLogger(__name__)

TEXT_LIMIT: Final = int(MessageLimit.MAX_TEXT_LENGTH)
CAPTION_LIMIT: Final = int(MessageLimit.CAPTION_LENGTH)
_CHAT_GONE: Final = ("chat not found", "user not found", "peer_id_invalid")
_EDIT_IMPOSSIBLE: Final = ("message to edit not found", "message can't be edited")
_NOT_MODIFIED: Final = "message is not modified"


async def deliver(bot: Bot, chat_id: int | str, locale: str, reply: Reply) -> str:
    """Send (or edit in place) `reply` in `chat_id`; return the id of the message that carries
    its buttons. Telegram errors are raised as PTB raises them."""
    text = render_lines(locale, reply)
    markup = inline_keyboard(reply, locale)
    if reply.edit_of is not None and reply.edit_of.isdecimal() and reply.attachment is None:
        edited = await _edit(bot, chat_id, int(reply.edit_of), text, markup)
        if edited is not None:
            return edited
    if reply.attachment is not None:
        return await _send_attachment(bot, chat_id, text, markup, reply.attachment)
    if not text:
        raise ValueError("a reply needs text or an attachment")
    return await _send_text(bot, chat_id, text, markup)


class TelegramSender:
    """The dispatcher's `Sender` for Telegram identities."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver `reply` to the officer's chat; raise what the outbox should do about a
        failure (`TransientSendError`, `PermanentSendError`)."""
        try:
            return await deliver(self._bot, _chat(recipient.chat_id), recipient.locale, reply)
        except RetryAfter as error:
            delay = _seconds(error)
            logger.warning("officer %d: rate limited, retry in %.0fs", recipient.officer_id, delay)
            raise TransientSendError("rate limited", retry_after=delay) from error
        except Forbidden as error:
            logger.warning("officer %d: Telegram refuses the chat", recipient.officer_id)
            raise PermanentSendError(str(error)) from error
        except BadRequest as error:
            if _says(error, _CHAT_GONE):
                logger.warning("officer %d: Telegram chat not found", recipient.officer_id)
                raise PermanentSendError(str(error)) from error
            raise
        except NetworkError as error:  # TimedOut, 5xx and connection errors are NetworkErrors
            logger.warning("officer %d: Telegram unreachable: %s", recipient.officer_id, error)
            raise TransientSendError(str(error)) from error


async def _edit(
    bot: Bot, chat_id: int | str, message_id: int, text: str, markup: InlineKeyboardMarkup | None
) -> str | None:
    try:
        await bot.edit_message_text(
            _shorten(text, TEXT_LIMIT), chat_id=chat_id, message_id=message_id, reply_markup=markup
        )
    except BadRequest as error:
        if _says(error, (_NOT_MODIFIED,)):
            return str(message_id)
        if _says(error, _EDIT_IMPOSSIBLE):
            return None  # too old or deleted: say it anew
        raise
    return str(message_id)


async def _send_text(
    bot: Bot, chat_id: int | str, text: str, markup: InlineKeyboardMarkup | None
) -> str:
    chunks = _split(text, TEXT_LIMIT)
    message: Message | None = None
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        message = await bot.send_message(chat_id, chunk, reply_markup=markup if last else None)
    assert message is not None
    return str(message.message_id)


async def _send_attachment(
    bot: Bot, chat_id: int | str, text: str, markup: InlineKeyboardMarkup | None, file: Attachment
) -> str:
    caption: str | None = text or None
    if text and len(text) > CAPTION_LIMIT:
        await _send_text(bot, chat_id, text, None)
        caption = None
    upload = InputFile(file.content, filename=file.file_name)
    if file.media_type.startswith("image/"):
        message = await bot.send_photo(chat_id, upload, caption=caption, reply_markup=markup)
    else:
        message = await bot.send_document(chat_id, upload, caption=caption, reply_markup=markup)
    return str(message.message_id)


def _split(text: str, limit: int) -> list[str]:
    """`text` in pieces of at most `limit` characters, cut at line ends where possible."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            candidate = line
        current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def _chat(chat_id: str) -> int | str:
    """Telegram's numeric chat id, or a public `@username` as it stands."""
    return int(chat_id) if chat_id.lstrip("-").isdecimal() else chat_id


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _says(error: BadRequest, phrases: tuple[str, ...]) -> bool:
    message = error.message.lower()
    return any(phrase in message for phrase in phrases)


def _seconds(error: RetryAfter) -> float:
    value = error.retry_after  # a timedelta under PTB_TIMEDELTA=1, an int (deprecated) otherwise
    return value.total_seconds() if isinstance(value, timedelta) else float(value)
