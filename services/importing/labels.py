"""How a preview names what it shows, the same at the command line and on the web page: the
units a row names and its deadline. (A row's flags: `plans.flags`.)"""

from collections.abc import Callable, Iterable

from locales.dates import format_day
from plans.deadlines import Deadline
from services.people.units import SPECIAL_UNITS


def unit_names(names: Iterable[str], translate: Callable[[str], str]) -> str:
    """The units a row names, the pseudo-units ("all units") in the reader's words; "—" for
    none."""
    shown = (translate(SPECIAL_UNITS[name]) if name in SPECIAL_UNITS else name for name in names)
    return ", ".join(shown) or "—"


def deadline_summary(deadline: Deadline, *, locale: str = "vi") -> str:
    """A deadline as printed, with the day it was read as: "Trước ngày 31/12 → 30/12/2025"."""
    text = " ".join(deadline.text.split())
    return f"{text} → {format_day(deadline.due, locale=locale)}" if deadline.due else text
