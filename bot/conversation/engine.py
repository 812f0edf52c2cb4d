"""The conversation layer: one update in, the replies for the same chat out.

`Conversation.handle` answers each update in a worker thread with a session of its own: it
recognises the person (or onboards them with an invite), reads the update into a frozen `Turn`
(what the chat waits for, the text's meaning, classified once) and lets `router.route` answer.
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

from bot.conversation.commands import Command, parse_command
from bot.conversation.context import Settings, Turn
from bot.conversation.incoming import ChatUser, Incoming, cut_to_limit
from bot.conversation.intents import Intent, IntentKind, classify
from bot.conversation.messages import DONE_OK as DONE_OK  # re-exported: channel tests name it
from bot.conversation.messages import PRIVATE_ONLY, STRANGER, WELCOME
from bot.conversation.router import route
from locales import DEFAULT_LOCALE, SUPPORTED
from models import Organization
from plans.readers.errors import PlanRefusal
from services.access import identify
from services.clock import Clock, SystemClock, local_now
from services.conversing import flows
from services.conversing.flows import ChatKey
from services.errors import DomainError
from services.messages import Reply, say
from services.people.invites import accept_invite, looks_like_code

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
        self._settings = Settings(
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
        org = session.get(Organization, actor.organization_id)
        assert org is not None
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
            org=org,
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
