"""The deadline grammar's properties: what spelling never changes, what never raises, and
the dates every period and day resolve to (the phrase tables are in test_deadlines.py)."""

import calendar
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.deadlines import (
    Deadline,
    DeadlineKind,
    Recurrence,
    parse_deadline,
)
from tests.unit.plans.test_deadlines import FIRST_TABLE, MORE, SECOND_TABLE

NO_DEADLINE = settings(deadline=None)  # timing on a busy machine is not under test


FIXED = DeadlineKind.FIXED
RECURRING = DeadlineKind.RECURRING
ONGOING = DeadlineKind.ONGOING
UNRECOGNISED = DeadlineKind.UNRECOGNISED

D = date


def parse_2025(text: str) -> Deadline:
    return parse_deadline(text, plan_years=[2025])


# --- properties -----------------------------------------------------------------------------

VALID = [row[0] for row in FIRST_TABLE + SECOND_TABLE + MORE]
DASHES = ["-", "\u2010", "\u2011", "\u2012", "\u2013", "\u2014", "\u2015", "\u2212", "\uff0d"]


def _without_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D")


def _meaning(deadline: Deadline) -> tuple[object, ...]:
    return (
        deadline.kind,
        deadline.due,
        deadline.starts,
        deadline.recurrence,
        deadline.note and " ".join(_without_diacritics(deadline.note).casefold().split()),
        deadline.flags,
        tuple(deadline.occurrences()),
    )


@st.composite
def _variants(draw: st.DrawFn) -> tuple[str, str]:
    text = draw(st.sampled_from(VALID))
    variant = text
    if draw(st.booleans()):
        variant = _without_diacritics(variant)
    cases: list[Callable[[str], str]] = [
        str.upper,
        str.lower,
        str.title,
        str.casefold,
        str.swapcase,
        str.strip,
    ]
    variant = draw(st.sampled_from(cases))(variant)
    variant = unicodedata.normalize(draw(st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"])), variant)
    dash = draw(st.sampled_from(DASHES))
    variant = variant.replace("-", dash)
    spaces = st.sampled_from([" ", "  ", "\n", " \r\n ", "\t", "\u00a0", "\u3000", "\u202f"])
    variant = "".join(draw(spaces) if char == " " else char for char in variant)
    return text, draw(spaces) + variant + draw(spaces)


@NO_DEADLINE
@given(_variants())
def test_spelling_case_unicode_form_spaces_and_dashes_never_change_the_meaning(
    pair: tuple[str, str],
) -> None:
    text, variant = pair
    original, changed = parse_2025(text), parse_2025(variant)
    assert _meaning(changed) == _meaning(original)
    assert changed.text == variant


@NO_DEADLINE
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    deadline = parse_deadline(text, plan_years=[2025])
    assert deadline.text == text
    assert deadline.kind in DeadlineKind


@NO_DEADLINE
@given(st.text(alphabet="0123456789/-. quýQUYIVXtháng năm", max_size=30))
def test_date_like_noise_never_raises(text: str) -> None:
    assert parse_deadline(text, plan_years=[2024, 2025]).text == text


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@NO_DEADLINE
@given(st.integers(1900, 2200), st.integers(1, 4), st.booleans())
def test_a_quarter_ends_on_its_last_day(year: int, quarter: int, roman: bool) -> None:
    number = ROMAN[quarter] if roman else str(quarter)
    deadline = parse_2025(f"Quý {number}/{year}")
    month = 3 * quarter
    assert deadline.due == D(year, month, calendar.monthrange(year, month)[1])
    assert deadline.starts == D(year, month - 2, 1)


@NO_DEADLINE
@given(st.integers(1900, 2200), st.integers(1, 12), st.sampled_from(["/", " năm ", "-"]))
def test_a_month_ends_on_its_last_day(year: int, month: int, between: str) -> None:
    deadline = parse_2025(f"tháng {month:02d}{between}{year}")
    assert deadline.due == D(year, month, calendar.monthrange(year, month)[1])
    assert deadline.due.day == (29 if month == 2 and calendar.isleap(year) else deadline.due.day)


@NO_DEADLINE
@given(st.dates(min_value=D(1901, 1, 1), max_value=D(2200, 12, 31)))
def test_any_real_day_parses_and_trước_means_the_day_before(day: date) -> None:
    text = f"{day.day}/{day.month}/{day.year}"
    assert parse_2025(text).due == day
    assert parse_2025(f"Trước ngày {text}").due == date.fromordinal(day.toordinal() - 1)
    assert parse_2025(f"ngày {day.day} tháng {day.month} năm {day.year}").due == day


def test_a_phrase_read_again_is_the_same_value() -> None:
    first = parse_deadline("Trong năm 2025", plan_years=[2025], issued=D(2025, 1, 5))
    again = parse_deadline("Trong năm 2025", plan_years=(2025,), issued=D(2025, 1, 5))
    assert again is first


def test_the_issue_date_and_years_are_part_of_the_reading() -> None:
    late = parse_deadline("Quý I/2025", plan_years=[2025], issued=D(2025, 6, 1))
    early = parse_deadline("Quý I/2025", plan_years=[2025], issued=D(2024, 12, 1))
    assert (late.flags, early.flags) == (("deadline_before_plan_date",), ())
    assert parse_deadline("Quý I", plan_years=[2026]).due == D(2026, 3, 31)
    assert parse_deadline("Quý I", plan_years=[2025]).due == D(2025, 3, 31)


def test_a_yearly_reading_of_the_quarterly_report_rule_keeps_the_last_day() -> None:
    quarterly = parse_deadline("trước ngày 10 của tháng cuối quý", plan_years=[2024, 2025])
    yearly = replace(quarterly, recurrence=Recurrence.YEARLY)
    assert yearly.occurrences() == [D(2024, 12, 9), D(2025, 12, 9)]
    assert len(quarterly.occurrences()) == 8


@pytest.mark.parametrize(
    ("text", "starts", "due"),
    [
        ("Từ quý I - II/2025", D(2025, 1, 1), D(2025, 6, 30)),
        ("Từ tháng 9, 10/2025", D(2025, 9, 1), D(2025, 10, 31)),
        ("Từ năm 2021 - 2025", D(2021, 1, 1), D(2025, 12, 31)),
    ],
)
def test_tu_before_a_span_keeps_its_end(text: str, starts: date, due: date) -> None:
    deadline = parse_2025(text)
    assert (deadline.kind, deadline.starts, deadline.due) == (FIXED, starts, due)


_VOCABULARY = (
    "quý năm tháng ngày trước chậm nhất hạn từ đến hết cuối đầu trong giai đoạn nhiệm kỳ hằng"
    " hàng mỗi định kỳ lần của báo cáo thứ hai sáu chủ nhật tuần và các tiếp theo trở đi"
    " thường xuyên liên tục theo kế hoạch đột xuất khi có nửa 6 1 2 3 4 10 12 15 29 30 31"
    " 2024 2025 2026 I II III IV V / - , ( ) . chín mười h giờ sáng"
)
GRAMMAR_WORDS = _VOCABULARY.split()


@NO_DEADLINE
@given(
    st.lists(st.sampled_from(GRAMMAR_WORDS), max_size=12),
    st.sampled_from([[2025], [2024, 2025], []]),
)
def test_any_sequence_of_grammar_words_never_raises(words: list[str], years: list[int]) -> None:
    text = " ".join(words)
    deadline = parse_deadline(text, plan_years=years, issued=D(2025, 1, 1))
    assert deadline.text == text
    if deadline.kind is UNRECOGNISED:
        assert deadline.due is None
        assert deadline.flags in (("unrecognised_deadline",), ("ambiguous_year",))
    if deadline.kind is FIXED:
        assert deadline.due is not None
        assert deadline.starts is None or deadline.starts <= deadline.due


def test_a_leap_day_without_a_year_is_not_moved_to_another_year() -> None:
    deadline = parse_deadline("từ 29/2 đến 15/3/2025", plan_years=[2024, 2025])
    assert deadline.kind is UNRECOGNISED


@pytest.mark.parametrize(
    ("text", "recurrence", "occurrences"),
    [
        (
            "hằng quý, trước ngày 10 của tháng cuối quý",
            Recurrence.QUARTERLY,
            [D(2025, 3, 9), D(2025, 6, 9), D(2025, 9, 9), D(2025, 12, 9)],
        ),
        ("hằng năm, trước ngày 10 của tháng cuối quý", Recurrence.YEARLY, [D(2025, 12, 9)]),
        ("hằng năm, chậm nhất ngày 18/12", Recurrence.YEARLY, [D(2025, 12, 18)]),
        (
            "Hằng tháng, chậm nhất ngày 12",
            Recurrence.MONTHLY,
            [D(2025, m, 12) for m in range(1, 13)],
        ),
    ],
)
def test_a_cadence_then_its_days(
    text: str, recurrence: Recurrence, occurrences: list[date]
) -> None:
    deadline = parse_2025(text)
    assert (deadline.kind, deadline.recurrence) == (RECURRING, recurrence)
    assert deadline.occurrences() == occurrences
    assert deadline.due == occurrences[-1]


def test_a_cadence_then_weekday() -> None:
    deadline = parse_2025("hằng tuần, thứ hai")
    assert deadline.recurrence is Recurrence.WEEKLY
    assert {day.weekday() for day in deadline.occurrences()} == {0}


@pytest.mark.parametrize(
    "text", ["Hằng quý, ngày 15/6", "Hằng năm, thường xuyên", "hằng năm, 2025"]
)
def test_a_cadence_then_days_that_do_not_fit_is_unrecognised(text: str) -> None:
    assert parse_2025(text).kind is UNRECOGNISED


RECURRING_PHRASES = [row[0] for row in FIRST_TABLE + SECOND_TABLE + MORE if row[1] is RECURRING]


@NO_DEADLINE
@given(
    st.sampled_from(RECURRING_PHRASES),
    st.lists(st.integers(1990, 2100), min_size=1, max_size=6, unique=True),
)
def test_a_recurring_due_date_is_its_last_occurrence(text: str, years: list[int]) -> None:
    deadline = parse_deadline(text, plan_years=years)
    dates = deadline.occurrences()
    assert dates == sorted(dates)
    assert deadline.due == dates[-1]
    assert deadline.starts == D(min(years), 1, 1)
    assert {day.year for day in dates} <= set(years)


@pytest.mark.parametrize(
    ("text", "kind", "starts", "recurrence"),
    [
        ("Thường xuyên trong năm 2025", ONGOING, D(2025, 1, 1), None),
        ("Thường xuyên trong năm", ONGOING, D(2025, 1, 1), None),
        ("Liên tục trong Quý II/2025", ONGOING, D(2025, 4, 1), None),
        ("Thường xuyên, hằng năm", RECURRING, D(2025, 1, 1), Recurrence.YEARLY),
        ("Thường xuyên xyz", UNRECOGNISED, None, None),
    ],
)
def test_ongoing_words_with_a_period_or_a_cadence(
    text: str, kind: DeadlineKind, starts: date | None, recurrence: Recurrence | None
) -> None:
    deadline = parse_2025(text)
    assert (deadline.kind, deadline.starts, deadline.recurrence) == (kind, starts, recurrence)


def test_ongoing_during_the_year_of_a_long_plan_needs_no_year() -> None:
    deadline = parse_deadline("Thường xuyên trong năm", plan_years=range(2021, 2026))
    assert (deadline.kind, deadline.starts, deadline.flags) == (ONGOING, None, ())
