"""Generated texts through the deadline grammar, the intent classifier and `parse_relative`:
each answers with a value of its type, never an exception, and within its time."""

import gc
import time
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.conversation.intents import Intent, classify
from plans.calendar import FIRST_YEAR, LAST_YEAR
from plans.deadlines import Deadline, parse_deadline
from plans.relative import parse_relative
from tests.fuzz.conftest import fuzz_scale
from tests.fuzz.tally import TALLY

SECONDS_PER_TEXT = 1.0
"""A chat message or a deadline cell is answered well within this (the slowest take ~0.1 s)."""
EXAMPLES = 300 * fuzz_scale()
RELATIVE_EXAMPLES = 150 * fuzz_scale()
"""Fewer: a reply no rule reads goes to dateparser, about 50 ms each."""

WORDS = [
    "trước",
    "ngày",
    "tháng",
    "năm",
    "quý",
    "hết",
    "cuối",
    "đầu",
    "giữa",
    "tuần",
    "sau",
    "tới",
    "này",
    "nay",
    "mai",
    "kia",
    "mốt",
    "thứ",
    "chủ",
    "nhật",
    "hằng",
    "hàng",
    "định",
    "kỳ",
    "thường",
    "xuyên",
    "xong",
    "rồi",
    "được",
    "đã",
    "chưa",
    "không",
    "vướng",
    "gia",
    "hạn",
    "nhắc",
    "lại",
    "lát",
    "việc",
    "báo",
    "cáo",
    "kế",
    "hoạch",
    "phường",
    "UBND",
    "hoàn",
    "thành",
    "trong",
    "ngày",
    "làm",
    "việc",
    "nữa",
    "nhé",
    "ạ",
    "em",
    "anh",
    "chị",
]
NUMBERS = st.one_of(
    st.integers(0, 40).map(str),
    st.integers(0, 99999).map(str),
    st.sampled_from(["I", "II", "III", "IV", "VI", "X", "XIV", "MMXXV"]),
    st.sampled_from(["một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "mười"]),
)
DATES = st.builds(
    lambda d, m, y, sep: sep.join(str(part) for part in (d, m, y) if part is not None),
    st.integers(0, 40),
    st.integers(0, 14),
    st.one_of(st.none(), st.integers(0, 10000)),
    st.sampled_from(["/", "-", ".", " tháng ", "/0"]),
)
TOKENS = st.one_of(
    st.sampled_from(WORDS),
    NUMBERS,
    DATES,
    st.sampled_from([*"%!?.,;:()-/\"'…–", "50%", "100%", "2025-12-31", "Q2"]),
    st.text(min_size=1, max_size=8),
)
PHRASES = st.builds(
    lambda tokens, spaces: "".join(
        token + spaces[index % len(spaces)] for index, token in enumerate(tokens)
    ),
    st.lists(TOKENS, max_size=60),
    st.lists(st.sampled_from([" ", "  ", "\n", "\t", "", " , "]), min_size=1, max_size=4),
)
TEXTS = st.one_of(PHRASES, st.text(max_size=300), PHRASES.map(lambda text: text * 40))
NOW = st.datetimes(
    datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis takes naive bounds and adds the zone
    datetime(2090, 12, 31),  # noqa: DTZ001
    timezones=st.just(UTC),
)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def _warm() -> None:
    """dateparser loads its language data on first use (seconds): not a text's cost."""
    for text in ("2025-12-31 abc", "0 " * 40, "xin chào 5 anh", "50% , VI  mười , một  giữa"):
        parse_relative(text, now=datetime(2025, 3, 3, tzinfo=UTC))
        classify(text, now=datetime(2025, 3, 3, tzinfo=UTC))


def timed(call: Callable[[], object]) -> object:
    """`call()`, counted, and failed if it takes longer than a text may (processor time: on a
    shared machine the wall clock measures the neighbours)."""
    # The collector stays off while a text is read: a full collection of this long-running test
    # process's heap (hypothesis keeps every example) took a second once in 100,000 texts, and
    # is not the text's cost (a bot's heap is a small fraction of it).
    gc.disable()
    try:
        started = time.thread_time()
        result = call()
        elapsed = time.thread_time() - started
    finally:
        gc.enable()
    TALLY.texts += 1
    if elapsed > SECONDS_PER_TEXT:
        TALLY.over_budget += 1
    assert elapsed <= SECONDS_PER_TEXT, f"{elapsed:.2f}s"
    return result


@FUZZ
@given(text=TEXTS, year=st.integers(1990, 2090))
def test_the_grammar_reads_any_text(text: str, year: int) -> None:
    deadline = timed(lambda: parse_deadline(text, plan_years=(year,)))
    assert isinstance(deadline, Deadline)
    assert deadline.to_json()["text"] is not None
    if deadline.due is not None and deadline.starts is not None:
        assert deadline.starts <= deadline.due


@FUZZ
@given(text=TEXTS, now=NOW)
def test_the_classifier_reads_any_message(text: str, now: datetime) -> None:
    assert isinstance(timed(lambda: classify(text, now=now)), Intent)


@settings(FUZZ, max_examples=RELATIVE_EXAMPLES)
@example(text="30/9/5570100%2200", now=datetime(2035, 2, 18, 13, 23, tzinfo=UTC))
@example(text="quý ", now=datetime(2000, 5, 31, tzinfo=UTC))  # no 31 June
@example(text="𑁒 ", now=datetime(2000, 1, 1, tzinfo=UTC))  # a digit int() does not read
@example(text="0 " * 40, now=datetime(2000, 1, 25, tzinfo=UTC))
@given(text=TEXTS, now=NOW)
def test_parse_relative_reads_any_reply(text: str, now: datetime) -> None:
    found = timed(lambda: parse_relative(text, now=now))
    assert found is None or isinstance(found, date)
    if isinstance(found, date):
        assert FIRST_YEAR <= found.year <= LAST_YEAR
