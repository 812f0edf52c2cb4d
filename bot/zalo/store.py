"""What the Zalo adapter keeps in the database: updates stored before they are processed
(`bot.inbound`), and the numbered choices of the last prompt in each chat.

A number answers the last message that offered choices, until the conversation answers without
offering new ones and either waits for an answer to a question (`ChatState`, the conversation's
flows: then "60" or "2" is that answer) or the prompt was a one-shot choice (which task, which
moment, approve or deny: spent once the chat has moved on). A reminder's choices stay until a
newer prompt replaces them or they expire.

The adapter is async and the database is not: `ZaloStore` runs each step through the one
runner (`jobs.runner.JobRunner`), and each step commits at once.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any, Final

from sqlalchemy import delete
from sqlmodel import Session, col, select

from bot.inbound import InboundStore
from bot.zalo.choices import ONE_SHOT, Choice
from jobs.runner import JobRunner
from models import Channel, ChatState
from models.prompts import NumberedPrompt
from services.clock import Clock, SystemClock

PROMPT_LIFETIME: Final = timedelta(days=4)  # a Friday evening's reminder, answered on Monday
CHANNEL: Final = Channel.ZALO


def save_prompt(
    session: Session,
    now: datetime,
    chat_id: str,
    choices: Sequence[Choice],
    *,
    message_id: str | None,
    lifetime: timedelta = PROMPT_LIFETIME,
) -> None:
    """Keep `choices` as the chat's last prompt, replacing the one before."""
    prompt = session.exec(
        select(NumberedPrompt).where(
            NumberedPrompt.channel == CHANNEL, NumberedPrompt.chat_id == chat_id
        )
    ).first()
    if prompt is None:
        prompt = NumberedPrompt(channel=CHANNEL, chat_id=chat_id, sent_at=now, expires_at=now)
    prompt.choices = [choice.to_json() for choice in choices]
    prompt.message_id = message_id
    prompt.sent_at = now
    prompt.expires_at = now + lifetime
    session.add(prompt)
    session.commit()


def current_choices(session: Session, now: datetime, chat_id: str) -> list[Choice]:
    """The choices of the chat's last prompt, if it has not expired."""
    prompt = session.exec(
        select(NumberedPrompt).where(
            NumberedPrompt.channel == CHANNEL,
            NumberedPrompt.chat_id == chat_id,
            NumberedPrompt.expires_at > now,
        )
    ).first()
    if prompt is None:
        return []
    return [Choice.from_json(item) for item in prompt.choices if isinstance(item, dict)]


def prompt_message(session: Session, now: datetime, chat_id: str) -> str | None:
    """The message id of the chat's last unexpired prompt: what a text written now answers
    (Zalo has no "reply to" of its own)."""
    prompt = session.exec(
        select(NumberedPrompt).where(
            NumberedPrompt.channel == CHANNEL,
            NumberedPrompt.chat_id == chat_id,
            NumberedPrompt.expires_at > now,
        )
    ).first()
    return None if prompt is None else prompt.message_id


def awaits_text(session: Session, now: datetime, chat_id: str, user_id: str) -> bool:
    """Whether the conversation is in the middle of a flow in this chat (it asked for a
    blocker's reason, a percentage…)."""
    state = session.exec(
        select(ChatState).where(
            ChatState.channel == CHANNEL,
            ChatState.chat_id == chat_id,
            ChatState.user_id == user_id,
            ChatState.expires_at > now,
        )
    ).first()
    return state is not None


def forget_prompt(session: Session, chat_id: str) -> None:
    """The chat's last prompt is no longer what a number answers."""
    session.execute(
        delete(NumberedPrompt).where(
            col(NumberedPrompt.channel) == CHANNEL, col(NumberedPrompt.chat_id) == chat_id
        )
    )
    session.commit()


class ZaloStore:
    """The functions above for async code, through the one runner (a worker thread, a fresh
    session each)."""

    def __init__(self, runner: JobRunner, clock: Clock, *, wall: Clock | None = None) -> None:
        self._runner = runner
        self._clock = clock
        # Prompts wait for people, who answer in real time whatever a demo clock says.
        self._wall = wall or SystemClock(clock.zone)
        self.inbound = InboundStore(runner, clock, CHANNEL)

    async def record_update(self, key: str, payload: dict[str, Any]) -> int | None:
        """Store an update unless one with the same key is stored; its row id when new."""
        return await self.inbound.record_update(key, payload)

    async def record_malformed(self, body: bytes) -> bool:
        """Record a body that is no update, once; whether it is new."""
        return await self.inbound.record_malformed(body)

    async def begin_attempt(self, row_id: int) -> int:
        """Count one more attempt at processing the update; how many there have been."""
        return await self.inbound.begin_attempt(row_id)

    async def mark_processed(self, row_id: int) -> None:
        """The update was handled (or could not be, for good): not to be replayed."""
        await self.inbound.mark_processed(row_id)

    async def park(self, row_id: int, *, sender: str | None, attempts: int) -> None:
        """Set the update aside for good and tell the sender's admins."""
        await self.inbound.park(row_id, sender=sender, attempts=attempts)

    async def may_process(self, row_id: int, *, sender: str | None, named: str) -> bool:
        """Count one more attempt, or park the update past the limit (`InboundStore`)."""
        return await self.inbound.may_process(row_id, sender=sender, named=named)

    async def unprocessed(self) -> list[tuple[int, dict[str, Any]]]:
        """Updates of the last hours left unprocessed; older ones are pruned first."""
        return await self.inbound.unprocessed()

    async def prune(self) -> int:
        """Forget updates older than a week; how many."""
        return await self.inbound.prune()

    async def save_prompt(
        self, chat_id: str, choices: Sequence[Choice], *, message_id: str | None
    ) -> None:
        """See `save_prompt`."""
        await self._runner.run(
            save_prompt, self._wall.now(), chat_id, choices, message_id=message_id
        )

    async def current_choices(self, chat_id: str) -> list[Choice]:
        """See `current_choices`."""
        return await self._runner.run(current_choices, self._wall.now(), chat_id)

    async def prompt_message(self, chat_id: str) -> str | None:
        """See `prompt_message`."""
        return await self._runner.run(prompt_message, self._wall.now(), chat_id)

    async def answered_without_choices(self, chat_id: str, user_id: str) -> None:
        """The bot just answered in this chat without offering choices: forget the last prompt
        if the conversation now waits for an answer to a question, or if its choices were one-shot
        (see the module's docstring)."""
        await self._runner.run(_forget_if_spent, self._wall.now(), chat_id, user_id)


def _forget_if_spent(session: Session, now: datetime, chat_id: str, user_id: str) -> None:
    choices = current_choices(session, now, chat_id)
    if not choices:
        return
    one_shot = all(choice.action in ONE_SHOT for choice in choices)
    if one_shot or awaits_text(session, now, chat_id, user_id):
        forget_prompt(session, chat_id)
