"""Slash commands (`commands.parse_command` reads them): each a small handler of a turn."""

from collections.abc import Callable
from typing import Final

from bot.conversation import giving, lists, reporting
from bot.conversation.context import Turn
from bot.conversation.incoming import Command
from bot.conversation.messages import (
    CANCELLED,
    IMPORT_HOWTO,
    INVITE_LINES,
    LANGUAGE_SET,
    LANGUAGE_SET_VI,
    NEED_NAME,
    REMINDED,
    REOPEN_USAGE,
    REOPENED_AT,
    REOPENED_OK,
    WELCOME_BACK,
)
from services.conversing import flows
from services.errors import EmptyName
from services.messages import Reply, Text, say
from services.people.invites import create_invite
from services.people.organizations import office_of
from services.people.preferences import set_locale
from services.tracking import nudges
from services.tracking.reopening import reopen_task
from services.tracking.task_list import task_to_change

Handler = Callable[[Turn, str], list[Reply]]


def on_command(turn: Turn, name: Command, arg: str) -> list[Reply]:
    """Answer `/name arg`."""
    return _HANDLERS[name](turn, arg)


def _start(turn: Turn, _arg: str) -> list[Reply]:
    return [say(WELCOME_BACK, name=turn.actor.name)]


def _language(turn: Turn, arg: str) -> list[Reply]:
    wanted = arg or ("en" if turn.actor.locale == "vi" else "vi")
    officer = set_locale(turn.session, turn.actor, wanted)
    return [say(LANGUAGE_SET if officer.locale == "en" else LANGUAGE_SET_VI)]


def _cancel(turn: Turn, _arg: str) -> list[Reply]:
    flows.finish(turn.session, turn.chat)
    return [say(CANCELLED)]


def _overdue(turn: Turn, arg: str) -> list[Reply]:
    """/quahan, or /quahan UNIT-OR-NAME: the overdue work the words narrow it to, among what
    the asker may see (as "phòng văn hóa còn gì quá hạn?" asks it)."""
    if not arg:
        return [lists.overdue_page(turn, 0)]
    return [lists.found_page(turn, 0, arg, late=True)]


def _remind(turn: Turn, arg: str) -> list[Reply]:
    try:
        nudged = nudges.remind_now(turn.session, turn.clock, turn.actor, arg)
    except EmptyName:
        return [say(NEED_NAME, example="/nhac Minh")]
    return [say(REMINDED, count=nudged.count, name=nudged.officer)]


def _invite(turn: Turn, arg: str) -> list[Reply]:
    try:
        card = create_invite(turn.session, turn.clock, turn.actor, arg)
    except EmptyName:
        return [say(NEED_NAME, example="/moi Phạm Văn Minh")]
    expires = card.expires_at.astimezone(turn.clock.zone).date()  # an instant: the ward's day
    lines = [Text(INVITE_LINES[0], {"name": card.officer, "date": expires})]
    if turn.settings.bot_username:
        lines.append(Text(INVITE_LINES[1], {"link": card.deep_link(turn.settings.bot_username)}))
    lines.append(Text(INVITE_LINES[2], {"code": card.code}))
    return [Reply(lines=tuple(lines))]


def _import(turn: Turn, _arg: str) -> list[Reply]:
    """/nhap: how to send a plan, to the office (`office_of` refuses anyone else, as the web's
    import page does)."""
    office_of(turn.session, turn.actor)
    return [say(IMPORT_HOWTO)]


def _reopen(turn: Turn, arg: str) -> list[Reply]:
    """/mo CODE: the chair or an admin opens a done or cancelled task again."""
    code = arg.split()[0] if arg else ""
    if not code:
        return [say(REOPEN_USAGE)]
    return [reopened(turn, task_to_change(turn.session, turn.actor, code).id or 0)]


def reopened(turn: Turn, task_id: int) -> Reply:
    """Open task `task_id` again and say so (`reopening.reopen_task` picks what opens)."""
    done = reopen_task(turn.session, turn.clock, turn.actor, task_id, via=turn.via)
    if done.was_cancelled:
        return say(REOPENED_OK, code=done.code, title=done.title)
    return say(REOPENED_AT, code=done.code, title=done.title, progress=done.progress)


_HANDLERS: Final[dict[Command, Handler]] = {
    Command.START: _start,
    Command.HELP: lambda turn, _arg: lists.help_lines(turn),
    Command.LANG: _language,
    Command.CANCEL: _cancel,
    Command.TASKS: lambda turn, arg: [lists.tasks_page(turn, 0, arg)],
    Command.OVERDUE: _overdue,
    Command.SUMMARY: lambda turn, _arg: [lists.summary(turn)],
    Command.QUARTER: lambda turn, arg: [lists.quarter_page(turn, 0, arg)],
    Command.BLOCKERS: lambda turn, _arg: [lists.blockers_page(turn, 0)],
    Command.REMIND: _remind,
    Command.OFFICERS: lambda turn, _arg: [lists.officers_page(turn, 0)],
    Command.UNITS: lambda turn, _arg: [lists.units_page(turn, 0)],
    Command.INVITE: _invite,
    Command.IMPORT: _import,
    Command.REOPEN: _reopen,
    Command.REPORT: lambda turn, arg: reporting.report(turn, arg),
    Command.GIVE: lambda turn, arg: [giving.preview(turn, arg)],
    Command.REDATE: giving.redate_command,
    Command.ASSIGN: giving.assign_command,
    Command.CANCEL_TASK: giving.cancel_command,
}
