"""Codes unique in their plan as the office says them; dates the calendar cannot place flagged
in the preview and refused on confirmation."""

import pytest

from locales import translate
from plans.deadlines import parse_deadline
from plans.draft import DraftTask, ImportDraft, PlanInfo
from plans.flags import FLAG_SENTENCES, UNKNOWN_FLAG, flag_sentences
from plans.readers.errors import DateBeyondCalendar
from plans.source import RawRow
from plans.storable import (
    BEYOND_CALENDAR,
    MAX_PHRASE_CHARS,
    calendar_phrase,
    check_calendar_years,
    flag_dates_beyond_calendar,
    unique_codes,
)


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


def draft(*tasks: DraftTask) -> ImportDraft:
    """A draft of `tasks` alone."""
    return ImportDraft(source=None, plan=PlanInfo(), tasks=tasks)


def test_a_row_dated_beyond_the_calendar_is_flagged_with_a_sentence_naming_the_phrase() -> None:
    tasks = flag_dates_beyond_calendar(
        [task("1", "Quý II/2025"), task("2", "Trước ngày 31/12/2100")]
    )
    assert [t.flags for t in tasks] == [(), (BEYOND_CALENDAR,)]
    assert flag_sentences(tasks[0]) == []
    [(msgid, params)] = flag_sentences(tasks[1])
    assert msgid == FLAG_SENTENCES[BEYOND_CALENDAR]
    assert params == {"phrase": "ngày 31/12/2100", "year": 2100, "first": 1901, "last": 2099}
    assert "{" not in translate("vi", msgid, **params)
    assert flag_dates_beyond_calendar(tasks) == tasks  # flagged once


def test_confirming_a_draft_dated_beyond_the_calendar_is_refused_naming_the_phrase() -> None:
    with pytest.raises(DateBeyondCalendar) as caught:
        check_calendar_years(draft(task("1", "Quý II/2025"), task("2", "Trong năm 2100")))
    assert caught.value.params["phrase"] == "năm 2100"
    assert caught.value.params["year"] == 2100


def test_years_the_calendar_covers_pass() -> None:
    tasks = [task("1", "Trước ngày 31/12/2099"), task("2", "Hằng quý")]
    assert flag_dates_beyond_calendar(tasks) == tuple(tasks)
    check_calendar_years(draft(*tasks))


def test_the_phrase_is_the_words_naming_the_year_or_the_cell_shortened() -> None:
    assert calendar_phrase("Hoàn thành trong năm 9999 nhé", 9999) == "năm 9999"
    assert calendar_phrase("Quý II", 9999) == "Quý II"  # the year is the plan's
    assert calendar_phrase("Trước ngày " * 20, 9999).endswith("…")
    assert len(calendar_phrase("Trước ngày " * 20, 9999)) == MAX_PHRASE_CHARS


def test_every_flag_reads_as_a_sentence_and_an_unknown_one_asks_for_a_look() -> None:
    flagged = DraftTask(
        code="1",
        title="Việc",
        deadline=parse_deadline("Quý II/2025", plan_years=(2025,)),
        flags=(*FLAG_SENTENCES, "something_new"),
    )
    sentences = flag_sentences(flagged)
    assert [msgid for msgid, _ in sentences[:3]] == list(FLAG_SENTENCES.values())[:3]
    assert sentences[3] == (UNKNOWN_FLAG, {})  # the date is in the calendar after all
    assert sentences[4] == (UNKNOWN_FLAG, {})
