"""What a channel hands the conversation layer: who wrote, and what (text, a button, a file),
and the slash commands a text may be (the Vietnamese name and its English alias name one)."""

from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Final, Protocol

from locales import N_
from models.enums import Channel
from services.messages import Action, Reply, say

MAX_TEXT_CHARS: Final = {
    Channel.TELEGRAM: 4096,
    Channel.ZALO: 2000,
    Channel.WEB: 4096,
    Channel.CONSOLE: 4096,
}
"""The longest message each channel carries (Telegram's own limit; Zalo's; the web chat and the
console keep Telegram's): a longer one is read only up to it."""
MESSAGE_CUT: Final = N_(
    "Your message was longer than {limit} characters: I read only its first {limit}."
)


@dataclass(frozen=True, slots=True)
class ChatUser:
    """The person writing, as the channel knows them."""

    channel: Channel
    user_id: str
    chat_id: str
    display_name: str | None = None
    language_code: str | None = None
    is_private: bool = True  # a one-to-one chat with the bot, not a group or a channel


@dataclass(frozen=True, slots=True)
class Press:
    """A button pressed (or, on Zalo, a numbered choice answered): action + server-side token."""

    action: Action
    token: str


@dataclass(frozen=True, slots=True)
class IncomingFile:
    """A document or photo sent in the chat (a plan to import, evidence for a task)."""

    file_name: str
    content: bytes
    media_type: str | None = None


@dataclass(frozen=True, slots=True)
class Incoming:
    """One update: text, a press or a file; `reply_to` is the platform id of the message the
    user answered (a reminder), when the channel tells: the message they chose (Telegram's
    reply), or the one the channel takes a text to answer (`reply_chosen` False: Zalo's last
    numbered prompt)."""

    user: ChatUser
    text: str | None = None
    press: Press | None = None
    file: IncomingFile | None = None
    reply_to: str | None = None
    message_id: str | None = None
    reply_chosen: bool = True


def cut_to_limit(incoming: Incoming) -> tuple[Incoming, Reply | None]:
    """`incoming` with its text cut to its channel's limit, and the reply that says so if cut."""
    limit = MAX_TEXT_CHARS[incoming.user.channel]
    if incoming.text is None or len(incoming.text) <= limit:
        return incoming, None
    return replace(incoming, text=incoming.text[:limit]), say(MESSAGE_CUT, limit=limit)


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


class ConversationHandler(Protocol):
    """The conversation layer as the channels see it."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Answer one update with the replies for the same chat (others are told via the
        outbox)."""
        ...
