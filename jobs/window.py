"""How many sends the dispatcher keeps in flight: per channel, enough to fill the platform's
ceiling at the latency measured, and never more than a fixed cap in all.

A channel sending at most `ceiling` messages a second, each holding its slot `rtt` seconds
(the send and the mark that records it), needs `ceiling × rtt` slots to reach its ceiling:
the window is that with headroom, `ceil(ceiling × rtt × HEADROOM) + 1`. `rtt` is the shortest
of the last `SAMPLES` slot times, so the time a send waits in the platform's rate limiter
(which only ever adds) does not inflate it. A channel without a ceiling (the web chat, the
console) may use the whole cap. The cap bounds what a crash can repeat: only a message sent
but not yet marked goes out again, and at most `cap` are in that state at any moment.
"""

import asyncio
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Final

from models import Channel

DEFAULT_CAP: Final = 32
PLATFORM_CEILINGS: Final[Mapping[Channel, float]] = {
    Channel.TELEGRAM: 30.0,  # Telegram's documented overall limit for a bot
    # Zalo publishes no limit (docs/spec/zalo.md §1.5): dondoc keeps to 20 a second, a third
    # of the 4,000 a minute Zalo's Official Account API allows an app.
    Channel.ZALO: 20.0,
}
HEADROOM: Final = 2.0
SAMPLES: Final = 64


class _Lane:
    """One channel's share: its ceiling, the slots it holds, its recent slot times."""

    def __init__(self, ceiling: float | None) -> None:
        self.ceiling = ceiling
        self.in_flight = 0
        self.durations: deque[float] = deque(maxlen=SAMPLES)


class SendWindow:
    """Slots for sends: `async with window.slot(channel):` around a send and its mark."""

    def __init__(self, ceilings: Mapping[Channel, float], *, cap: int = DEFAULT_CAP) -> None:
        if cap < 1:
            raise ValueError("the window needs at least one slot")
        self.cap = cap
        self._ceilings = dict(ceilings)
        self._lanes: dict[Channel, _Lane] = {}
        self._in_flight = 0
        self._peak = 0
        self._changed: asyncio.Condition | None = None

    @property
    def in_flight(self) -> int:
        """Sends holding a slot now, all channels together."""
        return self._in_flight

    @property
    def peak(self) -> int:
        """The most sends ever in flight at once."""
        return self._peak

    def size(self, channel: Channel) -> int:
        """How many sends `channel` may have in flight now."""
        lane = self._lane(channel)
        if lane.ceiling is None:
            return self.cap
        if not lane.durations:
            return 1  # measure one send before opening up
        rtt = min(lane.durations)
        return max(1, min(self.cap, math.ceil(lane.ceiling * rtt * HEADROOM) + 1))

    def latency(self, channel: Channel) -> float | None:
        """The shortest recent slot time on `channel` (seconds), once measured."""
        lane = self._lane(channel)
        return min(lane.durations) if lane.durations else None

    @asynccontextmanager
    async def slot(self, channel: Channel) -> AsyncIterator[None]:
        """Hold one of `channel`'s slots while the block runs; its time is measured."""
        lane = self._lane(channel)
        changed = self._condition()
        async with changed:
            await changed.wait_for(
                lambda: lane.in_flight < self.size(channel) and self._in_flight < self.cap
            )
            lane.in_flight += 1
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
        started = time.monotonic()
        completed = False
        try:
            yield
            completed = True
        finally:
            if completed:
                lane.durations.append(time.monotonic() - started)
            async with changed:
                lane.in_flight -= 1
                self._in_flight -= 1
                changed.notify_all()

    def _lane(self, channel: Channel) -> _Lane:
        lane = self._lanes.get(channel)
        if lane is None:
            lane = self._lanes[channel] = _Lane(self._ceilings.get(channel))
        return lane

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed
