"""Slash commands: the Vietnamese name and its English alias name one command."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Command(StrEnum):
    """What a slash command asks for."""

    START = "start"
    HELP = "help"
    LANG = "lang"
    CANCEL = "cancel"
    TASKS = "tasks"
    OVERDUE = "overdue"
    SUMMARY = "summary"
    QUARTER = "quarter"
    BLOCKERS = "blockers"
    REMIND = "remind"
    OFFICERS = "officers"
    UNITS = "units"
    INVITE = "invite"
    IMPORT = "import"
    REOPEN = "reopen"
    REPORT = "report"
    GIVE = "give"
    REDATE = "redate"
    ASSIGN = "assign"
    CANCEL_TASK = "cancel_task"


NAMES: Final[dict[Command, tuple[str, ...]]] = {
    Command.START: ("start", "batdau"),
    Command.HELP: ("huongdan", "help", "trogiup"),
    Command.LANG: ("lang", "ngonngu"),
    Command.CANCEL: ("huy", "cancel"),
    Command.TASKS: ("viec", "tasks"),
    Command.OVERDUE: ("quahan", "overdue"),
    Command.SUMMARY: ("tonghop", "summary"),
    Command.QUARTER: ("quy", "quarter"),
    Command.BLOCKERS: ("vuongmac", "blockers"),
    Command.REMIND: ("nhac", "remind"),
    Command.OFFICERS: ("canbo", "officers"),
    Command.UNITS: ("donvi", "units"),
    Command.INVITE: ("moi", "invite"),
    Command.IMPORT: ("nhap", "import"),
    Command.REOPEN: ("mo", "reopen"),
    Command.REPORT: ("baocao", "report"),
    Command.GIVE: ("giao", "give"),
    Command.REDATE: ("doihan", "due"),
    Command.ASSIGN: ("giaolai", "assign"),
    Command.CANCEL_TASK: ("huyviec", "canceltask"),
}
_BY_NAME: Final = {name: command for command, names in NAMES.items() for name in names}


@dataclass(frozen=True, slots=True)
class Invocation:
    """A command and the rest of the line."""

    name: Command
    arg: str


def parse_command(text: str) -> Invocation | None:
    """`/quy 2` → (QUARTER, "2"); `/start@dondoc_bot abc` → (START, "abc"); else None (an
    unknown command too, so that it is read as text and answered politely)."""
    if not text.startswith("/"):
        return None
    head, _, rest = text[1:].partition(" ")
    name = head.split("@", 1)[0].lower()
    command = _BY_NAME.get(name)
    if command is None:
        return None
    return Invocation(command, " ".join(rest.split()))
