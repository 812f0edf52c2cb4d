"""The text readers are linear in their input: 16k characters of any kind of token take about
four times what 4k take (a reader quadratic in its input takes sixteen times)."""

import gc
import time
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from bot.conversation.intents import classify
from plans.deadlines import parse_deadline
from plans.relative import parse_relative

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)
TOKEN_CLASSES = {
    "words": "xin báo cáo anh chị việc này đang làm ",
    "dates": "20/7 31/12/2025 ngày 5 tháng 6 ",
    "relative": "ngày mai thứ sáu tuần sau 3 ngày nữa cuối tháng ",
    "digits": "1234567890 ",
    "percent": "được 50% ",
    "periods": "quý II/2025 hết quý III năm 2026 hằng tháng ",
    "punctuation": "!?.,;:()-/ ",
    "one long word": "a",
    "extension": "gia hạn đến 20/7 vì vướng ",
    "snooze": "nhắc lại sau 2 tiếng ",
}
READERS: dict[str, Callable[[str], object]] = {
    "grammar": lambda text: parse_deadline(text, plan_years=(2025,)),
    "classifier": lambda text: classify(text, now=NOW),
    "parse_relative": lambda text: parse_relative(text, now=NOW),
}
MAX_RATIO = 8.0
"""Halfway between linear (4) and quadratic (16), for a shared machine's noise."""
FLOOR_SECONDS = 0.005
"""Below this the 16k run is all overhead: nothing to compare."""


def best_time(read: Callable[[str], object], text: str) -> float:
    """The fastest of a few runs, in this process's CPU time, without the garbage collector.

    CPU time, not wall time: on a busy machine a 16k run outlasts the scheduler's slice and waits
    for the CPU while a 4k run often fits in one, so wall times gave ratios of 7-12 for readers
    that take four times. The collector's full passes scan the whole test process and start at
    an allocation count, so they land in the long run and not in the short one whatever the
    reader does."""
    runs = []
    gc.collect()
    gc.disable()
    try:
        for _ in range(5):
            started = time.process_time()
            read(text)
            runs.append(time.process_time() - started)
    finally:
        gc.enable()
    return min(runs)


def of_length(unit: str, length: int) -> str:
    """`unit` repeated to exactly `length` characters."""
    return (unit * (length // len(unit) + 1))[:length]


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    parse_relative("2025-12-31 abc", now=NOW)


@pytest.mark.parametrize("reader", READERS)
@pytest.mark.parametrize("token_class", TOKEN_CLASSES)
def test_reading_time_grows_linearly(reader: str, token_class: str) -> None:
    read = READERS[reader]
    unit = TOKEN_CLASSES[token_class]
    ratios = []
    for _ in range(3):  # a ratio over the limit is measured again before it counts
        short = best_time(read, of_length(unit, 4096))
        long = best_time(read, of_length(unit, 16384))
        if long < FLOOR_SECONDS:
            return
        ratios.append(long / max(short, 1e-6))
        if ratios[-1] <= MAX_RATIO:
            return
    pytest.fail(f"{reader} on {token_class}: 16k/4k time ratios {ratios}")
