"""The tests' clock and zone: time moves only when a test says so, in the ward's default zone."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dondoc.settings import DEFAULT_TIMEZONE
from services.clock import SteppedClock

HCM = ZoneInfo(DEFAULT_TIMEZONE)
"""The zone of `DONDOC_TIMEZONE` when unset: Việt Nam's."""


class FakeClock(SteppedClock):
    """A clock that moves only when told to, in Việt Nam's zone unless told otherwise."""

    def __init__(self, start: datetime, *, zone: ZoneInfo = HCM) -> None:
        super().__init__(start, zone)

    def advance(self, **delta: float) -> None:
        """Move forward by a `timedelta(**delta)`."""
        self.move_to(self.now() + timedelta(**delta))
