"""Vietnamese working days: holidays, lunar Tết, announced swaps and the admin's overrides."""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.calendar import (
    ConflictingDays,
    UnsupportedLanguage,
    WorkingCalendar,
    announced_days,
)

NO_DEADLINE = settings(deadline=None)  # timing on a busy machine is not under test

D = date
CALENDAR = WorkingCalendar()


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (D(2025, 1, 1), "Tết Dương lịch"),
        (D(2025, 1, 27), "Tết 2025 (28 tháng Chạp), 8726/VPCP-KGVX"),
        (D(2025, 1, 29), "Mùng một Tết Ất Tỵ"),
        (D(2025, 1, 31), "Mùng ba Tết Ất Tỵ"),
        (D(2025, 4, 7), "Giỗ Tổ Hùng Vương (10/3 âm lịch)"),
        (D(2025, 4, 30), "Ngày Chiến thắng"),
        (D(2025, 5, 1), "Quốc tế Lao động"),
        (D(2025, 5, 2), "swapped with Saturday 26/4/2025"),
        (D(2025, 9, 1), "Quốc khánh, adjacent day"),
        (D(2025, 9, 2), "Quốc khánh"),
        (D(2026, 1, 2), "swapped with Saturday 10/1/2026, 12729/VPCP-KGVX (not in holidays)"),
        (D(2026, 2, 16), "Giao thừa Bính Ngọ"),
        (D(2026, 2, 17), "Mùng một Tết Bính Ngọ"),
        (D(2026, 2, 20), "Mùng bốn Tết Bính Ngọ"),
        (D(2026, 4, 27), "Giỗ Tổ falls on Sunday 26/4: observed Monday"),
        (D(2026, 8, 31), "swapped with Saturday 22/8/2026"),
        (D(2026, 9, 1), "Quốc khánh"),
        (D(2026, 9, 2), "Quốc khánh"),
        (D(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
    ],
)
def test_holidays_and_announced_days_are_not_working_days(day: date, reason: str) -> None:
    assert day.weekday() < 5, reason
    assert not CALENDAR.is_working_day(day), reason


@pytest.mark.parametrize(
    "day",
    [D(2025, 4, 26), D(2026, 1, 10), D(2026, 8, 22)],
    ids=["sat-26-4-2025", "sat-10-1-2026", "sat-22-8-2026"],
)
def test_swapped_saturdays_are_working_days(day: date) -> None:
    assert day.weekday() == 5
    assert CALENDAR.is_working_day(day)


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2025, 3, 3), True),  # Monday
        (D(2025, 3, 7), True),  # Friday
        (D(2025, 3, 8), False),  # Saturday
        (D(2025, 3, 9), False),  # Sunday
        (D(2026, 2, 23), True),  # back after Tết Bính Ngọ
        (D(2026, 1, 5), True),  # back after the New Year swap
    ],
)
def test_ordinary_weeks(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_tet_2025_is_nine_days_off_in_a_row() -> None:
    days = [D(2025, 1, 25) + timedelta(days=n) for n in range(9)]
    assert not any(CALENDAR.is_working_day(day) for day in days)
    assert CALENDAR.is_working_day(D(2025, 1, 24))
    assert CALENDAR.is_working_day(D(2025, 2, 3))


def test_tet_2026_is_nine_days_off_in_a_row() -> None:
    days = [D(2026, 2, 14) + timedelta(days=n) for n in range(9)]
    assert not any(CALENDAR.is_working_day(day) for day in days)
    assert CALENDAR.previous_working_day(D(2026, 2, 16)) == D(2026, 2, 13)
    assert CALENDAR.next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)


def test_national_day_2026_is_five_days_off() -> None:
    days = [D(2026, 8, 29) + timedelta(days=n) for n in range(5)]
    assert not any(CALENDAR.is_working_day(day) for day in days)
    assert CALENDAR.is_working_day(D(2026, 9, 3))


def test_days_off_have_vietnamese_names() -> None:
    names = dict(CALENDAR.days_off(2026))
    assert names[D(2026, 2, 17)] == "Tết Nguyên đán (Mùng một)"
    assert names[D(2026, 1, 2)].startswith("Nghỉ Tết Dương lịch")
    assert names[D(2026, 4, 27)].startswith("Nghỉ bù Giỗ Tổ Hùng Vương")
    assert names[D(2026, 1, 1)] == "Tết Dương lịch"
    assert list(names) == sorted(names)


def test_days_off_in_english() -> None:
    names = dict(WorkingCalendar(language="en").days_off(2026))
    assert names[D(2026, 1, 2)].startswith("New Year holiday")
    assert names[D(2026, 9, 2)] == "National Day"


def test_every_announced_day_cites_its_source() -> None:
    days = announced_days()
    assert {day.day.year for day in days} == {2025, 2026}
    for day in days:
        assert day.source
        assert day.vi
        assert day.en
        assert day.is_day_off == (day.day.weekday() < 5)


def test_admin_day_off_and_working_day_override() -> None:
    calendar = WorkingCalendar(
        extra_days_off={D(2025, 6, 13): "Bão số 1"},
        extra_working_days={D(2026, 11, 24): "Phường làm việc ngày 24/11"},
    )
    assert not calendar.is_working_day(D(2025, 6, 13))
    assert calendar.is_working_day(D(2026, 11, 24))
    assert (D(2025, 6, 13), "Bão số 1") in calendar.days_off(2025)
    assert D(2026, 11, 24) not in dict(calendar.days_off(2026))
    assert CALENDAR.is_working_day(D(2025, 6, 13))  # other calendars are untouched


def test_admin_may_make_a_saturday_a_working_day() -> None:
    calendar = WorkingCalendar(extra_working_days={D(2025, 3, 8): "Làm bù"})
    assert calendar.is_working_day(D(2025, 3, 8))
    assert calendar.next_working_day(D(2025, 3, 7)) == D(2025, 3, 8)


def test_a_day_cannot_be_both_off_and_working() -> None:
    with pytest.raises(ConflictingDays):
        WorkingCalendar(
            extra_days_off={D(2025, 1, 2): "x"}, extra_working_days={D(2025, 1, 2): "y"}
        )


def test_unknown_language_is_refused() -> None:
    with pytest.raises(UnsupportedLanguage):
        WorkingCalendar(language="fr")


def test_next_and_previous_skip_weekends_and_holidays() -> None:
    assert CALENDAR.next_working_day(D(2025, 4, 29)) == D(2025, 5, 5)  # 30/4 to 4/5 off
    assert CALENDAR.previous_working_day(D(2025, 5, 5)) == D(2025, 4, 29)
    assert CALENDAR.next_working_day(D(2025, 4, 25)) == D(2025, 4, 26)  # the swapped Saturday
    assert CALENDAR.next_working_day(D(2025, 12, 31)) == D(2026, 1, 5)  # across the year end
    assert CALENDAR.previous_working_day(D(2026, 1, 5)) == D(2025, 12, 31)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2025, 3, 5), D(2025, 3, 5)),  # a working day stays
        (D(2025, 3, 8), D(2025, 3, 7)),  # Saturday -> Friday
        (D(2025, 9, 2), D(2025, 8, 29)),  # Quốc khánh -> the Friday before
        (D(2026, 2, 20), D(2026, 2, 13)),  # in Tết -> the last day before it
        (D(2026, 1, 1), D(2025, 12, 31)),  # across the year end
    ],
)
def test_a_reminder_on_a_day_off_moves_to_the_working_day_before(
    day: date, expected: date
) -> None:
    assert CALENDAR.on_or_before_working_day(day) == expected


def test_on_or_after_working_day() -> None:
    assert CALENDAR.on_or_after_working_day(D(2025, 3, 8)) == D(2025, 3, 10)
    assert CALENDAR.on_or_after_working_day(D(2025, 3, 10)) == D(2025, 3, 10)


def test_add_working_days() -> None:
    assert CALENDAR.add_working_days(D(2025, 4, 29), 3) == D(2025, 5, 7)  # as holidays says
    assert CALENDAR.add_working_days(D(2025, 5, 7), -3) == D(2025, 4, 29)
    assert CALENDAR.add_working_days(D(2025, 3, 8), 0) == D(2025, 3, 8)
    assert CALENDAR.add_working_days(D(2025, 12, 30), 2) == D(2026, 1, 5)
    assert CALENDAR.add_working_days(D(2025, 1, 1), 300).year == 2026


def test_working_days_between() -> None:
    assert CALENDAR.working_days_between(D(2026, 2, 13), D(2026, 2, 24)) == 2  # 23, 24
    assert CALENDAR.working_days_between(D(2025, 3, 3), D(2025, 3, 3)) == 0
    assert CALENDAR.working_days_between(D(2025, 3, 7), D(2025, 3, 3)) == -4
    assert CALENDAR.working_days_between(D(2024, 12, 31), D(2026, 1, 1)) == len(
        CALENDAR.working_days(2025)
    )


def test_a_year_has_about_245_working_days() -> None:
    assert 240 <= len(CALENDAR.working_days(2025)) <= 250
    assert 240 <= len(CALENDAR.working_days(2026)) <= 250


DAYS = st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31))


@NO_DEADLINE
@given(DAYS, st.integers(min_value=-400, max_value=400))
def test_adding_working_days_counts_them(day: date, count: int) -> None:
    moved = CALENDAR.add_working_days(day, count)
    # Going back from a day off, the day itself is not among the working days counted.
    expected = count + 1 if count < 0 and not CALENDAR.is_working_day(day) else count
    assert CALENDAR.working_days_between(day, moved) == expected
    if count:
        assert CALENDAR.is_working_day(moved)


@NO_DEADLINE
@given(DAYS)
def test_on_or_before_is_a_working_day_never_after(day: date) -> None:
    moved = CALENDAR.on_or_before_working_day(day)
    assert moved <= day
    assert CALENDAR.is_working_day(moved)
    assert CALENDAR.working_days_between(moved, day) == 0


@NO_DEADLINE
@given(DAYS, DAYS)
def test_working_days_between_matches_counting_day_by_day(start: date, end: date) -> None:
    if abs((end - start).days) > 60:
        end = start + timedelta(days=(end - start).days % 60)
    low, high = min(start, end), max(start, end)
    counted = sum(
        CALENDAR.is_working_day(low + timedelta(days=n)) for n in range(1, (high - low).days + 1)
    )
    assert CALENDAR.working_days_between(low, high) == counted
    assert CALENDAR.working_days_between(high, low) == -counted
