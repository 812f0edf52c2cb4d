"""PDF plans: ruled task tables joined across pages; without one, the text alone."""

from pathlib import Path

import matplotlib
from fpdf import FPDF

from plans.readers import read_document
from tests.support.plan_fixtures import FIXTURES

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def pdf_with(tmp_path: Path, lines: list[str], table: list[list[str]] | None = None) -> Path:
    """A one-page PDF of `lines`, then `table` drawn as a ruled table."""
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.add_font("DejaVu", style="B", fname=str(FONT))
    pdf.set_font("DejaVu", size=9)
    pdf.add_page()
    for line in lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    if table:
        with pdf.table(text_align="LEFT") as grid:
            for texts in table:
                row = grid.row()
                for text in texts:
                    row.cell(text)
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    return path


def test_table_over_pages_is_one_grid_with_its_header_once() -> None:
    document = read_document(FIXTURES / "seed-002.pdf")
    [grid] = document.tables
    assert document.kind == "pdf"
    assert sum(1 for row in grid if row[0] == "STT") == 2  # the two header rows, not repeated
    assert grid[1][4:] == ("Cơ quan chủ trì", "Cơ quan phối hợp")
    assert grid[0][4:] == ("Phân công nhiệm vụ", "Phân công nhiệm vụ")


def test_text_outside_the_table_is_the_text() -> None:
    document = read_document(FIXTURES / "varied-merged.pdf")
    assert document.text.splitlines() == [
        "UBND PHƯỜNG MẪU",
        "KẾ HOẠCH",
        "Cải cách hành chính năm 2025",
    ]


def test_pdf_without_ruled_table_gives_text_only(tmp_path: Path) -> None:
    path = pdf_with(tmp_path, ["KẾ HOẠCH", "1 Xây dựng kế hoạch CCVHXH Quý I/2025"])
    document = read_document(path)
    assert document.tables == ()
    assert document.text == "KẾ HOẠCH\n1 Xây dựng kế hoạch CCVHXH Quý I/2025"


def test_pdf_whose_ruled_tables_are_not_task_tables_gives_all_its_text(tmp_path: Path) -> None:
    path = pdf_with(tmp_path, ["KẾ HOẠCH"], [["Nơi nhận:", "TM. UBND"], ["- Lưu VT", "CHỦ TỊCH"]])
    document = read_document(path)
    assert document.tables == ()
    assert "Nơi nhận:" in document.text
    assert document.text.startswith("KẾ HOẠCH")
