"""What the preview promises can be stored: task codes unique in the plan, dates in the calendar.

A date the working-day calendar cannot place ("năm 9999", "31/12/2100") is flagged on its row in
the preview (`BEYOND_CALENDAR`, a sentence naming the phrase) and refused when the draft is
confirmed, so that nothing previews that would fail to store.

Many plans number their tasks again under each section (I, II … each with 1, 2, 3), and some
repeat a number by mistake. A task's code names it in chat and must be unique in its plan, so
when the printed codes repeat, each task under a numbered section takes the section's number
in front ("II.1", as the office says it), and a number still repeated takes a letter ("5b").
Plans whose codes are unique keep them exactly as printed.
"""

from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from plans.calendar import FIRST_YEAR, LAST_YEAR
from plans.deadlines import Deadline
from plans.draft import DraftTask, ImportDraft
from plans.readers.errors import DateBeyondCalendar
from plans.roman import section_heading
from plans.source import RawRow

MAX_CODE_CHARS: Final = 32
"""What the task table stores (`Task.code`)."""
_LETTERS: Final = "bcdefghijklmnopqrstuvwxyz"
BEYOND_CALENDAR: Final = "date_beyond_calendar"
"""The flag of a row whose deadline falls in a year the calendar does not cover."""
MAX_PHRASE_CHARS: Final = 60


def unique_codes(rows: Sequence[RawRow]) -> list[RawRow]:
    """`rows` with codes unique within the plan, read as the office would say them."""
    codes = [row.code for row in rows]
    if len(set(codes)) == len(codes) and all(len(code) <= MAX_CODE_CHARS for code in codes):
        return list(rows)
    if len(set(codes)) < len(codes):
        codes = [_under_section(row) for row in rows]
    taken: set[str] = set()
    result: list[RawRow] = []
    for row, code in zip(rows, codes, strict=True):
        unique = _first_free(code[:MAX_CODE_CHARS], taken)
        taken.add(unique)
        result.append(row if unique == row.code else replace(row, code=unique))
    return result


def flag_dates_beyond_calendar(tasks: Sequence[DraftTask]) -> tuple[DraftTask, ...]:
    """`tasks`, each dated in a year the calendar cannot place flagged `BEYOND_CALENDAR`."""
    return tuple(
        replace(task, flags=(*task.flags, BEYOND_CALENDAR))
        if year_beyond_calendar(task.deadline) is not None and BEYOND_CALENDAR not in task.flags
        else task
        for task in tasks
    )


def check_calendar_years(draft: ImportDraft) -> None:
    """Refuse to store a draft with a date the working-day calendar cannot place."""
    for deadline in [task.deadline for task in draft.tasks] + [
        item.deadline for item in draft.obligations
    ]:
        year = year_beyond_calendar(deadline)
        if year is not None:
            phrase = calendar_phrase(deadline.text, year)
            raise DateBeyondCalendar(phrase=phrase, year=year, first=FIRST_YEAR, last=LAST_YEAR)


def year_beyond_calendar(deadline: Deadline) -> int | None:
    """The first year of `deadline` outside the calendar's, if any."""
    return next((y for y in sorted(_years(deadline)) if not FIRST_YEAR <= y <= LAST_YEAR), None)


def calendar_phrase(text: str, year: int) -> str:
    """The words of a deadline cell that name `year` ("năm 9999", "ngày 31/12/2100"); the cell,
    shortened, when the year comes from elsewhere (the plan's "năm 9999" over a "Quý II")."""
    words = text.split()
    at = next((index for index, word in enumerate(words) if str(year) in word), None)
    phrase = " ".join(words[max(0, at - 1) : at + 1]) if at is not None else " ".join(words)
    if len(phrase) > MAX_PHRASE_CHARS:
        phrase = phrase[: MAX_PHRASE_CHARS - 1].rstrip() + "…"
    return phrase


def _years(deadline: Deadline) -> set[int]:
    years = {day.year for day in (deadline.due, deadline.starts) if day is not None}
    if deadline.schedule is not None:
        years.update(deadline.schedule.years)
    return years


def _under_section(row: RawRow) -> str:
    """ "II.1" for task 1 under section "II. …" ("1.a" for "a)" under "1."); the code as printed
    when the section has no number."""
    heading = section_heading(row.section or "")
    if heading is None or row.code.startswith(f"{heading[0]}."):
        return row.code
    return f"{heading[0]}.{row.code.rstrip('.)')}"


def _first_free(code: str, taken: set[str]) -> str:
    """`code`, or `code` with the first letter that makes it unused ("5b", "5c" …)."""
    if code not in taken:
        return code
    stem = code[: MAX_CODE_CHARS - 2]
    for letter in _LETTERS:
        if f"{stem}{letter}" not in taken:
            return f"{stem}{letter}"
    number = 2
    while f"{stem[: MAX_CODE_CHARS - 6]}~{number}" in taken:
        number += 1
    return f"{stem[: MAX_CODE_CHARS - 6]}~{number}"
