"""The period a report covers: a quarter, a half year or a year ("2025-Q2", "2025-H1", "2025")."""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from locales import N_, translate
from plans.roman import roman

_PATTERN = re.compile(r"^\s*(?P<year>\d{4})(?:\s*-\s*(?P<kind>[QqHh])(?P<index>\d))?\s*$")


class PeriodKind(StrEnum):
    """How long a reporting period is."""

    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"


class BadPeriod(ValueError):
    """A period written in none of the accepted forms."""


@dataclass(frozen=True, slots=True)
class Period:
    """A reporting period: its kind, year and index (quarter 1–4, half 1–2, 1 for a year)."""

    kind: PeriodKind
    year: int
    index: int = 1

    @property
    def start(self) -> date:
        """The period's first day."""
        return date(self.year, self._first_month, 1)

    @property
    def end(self) -> date:
        """The period's last day."""
        months = {PeriodKind.QUARTER: 3, PeriodKind.HALF: 6, PeriodKind.YEAR: 12}[self.kind]
        month = self._first_month + months
        following = date(self.year + 1, 1, 1) if month > 12 else date(self.year, month, 1)
        return following - timedelta(days=1)

    @property
    def code(self) -> str:
        """The period as typed on the command line: `2025-Q2`, `2025-H1`, `2025`."""
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind is PeriodKind.HALF:
            return f"{self.year}-H{self.index}"
        return str(self.year)

    def contains(self, day: date) -> bool:
        """Whether `day` falls in the period."""
        return self.start <= day <= self.end

    def following(self) -> "Period":
        """The period of the same kind that comes next."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.kind, self.year + 1)
        count = 4 if self.kind is PeriodKind.QUARTER else 2
        if self.index == count:
            return Period(self.kind, self.year + 1, 1)
        return Period(self.kind, self.year, self.index + 1)

    def preceding(self) -> "Period":
        """The period of the same kind that comes before ("quý trước", last year's report)."""
        if self.kind is PeriodKind.YEAR:
            return Period(self.kind, self.year - 1)
        if self.index > 1:
            return Period(self.kind, self.year, self.index - 1)
        return Period(self.kind, self.year - 1, 4 if self.kind is PeriodKind.QUARTER else 2)

    def label(self, locale: str) -> str:
        """The period as a report's title says it: "quý II năm 2025", "6 tháng đầu năm 2025"."""
        if self.kind is PeriodKind.QUARTER:
            return translate(
                locale, N_("quarter {quarter} of {year}"), quarter=roman(self.index),
                year=self.year,
            )  # fmt: skip
        if self.kind is PeriodKind.HALF:
            msgid = (
                N_("the first six months of {year}")
                if self.index == 1
                else N_("the last six months of {year}")
            )
            return translate(locale, msgid, year=self.year)
        return translate(locale, N_("the year {year}"), year=self.year)

    @property
    def _first_month(self) -> int:
        if self.kind is PeriodKind.QUARTER:
            return 3 * self.index - 2
        if self.kind is PeriodKind.HALF:
            return 6 * self.index - 5
        return 1


def parse_period(text: str) -> Period:
    """`2025-Q2`, `2025-H1` or `2025` as a `Period`; `BadPeriod` otherwise."""
    match = _PATTERN.match(text)
    if match is None:
        raise BadPeriod(text)
    year = int(match["year"])
    if match["kind"] is None:
        return Period(PeriodKind.YEAR, year)
    index = int(match["index"])
    kind = PeriodKind.QUARTER if match["kind"] in "Qq" else PeriodKind.HALF
    if not 1 <= index <= (4 if kind is PeriodKind.QUARTER else 2):
        raise BadPeriod(text)
    return Period(kind, year, index)


def quarter_of(day: date) -> Period:
    """The quarter `day` falls in (the default period of a report)."""
    return period_of(PeriodKind.QUARTER, day)


def period_of(kind: PeriodKind, day: date) -> Period:
    """The quarter, half year or year `day` falls in ("quý này", "6 tháng này")."""
    if kind is PeriodKind.QUARTER:
        return Period(kind, day.year, (day.month - 1) // 3 + 1)
    if kind is PeriodKind.HALF:
        return Period(kind, day.year, 1 if day.month <= 6 else 2)
    return Period(kind, day.year)
