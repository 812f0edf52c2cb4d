"""What dondoc says, channel-neutral and typed: text as msgid + params, the buttons under it, and
a digest, its items and the reply it becomes. `services` builds notices with them, `jobs` turns
outbox rows into replies with them (`render`), `bot` renders them per channel; nothing here
knows a platform.

Telegram renders buttons as inline buttons, Zalo as numbered choices, the web chat as buttons.
Every channel renders the text for the recipient with `render_text(locale, text)`. Outbox rows
keep these values as JSON (`to_json`); they become typed again when read (`from_json`).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any, Final

from locales import N_, aware, translate
from models import ItemKind, OutboxKind

Param = str | int | date | datetime | time
"""A message param: text, a number, a day, a moment (an aware `datetime` already in the ward's
zone: `instant.astimezone(clock.zone)`) or a time of day, each written as the reader's locale
writes it when the message is rendered (`locales.translate`)."""


class Action(StrEnum):
    """Something a person can do by pressing a button (or answering with its number on Zalo)."""

    DONE = "done"
    PROGRESS = "progress"
    BLOCKER = "blocker"
    EXTEND = "extend"
    SNOOZE = "snooze"
    RESOLVE = "resolve"
    APPROVE = "approve"
    DENY = "deny"
    CONFIRM = "confirm"
    CANCEL = "cancel"
    CHOOSE = "choose"
    PAGE = "page"
    UNDO = "undo"
    REOPEN = "reopen"
    OPEN = "open"
    """Show one task of a message about several, with its own buttons."""


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence to show: an English msgid (translated when shown) and its named params."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """A JSON form, for outbox payloads."""
        return {
            "msgid": self.msgid,
            "params": {name: _param_json(value) for name, value in self.params.items()},
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Text":
        """The inverse of `to_json`."""
        params = data.get("params") or {}
        assert isinstance(params, Mapping)
        return cls(msgid=str(data["msgid"]), params={str(k): _param(v) for k, v in params.items()})


@dataclass(frozen=True, slots=True)
class Button:
    """One action under a message; `token` names a server-side row, never trusted as such."""

    action: Action
    token: str
    label: Text

    def to_json(self) -> dict[str, object]:
        """A JSON form, for outbox payloads."""
        return {"action": self.action.value, "token": self.token, "label": self.label.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Button":
        """The inverse of `to_json`."""
        label = data["label"]
        assert isinstance(label, Mapping)
        return cls(
            action=Action(str(data["action"])),
            token=str(data["token"]),
            label=Text.from_json(label),
        )


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply (an Excel report, a chart).

    `link`, when set, is where dondoc's web app serves the same file to whoever may see it: the
    web chat shows it as a download (a chart as a picture) instead of keeping the bytes.
    """

    file_name: str
    content: bytes
    media_type: str
    link: str | None = None

    def to_json(self) -> dict[str, object]:
        """What is kept of it (never the bytes; a reply read back has no attachment)."""
        return {"file_name": self.file_name, "media_type": self.media_type, "link": self.link}


Rows = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: lines of text, then rows of buttons.

    `edit_of` names a message the channel should edit in place instead of sending anew (a
    reminder whose task was just marked done); channels that cannot edit send it anew.
    """

    lines: tuple[Text, ...]
    buttons: Rows = ()
    edit_of: str | None = None
    attachment: Attachment | None = None

    def to_json(self) -> dict[str, object]:
        """A JSON form, for outbox payloads and the web chat's transcript (an attachment is
        kept only as its name and link, never its bytes)."""
        data: dict[str, object] = {
            "lines": [line.to_json() for line in self.lines],
            "buttons": [[button.to_json() for button in row] for row in self.buttons],
            "edit_of": self.edit_of,
        }
        if self.attachment is not None and self.attachment.link is not None:
            data["attachment"] = self.attachment.to_json()
        return data

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Reply":
        """The inverse of `to_json`."""
        lines = data.get("lines") or []
        rows = data.get("buttons") or []
        assert isinstance(lines, list)
        assert isinstance(rows, list)
        edit_of = data.get("edit_of")
        return cls(
            lines=tuple(Text.from_json(line) for line in lines),
            buttons=tuple(tuple(Button.from_json(b) for b in row) for row in rows),
            edit_of=None if edit_of is None else str(edit_of),
        )

    def all_buttons(self) -> tuple[Button, ...]:
        """Every button, row by row."""
        return tuple(button for row in self.buttons for button in row)

    def tokens(self) -> tuple[str, ...]:
        """The distinct tokens of its buttons, in the order the message shows them."""
        return tuple(dict.fromkeys(button.token for button in self.all_buttons()))


def say(msgid: str, /, **params: Param) -> Reply:
    """A one-line reply without buttons."""
    return Reply(lines=(Text(msgid, params),))


def render_text(locale: str, text: Text) -> str:
    """`text` in `locale`."""
    return translate(locale, text.msgid, **text.params)


def render_lines(locale: str, reply: Reply) -> str:
    """The reply's lines in `locale`, one per line."""
    return "\n".join(render_text(locale, line) for line in reply.lines)


# --- the buttons under a task (a reminder, a digest item, "what would you like to do?") --------

TASK_ACTIONS: Final = (
    (Action.DONE, N_("✅ Done"), N_("✅ {code}")),
    (Action.PROGRESS, N_("📊 Progress"), N_("📊 {code}")),
    (Action.BLOCKER, N_("🚧 Blocker"), N_("🚧 {code}")),
    (Action.EXTEND, N_("📅 Extension"), N_("📅 {code}")),
    (Action.SNOOZE, N_("⏰ Later"), N_("⏰ {code}")),
)
UNDO_LABEL: Final = N_("↩️ Undo")


def task_buttons(token: str, *, code: str | None = None) -> Rows:
    """The ✅ 📊 🚧 📅 ⏰ buttons for one task's `token`: full labels on two rows, or one row of
    short labels naming `code` when a message offers them for several tasks."""
    if code is not None:
        return (
            tuple(
                Button(action, token, Text(short, {"code": code}))
                for action, _, short in TASK_ACTIONS
            ),
        )
    buttons = tuple(Button(action, token, Text(label)) for action, label, _ in TASK_ACTIONS)
    return (buttons[:3], buttons[3:])


def open_button(token: str, *, code: str, title: str) -> Button:
    """A "Chọn việc" entry: the task `code`, which shows it with its own buttons when pressed."""
    return Button(
        Action.OPEN, token, Text(N_("📋 {code}. {title}"), {"code": code, "title": shorten(title)})
    )


def _one_line(text: str) -> bool:
    """Whether `text` is already on one line with single spaces (what `shorten` makes of it):
    printable excludes every other white space (tabs, new lines, no-break spaces…)."""
    return text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " "


def shorten(text: str, limit: int = 40) -> str:
    """`text` on one line and at most `limit` characters, cut between words ("…" marks it)."""
    if len(text) <= limit and _one_line(text):
        return text
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if not text[limit - 1].isspace() and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–") + "…"


def undo_button(token: str) -> Button:
    """The "↩️ Hoàn tác" button under what a chat message changed."""
    return Button(Action.UNDO, token, Text(UNDO_LABEL))


# --- the items of a digest -----------------------------------------------------------------


class ItemRole(StrEnum):
    """Why the recipient hears of an item: they lead it, coordinate it, chair, run the office."""

    LEAD = "lead"
    COORDINATOR = "coordinator"
    CHAIR = "chair"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Counts:
    """A weekly summary's figures (the chair's) and code lists (the chair's and the admins')."""

    open: int = 0
    overdue: int = 0
    soon: int = 0
    blocked: int = 0
    awaiting: int = 0
    done_week: int = 0
    overdue_codes: tuple[str, ...] = ()
    soon_codes: tuple[str, ...] = ()
    blocked_codes: tuple[str, ...] = ()
    awaiting_codes: tuple[str, ...] = ()
    unrecognised_codes: tuple[str, ...] = ()
    unassigned_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One thing a digest tells: `kind` is a `models.ItemKind` value (before, due, overdue,
    check-in, escalation, unassigned, summary); `token` is the button token of a task the
    recipient leads."""

    kind: str
    role: ItemRole
    task: str | None = None
    title: str = ""
    due: date | None = None
    days: int = 0
    deadline: str = ""
    ongoing: bool = False
    units: tuple[str, ...] = ()
    lead: tuple[str, ...] = ()
    token: str | None = None
    counts: Counts | None = None

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "DigestItem":
        """An item of a digest payload, as the reminder engine wrote it."""
        due = data.get("due")
        counts = None
        if data.get("kind") == "summary":
            counts = Counts(**{f.name: _figure(f.type, data.get(f.name)) for f in fields(Counts)})
        token = data.get("token")
        task = data.get("task")
        return cls(
            kind=str(data["kind"]),
            role=ItemRole(str(data.get("role") or ItemRole.LEAD)),
            task=None if task is None else str(task),
            title=str(data.get("title") or ""),
            due=date.fromisoformat(str(due)) if due else None,
            days=_int(data.get("days")),
            deadline=str(data.get("deadline") or ""),
            ongoing=bool(data.get("ongoing")),
            units=_strings(data.get("units")),
            lead=_strings(data.get("lead")),
            token=str(token) if token else None,
            counts=counts,
        )


@dataclass(frozen=True, slots=True)
class Digest:
    """An outbox digest: the moment it is for and its items, most urgent first."""

    moment: str
    items: tuple[DigestItem, ...]

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Digest":
        """A digest payload as the reminder engine wrote it."""
        items = data.get("items") or []
        assert isinstance(items, list)
        return cls(
            moment=str(data.get("moment") or ""),
            items=tuple(DigestItem.from_json(item) for item in items if isinstance(item, Mapping)),
        )


# --- a digest as a message ------------------------------------------------------------------

MAX_BUTTON_ROWS: Final = 8
_HEADERS: Final = {
    "officer": N_("Dear {name}, dondoc reminds you of your tasks:"),
    "chair": N_("Dear {name}, for your attention:"),
    "admin": N_("Dear {name}, for the office:"),
}
_FOOTER: Final = N_(
    'Choose below, or reply in words ("xong rồi", "vướng: …", "gia hạn đến 20/7").'
)
_FOOTER_SEVERAL: Final = N_(
    "The first buttons are for task {code}, the most urgent; choose another task from the "
    "list below to answer it."
)
_MORE: Final = N_("And {count} more: write /viec to see them all.")


def render(kind: OutboxKind, payload: Mapping[str, object], *, name: str, role: str) -> Reply:
    """The reply an outbox row stands for (`name` and `role` are the recipient's), in the
    recipient's language when a channel renders it: a digest, or a reply stored as
    `Reply.to_json()`."""
    if kind is OutboxKind.DIGEST:
        return render_digest(Digest.from_json(payload), name=name, role=role)
    return Reply.from_json(payload)


def render_digest(digest: Digest, *, name: str, role: str) -> Reply:
    """A digest: a greeting, one line per item (a summary may take several), and buttons that
    read on a phone: the most urgent task's actions with their labels, then a "Chọn việc" list
    of the others (each opens that task with its own buttons), within the rows a chat allows."""
    lines: list[Text] = [Text(_HEADERS.get(role, _HEADERS["officer"]), {"name": name})]
    actionable: list[DigestItem] = []
    for item in digest.items:
        lines.extend(item_lines(item))
        if item.token:
            actionable.append(item)
    if not actionable:
        return Reply(lines=tuple(lines))
    first, others = actionable[0], actionable[1:]
    assert first.token is not None
    rows: list[tuple[Button, ...]] = list(task_buttons(first.token))
    if not others:
        lines.append(Text(_FOOTER))
        return Reply(lines=tuple(lines), buttons=tuple(rows))
    listed = others[: MAX_BUTTON_ROWS - len(rows)]
    for item in listed:
        assert item.token is not None
        rows.append((open_button(item.token, code=item.task or "", title=item.title),))
    lines.append(Text(_FOOTER_SEVERAL, {"code": first.task or ""}))
    if len(listed) < len(others):
        lines.append(Text(_MORE, {"count": len(others) - len(listed)}))
    return Reply(lines=tuple(lines), buttons=tuple(rows))


def item_lines(item: DigestItem) -> list[Text]:
    """The lines that tell one item."""
    kind = ItemKind(item.kind)
    params: dict[str, Param] = {
        "code": item.task or "",
        "title": item.title,
        "due": item.due or "",
        "days": item.days,
    }
    if kind is ItemKind.SUMMARY:
        return _summary_lines(item.role, item.counts or Counts())
    if kind is ItemKind.ESCALATION:
        params["lead"] = ", ".join(item.lead) or "—"
        msgid = N_("• {code}. {title}: {days} working days overdue (due {due}); lead: {lead}.")
    elif kind is ItemKind.UNASSIGNED and not item.units:
        msgid = N_("• {code}. {title}: nobody to remind, the task has no lead unit.")
    elif kind is ItemKind.UNASSIGNED:
        params["units"] = ", ".join(item.units)
        msgid = N_("• {code}. {title}: nobody to remind, {units} has no officer in dondoc.")
    elif kind is ItemKind.OVERDUE and item.days == 1:
        msgid = N_("• {code}. {title}: overdue since {due} (1 working day).")
    elif kind is ItemKind.OVERDUE:
        msgid = N_("• {code}. {title}: overdue since {due} ({days} working days).")
    elif kind is ItemKind.CHECKIN and (item.ongoing or item.due is None):
        params["deadline"] = item.deadline
        msgid = N_("• {code}. {title} ({deadline}): how is it going?")
    elif kind is ItemKind.CHECKIN:
        msgid = N_("• {code}. {title}: runs until {due}; what has been done so far?")
    elif item.role is ItemRole.COORDINATOR:
        params["lead"] = ", ".join(item.lead) or "—"
        msgid = N_("• {code}. {title}: you coordinate ({lead} leads), due {due}.")
    elif item.days == 0:
        msgid = N_("• {code}. {title}: due today ({due}).")
    elif item.days == 1:
        msgid = N_("• {code}. {title}: due tomorrow ({due}).")
    else:
        msgid = N_("• {code}. {title}: due {due}, {days} days left.")
    return [Text(msgid, params)]


_OFFICE_LISTS: Final = (
    ("awaiting_codes", N_("Awaiting direction from above: {codes}.")),
    ("unrecognised_codes", N_("Deadline not understood, please set one: {codes}.")),
    ("unassigned_codes", N_("Nobody to remind: {codes}.")),
)
"""The code lists of the admins' summary (which has no figures): a `Counts` field, its line."""
_CHAIR_LISTS: Final = (
    ("overdue_codes", N_("Most overdue: {codes}.")),
    ("soon_codes", N_("Due within 7 days: {codes}.")),
    ("blocked_codes", N_("Blocked: {codes}.")),
)
"""The code lists under the chair's figures."""


def _summary_lines(role: ItemRole, counts: Counts) -> list[Text]:
    """A weekly summary: the chair's figures (the int fields of `Counts`), then the code lists
    that are not empty; the admins' has its own lists and no figures."""
    lines = []
    if role is not ItemRole.ADMIN:
        figures: dict[str, Param] = {
            f.name: getattr(counts, f.name) for f in fields(Counts) if f.type is int
        }
        lines.append(
            Text(
                N_(
                    "This week: {open} open, {overdue} overdue, {soon} due within 7 days, "
                    "{blocked} blocked, {awaiting} awaiting direction; {done_week} done."
                ),
                figures,
            )
        )
    for name, msgid in _OFFICE_LISTS if role is ItemRole.ADMIN else _CHAIR_LISTS:
        if codes := getattr(counts, name):
            lines.append(Text(msgid, {"codes": ", ".join(codes)}))
    return lines


def _param_json(value: Param) -> object:
    """A param as JSON: a day as {"day": "2025-03-10"}, a moment as {"moment":
    "2025-03-10T07:30:00+07:00"} (refused when naive), a time of day as {"clock": "07:30:00"},
    which no text param is."""
    if isinstance(value, datetime):
        return {"moment": aware(value).isoformat()}
    if isinstance(value, date | time):
        return {"day" if isinstance(value, date) else "clock": value.isoformat()}
    return value


def _param(value: object) -> Param:
    """The inverse of `_param_json`; a string stays as it was written (payloads stored before
    days and moments were params hold them already written)."""
    if isinstance(value, Mapping) and isinstance(value.get("day"), str):
        return date.fromisoformat(value["day"])
    if isinstance(value, Mapping) and isinstance(value.get("moment"), str):
        return datetime.fromisoformat(value["moment"])
    if isinstance(value, Mapping) and isinstance(value.get("clock"), str):
        return time.fromisoformat(value["clock"])
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _figure(kind: object, value: object) -> Any:
    """A `Counts` field of a payload, by the field's type: a figure, or a list of task codes
    (`Any`: the type a field name asks for is the field's own, not one mypy can follow)."""
    return _int(value) if kind is int else _strings(value)


def _strings(value: object) -> tuple[str, ...]:
    if not isinstance(value, Sequence) or isinstance(value, str):
        return ()
    return tuple(str(item) for item in value if item)
