"""What a deadline phrase means: the `Deadline` value, its kinds, flags and recurring days."""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from plans.deadlines.dates import clamped


class DeadlineKind(StrEnum):
    """What sort of deadline a phrase states."""

    FIXED = "fixed"
    RECURRING = "recurring"
    ONGOING = "ongoing"
    AWAITING_DIRECTION = "awaiting_direction"
    UNRECOGNISED = "unrecognised"


class Recurrence(StrEnum):
    """How often a recurring deadline comes back."""

    YEARLY = "yearly"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"


class DeadlineFlag(StrEnum):
    """Why an imported deadline needs a person to look at it."""

    BEFORE_PLAN_DATE = "deadline_before_plan_date"
    AMBIGUOUS_YEAR = "ambiguous_year"
    UNRECOGNISED = "unrecognised_deadline"


@dataclass(frozen=True, slots=True)
class RecurringDays:
    """Where a recurring deadline falls: (month, day) anchors in each year, or a weekday."""

    years: tuple[int, ...]
    anchors: tuple[tuple[int, int], ...] = ()
    """(month, day) pairs in year order; a day past the month's end means its last day."""
    weekday: int | None = None
    """0 = Monday; set for weekly deadlines instead of anchors."""

    def last(self) -> date | None:
        """The last occurrence (whatever the recurrence, the year's last anchor is its last)."""
        if not self.years:
            return None
        year = self.years[-1]
        if self.weekday is not None:
            end = date(year, 12, 31)
            return end - timedelta(days=(end.weekday() - self.weekday) % 7)
        if not self.anchors:
            return None
        month, day = self.anchors[-1]
        return clamped(year, month, day)

    def dates(self, recurrence: Recurrence | None) -> list[date]:
        """Every occurrence across the years, in order."""
        if self.weekday is not None:
            if not self.years:
                return []
            first = date(self.years[0], 1, 1)
            first += timedelta(days=(self.weekday - first.weekday()) % 7)
            last = date(self.years[-1], 12, 31)
            count = (last - first).days // 7 + 1
            wanted = set(self.years)
            every = (first + timedelta(weeks=n) for n in range(count))
            return [day for day in every if day.year in wanted]
        anchors = self.anchors
        if recurrence is Recurrence.YEARLY and len(anchors) > 1:
            anchors = anchors[-1:]  # "báo cáo năm" sent with the last quarterly report
        return [clamped(year, month, day) for year in self.years for month, day in anchors]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline phrase, verbatim, with what it means."""

    text: str
    kind: DeadlineKind
    due: date | None = None
    starts: date | None = None
    recurrence: Recurrence | None = None
    note: str | None = None
    flags: tuple[str, ...] = ()
    schedule: RecurringDays | None = None

    def occurrences(self, until: date | None = None) -> list[date]:
        """The dates a recurring deadline falls on within the plan's years (up to `until`)."""
        if self.schedule is None:
            return []
        dates = self.schedule.dates(self.recurrence)
        if until is not None:
            dates = [day for day in dates if day <= until]
        return dates

    def to_json(self) -> dict[str, str | None]:
        """The deadline object of `tests/data/seeds/expected/SCHEMA.md` (flags are the task's)."""
        return {
            "text": self.text,
            "kind": self.kind.value,
            "due": self.due.isoformat() if self.due else None,
            "starts": self.starts.isoformat() if self.starts else None,
            "recurrence": self.recurrence.value if self.recurrence else None,
            "note": self.note,
        }
