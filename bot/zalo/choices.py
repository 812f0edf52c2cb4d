"""Numbered choices: how a `Reply`'s buttons look on Zalo, which has no buttons, and how an
answer is read back.

A reminder's buttons become "1 ✅ Xong · 2 📊 Tiến độ · 3 🚧 Vướng mắc" (one line per row of
buttons) under a hint; the answer "1", "số 1", "#1" or the choice's own words ("xong") names the
choice. The choices of the last prompt sent to a chat are kept (`bot/zalo/prompts.py`) so that
the answer can be turned into the `Press` that button would have been.

One meaning per number: a "which task?" list offers its tasks by their codes, not by numbers
(the code is what people type), and a bare number that is both a choice's number and a task
code the prompt shows ("2" under a digest of tasks 1 and 2) is asked back (`AMBIGUOUS`), never
guessed; "số 2" then picks the choice, "việc 2" names the task.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from locales import N_, translate
from plans.folding import fold
from services.messages import Action, Button, Reply, render_lines, render_text

ANSWER_HINT: Final = N_("Reply with the number of your choice, e.g. 1.")
ASK_BACK: Final = N_(
    "Do you mean choice {n} ({label}) or task {n}? Reply “số {n}” for the choice, "
    "or “việc {n}” and what to do, e.g. “việc {n} xong rồi”."
)
SEPARATOR: Final = " · "
# Choices that are used once (which task, which moment, approve or deny an extension, confirm an
# import); a reminder's actions (done, progress, blocker …) can be answered again.
ONE_SHOT: Final = frozenset(
    {Action.CHOOSE, Action.CONFIRM, Action.CANCEL, Action.APPROVE, Action.DENY}
)
_NUMBER: Final = re.compile(r"^(so|chon|phuong an|lua chon|#)?\s*(\d{1,2})\s*[.)]?$")
_CODE: Final = re.compile(r"^(?:viec|ma|task)?\s*([0-9ivx]+(?:\.[0-9a-z]+)*)\s*[.)]?$")
# Words that name an action whatever its label says (normalized: no accents, lower case).
_ALIASES: Final[Mapping[Action, frozenset[str]]] = {
    Action.DONE: frozenset({"xong", "da xong", "hoan thanh", "da hoan thanh", "done"}),
    Action.BLOCKER: frozenset({"vuong", "vuong mac", "blocker"}),
    Action.PROGRESS: frozenset({"tien do", "progress"}),
    Action.EXTEND: frozenset({"gia han", "xin gia han", "extension"}),
    Action.SNOOZE: frozenset({"nhac lai", "nhac lai sau", "de sau", "later"}),
}


@dataclass(frozen=True, slots=True)
class Choice:
    """One numbered choice: the button it stands for (action, token) and its label as shown."""

    number: int
    action: Action
    token: str
    label: str
    code: str | None = None

    @property
    def by_code(self) -> bool:
        """Whether it is offered by its task's code only (a "which task?" list)."""
        return self.action is Action.CHOOSE and self.code is not None

    def to_json(self) -> dict[str, object]:
        """A JSON form, for the prompt's row."""
        return {
            "n": self.number,
            "action": self.action.value,
            "token": self.token,
            "label": self.label,
            "code": self.code,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> "Choice":
        """The inverse of `to_json`."""
        number = data["n"]
        assert isinstance(number, int)
        return cls(
            number=number,
            action=Action(str(data["action"])),
            token=str(data["token"]),
            label=str(data["label"]),
            code=None if data.get("code") is None else str(data["code"]),
        )


@dataclass(frozen=True, slots=True)
class AskBack:
    """A bare number that could be a choice or a task code: which one is meant is asked."""

    choice: Choice


def choices_of(locale: str, reply: Reply) -> list[Choice]:
    """The reply's buttons, numbered from 1 in reading order, labelled in `locale`."""
    return [
        Choice(number, button.action, button.token, _label(locale, button), _code(button))
        for number, button in enumerate(reply.all_buttons(), start=1)
    ]


def render(locale: str, reply: Reply) -> str:
    """The reply as one Zalo text: its lines, then its buttons as numbered choices and a hint.

    A button whose label carries its own number ("2. 2.1") and already opens a line of the text
    (a "which task?" list) is not shown twice; when all are like that, the text has asked for
    the number itself and no hint is added."""
    text = render_lines(locale, reply)
    if not reply.buttons:
        return text
    shown_lines = [line.strip() for line in text.split("\n")]
    rows: list[str] = []
    number = 0
    for row in reply.buttons:
        cells = []
        for button in row:
            number += 1
            label = _label(locale, button)
            if button.action is Action.CHOOSE and _code(button) is not None:
                continue  # offered by its code, which the text's lines show
            if not label.startswith((f"{number}.", f"{number} ")):
                cells.append(f"{number} {label}")
            elif not any(line.startswith(label) for line in shown_lines):
                cells.append(label)
        if cells:
            rows.append(SEPARATOR.join(cells))
    if not rows:
        return text
    parts = [text] if text else []
    parts.append("\n".join(rows))
    parts.append(translate(locale, ANSWER_HINT))
    return "\n\n".join(parts)


def pick(text: str, choices: Sequence[Choice]) -> Choice | AskBack | None:
    """The choice `text` answers ("1", "số 1", "xong", a listed task's code), `AskBack` when a
    bare number could also be a task code, or None when it is not an answer."""
    words = answer_key(text)
    if not words:
        return None
    coded = _CODE.match(words)
    if coded is not None:
        listed = [c for c in choices if c.by_code and c.code == coded.group(1).upper()]
        if len(listed) == 1:
            return listed[0]
    number = _NUMBER.match(words)
    if number is not None:
        wanted = int(number.group(2))
        found = next((c for c in choices if c.number == wanted and not c.by_code), None)
        if found is None or number.group(1):
            return found
        codes = {c.code for c in choices if c.code is not None}
        return AskBack(found) if str(wanted) in codes and found.code != str(wanted) else found
    named = [choice for choice in choices if words in _names(choice)]
    return named[0] if len(named) == 1 else None


def answer_key(text: str) -> str:
    """An answer as `plans.folding.fold` keys it (case, accents, đ aside), without emoji or
    punctuation but `#`, `.` and `)` ("#1", "1.", "2)", "việc 2.1")."""
    kept = "".join(char if char.isalnum() or char in "#.)" else " " for char in fold(text))
    return " ".join(kept.split()).strip(" .")


def _names(choice: Choice) -> set[str]:
    return {answer_key(choice.label)} | _ALIASES.get(choice.action, frozenset())


def _code(button: Button) -> str | None:
    code = button.label.params.get("code")
    return None if code is None else str(code).upper()


def _label(locale: str, button: Button) -> str:
    return render_text(locale, button.label)
