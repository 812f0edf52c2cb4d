"""The conversation layer: one update in, the replies for the same chat out.

`Conversation.handle` answers each update in a worker thread with a session of its own: it
recognises the person (or onboards them with an invite), reads the update into a frozen `Turn`
(what the chat waits for, the text's meaning, classified once) and `route` picks the handler
for what came (a press, a file, a command, an answer to the bot's question, free text); the
handlers are small functions of the `Turn` and ask `services` for everything that touches data.
The turn is one transaction: the use cases it calls flush, and it commits once, at the end; a
refusal rolls everything back and is said. Deciding and authorising is the use cases' business
(`services/`); nothing here touches a platform or writes SQL.
"""

import asyncio
import functools
import logging
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.conversation import acting, commanding, lists, plan_import, presses, texts, waiting
from bot.conversation.context import ConversationSettings, Turn
from bot.conversation.incoming import (
    ChatUser,
    Command,
    Incoming,
    IncomingFile,
    cut_to_limit,
    parse_command,
)
from bot.conversation.intents import Intent, IntentKind, classify
from bot.conversation.messages import DONE_OK as DONE_OK  # re-exported: channel tests name it
from bot.conversation.messages import NO_TASK, PRIVATE_ONLY, STRANGER, WELCOME
from locales import DEFAULT_LOCALE, SUPPORTED
from models import Role
from plans.readers.errors import PlanRefusal
from services.access import identify
from services.clock import Clock, SystemClock, local_now
from services.conversing import flows
from services.conversing.flows import ChatKey, Flow
from services.conversing.replied import tasks_replied_to
from services.errors import DomainError
from services.messages import Reply, say
from services.people.invites import accept_invite, looks_like_code
from services.tracking import queries
from services.tracking.evidence import keep_file

logger = logging.getLogger(__name__)


class TurnSession(Session):
    """A session whose use cases' commits only flush: the turn commits once, at its end."""

    def commit(self) -> None:
        """Flush now; `commit_turn` commits."""
        self.flush()

    def commit_turn(self) -> None:
        """Commit everything the turn did."""
        super().commit()


class Conversation:
    """The channel-neutral conversation (implements `ConversationHandler`).

    `clock` dates what happens (a demo may accelerate it); `wall` measures how long people take
    to answer the bot and to take a change back: real time, whatever `clock` says.
    """

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        *,
        evidence_dir: Path,
        bot_username: str | None = None,
        default_locale: str = DEFAULT_LOCALE,
        wall: Clock | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        self._wall = wall or SystemClock(clock.zone)
        self._settings = ConversationSettings(
            bot_username=bot_username, evidence_dir=evidence_dir, default_locale=default_locale
        )

    def know_bot_username(self, username: str | None) -> None:
        """Learn the Telegram bot's name (from getMe at start) so invites carry a deep link."""
        self._settings = replace(self._settings, bot_username=username)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one update with the replies for the same chat (a message longer than its
        channel carries is read up to the limit, and the reply says so)."""
        incoming, cut = cut_to_limit(incoming)
        replies = await asyncio.to_thread(functools.partial(self._answer, incoming))
        return [cut, *replies] if cut is not None else replies

    async def locale_of(self, user: ChatUser) -> str:
        """The language to answer `user` in: their officer's, else their app's, else vi."""
        return await asyncio.to_thread(functools.partial(self._locale, user))

    def _answer(self, incoming: Incoming) -> list[Reply]:
        with TurnSession(self._engine, expire_on_commit=False) as session:
            try:
                replies = self._turn(session, incoming)
            except (DomainError, PlanRefusal) as error:
                session.rollback()
                return [say(error.msgid, **error.params)]
            session.commit_turn()
            return replies

    def _turn(self, session: Session, incoming: Incoming) -> list[Reply]:
        user = incoming.user
        text = (incoming.text or "").strip()
        command = parse_command(text)
        if command is not None and command.name is Command.START and command.arg:
            return [self._start(session, user, command.arg)]
        if not user.is_private:  # a group: whatever is asked, the answer would be everyone's
            logger.info("message in a group chat on %s: sent to a private chat", user.channel)
            return [say(PRIVATE_ONLY)]
        actor = identify(session, user.channel, user.user_id)
        if actor is None:
            if command is None and looks_like_code(text):
                return [self._start(session, user, text)]
            logger.info("stranger on %s refused", user.channel)
            return [say(STRANGER)]
        chat = ChatKey(channel=user.channel, chat_id=user.chat_id, user_id=user.user_id)
        is_text = bool(text) and command is None and incoming.press is None
        intent = (
            classify(text, now=local_now(self._clock)) if is_text else Intent(IntentKind.UNKNOWN)
        )
        turn = Turn(
            session=session,
            clock=self._clock,
            wall=self._wall,
            settings=self._settings,
            incoming=incoming,
            actor=actor,
            chat=chat,
            text=text,
            intent=intent,
            waiting=flows.current(session, self._wall, chat),
        )
        return route(turn)

    def _start(self, session: Session, user: ChatUser, secret: str) -> Reply:
        officer = accept_invite(
            session,
            self._clock,
            secret,
            channel=user.channel,
            external_id=user.user_id,
            chat_id=user.chat_id,
            private_chat=user.is_private,
        )
        logger.info("officer %s bound on %s", officer.id, user.channel)
        return say(WELCOME, name=officer.name)

    def _locale(self, user: ChatUser) -> str:
        with Session(self._engine) as session:
            officer = identify(session, user.channel, user.user_id)
            if officer is not None:
                return officer.locale
        language = (user.language_code or "")[:2].lower()
        return language if language in SUPPORTED else self._settings.default_locale


def route(turn: Turn) -> list[Reply]:
    """Answer the turn."""
    incoming = turn.incoming
    if incoming.press is not None:
        return presses.on_press(turn, incoming.press)
    if incoming.file is not None:
        return on_file(turn, incoming.file)
    command = parse_command(turn.text)
    if command is not None:
        return commanding.on_command(turn, command.name, command.arg)
    if not turn.text:
        return lists.help_lines(turn)
    if turn.waiting is not None:
        return waiting.on_waiting(turn, turn.waiting)
    return texts.on_text(turn)


def on_file(turn: Turn, file: IncomingFile) -> list[Reply]:
    """A plan file from an admin (not in reply to anything) is previewed for import — a second
    one while a preview waits replaces it; any other file is evidence for the task it replies
    to, or for the one the sender picks."""
    free = turn.waiting is None or turn.waiting.flow is Flow.IMPORT
    if turn.actor.role is Role.ADMIN and turn.reply_to is None and free:
        return [plan_import.preview_plan(turn, file)]
    if turn.reply_to is not None:
        targets = tasks_replied_to(
            turn.session, turn.clock, turn.actor, channel=turn.via, message_id=turn.reply_to
        )
    else:
        targets = [item.occurrence_id for item in queries.items(turn.session, turn.actor)]
    if not targets:
        return [say(NO_TASK)]
    if len(targets) == 1:
        return acting.evidence(turn, targets[0], file.file_name, file.content, file.media_type)
    kept: dict[str, object] = {
        "name": file.file_name,
        "media_type": file.media_type,
        "sha256": keep_file(turn.settings.evidence_dir, file.content),
    }
    return [acting.ask_which(turn, targets, None, file=kept)]
