"""What each flag on a draft row says: one sentence per flag, the same in every preview (the
command line, the web and the chat render `flag_sentences`)."""

from typing import Final

from locales import N_
from plans.calendar import FIRST_YEAR, LAST_YEAR
from plans.deadlines import DeadlineFlag
from plans.draft import DraftTask
from plans.storable import BEYOND_CALENDAR, calendar_phrase, year_beyond_calendar

FLAG_SENTENCES: Final[dict[str, str]] = {
    DeadlineFlag.BEFORE_PLAN_DATE: N_("The deadline falls before the plan's date."),
    DeadlineFlag.AMBIGUOUS_YEAR: N_("The deadline's year is unclear."),
    DeadlineFlag.UNRECOGNISED: N_("The deadline was not understood."),
    BEYOND_CALENDAR: N_(
        "“{phrase}” falls in {year}, outside the years {first}–{last} that dondoc's calendar "
        "covers: the plan cannot be stored until the date is corrected."
    ),
}
UNKNOWN_FLAG: Final = N_("Something in this row needs a look.")

Sentence = tuple[str, dict[str, str | int]]
"""A msgid and the parameters that fill it, translated where it is shown."""


def flag_sentences(task: DraftTask) -> list[Sentence]:
    """A sentence for each of the row's flags."""
    return [_sentence(task, flag) for flag in task.flags]


def _sentence(task: DraftTask, flag: str) -> Sentence:
    if flag != BEYOND_CALENDAR:
        return FLAG_SENTENCES.get(flag, UNKNOWN_FLAG), {}
    year = year_beyond_calendar(task.deadline)
    if year is None:
        return UNKNOWN_FLAG, {}
    phrase = calendar_phrase(task.deadline.text, year)
    params: dict[str, str | int] = {"phrase": phrase, "year": year}
    return FLAG_SENTENCES[flag], params | {"first": FIRST_YEAR, "last": LAST_YEAR}
