"""Calendar arithmetic the deadline grammar needs: month ends, clamped and checked days."""

import calendar
from datetime import date


class NoMatch(Exception):
    """The phrase does not follow the grammar here."""


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def days_in(year: int, month: int) -> int:
    """How many days `month` of `year` has."""
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month]


def month_end(year: int, month: int) -> date:
    """The last day of `month` of `year`."""
    return date(year, month, days_in(year, month))


def clamped(year: int, month: int, day: int) -> date:
    """The day, or the month's last day when `day` is past it ("ngày 31 hằng tháng")."""
    return date(year, month, min(day, days_in(year, month)))


def valid_date(year: int, month: int, day: int) -> date:
    """The day as written; `NoMatch` when the month has no such day (30/2)."""
    if day > days_in(year, month):
        raise NoMatch
    return date(year, month, day)


def day_before(month: int, day: int) -> tuple[int, int]:
    """The anchor a strict "trước ngày D/M" gives: the day before, in the same year."""
    if day > 1:
        return month, day - 1
    if month == 1:
        raise NoMatch
    return month - 1, 31
