"""Codes unique in their plan as the office says them; dates the calendar can place."""

import pytest

from plans.deadlines import parse_deadline
from plans.draft import DraftTask
from plans.readers.errors import DateBeyondCalendar
from plans.source import RawRow
from plans.storable import check_calendar_years, unique_codes


def codes(*rows: tuple[str, str | None]) -> list[str]:
    """The codes `unique_codes` gives rows of (printed code, section)."""
    return [row.code for row in unique_codes([RawRow(code, "Việc", s) for code, s in rows])]


def test_numbers_restarted_under_each_section_take_the_section_number() -> None:
    first, second = "I. CÔNG TÁC TUYÊN TRUYỀN", "II) CẢI CÁCH HÀNH CHÍNH"
    printed = [("1", first), ("2", first), ("1", second), ("2", second)]
    assert codes(*printed) == ["I.1", "I.2", "II.1", "II.2"]


def test_unique_numbers_stay_as_printed() -> None:
    assert codes(("1", "I. A"), ("2", "I. A"), ("3", "II. B")) == ["1", "2", "3"]


def test_a_repeated_number_without_a_section_takes_a_letter() -> None:
    assert codes(("4", None), ("5", None), ("5", None), ("5", None)) == ["4", "5", "5b", "5c"]


def test_a_section_without_a_number_leaves_the_repeat_to_a_letter() -> None:
    assert codes(("1", "Lĩnh vực văn hóa"), ("1", "Lĩnh vực y tế")) == ["1", "1b"]


def test_a_lettered_code_under_a_numbered_section_reads_as_one() -> None:
    assert codes(("a)", "1. Tuyên truyền"), ("a)", "2. Kiểm tra")) == ["1.a", "2.a"]


def test_codes_that_already_carry_the_section_are_not_prefixed_twice() -> None:
    assert codes(("I.1", "I. A"), ("1", "I. A"), ("1", "II. B")) == ["I.1", "I.1b", "II.1"]


def test_a_code_longer_than_the_table_stores_is_cut() -> None:
    assert codes(("1." * 20, None)) == [("1." * 20)[:32]]


def task(code: str, deadline: str) -> DraftTask:
    """A draft task due as `deadline` says."""
    due = parse_deadline(deadline, plan_years=(2025,))
    return DraftTask(code=code, title="Việc", deadline=due)


def test_a_year_beyond_the_calendar_is_refused_naming_the_task() -> None:
    with pytest.raises(DateBeyondCalendar) as caught:
        check_calendar_years([task("1", "Quý II/2025"), task("2", "Trong năm 2100")], [])
    assert caught.value.params["code"] == "2"
    assert caught.value.params["year"] == 2100


def test_years_the_calendar_covers_pass() -> None:
    check_calendar_years([task("1", "Trước ngày 31/12/2099"), task("2", "Hằng quý")], [])
