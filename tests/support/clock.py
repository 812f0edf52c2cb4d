"""The tests' clock and zone: time moves only when a test says so, in the ward's default zone."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dondoc.settings import DEFAULT_TIMEZONE

HCM = ZoneInfo(DEFAULT_TIMEZONE)
"""The zone of `DONDOC_TIMEZONE` when unset: Việt Nam's."""


class FakeClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime, *, zone: ZoneInfo = HCM) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self.zone = zone

    def now(self) -> datetime:
        """The current (simulated) instant."""
        return self._now

    def move_to(self, instant: datetime) -> None:
        """Jump to `instant` (aware)."""
        if instant.tzinfo is None:
            raise ValueError("move_to needs an aware datetime")
        self._now = instant.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        """Move forward by a `timedelta(**delta)`."""
        self._now += timedelta(**delta)
