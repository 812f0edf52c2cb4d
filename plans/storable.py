"""What the preview promises can be stored: task codes unique in the plan, dates in the calendar.

Many plans number their tasks again under each section (I, II … each with 1, 2, 3), and some
repeat a number by mistake. A task's code names it in chat and must be unique in its plan, so
when the printed codes repeat, each task under a numbered section takes the section's number
in front ("II.1", as the office says it), and a number still repeated takes a letter ("5b").
Plans whose codes are unique keep them exactly as printed.
"""

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Final

from plans.calendar import FIRST_YEAR, LAST_YEAR
from plans.deadlines import Deadline
from plans.draft import DraftTask, Obligation
from plans.readers.errors import DateBeyondCalendar
from plans.source import RawRow

MAX_CODE_CHARS: Final = 32
"""What the task table stores (`Task.code`)."""
_SECTION_CODE: Final = re.compile(r"^\s*([IVXLC]+|\d+(?:\.\d+)*|[A-Z])\s*[.):]?\s")
_LETTERS: Final = "bcdefghijklmnopqrstuvwxyz"


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


def check_calendar_years(tasks: Sequence[DraftTask], obligations: Sequence[Obligation]) -> None:
    """Refuse a draft with a date the working-day calendar cannot place ("năm 9999")."""
    named = [(task.code, task.deadline) for task in tasks]
    named += [(f"BC{index}", item.deadline) for index, item in enumerate(obligations, start=1)]
    for code, deadline in named:
        for year in sorted(_years(deadline)):
            if not FIRST_YEAR <= year <= LAST_YEAR:
                raise DateBeyondCalendar(code=code, year=year, first=FIRST_YEAR, last=LAST_YEAR)


def _years(deadline: Deadline) -> set[int]:
    years = {day.year for day in (deadline.due, deadline.starts) if day is not None}
    if deadline.schedule is not None:
        years.update(deadline.schedule.years)
    return years


def _under_section(row: RawRow) -> str:
    """ "II.1" for task 1 under section "II. …" ("1.a" for "a)" under "1."); the code as printed
    when the section has no number."""
    found = _SECTION_CODE.match(row.section or "")
    if found is None or row.code.startswith(f"{found[1]}."):
        return row.code
    return f"{found[1]}.{row.code.rstrip('.)')}"


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
