"""The web chat as a channel: keeps each reply in the officer's transcript and pushes it to
their open pages. The dispatcher uses it like the Telegram and Zalo senders."""

import logging

from bot.web import transcript
from bot.web.hub import ChatEvent, ChatHub
from jobs.runner import JobRunner
from jobs.senders import PermanentSendError, Recipient
from services.clock import Clock
from services.messages import Reply
from services.people.web_auth import web_chat_id

logger = logging.getLogger(__name__)


class WebSender:
    """Delivers replies to officers' web chats."""

    def __init__(self, runner: JobRunner, clock: Clock, hub: ChatHub) -> None:
        self.runner = runner
        self.clock = clock
        self.hub = hub

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Keep `reply` in the officer's chat (in place of `edit_of` when that is theirs) and
        push it to their open pages; the message id."""
        if recipient.chat_id != web_chat_id(recipient.officer_id):
            raise PermanentSendError("not a web chat of this officer")
        payload = reply.to_json()
        payload.pop("edit_of", None)
        if reply.edit_of is not None and reply.edit_of.isdecimal():
            edited = await self.runner.run(
                transcript.edit_message, recipient.officer_id, int(reply.edit_of), payload
            )
            if edited is not None and edited.id is not None:
                await self.hub.publish(
                    recipient.officer_id,
                    ChatEvent(edited.id, edited.payload, from_officer=False, is_edit=True),
                )
                return str(edited.id)
        row = await self.runner.run(
            transcript.add_message, self.clock, recipient.officer_id, payload, from_officer=False
        )
        assert row.id is not None
        pages = await self.hub.publish(recipient.officer_id, ChatEvent(row.id, payload, False))
        logger.info("web message %d for officer %d (%d open pages)", row.id, row.officer_id, pages)
        return str(row.id)

    async def said(self, officer_id: int, text: str) -> int:
        """Keep what the officer wrote and show it on their other open pages; its id."""
        payload: dict[str, object] = {"text": text}
        row = await self.runner.run(
            transcript.add_message, self.clock, officer_id, payload, from_officer=True
        )
        assert row.id is not None
        await self.hub.publish(officer_id, ChatEvent(row.id, payload, from_officer=True))
        return row.id
