"""Dates in chat replies, read at fixed instants in Việt Nam's time."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plans.calendar import WorkingCalendar
from plans.relative import NaiveNow, parse_relative
from tests.support.clock import HCM

NO_DEADLINE = settings(deadline=None)  # timing on a busy machine is not under test

REPO_ROOT = Path(__file__).resolve().parents[3]
D = date
# Thursday 10 July 2025, 09:00 in Việt Nam.
THURSDAY = datetime(2025, 7, 10, 9, 0, tzinfo=HCM)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ngày mai", D(2025, 7, 11)),
        ("Ngày mai nhé", D(2025, 7, 11)),
        ("mai", D(2025, 7, 11)),
        ("14h ngày mai", D(2025, 7, 11)),
        ("hôm nay", D(2025, 7, 10)),
        ("ngày kia", D(2025, 7, 12)),
        ("ngày mốt", D(2025, 7, 12)),
        ("3 ngày nữa", D(2025, 7, 13)),
        ("sau 3 ngày", D(2025, 7, 13)),
        ("3 ngày tới", D(2025, 7, 13)),
        ("hoãn 3 ngày", D(2025, 7, 13)),
        ("cho em thêm 5 ngày ạ", D(2025, 7, 15)),
        ("ba ngày nữa", D(2025, 7, 13)),
        ("trong 2 tuần", D(2025, 7, 24)),
        ("1 tháng nữa", D(2025, 8, 10)),
        ("thứ sáu tuần sau", D(2025, 7, 18)),
        ("thứ 6 tuần sau", D(2025, 7, 18)),
        ("nộp trước thứ sáu tuần sau", D(2025, 7, 18)),
        ("thứ hai tuần tới", D(2025, 7, 14)),
        ("chủ nhật tuần sau", D(2025, 7, 20)),
        ("thứ sáu", D(2025, 7, 11)),
        ("thứ 5", D(2025, 7, 17)),  # today is Thursday: the next one
        ("thứ 6 tuần này", D(2025, 7, 11)),
        ("đầu tuần sau", D(2025, 7, 14)),
        ("cuối tuần", D(2025, 7, 11)),
        ("cuối tuần sau", D(2025, 7, 18)),
        ("tuần sau", D(2025, 7, 18)),
        ("cuối tháng", D(2025, 7, 31)),
        ("hết tháng này", D(2025, 7, 31)),
        ("tháng sau", D(2025, 8, 31)),
        ("cuối tháng sau", D(2025, 8, 31)),
        ("ngày 5 tháng sau", D(2025, 8, 5)),
        ("hết quý", D(2025, 9, 30)),
        ("quý sau", D(2025, 12, 31)),
        ("hết quý III", D(2025, 9, 30)),
        ("hết quý II", D(2026, 6, 30)),  # Q2 2025 is over: the next one
        ("cuối năm", D(2025, 12, 31)),
        ("năm sau", D(2026, 12, 31)),
        ("20/7", D(2025, 7, 20)),
        ("gia hạn đến 20/7 nhé", D(2025, 7, 20)),
        ("gia han den 20/7 nhe", D(2025, 7, 20)),
        ("GIA HẠN ĐẾN 20/7", D(2025, 7, 20)),
        ("5/1", D(2026, 1, 5)),  # past this year: next year
        ("tháng 8", D(2025, 8, 31)),
        ("31/12/2025", D(2025, 12, 31)),
        ("xin gia hạn đến ngày 15 tháng 8 năm 2025", D(2025, 8, 15)),
        ("2025-12-31", D(2025, 12, 31)),  # dateparser
        ("ngày 20 tháng bảy", D(2025, 7, 20)),  # dateparser
        ("sáng mai", D(2025, 7, 11)),
        ("trưa mai", D(2025, 7, 11)),
        ("chiều nay", D(2025, 7, 10)),
        ("trong tuần này", D(2025, 7, 11)),
        ("tháng này", D(2025, 7, 31)),
        ("quý này", D(2025, 9, 30)),
        ("năm nay", D(2025, 12, 31)),
        ("khoảng 2 tuần", D(2025, 7, 24)),
    ],
)
def test_replies_resolve_from_now(text: str, expected: date) -> None:
    assert parse_relative(text, now=THURSDAY) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "ok",
        "đã xong",
        "không biết",
        "???",
        "cảm ơn anh",
        "50%",  # a progress reply: dateparser reads it as 2050
        "xong 80% rồi",
        "vướng kinh phí",
        "vài ngày nữa",  # too vague to be a date: the bot asks again
        "đầu tháng sau",
        "giữa tháng sau",
        "đầu năm sau",
    ],
)
def test_replies_without_a_date_give_none(text: str) -> None:
    assert parse_relative(text, now=THURSDAY) is None


def test_now_is_read_in_its_own_zone() -> None:
    late_utc = datetime(2025, 7, 10, 18, 30, tzinfo=UTC)  # already 11 July, 01:30 in Hà Nội
    assert parse_relative("ngày mai", now=late_utc.astimezone(HCM)) == D(2025, 7, 12)
    assert parse_relative("ngày mai", now=late_utc) == D(2025, 7, 11)


def test_a_naive_now_is_refused() -> None:
    with pytest.raises(NaiveNow):
        parse_relative("ngày mai", now=datetime(2025, 7, 10, 9, 0))  # noqa: DTZ001


def test_working_days_count_with_a_calendar() -> None:
    before_national_day = datetime(2025, 8, 28, 9, 0, tzinfo=HCM)  # Thursday
    assert parse_relative(
        "3 ngày làm việc nữa", now=before_national_day, workdays=WorkingCalendar()
    ) == D(2025, 9, 4)
    assert parse_relative("3 ngày làm việc nữa", now=before_national_day) == D(2025, 8, 31)


def test_cuoi_tuan_on_a_saturday_is_next_friday() -> None:
    saturday = datetime(2025, 7, 12, 9, 0, tzinfo=HCM)
    assert parse_relative("cuối tuần", now=saturday) == D(2025, 7, 18)


def test_end_of_month_in_february_of_a_leap_year() -> None:
    assert parse_relative("cuối tháng", now=datetime(2024, 2, 3, tzinfo=HCM)) == D(2024, 2, 29)
    assert parse_relative("tháng sau", now=datetime(2024, 1, 31, tzinfo=HCM)) == D(2024, 2, 29)


@pytest.mark.parametrize(("month", "quarter_end"), [(5, D(2025, 6, 30)), (7, D(2025, 9, 30))])
def test_end_of_quarter_on_a_31st_whose_quarter_ends_with_a_shorter_month(
    month: int, quarter_end: date
) -> None:
    # The fuzz campaign's case: "quý" on 31 May asked for 31 June.
    now = datetime(2025, month, 31, 9, 0, tzinfo=HCM)
    assert parse_relative("cuối quý", now=now) == quarter_end
    assert parse_relative("quý", now=now) is None


@settings(deadline=None, max_examples=50)
@given(st.text(max_size=40))
def test_arbitrary_replies_never_raise(text: str) -> None:
    found = parse_relative(text, now=THURSDAY)
    assert found is None or isinstance(found, date)


@NO_DEADLINE
@given(st.integers(1, 365), st.dates(min_value=D(2020, 1, 1), max_value=D(2030, 12, 31)))
def test_n_days_later_is_n_days_later(days: int, today: date) -> None:
    now = datetime(today.year, today.month, today.day, 12, 0, tzinfo=HCM)
    assert parse_relative(f"{days} ngày nữa", now=now) == today + timedelta(days=days)
    assert parse_relative(f"sau {days} ngay", now=now) == today + timedelta(days=days)


def test_importing_the_plans_modules_loads_neither_dateparser_nor_holidays() -> None:
    probe = (
        "import sys; import plans.relative, plans.calendar, plans.deadlines; "
        "print(sorted(m for m in ('dateparser', 'holidays') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True, cwd=REPO_ROOT
    ).stdout
    assert out.strip() == "[]"
