"""Vietnamese working days: weekends, public holidays (lunar ones included) and announced swaps.

A day is a working day when it is Monday to Friday and not a day off, or when it is a Saturday
or Sunday announced as a working day in exchange for a day off. Days off come from
`holidays.Vietnam` (Tết, Giỗ Tổ Hùng Vương, 30/4, 1/5, 2/9 and the swaps it knows), from the
government's yearly announcements kept in `plans/data/vn_days_off.toml` (with their sources), and
from the admin's overrides. Each year is computed once, on first use, into a sorted list of its
working days: the reminder engine asks a lot.
"""

import bisect
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import Final

from plans.holiday_table import official_year

FIRST_YEAR: Final = 1901
LAST_YEAR: Final = 2099
"""The years whose holidays, lunar ones included, `holidays.Vietnam` knows: outside them a
year would silently have no Tết."""

_NO_DAYS: Mapping[date, str] = MappingProxyType({})
_WEEKEND = (5, 6)
_LANGUAGES = {"vi": "vi", "en": "en_US", "en_US": "en_US"}


class ConflictingDays(ValueError):
    """The same dates were given both as days off and as working days."""

    def __init__(self, days: set[date]) -> None:
        listed = ", ".join(day.isoformat() for day in sorted(days))
        super().__init__(f"both a day off and a working day: {listed}")
        self.days = days


class UnsupportedLanguage(ValueError):
    """Day names exist in Vietnamese and English only."""

    def __init__(self, language: str) -> None:
        super().__init__(f"unsupported language {language!r}; use one of {sorted(_LANGUAGES)}")


@dataclass(frozen=True, slots=True)
class AnnouncedDay:
    """A day off or a working Saturday from the government's announcements, with its source."""

    day: date
    is_day_off: bool
    vi: str
    en: str
    source: str


@cache
def announced_days() -> tuple[AnnouncedDay, ...]:
    """The announcements in `plans/data/vn_days_off.toml`, read once."""
    raw = resources.files("plans").joinpath("data/vn_days_off.toml").read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    days = [
        AnnouncedDay(entry["date"], key == "day_off", entry["vi"], entry["en"], entry["source"])
        for key in ("day_off", "working_day")
        for entry in data.get(key, [])
    ]
    return tuple(sorted(days, key=lambda item: item.day))


@dataclass(frozen=True, slots=True)
class _Year:
    off: dict[date, str]
    """Named days off of the year (weekends only when they are holidays)."""
    working: list[int]
    """Ordinals of the year's working days, sorted."""
    is_working: bytes
    """One byte per day of the year: 1 for a working day."""
    first: int
    """Ordinal of 1 January."""


class WorkingCalendar:
    """Which days are working days for a Vietnamese ward, and arithmetic on them.

    Overrides are fixed at construction (an admin's change builds a new calendar); years are
    computed on first use and kept. Lunar holidays come from `holidays`, whose Vietnamese lunar
    calendar ends in 2100: later years have weekends and solar holidays only.
    """

    def __init__(
        self,
        *,
        extra_days_off: Mapping[date, str] = _NO_DAYS,
        extra_working_days: Mapping[date, str] = _NO_DAYS,
        language: str = "vi",
    ) -> None:
        both = set(extra_days_off) & set(extra_working_days)
        if both:
            raise ConflictingDays(both)
        if language not in _LANGUAGES:
            raise UnsupportedLanguage(language)
        self._extra_off = dict(extra_days_off)
        self._extra_working = dict(extra_working_days)
        self._language = language
        self._years: dict[int, _Year] = {}

    def _year(self, year: int) -> _Year:
        found = self._years.get(year)
        if found is None:
            found = self._years[year] = self._build(year)
        return found

    def _build(self, year: int) -> _Year:
        official, worked = official_year(year, _LANGUAGES[self._language])
        off: dict[date, str] = dict(official)
        working: dict[date, str] = dict.fromkeys(worked, "")
        english = self._language != "vi"
        for announced in announced_days():
            if announced.day.year != year:
                continue
            name = announced.en if english else announced.vi
            if announced.is_day_off:
                off[announced.day] = name
                working.pop(announced.day, None)
            else:
                working[announced.day] = name
                off.pop(announced.day, None)
        for day, reason in self._extra_off.items():
            if day.year == year:
                off[day] = reason
                working.pop(day, None)
        for day, reason in self._extra_working.items():
            if day.year == year:
                working[day] = reason
                off.pop(day, None)
        first = date(year, 1, 1)
        length = (date(year + 1, 1, 1) - first).days if year < 9999 else 365
        flags = bytearray(length)
        ordinals: list[int] = []
        for offset in range(length):
            day = first + timedelta(days=offset)
            if day in working or (day.weekday() not in _WEEKEND and day not in off):
                flags[offset] = 1
                ordinals.append(first.toordinal() + offset)
        return _Year(dict(sorted(off.items())), ordinals, bytes(flags), first.toordinal())

    def is_working_day(self, day: date) -> bool:
        """Whether officers work on `day`."""
        year = self._year(day.year)
        return year.is_working[day.toordinal() - year.first] == 1

    def days_off(self, year: int) -> list[tuple[date, str]]:
        """The year's holidays and announced days off with their names (weekends not listed)."""
        return list(self._year(year).off.items())

    def working_days(self, year: int) -> list[date]:
        """Every working day of `year`, in order."""
        return [date.fromordinal(ordinal) for ordinal in self._year(year).working]

    def next_working_day(self, day: date) -> date:
        """The first working day after `day`."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: date) -> date:
        """The last working day before `day`."""
        return self.add_working_days(day, -1)

    def on_or_before_working_day(self, day: date) -> date:
        """`day` if it is a working day, else the working day before it (where reminders move)."""
        return day if self.is_working_day(day) else self.previous_working_day(day)

    def on_or_after_working_day(self, day: date) -> date:
        """`day` if it is a working day, else the working day after it."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The working day `count` working days after `day` (before it when negative).

        `day` itself never counts: `add_working_days(friday, 1)` is the next Monday when that
        is a working day, and `add_working_days(day, 0)` is `day` unchanged.
        """
        if count == 0:
            return day
        ordinal = day.toordinal()
        year_number = day.year
        if count > 0:
            while True:
                year = self._year(year_number)
                index = bisect.bisect_right(year.working, ordinal)
                if index + count - 1 < len(year.working):
                    return date.fromordinal(year.working[index + count - 1])
                count -= len(year.working) - index
                year_number += 1
        remaining = -count
        while True:
            year = self._year(year_number)
            index = bisect.bisect_left(year.working, ordinal)
            if index - remaining >= 0:
                return date.fromordinal(year.working[index - remaining])
            remaining -= index
            year_number -= 1

    def working_days_between(self, start: date, end: date) -> int:
        """How many working days fall after `start` up to and including `end`.

        `working_days_between(due, today)` is how many working days a task is overdue; it is
        negative when `end` is before `start`.
        """
        if end < start:
            return -self.working_days_between(end, start)
        first, last = self._year(start.year), self._year(end.year)
        if start.year == end.year:
            return bisect.bisect_right(last.working, end.toordinal()) - bisect.bisect_right(
                first.working, start.toordinal()
            )
        total = len(first.working) - bisect.bisect_right(first.working, start.toordinal())
        for number in range(start.year + 1, end.year):
            total += len(self._year(number).working)
        return total + bisect.bisect_right(last.working, end.toordinal())
