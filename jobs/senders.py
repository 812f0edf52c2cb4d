"""What the dispatcher needs of a channel: deliver one rendered reply to one chat, at the pace
the platform allows.

Each channel (`bot/telegram`, `bot/zalo`, `bot/web`) implements `Sender`, as does the recording
sender of `dondoc simulate` (`RecordingSender`, below); the composition root hands the
dispatcher one per channel. Errors say how to retry.

How many sends the dispatcher keeps in flight (`SendWindow`): per channel, enough to fill the
platform's ceiling at the latency measured, and never more than a fixed cap in all.

A channel sending at most `ceiling` messages a second, each holding its slot `rtt` seconds (the
send and the mark that records it), needs `ceiling × rtt` slots to reach its ceiling (Little's
law). The window opens at one slot; the first send's time sets it to
`ceil(ceiling × rtt × HEADROOM) + 1`; from then on the rate decides: while sends wait for a slot
and the last second's rate is under the ceiling, it grows by one slot per send completed; at
the ceiling it shrinks by one, never below one slot more than Little's law asks at the
shortest slot time ever seen (so one slow send or mark does not cost the ceiling: a channel
that paces its own sends evenly, as Zalo's client does, cannot make up a slot it missed). It so
settles near the fewest slots that keep the ceiling, at whatever latency the platform, the
database and the CPU give (a platform's own rate limiter holding sends back only makes them
slower, never the window wider). A channel without a ceiling (the web chat, the simulation's
recorder) may use the whole cap. The cap bounds what a crash can repeat: only a message sent
but not yet marked goes out again, and at most `cap` are in that state at once.

The recording sender (`RecordingSender`) is the sender of `dondoc simulate` (and of the paths'
file count): it records each message it is given, rendered as a phone shows it, instead of
sending it. The tests' senders that fail on demand or write to a file are theirs
(`tests/support/senders.py`).
"""

import asyncio
import itertools
import math
import time
from collections import deque
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Final, Protocol

from models import Channel
from services.messages import Reply, render_lines


class SendError(Exception):
    """Delivery failed."""


class TransientSendError(SendError):
    """Try again later (429, 5xx, timeout); `retry_after` seconds when the platform says."""

    def __init__(self, reason: str, *, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentSendError(SendError):
    """The platform refuses this chat for good (the user blocked the bot, the chat is gone)."""


@dataclass(frozen=True, slots=True)
class Recipient:
    """Where and how to say it: the chat on that channel, and the officer's language."""

    officer_id: int
    chat_id: str
    locale: str


class Sender(Protocol):
    """Delivers replies on one channel."""

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver `reply` and return the platform's message id."""
        ...


# --- how many sends are in flight ------------------------------------------------------

DEFAULT_CAP: Final = 32
PLATFORM_CEILINGS: Final[Mapping[Channel, float]] = {
    Channel.TELEGRAM: 30.0,  # Telegram's documented overall limit for a bot
    # Zalo publishes no limit (docs/spec/zalo.md §1.5): dondoc keeps to 20 a second, a third
    # of the 4,000 a minute Zalo's Official Account API allows an app.
    Channel.ZALO: 20.0,
}
HEADROOM: Final = 2.0
SAMPLES: Final = 64
RATE_SPAN: Final = 1.0  # seconds of completions the rate is read over
SHORT_OF_CEILING: Final = 0.97


class _Lane:
    """One channel's share: its ceiling, its size, the slots it holds, its recent sends."""

    def __init__(self, ceiling: float | None, cap: int) -> None:
        self.ceiling = ceiling
        self.cap = cap
        self.size = cap if ceiling is None else 1
        self.in_flight = 0
        self.waiting = 0
        self.durations: deque[float] = deque(maxlen=SAMPLES)
        self.shortest = math.inf
        self.completed: deque[float] = deque()

    def completes(self, started: float, now: float) -> None:
        """A send that took its slot at `started` is done: learn its time, and resize."""
        self.durations.append(now - started)
        self.shortest = min(self.shortest, now - started)
        self.completed.append(now)
        while self.completed and self.completed[0] < now - RATE_SPAN:
            self.completed.popleft()
        if self.ceiling is None:
            return
        needs = self.ceiling * self.shortest  # Little's law, at the fastest slot time seen
        if len(self.durations) == 1:
            self.size = min(self.cap, math.ceil(needs * HEADROOM) + 1)
            return
        rate = len(self.completed) / RATE_SPAN
        if rate >= self.ceiling:
            self.size = max(min(self.cap, math.ceil(needs) + 1), self.size - 1)
        elif self.waiting and rate < self.ceiling * SHORT_OF_CEILING:
            self.size = min(self.cap, self.size + 1)


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
        return self._lane(channel).size

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
            lane.waiting += 1
            try:
                await changed.wait_for(
                    lambda: lane.in_flight < lane.size and self._in_flight < self.cap
                )
            finally:
                lane.waiting -= 1
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
                lane.completes(started, time.monotonic())
            async with changed:
                lane.in_flight -= 1
                self._in_flight -= 1
                changed.notify_all()

    def _lane(self, channel: Channel) -> _Lane:
        lane = self._lanes.get(channel)
        if lane is None:
            lane = self._lanes[channel] = _Lane(self._ceilings.get(channel), self.cap)
        return lane

    def _condition(self) -> asyncio.Condition:
        if self._changed is None:
            self._changed = asyncio.Condition()
        return self._changed


# --- the recording sender ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message as it was delivered."""

    recipient: Recipient
    reply: Reply
    text: str
    message_id: str


class RecordingSender:
    """Records every delivery (`deliveries`, in order; `attempts` counts the calls)."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.attempts = 0
        self._ids = itertools.count(1)

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver (record) `reply`."""
        self.attempts += 1
        message_id = f"m{next(self._ids)}"
        text = render_lines(recipient.locale, reply)
        self.deliveries.append(Delivery(recipient, reply, text, message_id))
        return message_id
