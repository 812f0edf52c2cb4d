"""How a preview names what it shows, the same at the command line and on the web page: the
units a row names and its deadline (a row's flags: `plans.flags`), and what storing it did."""

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

from locales import N_, format_day
from plans.deadlines import Deadline
from services.messages import Text
from services.people.units import unit_words

if TYPE_CHECKING:
    from services.importing.imports import ImportOutcome


def unit_names(names: Iterable[str], translate: Callable[[str], str]) -> str:
    """The units a row names, the pseudo-units ("all units") in the reader's words; "—" for
    none."""
    return ", ".join(unit_words(name, translate) for name in names) or "—"


def deadline_summary(deadline: Deadline, *, locale: str = "vi") -> str:
    """A deadline as printed, with the day it was read as: "Trước ngày 31/12 → 30/12/2025"."""
    text = " ".join(deadline.text.split())
    return f"{text} → {format_day(deadline.due, locale=locale)}" if deadline.due else text


STORED: Final = N_("Plan stored. Tasks assigned: {tasks}.")
STORED_NOBODY: Final = N_(
    "Plan stored. Tasks assigned: {tasks}; {nobody} of them have no officer in dondoc yet to "
    "remind (“nobody yet” on the dashboard): add officers to their units."
)


def stored_notice(outcome: "ImportOutcome") -> Text:
    """What storing a new plan says, at the command line and on the web: the tasks given, and
    how many of them nobody can be reminded of yet, as the dashboard counts them."""
    if outcome.unreminded:
        return Text(STORED_NOBODY, {"tasks": outcome.tracked, "nobody": outcome.unreminded})
    return Text(STORED, {"tasks": outcome.tracked})


REVISION: Final = N_(
    "This is a new version of plan {plan}: {added} added, {removed} removed, {changed} changed, "
    "{unchanged} unchanged."
)
_PLAN_WORD: Final = re.compile(r"^\s*kế\s+hoạch\s+", re.IGNORECASE)


def plan_reference(number: str | None, title: str | None, file_name: str) -> str:
    """A plan as a sentence that already says "plan" names it: its number, else its title
    without its own first word "Kế hoạch" ("về việc …"), else its file's name."""
    if number:
        return number
    if title:
        return _PLAN_WORD.sub("", title, count=1) or title
    return file_name
