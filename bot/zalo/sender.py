"""Replies onto Zalo: `deliver` for answers in a conversation, `ZaloSender` for the dispatcher.

A reply becomes one text (its lines, then its buttons as numbered choices), sent in pieces of at
most 2,000 characters cut at line ends; once it is out, its choices become the chat's last
prompt, so that the answer "1" can be read back. Zalo cannot edit a message (a reply's `edit_of`
is sent anew) nor upload a file: an attachment is a link to the same file on dondoc's web pages
when they have a public address (`files_url`, where a signed-in officer downloads what they may
see), else named, with where to get it.
"""

import logging
from typing import Final

from bot.zalo.choices import choices_of, render
from bot.zalo.client import ZaloApiError, ZaloClient, ZaloError, is_transient
from bot.zalo.store import ZaloStore
from jobs.senders import PermanentSendError, Recipient, TransientSendError
from locales import N_, translate
from services.messages import Reply

logger = logging.getLogger(__name__)

FILE_NOT_SENT: Final = N_(
    "Zalo cannot carry files: ask for “{name}” on Telegram or in the web chat."
)
FILE_LINK: Final = N_("“{name}”: {url} (sign in to dondoc's web pages to download it)")
UNAUTHORIZED: Final = 401


async def deliver(
    client: ZaloClient,
    store: ZaloStore,
    chat_id: str,
    locale: str,
    reply: Reply,
    *,
    files_url: str | None = None,
) -> str:
    """Send `reply` to `chat_id` in `locale` and remember its choices; the id of the (last)
    message sent. An attachment is linked on `files_url` (the web pages' public address) when
    there is one and it is served there, else named. `ZaloError`s are raised as the client
    raises them."""
    text = render(locale, reply)
    attachment = reply.attachment
    if attachment is not None:
        if files_url and attachment.link:
            url = files_url.rstrip("/") + attachment.link
            note = translate(locale, FILE_LINK, name=attachment.file_name, url=url)
        else:
            note = translate(locale, FILE_NOT_SENT, name=attachment.file_name)
        text = f"{text}\n\n{note}" if text else note
    if not text.strip():
        raise ValueError("a reply needs text")
    sent = await client.send_message(chat_id, text)
    message_id = sent[-1].message_id
    choices = choices_of(locale, reply)
    if choices:
        await store.save_prompt(chat_id, choices, message_id=message_id)
    return message_id


class ZaloSender:
    """The dispatcher's `Sender` for Zalo identities."""

    def __init__(
        self, client: ZaloClient, store: ZaloStore, *, files_url: str | None = None
    ) -> None:
        self._client = client
        self._store = store
        self._files_url = files_url

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver `reply` to the officer's chat; raise what the outbox should do about a
        failure (`TransientSendError`, `PermanentSendError`)."""
        try:
            return await deliver(
                self._client,
                self._store,
                recipient.chat_id,
                recipient.locale,
                reply,
                files_url=self._files_url,
            )
        except ZaloError as error:
            raise send_error(recipient.officer_id, error) from error


def send_error(officer_id: int, error: ZaloError) -> TransientSendError | PermanentSendError:
    """What the outbox should do about `error`: try again later (timeouts, 5xx, 429, a token
    Zalo rejects: the bot's fault, not the chat's), or give the chat up (Zalo refuses it)."""
    if is_transient(error):
        retry_after = error.retry_after if isinstance(error, ZaloApiError) else None
        logger.warning("officer %d: Zalo failed (%s), will retry", officer_id, _what(error))
        return TransientSendError(str(error), retry_after=retry_after)
    assert isinstance(error, ZaloApiError)
    if error.code == UNAUTHORIZED:
        logger.error("Zalo rejects the bot token: check DONDOC_ZALO_TOKEN")
        return TransientSendError(str(error))
    logger.warning("officer %d: Zalo refuses the chat (%d)", officer_id, error.code)
    return PermanentSendError(str(error))


def _what(error: ZaloError) -> str:
    return str(error.code) if isinstance(error, ZaloApiError) else "network"
