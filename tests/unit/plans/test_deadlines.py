"""The deadline grammar against docs/spec/deadlines.md and the seeds' expected imports."""

import calendar
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from plans.deadlines import (
    Deadline,
    DeadlineFlag,
    DeadlineKind,
    Recurrence,
    parse_deadline,
)

NO_DEADLINE = settings(deadline=None)  # timing on a busy machine is not under test

REPO_ROOT = Path(__file__).resolve().parents[3]
DATA_DIR = REPO_ROOT / "tests" / "data"
EXPECTED = sorted((DATA_DIR / "seeds" / "expected").glob("[0-9][0-9][0-9].json"))

FIXED = DeadlineKind.FIXED
RECURRING = DeadlineKind.RECURRING
ONGOING = DeadlineKind.ONGOING
AWAITING = DeadlineKind.AWAITING_DIRECTION
UNRECOGNISED = DeadlineKind.UNRECOGNISED

D = date


def parse_2025(text: str) -> Deadline:
    return parse_deadline(text, plan_years=[2025])


# --- the seeds ---------------------------------------------------------------------------


def _seed_deadlines() -> list[Any]:
    cases = []
    for path in EXPECTED:
        expected = json.loads(path.read_text("utf-8"))
        plan = expected["plan"]
        issued = date.fromisoformat(plan["issued"]) if plan["issued"] else None
        rows = [
            (f"tasks[{n}]", t["deadline"], t["flags"]) for n, t in enumerate(expected["tasks"])
        ]
        rows += [
            (f"obligations[{n}]", o["deadline"], None)
            for n, o in enumerate(expected["obligations"])
        ]
        for where, deadline, flags in rows:
            cases.append(
                pytest.param(
                    deadline,
                    flags,
                    plan["years"],
                    issued,
                    id=f"{path.stem}.{where}:{deadline['text']}",
                )
            )
    return cases


def test_the_seeds_are_found() -> None:
    assert len(EXPECTED) == 5


@pytest.mark.parametrize(("expected", "flags", "years", "issued"), _seed_deadlines())
def test_seed_deadline_parses_to_the_expected_value(
    expected: dict[str, str | None], flags: list[str] | None, years: list[int], issued: date | None
) -> None:
    deadline = parse_deadline(str(expected["text"]), plan_years=years, issued=issued)
    if expected["recurrence"] == "yearly" and deadline.recurrence is Recurrence.QUARTERLY:
        # 003: "báo cáo năm … trước ngày 10 của tháng cuối quý": the same phrase read as the
        # yearly report by the importer, who knows the report is annual; the grammar cannot.
        deadline = replace(deadline, recurrence=Recurrence.YEARLY)
        assert deadline.occurrences() == [date(2025, 12, 9)]
    assert deadline.to_json() == expected
    if flags is not None:
        assert list(deadline.flags) == flags


# --- docs/spec/deadlines.md, first table -------------------------------------------------

FIRST_TABLE: list[tuple[str, DeadlineKind, date | None, date | None, Recurrence | None]] = [
    ("Quý I/2025", FIXED, D(2025, 3, 31), D(2025, 1, 1), None),
    ("Quý 1 năm 2025", FIXED, D(2025, 3, 31), D(2025, 1, 1), None),
    ("Quý III - IV/2025", FIXED, D(2025, 12, 31), D(2025, 7, 1), None),
    ("Quý III, IV/2025", FIXED, D(2025, 12, 31), D(2025, 7, 1), None),
    ("Tháng 6/2025", FIXED, D(2025, 6, 30), D(2025, 6, 1), None),
    ("tháng 6 năm 2025", FIXED, D(2025, 6, 30), D(2025, 6, 1), None),
    ("6 tháng đầu năm 2025", FIXED, D(2025, 6, 30), D(2025, 1, 1), None),
    ("6 tháng cuối năm 2025", FIXED, D(2025, 12, 31), D(2025, 7, 1), None),
    ("Năm 2025", FIXED, D(2025, 12, 31), D(2025, 1, 1), None),
    ("Trong năm 2025", FIXED, D(2025, 12, 31), D(2025, 1, 1), None),
    ("2025", FIXED, D(2025, 12, 31), D(2025, 1, 1), None),
    ("Trước ngày 31/12/2025", FIXED, D(2025, 12, 30), None, None),
    ("Trước 30/6/2025", FIXED, D(2025, 6, 29), None, None),
    ("Chậm nhất ngày 15/7/2025", FIXED, D(2025, 7, 15), None, None),
    ("Hạn 15/7/2025", FIXED, D(2025, 7, 15), None, None),
    ("ngày 15/7/2025", FIXED, D(2025, 7, 15), None, None),
    ("15/7/2025", FIXED, D(2025, 7, 15), None, None),
    ("ngày 10 tháng 3 năm 2025", FIXED, D(2025, 3, 10), None, None),
    ("Giai đoạn 2021 - 2025", FIXED, D(2025, 12, 31), D(2021, 1, 1), None),
    ("Hằng năm", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.YEARLY),
    ("Hàng năm", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.YEARLY),
    ("Hằng quý", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.QUARTERLY),
    ("Định kỳ hằng quý", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.QUARTERLY),
    ("Hằng tháng", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.MONTHLY),
    ("Định kỳ 6 tháng", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.HALF_YEARLY),
    (
        "trước ngày 10 của tháng cuối quý",
        RECURRING,
        D(2025, 12, 9),
        D(2025, 1, 1),
        Recurrence.QUARTERLY,
    ),
    ("Thường xuyên", ONGOING, None, None, None),
    ("Liên tục", ONGOING, None, None, None),
    ("Từ năm 2021", ONGOING, None, D(2021, 1, 1), None),
    ("2021 Theo chỉ đạo của Thành phố", FIXED, D(2021, 12, 31), D(2021, 1, 1), None),
    ("Năm 2022 (theo hướng dẫn của tỉnh)", FIXED, D(2022, 12, 31), D(2022, 1, 1), None),
    ("Theo kế hoạch của thành phố", AWAITING, None, None, None),
    ("Theo chỉ đạo của cấp trên", AWAITING, None, None, None),
]

SECOND_TABLE: list[tuple[str, DeadlineKind, date | None, date | None, Recurrence | None]] = [
    ("Trước tháng 10/2025", FIXED, D(2025, 9, 30), None, None),
    ("Cuối tháng 8/2025", FIXED, D(2025, 8, 31), D(2025, 8, 1), None),
    ("trong tháng 9, tháng 10 năm 2025", FIXED, D(2025, 10, 31), D(2025, 9, 1), None),
    ("Đến năm 2026", FIXED, D(2026, 12, 31), None, None),
    ("từ nay đến cuối năm 2026", FIXED, D(2026, 12, 31), None, None),
    ("các tháng cuối năm 2026", FIXED, D(2026, 12, 31), None, None),
    ("Nhiệm kỳ 2026 - 2031", FIXED, D(2031, 12, 31), D(2026, 1, 1), None),
    ("Năm 2024 và các năm tiếp theo", ONGOING, None, D(2024, 1, 1), None),
    ("ngày 25 tháng 11 hằng năm", RECURRING, D(2025, 11, 25), D(2025, 1, 1), Recurrence.YEARLY),
    (
        "chậm nhất là ngày 18/12 hằng năm",
        RECURRING,
        D(2025, 12, 18),
        D(2025, 1, 1),
        Recurrence.YEARLY,
    ),
    (
        "ngày 15/6 và ngày 15/12 hằng năm",
        RECURRING,
        D(2025, 12, 15),
        D(2025, 1, 1),
        Recurrence.HALF_YEARLY,
    ),
    (
        "chậm nhất ngày 12 của tháng báo cáo",
        RECURRING,
        D(2025, 12, 12),
        D(2025, 1, 1),
        Recurrence.MONTHLY,
    ),
    (
        "định kỳ từ ngày 3 đến ngày 7 hằng tháng",
        RECURRING,
        D(2025, 12, 7),
        D(2025, 1, 1),
        Recurrence.MONTHLY,
    ),
    ("mỗi tháng 1 lần", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.MONTHLY),
    (
        "chậm nhất ngày 18 của tháng cuối quý",
        RECURRING,
        D(2025, 12, 18),
        D(2025, 1, 1),
        Recurrence.QUARTERLY,
    ),
    (
        "trước ngày 15/7 của năm báo cáo",
        RECURRING,
        D(2025, 7, 14),
        D(2025, 1, 1),
        Recurrence.YEARLY,
    ),
    ("Hằng tuần", RECURRING, D(2025, 12, 26), D(2025, 1, 1), Recurrence.WEEKLY),
    ("sáng thứ hai hằng tuần", RECURRING, D(2025, 12, 29), D(2025, 1, 1), Recurrence.WEEKLY),
    ("hằng tháng, hằng quý", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.MONTHLY),
    ("đột xuất theo yêu cầu", AWAITING, None, None, None),
    ("khi có yêu cầu", AWAITING, None, None, None),
    ("Chậm nhất ngày 09 (chín) tháng 10 (mười)", FIXED, D(2025, 10, 9), None, None),
]


@pytest.mark.parametrize(
    ("text", "kind", "due", "starts", "recurrence"), FIRST_TABLE + SECOND_TABLE
)
def test_spec_table_row(
    text: str,
    kind: DeadlineKind,
    due: date | None,
    starts: date | None,
    recurrence: Recurrence | None,
) -> None:
    deadline = parse_2025(text)
    assert (deadline.kind, deadline.due, deadline.starts, deadline.recurrence) == (
        kind,
        due,
        starts,
        recurrence,
    )
    assert deadline.text == text
    assert deadline.flags == ()


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("2021 Theo chỉ đạo của Thành phố", "Theo chỉ đạo của Thành phố"),
        ("Năm 2022 (theo hướng dẫn của tỉnh)", "theo hướng dẫn của tỉnh"),
        ("Quý II/2025 (dự kiến)", "dự kiến"),
        ("Năm 2025 -\ntheo  chỉ đạo của UBND tỉnh", "theo chỉ đạo của UBND tỉnh"),
        ("Quý I/2025", None),
    ],
)
def test_trailing_words_become_the_note(text: str, note: str | None) -> None:
    assert parse_2025(text).note == note


@pytest.mark.parametrize(
    ("text", "occurrences"),
    [
        ("Hằng năm", [D(2025, 12, 31)]),
        ("Định kỳ 6 tháng", [D(2025, 6, 30), D(2025, 12, 31)]),
        ("Hằng quý", [D(2025, 3, 31), D(2025, 6, 30), D(2025, 9, 30), D(2025, 12, 31)]),
        (
            "trước ngày 10 của tháng cuối quý",
            [D(2025, 3, 9), D(2025, 6, 9), D(2025, 9, 9), D(2025, 12, 9)],
        ),
        (
            "chậm nhất ngày 18 của tháng cuối quý",
            [D(2025, 3, 18), D(2025, 6, 18), D(2025, 9, 18), D(2025, 12, 18)],
        ),
        ("ngày 15/6 và ngày 15/12 hằng năm", [D(2025, 6, 15), D(2025, 12, 15)]),
        ("trước ngày 15/7 của năm báo cáo", [D(2025, 7, 14)]),
    ],
)
def test_recurring_occurrences_follow_the_spec(text: str, occurrences: list[date]) -> None:
    assert parse_2025(text).occurrences() == occurrences


def test_monthly_occurrences_are_each_month_end() -> None:
    dates = parse_2025("Hằng tháng").occurrences()
    assert dates == [D(2025, m, calendar.monthrange(2025, m)[1]) for m in range(1, 13)]


def test_weekly_occurrences_cover_every_week_of_the_plan() -> None:
    deadline = parse_deadline("Hằng tuần", plan_years=[2025, 2026])
    dates = deadline.occurrences()
    assert all(day.weekday() == 4 for day in dates)  # Friday, the week's last working day
    assert dates[0] == D(2025, 1, 3)
    assert dates[-1] == deadline.due == D(2026, 12, 25)
    assert len(dates) == 104


def test_occurrences_stop_at_until() -> None:
    deadline = parse_deadline("Hằng năm", plan_years=range(2021, 2026))
    assert deadline.occurrences(until=D(2023, 12, 31)) == [
        D(2021, 12, 31),
        D(2022, 12, 31),
        D(2023, 12, 31),
    ]
    assert deadline.due == D(2025, 12, 31)
    assert deadline.starts == D(2021, 1, 1)


def test_fixed_deadlines_have_no_occurrences() -> None:
    assert parse_2025("Quý I/2025").occurrences() == []


# --- beyond the examples: the rules, not the phrases ---------------------------------------

MORE: list[tuple[str, DeadlineKind, date | None, date | None, Recurrence | None]] = [
    # quarters: any year, Arabic or Roman, spans and lists, no diacritics, "Q" shorthand
    ("Quý IV/2026", FIXED, D(2026, 12, 31), D(2026, 10, 1), None),
    ("Quý I, II/2025", FIXED, D(2025, 6, 30), D(2025, 1, 1), None),
    ("Quý I,II,III,IV/2025", FIXED, D(2025, 12, 31), D(2025, 1, 1), None),
    ("quy 2 nam 2025", FIXED, D(2025, 6, 30), D(2025, 4, 1), None),
    ("quý II năm 2025", FIXED, D(2025, 6, 30), D(2025, 4, 1), None),
    ("Quý 02/2025", FIXED, D(2025, 6, 30), D(2025, 4, 1), None),
    ("QII/2025", FIXED, D(2025, 6, 30), D(2025, 4, 1), None),
    ("Q3/2025", FIXED, D(2025, 9, 30), D(2025, 7, 1), None),
    ("Q.II/2025", FIXED, D(2025, 6, 30), D(2025, 4, 1), None),
    ("Quý II-2025", FIXED, D(2025, 6, 30), D(2025, 4, 1), None),
    ("Trong quý III/2025", FIXED, D(2025, 9, 30), D(2025, 7, 1), None),
    ("Hết quý II/2025", FIXED, D(2025, 6, 30), None, None),
    ("Quý II", FIXED, D(2025, 6, 30), D(2025, 4, 1), None),
    ("Quý II/2025 - Quý III/2025", FIXED, D(2025, 9, 30), D(2025, 4, 1), None),
    ("Trước quý III/2025", FIXED, D(2025, 6, 30), None, None),
    # months
    ("tháng 02 năm 2024", FIXED, D(2024, 2, 29), D(2024, 2, 1), None),
    ("Tháng 2/2025", FIXED, D(2025, 2, 28), D(2025, 2, 1), None),
    ("T6/2025", FIXED, D(2025, 6, 30), D(2025, 6, 1), None),
    ("Tháng 6 - 12/2025", FIXED, D(2025, 12, 31), D(2025, 6, 1), None),
    ("tháng 10 và tháng 11 năm 2025", FIXED, D(2025, 11, 30), D(2025, 10, 1), None),
    ("Từ tháng 3 đến tháng 6/2025", FIXED, D(2025, 6, 30), D(2025, 3, 1), None),
    ("Tháng 3/2025 đến tháng 6/2025", FIXED, D(2025, 6, 30), D(2025, 3, 1), None),
    ("Hết tháng 6/2025", FIXED, D(2025, 6, 30), None, None),
    ("tháng 6", FIXED, D(2025, 6, 30), D(2025, 6, 1), None),
    ("Trước tháng 1/2026", FIXED, D(2025, 12, 31), None, None),
    # halves and years
    ("6 tháng cuối năm", FIXED, D(2025, 12, 31), D(2025, 7, 1), None),
    ("6 tháng đầu năm", FIXED, D(2025, 6, 30), D(2025, 1, 1), None),
    ("Nửa đầu năm 2026", FIXED, D(2026, 6, 30), D(2026, 1, 1), None),
    ("Cuối năm 2026", FIXED, D(2026, 12, 31), D(2026, 1, 1), None),
    ("Cả năm 2025", FIXED, D(2025, 12, 31), D(2025, 1, 1), None),
    ("Trong năm", FIXED, D(2025, 12, 31), D(2025, 1, 1), None),
    ("Năm 2025 - 2026", FIXED, D(2026, 12, 31), D(2025, 1, 1), None),
    ("2024-2025", FIXED, D(2025, 12, 31), D(2024, 1, 1), None),
    ("Từ năm 2021 đến năm 2025", FIXED, D(2025, 12, 31), D(2021, 1, 1), None),
    ("Trước năm 2026", FIXED, D(2025, 12, 31), None, None),
    ("Từ tháng 3/2025", ONGOING, None, D(2025, 3, 1), None),
    ("Từ năm 2024 trở đi", ONGOING, None, D(2024, 1, 1), None),
    # days
    ("trước ngày 01/01/2026", FIXED, D(2025, 12, 31), None, None),
    ("Trước 15h ngày 20/7/2025", FIXED, D(2025, 7, 19), None, None),
    ("Xong trước 30/6/2025", FIXED, D(2025, 6, 29), None, None),
    ("chậm nhất vào ngày 15-7-2025", FIXED, D(2025, 7, 15), None, None),
    ("Hạn chót: 15.7.2025", FIXED, D(2025, 7, 15), None, None),
    ("Đến hết ngày 31/12/2025.", FIXED, D(2025, 12, 31), None, None),
    ("ngày 29/02/2024", FIXED, D(2024, 2, 29), None, None),
    ("15/7", FIXED, D(2025, 7, 15), None, None),
    (
        "Chậm nhất ngày 25 (hai mươi lăm) tháng 11 (mười một) năm 2025",
        FIXED,
        D(2025, 11, 25),
        None,
        None,
    ),
    # recurring
    ("hằng quý, năm", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.QUARTERLY),
    ("Hằng năm, hằng quý", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.QUARTERLY),
    ("Mỗi quý một lần", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.QUARTERLY),
    ("6 tháng/lần", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.HALF_YEARLY),
    ("1 lần/năm", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.YEARLY),
    ("Định kỳ hằng năm", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.YEARLY),
    ("Quý I hằng năm", RECURRING, D(2025, 3, 31), D(2025, 1, 1), Recurrence.YEARLY),
    ("tháng 12 hằng năm", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.YEARLY),
    ("trước ngày 20 hằng tháng", RECURRING, D(2025, 12, 19), D(2025, 1, 1), Recurrence.MONTHLY),
    ("ngày 31 hằng tháng", RECURRING, D(2025, 12, 31), D(2025, 1, 1), Recurrence.MONTHLY),
    ("thứ 6 hằng tuần", RECURRING, D(2025, 12, 26), D(2025, 1, 1), Recurrence.WEEKLY),
    ("chiều thứ năm hàng tuần", RECURRING, D(2025, 12, 25), D(2025, 1, 1), Recurrence.WEEKLY),
    ("ngày 15 của tháng đầu quý", RECURRING, D(2025, 10, 15), D(2025, 1, 1), Recurrence.QUARTERLY),
    # ongoing and awaiting direction
    ("Thường xuyên, liên tục", ONGOING, None, None, None),
    ("Hằng ngày", ONGOING, None, None, None),
    ("Theo quy định", AWAITING, None, None, None),
    ("Theo hướng dẫn của Sở Nội vụ", AWAITING, None, None, None),
    ("Khi có văn bản chỉ đạo", AWAITING, None, None, None),
]


@pytest.mark.parametrize(("text", "kind", "due", "starts", "recurrence"), MORE)
def test_phrases_that_follow_the_rules(
    text: str,
    kind: DeadlineKind,
    due: date | None,
    starts: date | None,
    recurrence: Recurrence | None,
) -> None:
    deadline = parse_2025(text)
    assert (deadline.kind, deadline.due, deadline.starts, deadline.recurrence) == (
        kind,
        due,
        starts,
        recurrence,
    )
    assert deadline.flags == ()


def test_monthly_day_31_falls_on_each_months_last_day() -> None:
    dates = parse_2025("ngày 31 hằng tháng").occurrences()
    assert dates[1] == D(2025, 2, 28)
    assert dates[3] == D(2025, 4, 30)


@pytest.mark.parametrize(
    "text",
    [
        "Quý V/2025",
        "Quý 0/2025",
        "31/02/2025",
        "30/2",
        "32/1/2025",
        "tháng 13/2025",
        "ngày 15/13/2025",
        "Giai đoạn 2025 - 2021",
        "Đầu tháng 6/2025",
        "Sớm",
        "asdf qwe",
        "Quý I/2025 xyz",
        "???",
        "Năm 3025",
        "hằng",
        "trước",
        "Tháng 6/2025; tháng 12/2025",
        "trước ngày 01/01 hằng năm",
    ],
)
def test_what_the_grammar_does_not_know_is_kept_and_flagged(text: str) -> None:
    deadline = parse_2025(text)
    assert deadline.kind is UNRECOGNISED
    assert deadline.text == text
    assert (deadline.due, deadline.starts, deadline.recurrence, deadline.note) == (
        None,
        None,
        None,
        None,
    )
    assert deadline.flags == (DeadlineFlag.UNRECOGNISED,)
    assert deadline.to_json()["kind"] == "unrecognised"


@pytest.mark.parametrize("text", ["", "   ", "\n"])
def test_an_empty_cell_is_unrecognised(text: str) -> None:
    assert parse_2025(text).flags == ("unrecognised_deadline",)


@pytest.mark.parametrize(
    "text", ["Quý II", "tháng 6", "15/7", "Trước ngày 15/7", "6 tháng đầu năm", "Trong năm"]
)
def test_no_year_in_a_plan_of_several_years_is_ambiguous_not_guessed(text: str) -> None:
    deadline = parse_deadline(text, plan_years=range(2021, 2026))
    assert deadline.kind is UNRECOGNISED
    assert deadline.due is None
    assert deadline.flags == ("ambiguous_year",)


def test_no_year_and_no_plan_years_is_ambiguous() -> None:
    assert parse_deadline("Quý II", plan_years=[]).flags == ("ambiguous_year",)


def test_a_year_given_later_in_the_phrase_is_not_ambiguous() -> None:
    deadline = parse_deadline("Từ tháng 3 đến tháng 6/2023", plan_years=range(2021, 2026))
    assert (deadline.starts, deadline.due, deadline.flags) == (D(2023, 3, 1), D(2023, 6, 30), ())


def test_recurring_phrases_need_no_year_in_a_plan_of_several_years() -> None:
    deadline = parse_deadline("Hằng quý", plan_years=[2021, 2022, 2023, 2024, 2025])
    assert deadline.flags == ()
    assert len(deadline.occurrences()) == 20
    assert deadline.due == D(2025, 12, 31)


def test_recurring_without_plan_years_has_no_dates() -> None:
    deadline = parse_deadline("Hằng năm", plan_years=[])
    assert (deadline.kind, deadline.due, deadline.starts) == (RECURRING, None, None)
    assert deadline.occurrences() == []


def test_a_deadline_before_the_plan_date_is_flagged_as_written() -> None:
    deadline = parse_deadline("Quý III/2024", plan_years=[2025], issued=D(2024, 12, 24))
    assert (deadline.due, deadline.starts) == (D(2024, 9, 30), D(2024, 7, 1))
    assert deadline.flags == ("deadline_before_plan_date",)
    assert parse_deadline("Quý I/2025", plan_years=[2025], issued=D(2024, 12, 24)).flags == ()
    on_the_day = parse_deadline("24/12/2024", plan_years=[2025], issued=D(2024, 12, 24))
    assert on_the_day.flags == ()


def test_to_json_is_the_schema_deadline_object() -> None:
    deadline = parse_deadline("Quý III/2024", plan_years=[2025], issued=D(2024, 12, 24))
    assert deadline.to_json() == {
        "text": "Quý III/2024",
        "kind": "fixed",
        "due": "2024-09-30",
        "starts": "2024-07-01",
        "recurrence": None,
        "note": None,
    }
    assert json.loads(json.dumps(deadline.to_json())) == deadline.to_json()


def test_text_is_kept_verbatim() -> None:
    text = "  Quý  I/2025\n"
    assert parse_2025(text).text == text
