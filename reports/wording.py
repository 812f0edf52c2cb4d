"""The words reports print: state names, the added columns' headers, standard headers for a
plan whose own were not kept, the remarks cell, dates and rates, in the report's language."""

from datetime import date

from locales import N_, format_day, translate
from reports.snapshot import Remarks, State

STATE_NAMES = {
    State.DONE_ON_TIME: N_("Done"),
    State.DONE_LATE: N_("Done late"),
    State.IN_PROGRESS: N_("In progress"),
    State.OVERDUE: N_("Overdue"),
    State.BLOCKED: N_("Blocked"),
    State.NOT_DUE: N_("Not yet due"),
    State.CANCELLED: N_("Cancelled"),
}

STANDARD_HEADERS = {
    "code": N_("No."),
    "title": N_("Task"),
    "requirement": N_("Requirement"),
    "lead": N_("Lead"),
    "coordinators": N_("Coordinating"),
    "deadline": N_("Deadline"),
    "note": N_("Note"),
}

STATUS_HEADER = N_("Standing")
DONE_ON_HEADER = N_("Completion date")
PROGRESS_HEADER = N_("Progress (%)")
REMARKS_HEADER = N_("Results, remarks")


PSEUDO_UNITS = {"@all": N_("All units"), "@related": N_("Units concerned")}


def unit_label(locale: str, name: str) -> str:
    """A unit's name as printed: the pseudo-units "@all" and "@related" in words."""
    msgid = PSEUDO_UNITS.get(name)
    return say(locale, msgid) if msgid else name


def say(locale: str, msgid: str, /, **params: object) -> str:
    """`msgid` in the report's language."""
    return translate(locale, msgid, **params)


def show_date(day: date | None) -> str:
    """A date as Vietnamese documents print it (dd/mm/yyyy), or empty."""
    return format_day(day) if day else ""


def show_rate(rate: float | None) -> str:
    """An on-time rate as a whole percentage, or "—" when nothing was due yet."""
    return "—" if rate is None else f"{round(100 * rate)}%"


def remarks_text(locale: str, remarks: Remarks) -> str:
    """The remarks cell: the latest progress note, the blocker and its reason, the extension,
    the evidence files; one per line."""
    lines: list[str] = []
    if remarks.progress_note:
        lines.append(remarks.progress_note)
    if remarks.blocker:
        lines.append(say(locale, N_("Blocked: {reason}"), reason=remarks.blocker))
    if remarks.extension_until is not None:
        msgid = (
            N_("Extension to {date} requested, awaiting the chair")
            if remarks.extension_pending
            else N_("Extended to {date}")
        )
        lines.append(say(locale, msgid, date=show_date(remarks.extension_until)))
    if remarks.evidence:
        lines.append(say(locale, N_("Evidence: {files}"), files=", ".join(remarks.evidence)))
    return "\n".join(lines)
