"""Excel plans: each sheet's used range as a Grid, merges filled, dates as dd/mm/yyyy."""

import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook

from plans.readers import read_document


def test_sheet_used_range_is_a_grid_with_title_rows_as_text(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["B2"] = "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"
    sheet.merge_cells("B2:E2")
    sheet.append([])
    for values in (
        [None, "STT", "Nội dung", "Chủ trì", "Thời hạn"],
        [None, 1, "Việc một", "Văn phòng", datetime(2025, 12, 31)],  # noqa: DTZ001
        [None, 2.5, "Việc hai", None, date(2025, 6, 30)],
    ):
        sheet.append(values)
    sheet.merge_cells("D5:D6")
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    document = read_document(path)
    assert document.kind == "xlsx"
    assert document.text == "KẾ HOẠCH CẢI CÁCH HÀNH CHÍNH"
    assert document.tables == (
        (
            ("STT", "Nội dung", "Chủ trì", "Thời hạn"),
            ("1", "Việc một", "Văn phòng", "31/12/2025"),
            ("2.5", "Việc hai", "Văn phòng", "30/06/2025"),
        ),
    )


def test_every_sheet_with_a_table_is_read(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.append(["Ghi chú"])
    second = workbook.create_sheet("Nhiệm vụ")
    second.append(["STT", "Nội dung"])
    second.append(["1", "Việc\r\nmột"])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    document = read_document(path)
    assert document.text == "Ghi chú"
    assert document.tables == ((("STT", "Nội dung"), ("1", "Việc\nmột")),)


def test_sheet_without_a_task_header_is_also_text_cells_by_tab(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["1", "Xây dựng kế hoạch", "CCVHXH", "Quý I/2025"])
    sheet.append(["2", "Kiểm tra công vụ", "CCVPTK", "Quý II/2025"])
    path = tmp_path / "plan.xlsx"
    workbook.save(path)
    document = read_document(path)
    assert document.text == (
        "1\tXây dựng kế hoạch\tCCVHXH\tQuý I/2025\n2\tKiểm tra công vụ\tCCVPTK\tQuý II/2025"
    )
    assert len(document.tables) == 1


def test_a_wrong_recorded_dimension_does_not_hide_rows(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["STT", "Nội dung", "Chủ trì"])
    sheet.append(["1", "Việc một", "VP"])
    sheet.append(["2", "Việc hai", "VP"])
    written = tmp_path / "written.xlsx"
    workbook.save(written)
    path = tmp_path / "plan.xlsx"
    with zipfile.ZipFile(written) as source, zipfile.ZipFile(path, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:C3"/>', b'<dimension ref="A1"/>')
                assert b'<dimension ref="A1"/>' in data
            target.writestr(item, data)
    [grid] = read_document(path).tables
    assert [row[0] for row in grid] == ["STT", "1", "2"]


def test_workbook_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["STT", "Nội dung"])
    path = tmp_path / "ke-hoach.pdf"
    workbook.save(path)
    assert read_document(path).kind == "xlsx"
