"""The conversation layer: one update in, the replies for the same chat out.

`Conversation.handle` runs each update through the one runner (`jobs.runner.JobRunner`: a worker
thread, a fresh session) and never touches a platform. It recognises the person (or onboards
them with an invite), then answers a command, a button press, a file, or free text — free text
through `intents.classify`, in the flow the chat is waiting in if any (`flows`). Deciding and
authorising is the use cases' business (`services/`); this module only asks and tells.
"""

import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from bot.conversation import flows
from bot.conversation.commands import Command, parse_command
from bot.conversation.flows import Flow, Waiting
from bot.conversation.incoming import ChatUser, Incoming, IncomingFile, Press
from bot.conversation.intents import (
    ACTIONS,
    Intent,
    IntentKind,
    classify,
    relative_day,
    snooze_until,
)
from bot.conversation.plan_import import cancel_import, confirm_plan, preview_plan
from bot.conversation.replies import Action, Button, Reply, Text, say
from bot.conversation.views import (
    item_line,
    officer_line,
    overdue_lines,
    page_of,
    show_date,
    summary_lines,
    unit_line,
)
from jobs.runner import JobRunner
from locales import DEFAULT_LOCALE, N_, SUPPORTED
from models import (
    ActionToken,
    Officer,
    Organization,
    Outbox,
    Role,
    TokenSubject,
)
from plans.folding import fold
from plans.readers.errors import PlanRefusal
from plans.relative import TIMEZONE
from services import queries
from services.access import access_occurrence, is_manager, require_admin, require_manager
from services.clock import Clock
from services.errors import DomainError, EmptyText
from services.evidence import attach_evidence
from services.extensions import decide_extension, request_extension
from services.invites import accept_invite, create_invite, identify, looks_like_code
from services.officers import list_officers
from services.preferences import set_locale
from services.relative_time import local_today
from services.tasks import (
    TaskRef,
    mark_done,
    record_progress,
    report_blocker,
    resolve_blocker,
    snooze,
)
from services.tokens import issue_token, occurrence_buttons, redeem_token
from services.units import find_unit, list_units

logger = logging.getLogger(__name__)

MAX_CHOICES: Final = 8
_TASK_CODE: Final = re.compile(
    r"\b(?:viec|task|nhiem vu|muc|stt)\s*(?:so\s*)?([0-9ivx]+(?:\.[0-9a-z]+)*)\b"
)
CANCEL_WORDS: Final = frozenset(("huy", "thoi", "cancel", "bo qua", "khong", "stop"))
BARE_KEYWORDS: Final = frozenset(("vuong", "vuong mac", "kho khan", "bao vuong", "stuck"))

STRANGER = N_(
    "Hello! I don't know this account yet. dondoc reminds the ward's officers of their tasks; "
    "please ask the office (Văn phòng) for an invitation link or code."
)
WELCOME = N_("Welcome, {name}! I will remind you of your tasks here. Send /help to see what I do.")
WELCOME_BACK = N_("Hello {name}, you are already connected. Send /viec to see your tasks.")
HELP_OFFICER = (
    N_("I remind you of your tasks; answer a reminder with a button or a few words:"),
    N_("“xong rồi” · “được 50%” · “vướng: chưa có kinh phí” · “gia hạn đến 20/7” · “nhắc sau”"),
    N_("/viec: your tasks · /quahan: overdue · /lang: language · /huy: cancel"),
)
HELP_MANAGER = (
    N_("/tonghop: summary · /quahan: overdue · /quy 2: a quarter · /vuongmac: blockers"),
    N_("/viec [name or unit]: open tasks · /nhac NAME: remind now"),
)
HELP_ADMIN = (N_("Send a plan file to import it · /canbo · /donvi · /moi NAME: invite"),)
NO_TASK = N_("You have no open task right now. 👍")
ASK_WHICH = N_("Which task do you mean? Reply with its number or press it:")
CHOICE_LINE = N_("{n}. {code} {title}")
ASK_PERCENT = N_("How far along is task {code} “{title}”? Reply with a percent, e.g. 60%.")
ASK_PERCENT_AGAIN = N_("Please reply with a number from 0 to 100, e.g. 60%.")
ASK_REASON = N_("What is blocking task {code} “{title}”? Please write it in a few words.")
ASK_DATE = N_(
    "Until when should task {code} “{title}” be extended, and why? "
    "E.g. “20/7, chờ kinh phí” or “thứ sáu tuần sau”."
)
ASK_DATE_AGAIN = N_("I could not read a date. Please write one, e.g. 20/7 or “thứ sáu tuần sau”.")
ASK_WHEN = N_("When should I remind you about task {code} “{title}” again?")
ASK_WHEN_AGAIN = N_("When? E.g. “2 tiếng nữa”, “chiều nay”, “mai”, “thứ hai”.")
ASK_ACTION = N_("What would you like to do with task {code} “{title}”?")
ASK_DONE_OR_BLOCKED = N_("Is task {code} “{title}” done, or is something blocking it?")
NOT_UNDERSTOOD = N_(
    "Sorry, I did not understand. Answer a reminder with a button, or write e.g. “xong rồi”, "
    "“được 50%”, “vướng: …”, “gia hạn đến 20/7”. /help shows more."
)
DONE_OK = N_("✅ Task {code} “{title}” is recorded as done. Thank you!")
PROGRESS_OK = N_("📊 Task {code} “{title}”: {percent}% recorded.")
BLOCKER_OK = N_("🚧 Recorded for task {code}: {reason}. The chair and the office have been told.")
RESOLVED_OK = N_("✅ The blocker on task {code} “{title}” is lifted.")
EXTENSION_OK = N_("📅 Your request to move task {code} to {date} was sent to the chair.")
SNOOZE_OK = N_("⏰ I will remind you about task {code} again on {when}.")
EVIDENCE_OK = N_("📎 File {file_name} kept as evidence for task {code}.")
GRANTED_OK = N_("✅ Granted: task {code} is now due {date}. {officer} has been told.")
DENIED_OK = N_("❌ Denied: task {code} keeps its date. {officer} has been told.")
CANCELLED = N_("Cancelled.")
LANGUAGE_SET = N_("From now on I will write to you in English.")
LANGUAGE_SET_VI = N_("From now on I will write to you in Vietnamese.")
REMINDED = N_("🔔 {count} reminders are on their way to {name}.")
INVITE_LINES = (
    N_("Invitation for {name}, valid until {date}:"),
    N_("Telegram: {link}"),
    N_("Or send this code to the bot: {code}"),
)
NEED_NAME = N_("Please add a name, e.g. {example}.")
QUARTER_USAGE = N_("Please give a quarter from 1 to 4, e.g. /quy 2.")
IMPORT_HOWTO = N_("Send me the plan file (.docx, .xlsx, .pdf or .txt) and I will show a preview.")
EVIDENCE_WHICH = N_("Which task is this file for? Reply with its number or press it:")
TITLE_TASKS = N_("📋 Open tasks ({count}):")
TITLE_OVERDUE = N_("⚠️ Overdue ({count}):")
TITLE_QUARTER = N_("📅 Q{quarter}/{year} ({count} tasks):")
TITLE_BLOCKERS = N_("🚧 Open blockers ({count}):")
TITLE_SUMMARY = N_("📊 Summary:")
TITLE_OFFICERS = N_("👥 Officers ({count}):")
TITLE_UNITS = N_("🏢 Units ({count}):")
EMPTY_LIST = N_("Nothing here. 👍")
RESOLVE_LABEL = N_("✅ Lift {code}")
SNOOZE_CHOICES = (
    (N_("In 2 hours"), "hours"),
    (N_("Tomorrow"), "tomorrow"),
    (N_("Next Monday"), "monday"),
)


@dataclass(frozen=True, slots=True)
class Settings:
    """What the conversation needs from the configuration."""

    bot_username: str | None
    evidence_dir: Path
    default_locale: str = DEFAULT_LOCALE


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


class _Turn:
    """One update being answered, inside one session."""

    def __init__(
        self, session: Session, clock: Clock, settings: Settings, incoming: Incoming
    ) -> None:
        self.session = session
        self.clock = clock
        self.settings = settings
        self.incoming = incoming
        self.user = incoming.user
        self.via = incoming.user.channel
        self._actor: Officer | None = None

    @property
    def actor(self) -> Officer:
        assert self._actor is not None
        return self._actor

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

    def _help(self) -> list[Reply]:
        lines = list(HELP_OFFICER)
        if is_manager(self.actor):
            lines += HELP_MANAGER
        if self.actor.role is Role.ADMIN:
            lines += HELP_ADMIN
        return [Reply(lines=tuple(Text(line) for line in lines))]

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

    # --- lists -----------------------------------------------------------------------------

    def _turner(self, view: str, args: dict[str, object]) -> "_Turner":
        return _Turner(self, view, args)

    def _tasks_page(self, page: int, arg: str, *, edit_of: str | None = None) -> Reply:
        officer_name = unit_name = None
        if arg:
            require_manager(self.actor)
            if find_unit(self.session, self._org(), arg) is not None:
                unit_name = arg
            else:
                officer_name = arg
        found = queries.tasks_for(
            self.session, self.actor, officer_name=officer_name, unit_name=unit_name
        )
        today = local_today(self.clock)
        return page_of(
            Text(TITLE_TASKS, {"count": len(found)}),
            [item_line(item, today) for item in found],
            page,
            turn=self._turner("tasks", {"arg": arg}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _overdue_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        found = queries.overdue(self.session, self.clock, self.actor)
        today = local_today(self.clock)
        lines = (
            overdue_lines(found, today)
            if is_manager(self.actor)
            else [item_line(item, today) for item in found]
        )
        return page_of(
            Text(TITLE_OVERDUE, {"count": len(found)}),
            lines,
            page,
            turn=self._turner("overdue", {}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _quarter_page(self, page: int, arg: str, *, edit_of: str | None = None) -> Reply:
        parts = arg.replace("/", " ").split()
        if not parts or not parts[0].isdigit() or not 1 <= int(parts[0]) <= 4:
            return say(QUARTER_USAGE)
        number = int(parts[0])
        year = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None
        year = year or local_today(self.clock).year
        found = queries.quarter(self.session, self.actor, year=year, number=number)
        today = local_today(self.clock)
        return page_of(
            Text(TITLE_QUARTER, {"quarter": number, "year": year, "count": len(found)}),
            [item_line(item, today) for item in found],
            page,
            turn=self._turner("quarter", {"arg": arg}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _blockers_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        found = queries.open_blockers(self.session, self.actor)
        today = local_today(self.clock)
        size = 5
        shown = found[page * size : (page + 1) * size]
        extra = tuple(
            (
                Button(
                    Action.RESOLVE,
                    self._occurrence_token(item.occurrence_id),
                    Text(RESOLVE_LABEL, {"code": item.code}),
                ),
            )
            for item in shown
        )
        reply = page_of(
            Text(TITLE_BLOCKERS, {"count": len(found)}),
            [item_line(item, today) for item in found],
            page,
            turn=self._turner("blockers", {}),
            empty=Text(EMPTY_LIST),
            extra=extra,
            edit_of=edit_of,
            size=size,
        )
        self.session.commit()
        return reply

    def _summary(self) -> Reply:
        if not is_manager(self.actor):
            return self._tasks_page(0, "")
        found = queries.summary(self.session, self.clock, self.actor)
        return Reply(lines=(Text(TITLE_SUMMARY), *summary_lines(found)))

    def _officers_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        require_manager(self.actor)
        views = list_officers(self.session, self._org())
        return page_of(
            Text(TITLE_OFFICERS, {"count": len(views)}),
            [officer_line(view) for view in views],
            page,
            turn=self._turner("officers", {}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _units_page(self, page: int, *, edit_of: str | None = None) -> Reply:
        require_manager(self.actor)
        views = list_units(self.session, self._org())
        return page_of(
            Text(TITLE_UNITS, {"count": len(views)}),
            [unit_line(view) for view in views],
            page,
            turn=self._turner("units", {}),
            empty=Text(EMPTY_LIST),
            edit_of=edit_of,
        )

    def _page(self, row: ActionToken) -> list[Reply]:
        view = str(row.data.get("view"))
        page = int(str(row.data.get("page", 0)))
        arg = str(row.data.get("arg", ""))
        edit_of = self.incoming.message_id
        pages = {
            "tasks": lambda: self._tasks_page(page, arg, edit_of=edit_of),
            "overdue": lambda: self._overdue_page(page, edit_of=edit_of),
            "quarter": lambda: self._quarter_page(page, arg, edit_of=edit_of),
            "blockers": lambda: self._blockers_page(page, edit_of=edit_of),
            "officers": lambda: self._officers_page(page, edit_of=edit_of),
            "units": lambda: self._units_page(page, edit_of=edit_of),
        }
        reply = pages[view]()
        self.session.commit()
        return [reply]

    # --- presses ---------------------------------------------------------------------------

    def _press(self, press: Press) -> list[Reply]:
        action = press.action
        if action in (Action.APPROVE, Action.DENY):
            row = self._redeem(press.token, TokenSubject.EXTENSION)
            assert row.event_id is not None
            decision = decide_extension(
                self.session,
                self.clock,
                self.actor,
                row.event_id,
                grant=action is Action.APPROVE,
                via=self.via,
            )
            msgid = GRANTED_OK if decision.granted else DENIED_OK
            return [
                say(
                    msgid,
                    code=decision.task.code,
                    date=show_date(decision.until),
                    officer=decision.requester,
                )
            ]
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

    def _occurrence_press(self, action: Action, occurrence_id: int) -> list[Reply]:
        if action is Action.DONE:
            return self._act(Intent(IntentKind.DONE), occurrence_id, "")
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

    def _ask(
        self, flow: Flow, msgid: str, occurrence_id: int, data: dict[str, object] | None = None
    ) -> Reply:
        _, task = access_occurrence(self.session, self.actor, occurrence_id)
        flows.start(
            self.session,
            self.clock,
            self.user,
            flow,
            {"occurrence_id": occurrence_id, **(data or {})},
        )
        return say(msgid, code=task.code, title=task.title)

    def _snooze_choices(self, occurrence_id: int) -> Reply:
        _, task = access_occurrence(self.session, self.actor, occurrence_id)
        now = self.clock.now()
        local = now.astimezone(TIMEZONE)
        tomorrow = datetime.combine(local.date() + timedelta(days=1), _EIGHT, TIMEZONE)
        monday = datetime.combine(
            local.date() + timedelta(days=7 - local.weekday()), _EIGHT, TIMEZONE
        )
        moments = {"hours": now + timedelta(hours=2), "tomorrow": tomorrow, "monday": monday}
        buttons = tuple(
            Button(
                Action.CHOOSE,
                self._choice({"do": "snooze", "occurrence_id": occurrence_id,
                              "until": moments[key].isoformat()}),
                Text(label),
            )
            for label, key in SNOOZE_CHOICES
        )  # fmt: skip
        flows.start(
            self.session, self.clock, self.user, Flow.SNOOZE, {"occurrence_id": occurrence_id}
        )
        return Reply(
            lines=(Text(ASK_WHEN, {"code": task.code, "title": task.title}),), buttons=(buttons,)
        )

    def _choose(self, row: ActionToken) -> list[Reply]:
        data = row.data
        occurrence_id = int(str(data["occurrence_id"]))
        if data.get("do") == "snooze":
            until = datetime.fromisoformat(str(data["until"]))
            return self._snooze(occurrence_id, until)
        waiting = flows.current(self.session, self.clock, self.user)
        if data.get("do") == "evidence":
            if waiting is None or waiting.flow is not Flow.WHICH:
                return [say(N_("This choice has expired. Please send the file again."))]
            return self._evidence_from_flow(waiting, occurrence_id)
        intent = _intent_from(data.get("intent"))
        text = str(data.get("text", ""))
        flows.finish(self.session, self.user)
        return self._act(intent, occurrence_id, text)

    # --- free text and flows ---------------------------------------------------------------

    def _free_text(self, text: str) -> list[Reply]:
        intent = classify(text, now=self.clock.now())
        kind = intent.kind
        if kind is IntentKind.LIST_TASKS:
            return [self._tasks_page(0, "")]
        if kind is IntentKind.OVERDUE:
            return [self._overdue_page(0)]
        if kind is IntentKind.SUMMARY:
            return [self._summary()]
        if kind is IntentKind.HELP:
            return self._help()
        targets = self._named(text) or self._targets()
        if kind is IntentKind.UNKNOWN:
            if len(targets) == 1 and self.incoming.reply_to is not None:
                return [self._offer_actions(targets[0], ASK_ACTION)]
            return [say(NOT_UNDERSTOOD)]
        assert kind in ACTIONS
        if not targets:
            return [say(NO_TASK)]
        if len(targets) > 1:
            return [self._ask_which(targets, intent, text)]
        if intent.unsure:
            return [self._offer_actions(targets[0], ASK_DONE_OR_BLOCKED)]
        return self._act(intent, targets[0], text)

    def _continue(self, waiting: Waiting, text: str) -> list[Reply]:
        if fold(text).strip(" .!") in CANCEL_WORDS:
            flows.finish(self.session, self.user)
            return [say(CANCELLED)]
        data = waiting.data
        if waiting.flow is Flow.IMPORT:
            return [say(N_("Please press ✅ Confirm or ❌ Cancel under the preview."))]
        if waiting.flow is Flow.WHICH:
            return self._which_answer(waiting, text)
        occurrence_id = int(str(data["occurrence_id"]))
        now = self.clock.now()
        if waiting.flow is Flow.PROGRESS:
            percent = classify(text, now=now).percent
            bare = re.fullmatch(r"\s*(\d{1,3})\s*%?\s*", text)
            if percent is None and bare is not None:
                percent = int(bare.group(1))
            if percent is None or percent > 100:
                return [say(ASK_PERCENT_AGAIN)]
            return self._act(Intent(IntentKind.PROGRESS, percent=percent), occurrence_id, text)
        if waiting.flow is Flow.BLOCKER:
            return self._act(Intent(IntentKind.BLOCKER, reason=text), occurrence_id, text)
        if waiting.flow is Flow.EXTENSION:
            day = relative_day(text, now=now)
            if day is None:
                return [say(ASK_DATE_AGAIN)]
            reason = classify(text, now=now).reason or text
            return self._act(
                Intent(IntentKind.EXTENSION, date=day, reason=reason), occurrence_id, text
            )
        assert waiting.flow is Flow.SNOOZE
        until = snooze_until(text, now=now)
        if until is None:
            return [say(ASK_WHEN_AGAIN)]
        return self._snooze(occurrence_id, until)

    def _which_answer(self, waiting: Waiting, text: str) -> list[Reply]:
        choices = [int(str(i)) for i in _as_list(waiting.data.get("choices"))]
        number = re.fullmatch(r"\s*(\d{1,2})\s*\.?\s*", text)
        if number is None or not 1 <= int(number.group(1)) <= len(choices):
            return [say(N_("Please reply with a number from 1 to {count}."), count=len(choices))]
        occurrence_id = choices[int(number.group(1)) - 1]
        if waiting.data.get("file") is not None:
            return self._evidence_from_flow(waiting, occurrence_id)
        flows.finish(self.session, self.user)
        intent = _intent_from(waiting.data.get("intent"))
        return self._act(intent, occurrence_id, str(waiting.data.get("text", "")))

    def _ask_which(
        self,
        targets: list[int],
        intent: Intent | None,
        text: str,
        *,
        file: dict[str, object] | None = None,
    ) -> Reply:
        shown = targets[:MAX_CHOICES]
        refs = [self._ref(occurrence_id) for occurrence_id in shown]
        data: dict[str, object] = {"choices": shown, "text": text}
        if intent is not None:
            data["intent"] = _intent_json(intent)
        if file is not None:
            data["file"] = file
        flows.start(self.session, self.clock, self.user, Flow.WHICH, data)
        lines = [Text(EVIDENCE_WHICH if file else ASK_WHICH)]
        buttons = []
        for n, ref in enumerate(refs, start=1):
            lines.append(Text(CHOICE_LINE, {"n": n, "code": ref.code, "title": ref.title}))
            payload: dict[str, object] = {"occurrence_id": ref.occurrence_id, "text": text}
            if file is not None:
                payload["do"] = "evidence"
            elif intent is not None:
                payload["intent"] = _intent_json(intent)
            buttons.append(
                (
                    Button(
                        Action.CHOOSE,
                        self._choice(payload),
                        Text("{n}. {code}", {"n": n, "code": ref.code}),
                    ),
                )
            )
        self.session.commit()
        return Reply(lines=tuple(lines), buttons=tuple(buttons))

    def _offer_actions(self, occurrence_id: int, msgid: str) -> Reply:
        ref = self._ref(occurrence_id)
        token = self._occurrence_token(occurrence_id)
        self.session.commit()
        rows = tuple(
            tuple(Button.from_json(button) for button in row) for row in occurrence_buttons(token)
        )
        return Reply(lines=(Text(msgid, {"code": ref.code, "title": ref.title}),), buttons=rows)

    # --- acting ----------------------------------------------------------------------------

    def _act(self, intent: Intent, occurrence_id: int, text: str) -> list[Reply]:
        session, clock, actor, via = self.session, self.clock, self.actor, self.via
        kind = intent.kind
        if kind is IntentKind.DONE:
            ref = mark_done(session, clock, actor, occurrence_id, via=via)
            flows.finish(session, self.user)
            return [say(DONE_OK, code=ref.code, title=ref.title)]
        if kind is IntentKind.PROGRESS:
            if intent.percent is None:
                return [self._ask(Flow.PROGRESS, ASK_PERCENT, occurrence_id)]
            comment = text if text and not re.fullmatch(r"\s*\d{1,3}\s*%?\s*", text) else None
            ref = record_progress(
                session, clock, actor, occurrence_id, percent=intent.percent, comment=comment,
                via=via,
            )  # fmt: skip
            flows.finish(session, self.user)
            return [say(PROGRESS_OK, code=ref.code, title=ref.title, percent=intent.percent)]
        if kind is IntentKind.BLOCKER:
            reason = (intent.reason or "").strip()
            if not reason or fold(reason).strip(" .:!") in BARE_KEYWORDS:
                return [self._ask(Flow.BLOCKER, ASK_REASON, occurrence_id)]
            ref = report_blocker(session, clock, actor, occurrence_id, reason=reason, via=via)
            flows.finish(session, self.user)
            return [say(BLOCKER_OK, code=ref.code, reason=reason)]
        if kind is IntentKind.EXTENSION:
            if intent.date is None:
                return [self._ask(Flow.EXTENSION, ASK_DATE, occurrence_id)]
            ref = request_extension(
                session, clock, actor, occurrence_id, until=intent.date,
                reason=intent.reason or text or "—", via=via,
            )  # fmt: skip
            flows.finish(session, self.user)
            return [say(EXTENSION_OK, code=ref.code, date=show_date(intent.date))]
        assert kind is IntentKind.SNOOZE
        if intent.until is None:
            return [self._snooze_choices(occurrence_id)]
        return self._snooze(occurrence_id, intent.until)

    def _snooze(self, occurrence_id: int, until: datetime) -> list[Reply]:
        ref = snooze(
            self.session, self.clock, self.actor, occurrence_id, until=until, via=self.via
        )
        flows.finish(self.session, self.user)
        when = until.astimezone(TIMEZONE).strftime("%H:%M %d/%m/%Y")
        return [say(SNOOZE_OK, code=ref.code, when=when)]

    # --- files -----------------------------------------------------------------------------

    def _file(self, file: IncomingFile) -> list[Reply]:
        if (
            self.actor.role is Role.ADMIN
            and self.incoming.reply_to is None
            and flows.current(self.session, self.clock, self.user) is None
        ):
            return [preview_plan(self.session, self.clock, self.actor, self.user, file)]
        targets = self._targets()
        if not targets:
            return [say(NO_TASK)]
        if len(targets) == 1:
            return self._evidence(targets[0], file.file_name, file.content, file.media_type)
        import base64

        stored: dict[str, object] = {
            "name": file.file_name,
            "media_type": file.media_type,
            "content": base64.b64encode(file.content).decode("ascii"),
        }
        return [self._ask_which(targets, None, "", file=stored)]

    def _evidence_from_flow(self, waiting: Waiting, occurrence_id: int) -> list[Reply]:
        import base64

        stored = waiting.data.get("file")
        if not isinstance(stored, dict):
            raise EmptyText()
        flows.finish(self.session, self.user)
        return self._evidence(
            occurrence_id,
            str(stored.get("name", "file")),
            base64.b64decode(str(stored.get("content", ""))),
            None if stored.get("media_type") is None else str(stored["media_type"]),
        )

    def _evidence(
        self, occurrence_id: int, name: str, content: bytes, media_type: str | None
    ) -> list[Reply]:
        ref = attach_evidence(
            self.session, self.clock, self.actor, occurrence_id, file_name=name,
            content=content, media_type=media_type, store=self.settings.evidence_dir,
            via=self.via,
        )  # fmt: skip
        return [say(EVIDENCE_OK, file_name=name, code=ref.code)]

    # --- helpers ---------------------------------------------------------------------------

    def _targets(self) -> list[int]:
        """The occurrences a free-text action is about: those of the reminder replied to, else
        the officer's own open ones (a chair or admin must reply to a message)."""
        reply_to = self.incoming.reply_to
        if reply_to is not None:
            return self._replied_occurrences(reply_to)
        if is_manager(self.actor):
            return []
        return [item.occurrence_id for item in queries.items(self.session, self.actor)]

    def _named(self, text: str) -> list[int]:
        """The open occurrences of the task a message names by its code ("xong việc 2.1")."""
        found = _TASK_CODE.search(fold(text))
        if found is None:
            return []
        code = found.group(1).upper()
        return [
            item.occurrence_id
            for item in queries.items(self.session, self.actor)
            if item.code.upper() == code
        ]

    def _replied_occurrences(self, reply_to: str) -> list[int]:
        rows = self.session.exec(
            select(Outbox).where(
                Outbox.platform_message_id == reply_to, Outbox.officer_id == self.actor.id
            )
        ).all()
        tokens = list(dict.fromkeys(token for row in rows for token in _tokens_in(row.payload)))
        if not tokens:
            return []
        found = self.session.exec(
            select(ActionToken).where(
                col(ActionToken.token).in_(tokens),
                ActionToken.officer_id == self.actor.id,
                ActionToken.subject == TokenSubject.OCCURRENCE,
                col(ActionToken.expires_at) > self.clock.now(),
            )
        ).all()
        ids: list[int] = []
        for row in sorted(found, key=lambda r: tokens.index(r.token)):
            if row.occurrence_id is not None and row.occurrence_id not in ids:
                ids.append(row.occurrence_id)
        open_ = {item.occurrence_id for item in queries.items(self.session, self.actor)}
        return [i for i in ids if i in open_] or ids

    def _redeem(self, token: str, subject: TokenSubject) -> ActionToken:
        return redeem_token(self.session, self.clock, self.actor, token, subject)

    def _occurrence_token(self, occurrence_id: int) -> str:
        return issue_token(
            self.session, self.clock, self.actor, TokenSubject.OCCURRENCE,
            occurrence_id=occurrence_id,
        )  # fmt: skip

    def _choice(self, data: dict[str, object]) -> str:
        return issue_token(self.session, self.clock, self.actor, TokenSubject.CHOICE, data=data)

    def _ref(self, occurrence_id: int) -> TaskRef:
        occurrence, task = access_occurrence(self.session, self.actor, occurrence_id)
        return TaskRef.of(occurrence, task)

    def _org(self) -> Organization:
        org = self.session.get(Organization, self.actor.organization_id)
        assert org is not None
        return org


class _Turner:
    """Issues the token of another page of a list (addressed to whoever asked)."""

    def __init__(self, turn: _Turn, view: str, args: dict[str, object]) -> None:
        self._turn = turn
        self._view = view
        self._args = args

    def __call__(self, page: int) -> str:
        token = issue_token(
            self._turn.session,
            self._turn.clock,
            self._turn.actor,
            TokenSubject.PAGE,
            data={"view": self._view, "page": page, **self._args},
        )
        self._turn.session.commit()
        return token


_EIGHT: Final = datetime.min.time().replace(hour=8)


def _tokens_in(payload: object) -> list[str]:
    """Every button token a reminder's payload carries (digest items, buttons)."""
    found: list[str] = []
    if isinstance(payload, dict):
        for key, value in payload.items():
            if key == "token" and isinstance(value, str):
                found.append(value)
            else:
                found.extend(_tokens_in(value))
    elif isinstance(payload, list):
        for value in payload:
            found.extend(_tokens_in(value))
    return found


def _intent_json(intent: Intent) -> dict[str, object]:
    return {
        "kind": intent.kind.value,
        "percent": intent.percent,
        "date": intent.date.isoformat() if intent.date else None,
        "reason": intent.reason,
        "until": intent.until.isoformat() if intent.until else None,
    }


def _intent_from(data: object) -> Intent:
    if not isinstance(data, dict):
        return Intent(IntentKind.UNKNOWN)
    from datetime import date

    percent = data.get("percent")
    day = data.get("date")
    until = data.get("until")
    reason = data.get("reason")
    return Intent(
        IntentKind(str(data.get("kind", "unknown"))),
        percent=int(percent) if isinstance(percent, int) else None,
        date=date.fromisoformat(day) if isinstance(day, str) else None,
        reason=reason if isinstance(reason, str) else None,
        until=datetime.fromisoformat(until) if isinstance(until, str) else None,
    )


def _as_list(value: object) -> list[object]:
    return list(value) if isinstance(value, list) else []
