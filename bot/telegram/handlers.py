"""Thin handlers: an `Update` becomes an `Incoming`, the conversation answers, replies go back.

They do not know what a task is, who may close it, or what the answers say.
"""

import logging
from typing import Final

from telegram import Message, PhotoSize, Update
from telegram.constants import ChatType
from telegram.error import TelegramError

from bot.conversation.incoming import ChatUser, Incoming, IncomingFile
from bot.telegram.callbacks import parse_data
from bot.telegram.context import DondocContext
from bot.telegram.sender import deliver
from locales import DEFAULT_LOCALE, N_, translate
from models.enums import Channel
from services.messages import Reply

logger = logging.getLogger(__name__)

SOMETHING_WENT_WRONG: Final = N_("Sorry, something went wrong on my side. Please try again later.")
BUTTON_UNUSABLE: Final = N_("This button no longer works.")
FILE_TOO_BIG: Final = N_("This file is too big: I can read files of up to {limit} MB.")


async def on_message(update: Update, context: DondocContext) -> None:
    """A message in a chat with the bot: text (commands included), a document or a photo."""
    message = update.message
    user = chat_user(update)
    if message is None or user is None:
        return
    text = message.text if message.text is not None else message.caption
    if text is not None and _is_for_another_bot(text, context.bot.username):
        return
    wiring = context.wiring
    try:
        file = await _incoming_file(message, wiring.max_file_bytes)
    except _TooBig:
        limit = wiring.max_file_bytes // (1024 * 1024)
        locale = await wiring.locale_of(user)
        await message.reply_text(translate(locale, FILE_TOO_BIG, limit=limit))
        return
    if text is None and file is None:
        return
    replied = message.reply_to_message
    incoming = Incoming(
        user=user,
        text=None if text is None else _without_mention(text, context.bot.username),
        file=file,
        reply_to=None if replied is None else str(replied.message_id),
        message_id=str(message.message_id),
    )
    await _answer(context, user, message.chat_id, await wiring.conversation.handle(incoming))


async def on_button(update: Update, context: DondocContext) -> None:
    """A button under one of the bot's messages was pressed (✅ 📊 🚧 📅 ⏰ …)."""
    query = update.callback_query
    user = chat_user(update)
    if query is None or query.data is None or user is None:
        return
    wiring = context.wiring
    press = parse_data(query.data)
    if press is None:
        logger.warning("update %d: callback data of an unknown shape", update.update_id)
        await query.answer(translate(await wiring.locale_of(user), BUTTON_UNUSABLE))
        return
    await query.answer()  # Telegram expects every press to be answered
    carrier = query.message
    incoming = Incoming(
        user=user, press=press, message_id=None if carrier is None else str(carrier.message_id)
    )
    await _answer(context, user, int(user.chat_id), await wiring.conversation.handle(incoming))


async def on_error(update: object, context: DondocContext) -> None:
    """Anything a handler did not expect: the traceback to the log, one line to the person."""
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("update %s failed", update_id, exc_info=context.error)
    user = chat_user(update) if isinstance(update, Update) else None
    if user is None:
        return
    try:
        locale = await context.wiring.locale_of(user)
    except Exception:  # the lookup may be what failed; the apology must still go out
        logger.exception("update %s: no locale for the apology", update_id)
        locale = DEFAULT_LOCALE
    try:
        if isinstance(update, Update) and update.callback_query is not None:
            await update.callback_query.answer()
        await context.bot.send_message(int(user.chat_id), translate(locale, SOMETHING_WENT_WRONG))
    except TelegramError:
        logger.warning("update %s: could not apologise", update_id, exc_info=True)


def chat_user(update: Update) -> ChatUser | None:
    """Who wrote, and in which chat, as the conversation layer names them."""
    person = update.effective_user
    chat = update.effective_chat
    if person is None or chat is None or person.is_bot:
        return None
    return ChatUser(
        channel=Channel.TELEGRAM,
        user_id=str(person.id),
        chat_id=str(chat.id),
        display_name=person.full_name,
        language_code=person.language_code,
        is_private=chat.type == ChatType.PRIVATE,
    )


async def _answer(
    context: DondocContext, user: ChatUser, chat_id: int, replies: list[Reply]
) -> None:
    if not replies:
        return
    locale = await context.wiring.locale_of(user)  # after handling: /lang may have changed it
    for reply in replies:
        await deliver(context.bot, chat_id, locale, reply)


class _TooBig(Exception):
    """The file is over the size the bot reads."""


async def _incoming_file(message: Message, max_bytes: int) -> IncomingFile | None:
    document = message.document
    photo: PhotoSize | None = message.photo[-1] if message.photo else None
    if document is not None:
        file_id, size = document.file_id, document.file_size
        name = document.file_name or f"document-{document.file_unique_id}"
        media_type = document.mime_type
    elif photo is not None:
        file_id, size = photo.file_id, photo.file_size
        name, media_type = f"photo-{photo.file_unique_id}.jpg", "image/jpeg"
    else:
        return None
    if size is not None and size > max_bytes:
        raise _TooBig
    remote = await message.get_bot().get_file(file_id)
    content = bytes(await remote.download_as_bytearray())
    if len(content) > max_bytes:
        raise _TooBig
    return IncomingFile(file_name=name, content=content, media_type=media_type)


def _is_for_another_bot(text: str, username: str) -> bool:
    """`/viec@otherbot` in a group is not ours to answer."""
    if not text.startswith("/"):
        return False
    command = text.split(maxsplit=1)[0]
    _, at, addressee = command.partition("@")
    return bool(at) and addressee.lower() != username.lower()


def _without_mention(text: str, username: str) -> str:
    """`/viec@dondoc_bot 2` -> `/viec 2`: the conversation layer reads bare commands."""
    if not text.startswith("/"):
        return text
    command, space, rest = text.partition(" ")
    suffix = f"@{username}"
    if command.lower().endswith(suffix.lower()):
        command = command[: -len(suffix)]
    return f"{command}{space}{rest}"
