"""Time, injected: every use case and job asks a `Clock`, never the system directly.

A clock tells the instant (aware, UTC: what is stored) and the ward's zone (what people read and
mean: "tomorrow", 07:30, a date on a page). The zone comes from `DONDOC_TIMEZONE`, through the
clock the composition root builds, so that the scan, the dispatcher, the conversation and the
pages all read the same one.
"""

from datetime import UTC, date, datetime
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    """Tells the current instant, aware and in UTC, and the zone the ward lives in."""

    @property
    def zone(self) -> ZoneInfo:
        """The ward's time zone (`DONDOC_TIMEZONE`)."""
        ...

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        ...


def local_now(clock: Clock) -> datetime:
    """The clock's instant in the ward's zone."""
    return clock.now().astimezone(clock.zone)


def local_today(clock: Clock) -> date:
    """Today in the ward."""
    return local_now(clock).date()


class SystemClock:
    """The real clock."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        return datetime.now(UTC)


class SteppedClock:
    """A clock that stands still until moved: replays (the demo ward's past, `dondoc simulate`)
    step from one moment to the next. Tests use `tests.support.clock.FakeClock`, built on it."""

    def __init__(self, start: datetime, zone: ZoneInfo) -> None:
        if start.tzinfo is None:
            raise ValueError("a clock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self.zone = zone

    def now(self) -> datetime:
        """The instant the clock was last moved to (aware, UTC)."""
        return self._now

    def move_to(self, instant: datetime) -> None:
        """Jump to `instant` (aware)."""
        if instant.tzinfo is None:
            raise ValueError("move_to needs an aware datetime")
        self._now = instant.astimezone(UTC)


class ScaledClock:
    """The real clock running `factor` times faster from the moment it was made (demo mode)."""

    def __init__(self, factor: float, *, base: Clock) -> None:
        self._base = base
        self._origin = self._base.now()
        self._factor = factor
        self.zone = base.zone

    @property
    def factor(self) -> float:
        """How many times faster than the real clock it runs."""
        return self._factor

    def now(self) -> datetime:
        """The accelerated instant."""
        elapsed = self._base.now() - self._origin
        return self._origin + elapsed * self._factor
