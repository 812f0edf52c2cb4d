"""How an import names what it shows, the same in the chat, at the command line and on the web
page: the units a row names and its deadline (a row's flags: `plans.flags`), the plan a file
revises, and what storing it did."""

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

from locales import N_, format_day
from plans.deadlines import Deadline
from services.messages import Text
from services.people.units import unit_words

if TYPE_CHECKING:
    from services.importing.diffs import PlanDiff
    from services.importing.imports import ImportOutcome
    from services.importing.pending import Preview


def unit_names(names: Iterable[str], translate: Callable[[str], str]) -> str:
    """The units a row names, the pseudo-units ("all units") in the reader's words; "—" for
    none."""
    return ", ".join(unit_words(name, translate) for name in names) or "—"


def deadline_summary(deadline: Deadline, *, locale: str = "vi") -> str:
    """A deadline as printed, with the day it was read as: "Trước ngày 31/12 → 30/12/2025"."""
    text = " ".join(deadline.text.split())
    return f"{text} → {format_day(deadline.due, locale=locale)}" if deadline.due else text


STORED: Final = N_("✅ Imported {title}: {tasks} tasks. Reminders are scheduled.")
STORED_NOBODY: Final = N_(
    "✅ Imported {title}: {tasks} tasks. Reminders are scheduled; {nobody} of the tasks have no "
    "officer in dondoc yet to remind (“nobody yet” on the dashboard): add officers to their units."
)
REVISED: Final = N_(
    "✅ Imported {title} as a revision: {added} added, {removed} removed, {changed} changed, "
    "{unchanged} unchanged."
)
REVISED_NOBODY: Final = N_(
    "✅ Imported {title} as a revision: {added} added, {removed} removed, {changed} changed, "
    "{unchanged} unchanged; {nobody} of its tasks have no officer in dondoc yet to remind "
    "(“nobody yet” on the dashboard): add officers to their units."
)


def stored_notice(outcome: "ImportOutcome") -> Text:
    """What storing a plan says, in the chat, at the command line and on the web: the plan, the
    tasks given (or, for a new version of a stored plan, what it changed), and how many of its
    tasks nobody can be reminded of yet, as the dashboard counts them."""
    plan = outcome.plan
    said: dict[str, str | int] = {"title": plan.number or plan.title or plan.source_name}
    if outcome.unreminded:
        said["nobody"] = outcome.unreminded
    if outcome.revised is None:
        said["tasks"] = outcome.tracked
        return Text(STORED_NOBODY if outcome.unreminded else STORED, said)
    said |= _changes(outcome.diff)
    return Text(REVISED_NOBODY if outcome.unreminded else REVISED, said)


REVISION: Final = N_(
    "This is a new version of plan {plan}: {added} added, {removed} removed, {changed} changed, "
    "{unchanged} unchanged."
)


def revision_notice(shown: "Preview") -> Text | None:
    """What a preview says of the stored plan its file is a new version of, and what the new
    version changes; None for a new plan."""
    if shown.revises is None or shown.diff is None:
        return None
    return Text(REVISION, {"plan": shown.revises, **_changes(shown.diff)})


def _changes(diff: "PlanDiff") -> dict[str, str | int]:
    """What a new version changes, as the revision's sentences count it."""
    return {
        "added": len(diff.added),
        "removed": len(diff.removed),
        "changed": len(diff.changed),
        "unchanged": diff.unchanged,
    }


_PLAN_WORD: Final = re.compile(r"^\s*kế\s+hoạch\s+", re.IGNORECASE)


def plan_reference(number: str | None, title: str | None, file_name: str) -> str:
    """A plan as a sentence that already says "plan" names it: its number, else its title
    without its own first word "Kế hoạch" ("về việc …"), else its file's name."""
    if number:
        return number
    if title:
        return _PLAN_WORD.sub("", title, count=1) or title
    return file_name
