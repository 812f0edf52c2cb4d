"""What the bot says, channel-neutral: text as msgid + params, and the actions offered under it.

Telegram renders actions as inline buttons, Zalo as numbered choices, the web chat as buttons.
Every channel renders the text for the recipient with `render_text(locale, text)`.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from locales import translate

Param = str | int


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


@dataclass(frozen=True, slots=True)
class Text:
    """A sentence to show: an English msgid (translated when shown) and its named params."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        """A JSON form, for outbox payloads."""
        return {"msgid": self.msgid, "params": dict(self.params)}

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
class Reply:
    """One message: lines of text, then rows of buttons.

    `edit_of` names a message the channel should edit in place instead of sending anew (a
    reminder whose task was just marked done); channels that cannot edit send it anew.
    """

    lines: tuple[Text, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()
    edit_of: str | None = None
    attachment: "Attachment | None" = None

    def to_json(self) -> dict[str, object]:
        """A JSON form, for outbox payloads (attachments are not kept in the outbox)."""
        return {
            "lines": [line.to_json() for line in self.lines],
            "buttons": [[button.to_json() for button in row] for row in self.buttons],
            "edit_of": self.edit_of,
        }

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


@dataclass(frozen=True, slots=True)
class Attachment:
    """A file sent with a reply (an Excel report, a chart)."""

    file_name: str
    content: bytes
    media_type: str


def say(msgid: str, /, **params: Param) -> Reply:
    """A one-line reply without buttons."""
    return Reply(lines=(Text(msgid, params),))


def render_text(locale: str, text: Text) -> str:
    """`text` in `locale`."""
    return translate(locale, text.msgid, **text.params)


def render_lines(locale: str, reply: Reply) -> str:
    """The reply's lines in `locale`, one per line."""
    return "\n".join(render_text(locale, line) for line in reply.lines)


def _param(value: object) -> Param:
    return value if isinstance(value, int) and not isinstance(value, bool) else str(value)
