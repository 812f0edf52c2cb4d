"""A deadline typed by a person (giving or re-dating a task by hand): read by the plans' deadline
grammar ("trước 15/12", "Quý I/2026", "Hằng quý"), then as a reply's date ("thứ sáu tuần sau",
"3 ngày nữa"); a date already past is refused."""

from datetime import datetime

from locales import N_
from plans.deadlines import Deadline, DeadlineKind, parse_deadline
from plans.relative import parse_relative
from services.errors import DomainError


class DeadlineNotUnderstood(DomainError):
    msgid = N_(
        "I can't read the deadline “{phrase}”. Write e.g. “15/12”, “trước 15/12”, "
        "“Quý I/2026” or “thứ sáu tuần sau”."
    )


class DeadlinePassed(DomainError):
    msgid = N_("The deadline “{phrase}” is {date}, which has already passed.")


def read_deadline(phrase: str, *, now: datetime) -> Deadline:
    """The deadline a typed phrase names, from `now` (in the ward's zone): the plans' grammar first
    (a date without a year is the next such date), then a chat reply's words."""
    phrase = " ".join(phrase.split())
    if not phrase:
        raise DeadlineNotUnderstood(phrase=phrase)
    today = now.date()
    deadline = parse_deadline(phrase, plan_years=[today.year])
    if deadline.kind is DeadlineKind.FIXED and deadline.due is not None and deadline.due < today:
        later = parse_deadline(phrase, plan_years=[today.year + 1])
        if later.due is not None and later.due >= today:
            deadline = later
    if deadline.kind in (DeadlineKind.FIXED, DeadlineKind.RECURRING, DeadlineKind.ONGOING):
        if deadline.kind is DeadlineKind.FIXED and deadline.due and deadline.due < today:
            raise DeadlinePassed(phrase=phrase, date=deadline.due)
        return deadline
    day = parse_relative(phrase, now=now)
    if day is None:
        raise DeadlineNotUnderstood(phrase=phrase)
    if day < today:
        raise DeadlinePassed(phrase=phrase, date=day)
    return Deadline(phrase, DeadlineKind.FIXED, due=day)
