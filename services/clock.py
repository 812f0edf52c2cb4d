"""Time, injected: every use case and job asks a `Clock`, never the system directly."""

from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the current instant, aware and in UTC."""

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """The current instant (aware, UTC)."""
        return datetime.now(UTC)


class FakeClock:
    """A clock that moves only when told to: for tests and simulations."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FakeClock needs an aware datetime")
        self._now = start.astimezone(UTC)

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


class ScaledClock:
    """The real clock running `factor` times faster from the moment it was made (demo mode)."""

    def __init__(self, factor: float, *, base: Clock | None = None) -> None:
        self._base = base or SystemClock()
        self._origin = self._base.now()
        self._factor = factor

    @property
    def factor(self) -> float:
        """How many times faster than the real clock it runs."""
        return self._factor

    def now(self) -> datetime:
        """The accelerated instant."""
        elapsed = self._base.now() - self._origin
        return self._origin + elapsed * self._factor
