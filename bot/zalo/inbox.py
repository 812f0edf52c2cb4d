"""Inbound Zalo updates: stored first, processed once, in order per chat, answered.

`receive` stores an update (a repeated message id is dropped there) and hands it to a
background task, so that a webhook is acknowledged at once and the poll loop asks for the next
update without waiting. The task turns the update into an `Incoming` — an answer to the last
prompt's numbered choices becomes the `Press` its button would have been — hands it to the
conversation layer and sends the replies back. Updates of one chat are processed one at a time,
in the order they arrived; an update left unprocessed by a stop is processed at the next start,
and parked (its sender's admins told) when its processing has never ended in `MAX_ATTEMPTS` tries.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any, Final

from bot.conversation.incoming import ChatUser, ConversationHandler, Incoming, IncomingFile, Press
from bot.inbound import InFlight
from bot.zalo.choices import ASK_BACK, AskBack, pick
from bot.zalo.client import ZaloApiError, ZaloClient, ZaloError
from bot.zalo.sender import deliver
from bot.zalo.store import ZaloStore
from bot.zalo.updates import Event, ZaloMessage, dedupe_key, parse_message
from locales import DEFAULT_LOCALE, N_, translate
from models.enums import Channel
from services.messages import Reply, Text

logger = logging.getLogger(__name__)

LocaleOf = Callable[[ChatUser], Awaitable[str]]
"""The language to answer a chat user in (their officer's locale, or the default)."""

MAX_FILE_BYTES: Final = 5 * 1024 * 1024  # Zalo's media cap is about 5 MB
MAX_ANSWER_LENGTH: Final = 40  # longer texts are not numbered answers: no lookup for them
SOMETHING_WENT_WRONG: Final = N_("Sorry, something went wrong on my side. Please try again later.")
FILE_TOO_BIG: Final = N_("This file is too big: I can read files of up to {limit} MB.")
FILE_UNREADABLE: Final = N_("I could not download this picture from Zalo. Please send it again.")


class Inbox:
    """Receives updates (from the poll loop or the webhook) and processes them."""

    def __init__(
        self,
        *,
        client: ZaloClient,
        store: ZaloStore,
        conversation: ConversationHandler,
        locale_of: LocaleOf,
        max_file_bytes: int = MAX_FILE_BYTES,
        files_url: str | None = None,
    ) -> None:
        self.client = client
        self.store = store
        self.files_url = files_url
        """The web pages' public address, where a file sent in chat is linked (None: named)."""
        self._conversation = conversation
        self._locale_of = locale_of
        self._max_file_bytes = max_file_bytes
        self._in_flight = InFlight("zalo update")

    async def receive(self, update: dict[str, Any]) -> bool:
        """Store `update` and start processing it; False when it was stored before (a repeat)."""
        row_id = await self.store.record_update(dedupe_key(update), update)
        if row_id is None:
            logger.info("zalo update %s seen before: ignored", dedupe_key(update))
            return False
        self._start(row_id, update)
        return True

    async def replay(self) -> int:
        """Start processing the updates a previous run stored but did not process; how many."""
        pending = await self.store.unprocessed()
        for row_id, update in pending:
            self._start(row_id, update)
        if pending:
            logger.info("zalo: %d stored updates left from the last run", len(pending))
        return len(pending)

    async def drain(self, grace: float = 10.0) -> None:
        """Wait for the updates in progress (up to `grace` s), then cancel what is left."""
        await self._in_flight.drain(grace)

    def _start(self, row_id: int, update: dict[str, Any]) -> None:
        try:
            message = parse_message(update)
        except Exception:  # a shape no test foresaw: answered by nobody, never retried
            logger.exception("zalo update %d could not be read", row_id)
            message = None
        chat = "" if message is None else message.chat_id
        self._in_flight.start(self._in_order(row_id, message), chat=chat)

    async def _in_order(self, row_id: int, message: ZaloMessage | None) -> None:
        sender = None if message is None else message.user_id
        if await self.store.may_process(row_id, sender=sender, named=f"zalo update {row_id}"):
            await self._process(row_id, message)

    async def _process(self, row_id: int, message: ZaloMessage | None) -> None:
        try:
            await self._handle(row_id, message)
        except asyncio.CancelledError:  # stopped midway: kept, processed at the next start
            logger.info("zalo update %d: stopped before it was answered", row_id)
            raise
        await self.store.mark_processed(row_id)

    async def _handle(self, row_id: int, message: ZaloMessage | None) -> None:
        try:
            if message is None or message.from_bot:
                return
            if message.is_group:  # people are reached in private chats only (spec §5.3)
                logger.info("zalo update %d: group chat ignored", row_id)
                return
            if message.event not in (Event.TEXT, Event.IMAGE):
                logger.debug("zalo update %d: %s ignored", row_id, message.event)
                return
            await self._answer(message)
        except ZaloError as error:
            logger.warning("zalo update %d: could not answer (%s)", row_id, error)
        except Exception:  # the one error handler of this channel: log it, apologise
            logger.exception("zalo update %d failed", row_id)
            await self._apologise(message)

    async def _answer(self, message: ZaloMessage) -> None:
        user = ChatUser(
            channel=Channel.ZALO,
            user_id=message.user_id,
            chat_id=message.chat_id,
            display_name=message.display_name,
        )
        incoming = await self._incoming(user, message)
        if incoming is None:
            return
        if isinstance(incoming, AskBack):  # the prompt stays: "số 2" still picks from it
            locale = await self._locale_of(user)
            question = Text(
                ASK_BACK, {"n": incoming.choice.number, "label": incoming.choice.label}
            )
            await deliver(self.client, self.store, user.chat_id, locale, Reply(lines=(question,)))
            return
        replies = await self._conversation.handle(incoming)
        await self._send(user, replies)

    async def _incoming(self, user: ChatUser, message: ZaloMessage) -> Incoming | AskBack | None:
        text = message.text.strip() if message.text is not None else None
        if message.event == Event.IMAGE:
            if message.photo_url is None:
                return None
            file = await self._download(user, message)
            if file is None:
                return None
            return Incoming(user=user, text=text, file=file, message_id=message.message_id)
        if not text:
            return None
        press = await self._press(user, text)
        if isinstance(press, AskBack):
            return press
        if press is not None:
            return Incoming(user=user, press=press, message_id=message.message_id)
        answered = await self.store.prompt_message(user.chat_id)
        return Incoming(
            user=user,
            text=text,
            reply_to=answered,
            message_id=message.message_id,
            reply_chosen=False,
        )

    async def _press(self, user: ChatUser, text: str) -> Press | AskBack | None:
        """The button an answer like "1" or "xong" stands for, from the chat's last prompt."""
        if len(text) > MAX_ANSWER_LENGTH:
            return None
        choices = await self.store.current_choices(user.chat_id)
        choice = pick(text, choices)
        if isinstance(choice, AskBack):
            return choice
        return None if choice is None else Press(choice.action, choice.token)

    async def _download(self, user: ChatUser, message: ZaloMessage) -> IncomingFile | None:
        assert message.photo_url is not None
        try:
            content, media_type = await self.client.fetch(
                message.photo_url, max_bytes=self._max_file_bytes
            )
        except ZaloError as error:
            too_big = isinstance(error, ZaloApiError) and error.code == 413
            limit = self._max_file_bytes // (1024 * 1024)
            locale = await self._locale_of(user)
            answer = (
                translate(locale, FILE_TOO_BIG, limit=limit)
                if too_big
                else translate(locale, FILE_UNREADABLE)
            )
            await self.client.send_message(user.chat_id, answer)
            return None
        media_type = media_type or "image/jpeg"
        extension = media_type.rpartition("/")[2] if media_type.startswith("image/") else "jpg"
        name = f"zalo-photo-{message.message_id or 'image'}.{extension}"
        return IncomingFile(file_name=name, content=content, media_type=media_type)

    async def _send(self, user: ChatUser, replies: list[Reply]) -> None:
        if not replies:
            return
        locale = await self._locale_of(user)  # after handling: /lang may have changed it
        for reply in replies:
            await deliver(
                self.client, self.store, user.chat_id, locale, reply, files_url=self.files_url
            )
        if not any(reply.buttons for reply in replies):
            await self.store.answered_without_choices(user.chat_id, user.user_id)

    async def _apologise(self, message: ZaloMessage | None) -> None:
        if message is None:
            return
        user = ChatUser(channel=Channel.ZALO, user_id=message.user_id, chat_id=message.chat_id)
        try:
            locale = await self._locale_of(user)
        except Exception:  # the lookup may be what failed; the apology must still go out
            logger.exception("zalo: no locale for the apology")
            locale = DEFAULT_LOCALE
        try:
            await self.client.send_message(
                message.chat_id, translate(locale, SOMETHING_WENT_WRONG)
            )
        except ZaloError:
            logger.warning("zalo: could not apologise in a chat", exc_info=True)
