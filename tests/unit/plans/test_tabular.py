"""The table model: headers by meaning, numbering, headings, continuations and problems."""

import dataclasses
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.columns import Column
from plans.source import Grid, RawRow
from plans.tabular import (
    Problem,
    classify,
    find_header,
    find_task_table,
    join_cell_lines,
    rows_from_grid,
)
from tests.support.plan_rendering import grid_of
from tests.support.plan_tables import PlanTable, all_tables

HEADER = ("STT", "Nội dung công việc", "Cơ quan chủ trì", "Cơ quan phối hợp", "Thời gian")


def grid(*rows: tuple[str, ...]) -> Grid:
    """A Grid from rows written inline."""
    return tuple(rows)


def codes(rows: list[RawRow]) -> list[str]:
    """The codes of `rows`, in order."""
    return [row.code for row in rows]


@pytest.mark.parametrize(
    ("label", "role"),
    [
        ("STT", Column.CODE),
        ("Số TT", Column.CODE),
        ("TT", Column.CODE),
        ("S.TT", Column.CODE),
        ("Nội dung", Column.TITLE),
        ("Nội dung công việc", Column.TITLE),
        ("NHIỆM VỤ", Column.TITLE),
        ("Lĩnh vực, tiêu chí", Column.TITLE),
        ("Cơ quan chủ trì", Column.LEAD),
        ("Bộ phận chủ trì", Column.LEAD),
        ("CBCC chủ trì", Column.LEAD),
        ("Chủ trì", Column.LEAD),
        ("Cơ quan chủ trì, phối hợp", Column.LEAD),
        ("Đơn vị thực hiện", Column.LEAD),
        ("Phối hợp", Column.COORDINATORS),
        ("Cơ quan, đơn vị phối hợp", Column.COORDINATORS),
        ("Thời gian hoàn thành", Column.DEADLINE),
        ("Thời hạn", Column.DEADLINE),
        ("Tiến độ", Column.DEADLINE),
        ("Lộ trình thực hiện", Column.DEADLINE),
        ("Cơ quan tham mưu", Column.LEAD),
        ("Thoi gian hoan thanh", Column.DEADLINE),
        ("Yêu cầu năm 2025", Column.REQUIREMENT),
        ("Sản phẩm", Column.REQUIREMENT),
        ("Kết quả/Sản phẩm", Column.REQUIREMENT),
        ("Ghi chú", Column.NOTE),
        ("Phân công nhiệm vụ", None),
        ("Kinh phí", None),
        ("", None),
    ],
)
def test_header_labels_are_read_by_meaning(label: str, role: Column | None) -> None:
    assert classify(label) is role


def test_columns_in_any_order_with_extra_columns_are_read() -> None:
    table = grid(
        ("Thời hạn", "Kinh phí", "Nhiệm vụ", "Phối hợp", "Số TT", "Chủ trì", "Ghi chú"),
        ("Quý I/2025", "10 triệu", "Tuyên truyền CCHC", "Các CBCC", "1", "CCVHXH", "mới"),
    )
    assert rows_from_grid(table) == [
        RawRow(
            code="1",
            title="Tuyên truyền CCHC",
            lead_text="CCVHXH",
            coordinators_text="Các CBCC",
            deadline_text="Quý I/2025",
        )
    ]


def test_two_row_header_with_a_group_label_and_a_numbering_row() -> None:
    top = ("STT", "Lĩnh vực", "Yêu cầu", "Thời gian hoàn thành", "Phân công", "Phân công")
    bottom = ("STT", "Lĩnh vực", "Yêu cầu", "Thời gian hoàn thành", "Chủ trì", "Phối hợp")
    numbers = ("(1)", "(2)", "(3)", "(4)", "(5)", "(6)")
    task = ("1.1", "Hướng dẫn", "Sáng kiến", "Trước ngày 31/12/2025", "Phòng VHXH", "Các cơ quan")
    [row] = rows_from_grid(grid(top, bottom, numbers, task))
    assert (row.requirement, row.lead_text, row.coordinators_text) == (
        "Sáng kiến",
        "Phòng VHXH",
        "Các cơ quan",
    )


def test_header_below_title_rows_is_found() -> None:
    table = grid(
        ("KẾ HOẠCH", "KẾ HOẠCH", "KẾ HOẠCH", "KẾ HOẠCH", "KẾ HOẠCH"),
        ("UBND phường", "", "", "Số: 12/KH-UBND", ""),
        HEADER,
        ("1", "Việc một", "VP", "", "Năm 2025"),
    )
    header = find_header(table)
    assert header is not None
    assert header.rows == 3
    assert codes(rows_from_grid(table)) == ["1"]


@pytest.mark.parametrize(
    "numbers",
    [
        ("1", "2", "3"),
        ("1.", "2.", "3."),
        ("2.1", "2.2", "2.3"),
        ("9.3.1", "9.3.2", "9.3.3"),
        ("a)", "b)", "c)"),
        ("a", "b", "c"),
        ("I", "II", "III"),
        ("I.1", "I.2", "I.3"),
    ],
)
def test_numbering_styles_are_kept_as_printed(numbers: tuple[str, str, str]) -> None:
    body = [(number, f"Việc {number}", "VP", "", "Năm 2025") for number in numbers]
    assert codes(rows_from_grid(grid(HEADER, *body))) == list(numbers)


def test_sections_follow_the_outline_of_heading_rows() -> None:
    def heading(code: str, title: str) -> tuple[str, ...]:
        return (code, title, "", "", "")

    def task(code: str) -> tuple[str, ...]:
        return (code, f"Việc {code}", "VP", "", "Năm 2025")

    table = grid(
        HEADER,
        heading("I.", "CÔNG TÁC CHỈ ĐẠO"),
        task("1.1"),
        heading("II", "THỂ CHẾ"),
        heading("2.1", "Theo dõi thi hành pháp luật"),
        task("2.1.1"),
        heading("2.2", "Rà soát văn bản"),
        task("2.2.1"),
        task("2.3"),
        heading("3.1", "Công khai TTHC"),
        task("3.1.1"),
    )
    sections = {row.code: row.section for row in rows_from_grid(table)}
    assert sections == {
        "1.1": "I. CÔNG TÁC CHỈ ĐẠO",
        "2.1.1": "2.1 Theo dõi thi hành pháp luật",
        "2.2.1": "2.2 Rà soát văn bản",
        "2.3": "II THỂ CHẾ",
        "3.1.1": "3.1 Công khai TTHC",
    }


def test_roman_headings_group_tasks_numbered_on_from_one() -> None:
    table = grid(
        HEADER,
        ("I", "Công tác lãnh đạo", "", "", ""),
        ("1", "Việc một", "VP", "", "2021"),
        ("II", "Cải cách thể chế", "", "", ""),
        ("2", "Việc hai", "TP-HT", "", "Hằng năm"),
    )
    assert [row.section for row in rows_from_grid(table)] == [
        "I Công tác lãnh đạo",
        "II Cải cách thể chế",
    ]


def test_merged_full_width_row_is_a_heading() -> None:
    merged = ("A. NHIỆM VỤ TRỌNG TÂM",) * 5
    plain = ("Phần chung",) * 5
    table = grid(
        HEADER,
        merged,
        ("1", "Việc một", "VP", "", "Năm 2025"),
        plain,
        ("2", "Việc hai", "VP", "", "Năm 2025"),
    )
    assert [row.section for row in rows_from_grid(table)] == [
        "A. NHIỆM VỤ TRỌNG TÂM",
        "Phần chung",
    ]


def test_heading_merged_over_all_but_the_number_is_a_heading() -> None:
    table = grid(
        HEADER,
        ("I", "Cải cách thể chế", "Cải cách thể chế", "Cải cách thể chế", "Cải cách thể chế"),
        ("1", "Việc một", "VP", "", "Năm 2025"),
    )
    [row] = rows_from_grid(table)
    assert row.section == "I Cải cách thể chế"


def test_letter_tasks_under_numbered_headings() -> None:
    table = grid(
        HEADER,
        ("1.", "Công tác tuyên truyền", "", "", ""),
        ("a)", "Việc a", "VP", "", "Quý I/2025"),
        ("b)", "Việc b", "VP", "", "Quý II/2025"),
        ("2.", "Công tác kiểm tra", "", "", ""),
        ("a)", "Việc c", "VP", "", "Quý III/2025"),
    )
    rows = rows_from_grid(table)
    assert [(row.code, row.section) for row in rows] == [
        ("a)", "1. Công tác tuyên truyền"),
        ("b)", "1. Công tác tuyên truyền"),
        ("a)", "2. Công tác kiểm tra"),
    ]


def test_numbered_row_with_only_a_title_before_a_peer_is_a_task_with_problems() -> None:
    table = grid(
        HEADER,
        ("1", "Việc chưa giao", "", "", ""),
        ("2", "Việc hai", "VP", "", "Năm 2025"),
    )
    first, second = rows_from_grid(table)
    assert first.problems == (Problem.MISSING_LEAD, Problem.MISSING_DEADLINE)
    assert first.section is None
    assert second.problems == ()


def test_continuation_rows_are_appended_to_the_row_above() -> None:
    table = grid(
        HEADER,
        ("1", "Xử lý kết quả theo", "Văn phòng HĐND&", "Các cơ quan, đơn vị thuộc", "Trong năm"),
        ("", "dõi thi hành pháp luật", "UBND", "UBND phường", "2025"),
    )
    [row] = rows_from_grid(table)
    assert row.title == "Xử lý kết quả theo dõi thi hành pháp luật"
    assert row.coordinators_text == "Các cơ quan, đơn vị thuộc UBND phường"
    assert row.deadline_text == "Trong năm 2025"


def test_a_heading_broken_over_a_page_is_joined() -> None:
    table = grid(
        HEADER,
        ("6.2", "Công tác quản lý, sử dụng tài sản", "", "", ""),
        HEADER,
        ("", "công", "", "", ""),
        ("6.2.1", "Phối hợp sắp xếp nhà đất", "Phòng KT", "", "Trong năm 2025"),
    )
    [row] = rows_from_grid(table)
    assert row.section == "6.2 Công tác quản lý, sử dụng tài sản công"


def test_repeated_header_rows_are_skipped() -> None:
    table = grid(
        HEADER,
        ("1", "Việc một", "VP", "", "Năm 2025"),
        HEADER,
        ("(1)", "(2)", "(3)", "(4)", "(5)"),
        ("2", "Việc hai", "VP", "", "Năm 2025"),
    )
    assert codes(rows_from_grid(table)) == ["1", "2"]


def test_line_breaks_in_cells_become_spaces_except_after_a_hyphen() -> None:
    assert join_cell_lines("CC Tư pháp-\nHT") == "CC Tư pháp-HT"
    assert join_cell_lines("Giai đoạn 2021-\n2025") == "Giai đoạn 2021-2025"
    assert join_cell_lines("- Bước một\n- Bước hai") == "- Bước một - Bước hai"
    assert join_cell_lines("  Văn phòng\tHĐND \n\n UBND ") == "Văn phòng HĐND UBND"


def test_rows_with_missing_cells_are_kept_with_problems() -> None:
    table = grid(
        HEADER,
        ("1", "Việc một", "VP", "", ""),
        ("2", "", "VP", "", "Năm 2025"),
        ("3", "Việc ba"),
    )
    assert [row.problems for row in rows_from_grid(table)] == [
        (Problem.MISSING_DEADLINE,),
        (Problem.MISSING_TITLE,),
        (Problem.MISSING_LEAD, Problem.MISSING_DEADLINE),
    ]


def test_bullet_rows_continue_the_task_above_unless_they_are_assigned() -> None:
    table = grid(
        HEADER,
        ("1", "Tuyên truyền:", "VP", "", "Năm 2025"),
        ("-", "trên loa", "", "", ""),
        ("-", "Họp tổ dân phố", "TDP", "", "Quý II/2025"),
    )
    first, second = rows_from_grid(table)
    assert first.title == "Tuyên truyền: - trên loa"
    assert (second.code, second.problems) == ("-", (Problem.UNNUMBERED,))


def test_two_empty_rows_end_the_table() -> None:
    table = grid(
        HEADER,
        ("1", "Việc một", "VP", "", "Năm 2025"),
        ("", "", "", "", ""),
        ("", "", "", "", ""),
        ("", "Người lập biểu", "", "", ""),
    )
    [row] = rows_from_grid(table)
    assert row.title == "Việc một"


def test_numbers_inside_the_title_when_there_is_no_number_column() -> None:
    table = grid(
        ("Nội dung", "Chủ trì", "Thời hạn"),
        ("I. CÔNG TÁC CHỈ ĐẠO", "", ""),
        ("1.1 Ban hành kế hoạch", "VP", "Quý I/2025"),
    )
    [row] = rows_from_grid(table)
    assert (row.code, row.title) == ("1.1", "Ban hành kế hoạch")
    assert row.section == "I. CÔNG TÁC CHỈ ĐẠO"


def test_a_grid_without_a_task_header_gives_no_rows() -> None:
    assert rows_from_grid(grid(("Nơi nhận", "TM. UBND"), ("- Như trên", "Chủ tịch"))) == []
    assert rows_from_grid(()) == []


def test_find_task_table_picks_the_task_table_among_others() -> None:
    signature = grid(("Nơi nhận:", "TM. ỦY BAN NHÂN DÂN"), ("- Lưu VT", "CHỦ TỊCH"))
    tasks = grid(HEADER, ("1", "Việc một", "VP", "", "Năm 2025"))
    assert find_task_table([signature, tasks]) == tasks
    assert find_task_table([signature]) is None
    assert find_task_table([]) is None


def test_find_task_table_joins_a_continuation_table() -> None:
    first = grid(HEADER, ("1", "Việc một", "VP", "", "Năm 2025"))
    continued = grid(("2", "Việc hai", "VP", "", "Năm 2025"))
    repeated = grid(HEADER, ("3", "Việc ba", "VP", "", "Năm 2025"))
    other = grid(("Nơi nhận", "Lưu"), ("a", "b"))
    joined = find_task_table([other, first, continued, repeated, other])
    assert joined is not None
    assert codes(rows_from_grid(joined)) == ["1", "2", "3"]


def test_find_task_table_joins_the_parts_before_the_largest() -> None:
    # A table broken early: its second part, opening with a row and then the repeated header,
    # holds more rows than the first; the first part's tasks are the plan's too.
    first = grid(HEADER, ("1", "Việc một", "VP", "", "Năm 2025"))
    second = grid(
        ("2", "Việc hai", "VP", "", "Năm 2025"),
        HEADER,
        *[(str(n), f"Việc {n}", "VP", "", "Năm 2025") for n in range(3, 7)],
    )
    other = grid(("Nơi nhận", "Lưu"), ("a", "b"))
    joined = find_task_table([other, first, second, other])
    assert joined is not None
    assert codes(rows_from_grid(joined)) == ["1", "2", "3", "4", "5", "6"]


def test_an_earlier_table_with_other_columns_is_not_joined() -> None:
    earlier = grid(("STT", "Nội dung", "Thời gian", "", ""), ("1", "Báo cáo", "Năm 2025", "", ""))
    tasks = grid(HEADER, *[(str(n), f"Việc {n}", "VP", "", "Năm 2025") for n in range(1, 4)])
    assert find_task_table([earlier, tasks]) == tasks


@pytest.mark.parametrize("table", all_tables(), ids=lambda table: table.name)
@pytest.mark.parametrize("order", range(4))
def test_any_column_order_gives_the_same_rows(table: PlanTable, order: int) -> None:
    columns = list(table.columns)
    random.Random(order).shuffle(columns)
    shuffled = dataclasses.replace(table, columns=tuple(columns))
    assert rows_from_grid(grid_of(shuffled)) == list(table.rows)


def test_a_same_width_table_without_numbers_is_not_a_continuation() -> None:
    tasks = grid(HEADER, ("1", "Việc một", "VP", "", "Năm 2025"))
    signature = grid(("Nơi nhận:", "", "", "TM. UBND", ""), ("- Lưu VT", "", "", "CHỦ TỊCH", ""))
    joined = find_task_table([tasks, signature])
    assert joined == tasks


def test_a_row_keeps_every_heading_it_sits_under() -> None:
    table = grid(
        HEADER,
        ("I", "CHỈ ĐẠO", "", "", ""),
        ("1.1", "Việc một", "VP", "", "Năm 2025"),
        ("II", "THỂ CHẾ", "", "", ""),
        ("2.1", "Theo dõi thi hành", "", "", ""),
        ("2.1.1", "Việc hai", "VP", "", "Năm 2025"),
        ("2.2", "Việc ba", "VP", "", "Năm 2025"),
    )
    rows = rows_from_grid(table)
    assert [(row.code, row.sections) for row in rows] == [
        ("1.1", ("I CHỈ ĐẠO",)),
        ("2.1.1", ("II THỂ CHẾ", "2.1 Theo dõi thi hành")),
        ("2.2", ("II THỂ CHẾ",)),
    ]
    assert [row.section for row in rows] == ["I CHỈ ĐẠO", "2.1 Theo dõi thi hành", "II THỂ CHẾ"]


def test_a_heading_merged_over_all_but_an_empty_number_cell() -> None:
    table = grid(
        HEADER,
        ("", "Phần chung", "Phần chung", "Phần chung", "Phần chung"),
        ("1", "Việc một", "VP", "", "Năm 2025"),
    )
    [row] = rows_from_grid(table)
    assert row.section == "Phần chung"


CELLS = st.sampled_from(
    [
        "",
        "STT",
        "Nội dung",
        "Chủ trì",
        "Phối hợp",
        "Thời gian",
        "Phân công nhiệm vụ",
        "(1)",
        "1",
        "1.1",
        "2.1.3",
        "I.",
        "II",
        "a)",
        "-",
        "Việc",
        "Văn phòng-\nHĐND",
        "Năm 2025",
    ]
)


@given(st.lists(st.lists(CELLS, min_size=1, max_size=7), max_size=12))
def test_any_grid_is_read_without_error(rows: list[list[str]]) -> None:
    table = tuple(tuple(row) for row in rows)
    found = rows_from_grid(table)
    assert all(row.code and row.section != "" for row in found)
    assert (find_task_table([table]) is None) == (find_header(table) is None)


def test_a_task_merged_down_over_sub_rows_is_one_task() -> None:
    table = grid(
        HEADER,
        ("3", "Tổng kết đề án", "CCVPTK", "Phòng Nội vụ", "Quý III/2025"),
        ("3", "Tổng kết đề án", "CC Tư pháp-HT", "Phòng Nội vụ", "Quý III/2025"),
        ("4", "Tổng kết đề án", "CCVPTK", "", "Năm 2025"),
    )
    first, second = rows_from_grid(table)
    assert (first.code, first.lead_text) == ("3", "CCVPTK, CC Tư pháp-HT")
    assert (first.coordinators_text, first.deadline_text) == ("Phòng Nội vụ", "Quý III/2025")
    assert second.code == "4"
