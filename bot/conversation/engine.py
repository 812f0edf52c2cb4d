"""The conversation layer: one update in, the replies for the same chat out.

`Conversation.handle` runs each update through the one runner (`jobs.runner.JobRunner`: a worker
thread, a fresh session) and never touches a platform. It recognises the person (or onboards
them with an invite), then answers a command, a button press, a file, or free text — free text
through `intents.classify`, in the flow the chat is waiting in if any (`flows`). Deciding and
authorising is the use cases' business (`services/`); this module only asks and tells.
"""

import logging
from dataclasses import replace
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session

from bot.conversation import flows
from bot.conversation.acting import Acting
from bot.conversation.commands import Command, parse_command
from bot.conversation.flows import Flow
from bot.conversation.incoming import ChatUser, Incoming, Press
from bot.conversation.intents import (
    Intent,
    IntentKind,
)
from bot.conversation.messages import (
    ASK_DATE,
    ASK_PERCENT,
    ASK_REASON,
    CANCELLED,
    IMPORT_HOWTO,
    INVITE_LINES,
    LANGUAGE_SET,
    LANGUAGE_SET_VI,
    NEED_NAME,
    NOT_UNDERSTOOD,
    REMINDED,
    RESOLVED_OK,
    STRANGER,
    WELCOME,
    WELCOME_BACK,
)
from bot.conversation.messages import DONE_OK as DONE_OK  # re-exported: channel tests name it here
from bot.conversation.plan_import import cancel_import, confirm_plan
from bot.conversation.turn import Settings
from bot.conversation.views import (
    show_date,
)
from jobs.runner import JobRunner
from locales import DEFAULT_LOCALE, SUPPORTED
from models import (
    TokenSubject,
)
from plans.readers.errors import PlanRefusal
from services.access import require_admin, require_manager
from services.clock import Clock
from services.errors import DomainError
from services.messages import Action, Reply, Text, say
from services.people.invites import accept_invite, create_invite, identify, looks_like_code
from services.people.preferences import set_locale
from services.tracking import queries
from services.tracking.tasks import (
    resolve_blocker,
)

logger = logging.getLogger(__name__)


class Conversation:
    """The channel-neutral conversation (implements `ConversationHandler`)."""

    def __init__(
        self,
        engine: Engine,
        clock: Clock,
        *,
        evidence_dir: Path,
        bot_username: str | None = None,
        default_locale: str = DEFAULT_LOCALE,
    ) -> None:
        self._runner = JobRunner(engine)
        self._clock = clock
        self._settings = Settings(
            bot_username=bot_username, evidence_dir=evidence_dir, default_locale=default_locale
        )

    def know_bot_username(self, username: str | None) -> None:
        """Learn the Telegram bot's name (from getMe at start) so invites carry a deep link."""
        self._settings = replace(self._settings, bot_username=username)

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one update with the replies for the same chat."""
        return await self._runner.run(self._answer, incoming)

    async def locale_of(self, user: ChatUser) -> str:
        """The language to answer `user` in: their officer's, else their app's, else vi."""
        return await self._runner.run(self._locale, user)

    def _answer(self, session: Session, incoming: Incoming) -> list[Reply]:
        return _Turn(session, self._clock, self._settings, incoming).answer()

    def _locale(self, session: Session, user: ChatUser) -> str:
        officer = identify(session, user.channel, user.user_id)
        if officer is not None:
            return officer.locale
        language = (user.language_code or "")[:2].lower()
        return language if language in SUPPORTED else self._settings.default_locale


class _Turn(Acting):
    """One update being answered, inside one session."""

    # --- dispatch --------------------------------------------------------------------------

    def answer(self) -> list[Reply]:
        try:
            return self._dispatch()
        except DomainError as error:
            self.session.rollback()
            return [say(error.msgid, **error.params)]
        except PlanRefusal as error:
            self.session.rollback()
            return [say(error.msgid, **error.params)]

    def _dispatch(self) -> list[Reply]:
        text = (self.incoming.text or "").strip()
        command = parse_command(text)
        if command is not None and command.name is Command.START and command.arg:
            return self._start(command.arg)
        self._actor = identify(self.session, self.user.channel, self.user.user_id)
        if self._actor is None:
            if command is None and looks_like_code(text):
                return self._start(text)
            logger.info("stranger on %s refused", self.via)
            return [say(STRANGER)]
        if self.incoming.press is not None:
            return self._press(self.incoming.press)
        if self.incoming.file is not None:
            return self._file(self.incoming.file)
        if command is not None:
            return self._command(command.name, command.arg)
        if not text:
            return self._help()
        waiting = flows.current(self.session, self.clock, self.user)
        if waiting is not None:
            return self._continue(waiting, text)
        return self._free_text(text)

    def _start(self, secret: str) -> list[Reply]:
        officer = accept_invite(
            self.session,
            self.clock,
            secret,
            channel=self.user.channel,
            external_id=self.user.user_id,
            chat_id=self.user.chat_id,
        )
        logger.info("officer %s bound on %s", officer.id, self.via)
        return [say(WELCOME, name=officer.name)]

    # --- commands --------------------------------------------------------------------------

    def _command(self, name: Command, arg: str) -> list[Reply]:
        if name is Command.START:
            return [say(WELCOME_BACK, name=self.actor.name)]
        if name is Command.HELP:
            return self._help()
        if name is Command.LANG:
            return self._language(arg)
        if name is Command.CANCEL:
            flows.finish(self.session, self.user)
            return [say(CANCELLED)]
        if name is Command.TASKS:
            return [self._tasks_page(0, arg)]
        if name is Command.OVERDUE:
            return [self._overdue_page(0)]
        if name is Command.SUMMARY:
            return [self._summary()]
        if name is Command.QUARTER:
            return [self._quarter_page(0, arg)]
        if name is Command.BLOCKERS:
            return [self._blockers_page(0)]
        if name is Command.REMIND:
            return self._remind(arg)
        if name is Command.OFFICERS:
            return [self._officers_page(0)]
        if name is Command.UNITS:
            return [self._units_page(0)]
        if name is Command.INVITE:
            return self._invite(arg)
        assert name is Command.IMPORT
        require_admin(self.actor)
        return [say(IMPORT_HOWTO)]

    def _language(self, arg: str) -> list[Reply]:
        wanted = arg or ("en" if self.actor.locale == "vi" else "vi")
        officer = set_locale(self.session, self.actor, wanted)
        return [say(LANGUAGE_SET if officer.locale == "en" else LANGUAGE_SET_VI)]

    def _remind(self, arg: str) -> list[Reply]:
        require_manager(self.actor)
        if not arg:
            return [say(NEED_NAME, example="/nhac Minh")]
        count = queries.remind_now(self.session, self.clock, self.actor, arg)
        officer = queries.find_officer(self.session, self._org(), arg)
        return [say(REMINDED, count=count, name=officer.name)]

    def _invite(self, arg: str) -> list[Reply]:
        require_admin(self.actor)
        if not arg:
            return [say(NEED_NAME, example="/moi Phạm Văn Minh")]
        org = self._org()
        name = queries.find_officer(self.session, org, arg).name
        card = create_invite(self.session, self.clock, org, name, actor=self.actor)
        lines = [
            Text(INVITE_LINES[0], {"name": card.officer, "date": show_date(card.expires_at)}),
        ]
        if self.settings.bot_username:
            lines.append(
                Text(INVITE_LINES[1], {"link": card.deep_link(self.settings.bot_username)})
            )
        lines.append(Text(INVITE_LINES[2], {"code": card.code}))
        return [Reply(lines=tuple(lines))]

    # --- presses ---------------------------------------------------------------------------

    def _press(self, press: Press) -> list[Reply]:
        action = press.action
        if action in (Action.APPROVE, Action.DENY):
            row = self._redeem(press.token, TokenSubject.EXTENSION)
            return self._decide(row, grant=action is Action.APPROVE)
        if action in (Action.CONFIRM, Action.CANCEL):
            row = self._redeem(press.token, TokenSubject.IMPORT)
            if action is Action.CANCEL:
                return [cancel_import(self.session, self.clock, self.user, row)]
            require_admin(self.actor)
            return [confirm_plan(self.session, self.clock, self.actor, self.user, row)]
        if action is Action.PAGE:
            return self._page(self._redeem(press.token, TokenSubject.PAGE))
        if action is Action.CHOOSE:
            return self._choose(self._redeem(press.token, TokenSubject.CHOICE))
        row = self._redeem(press.token, TokenSubject.OCCURRENCE)
        assert row.occurrence_id is not None
        return self._occurrence_press(action, row.occurrence_id)

    def _in_place(self, replies: list[Reply]) -> list[Reply]:
        """Answer in the pressed message itself when it was the reminder of this one task (its
        buttons then go); a digest of several tasks keeps its other buttons, so the answer is a
        new message."""
        pressed = self.incoming.message_id
        if pressed is None or len(replies) != 1:
            return replies
        if len(self._replied_tokens(pressed, TokenSubject.OCCURRENCE)) != 1:
            return replies
        return [replace(replies[0], edit_of=pressed, buttons=())]

    def _occurrence_press(self, action: Action, occurrence_id: int) -> list[Reply]:
        if action is Action.DONE:
            return self._in_place(self._act(Intent(IntentKind.DONE), occurrence_id, ""))
        if action is Action.RESOLVE:
            ref = resolve_blocker(
                self.session, self.clock, self.actor, occurrence_id, via=self.via
            )
            return [say(RESOLVED_OK, code=ref.code, title=ref.title)]
        if action is Action.SNOOZE:
            return [self._snooze_choices(occurrence_id)]
        flow = {
            Action.PROGRESS: (Flow.PROGRESS, ASK_PERCENT),
            Action.BLOCKER: (Flow.BLOCKER, ASK_REASON),
            Action.EXTEND: (Flow.EXTENSION, ASK_DATE),
        }.get(action)
        if flow is None:
            return [say(NOT_UNDERSTOOD)]
        return [self._ask(flow[0], flow[1], occurrence_id)]
