"""Word plans: paragraphs in order, tables as Grids with merged cells repeated."""

from pathlib import Path

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn

from plans.readers import read_document


def save(document: "docx.document.Document", tmp_path: Path) -> Path:
    """Write `document` to a file in `tmp_path` and return its path."""
    path = tmp_path / "plan.docx"
    document.save(str(path))
    return path


def test_paragraphs_are_the_text_and_tables_are_grids(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "STT"
    table.cell(0, 1).text = "Nội dung"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "Việc một\nviệc hai"
    document.add_paragraph("Nơi nhận:")
    read = read_document(save(document, tmp_path))
    assert read.kind == "docx"
    assert read.text == "KẾ HOẠCH\n\nNơi nhận:"
    assert read.tables == ((("STT", "Nội dung"), ("1", "Việc một\nviệc hai")),)


def test_merged_cells_are_repeated_across_and_down(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "I. CÔNG TÁC CHỈ ĐẠO"
    table.cell(1, 0).text = "1"
    table.cell(2, 0).text = "2"
    table.cell(1, 1).text = "Việc một"
    table.cell(2, 1).text = "Việc hai"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "Văn phòng"
    [grid] = read_document(save(document, tmp_path)).tables
    assert grid == (
        ("I. CÔNG TÁC CHỈ ĐẠO",) * 3,
        ("1", "Việc một", "Văn phòng"),
        ("2", "Việc hai", "Văn phòng"),
    )


def test_rows_starting_late_are_padded(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=3)
    for column, text in enumerate(("STT", "Nội dung", "Chủ trì")):
        table.cell(0, column).text = text
    row = table.rows[1]._tr
    row.remove(row.tc_lst[0])
    before = OxmlElement("w:gridBefore")
    before.set(qn("w:val"), "1")
    row.get_or_add_trPr().append(before)
    row.tc_lst[0].text = ""
    table.rows[1].cells[0].text = "Việc"
    [grid] = read_document(save(document, tmp_path)).tables
    assert grid[1] == ("", "Việc", "")


def test_nested_table_is_flattened_into_its_cell_and_kept_as_a_table(tmp_path: Path) -> None:
    document = docx.Document()
    outer = document.add_table(rows=1, cols=2)
    outer.cell(0, 0).text = "Phụ lục"
    inner = outer.cell(0, 1).add_table(rows=2, cols=2)
    for row, texts in enumerate((("STT", "Nội dung"), ("1", "Việc một"))):
        for column, text in enumerate(texts):
            inner.cell(row, column).text = text
    outer_grid, inner_grid = read_document(save(document, tmp_path)).tables
    assert outer_grid == (("Phụ lục", "STT Nội dung\n1 Việc một"),)
    assert inner_grid == (("STT", "Nội dung"), ("1", "Việc một"))


def test_docx_is_recognised_by_content_whatever_its_name(tmp_path: Path) -> None:
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    path = save(document, tmp_path).rename(tmp_path / "plan.pdf")
    assert read_document(path).kind == "docx"


def test_layout_tables_read_as_lines_where_they_stand(tmp_path: Path) -> None:
    document = docx.Document()
    letterhead = document.add_table(rows=2, cols=2)
    letterhead.cell(0, 0).text = "UBND PHƯỜNG BẮC SƠN"
    letterhead.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc"
    letterhead.cell(1, 0).text = "Số: 73/KH-UBND"
    letterhead.cell(1, 1).text = "Bắc Sơn, ngày 24 tháng 12 năm 2024"
    document.add_paragraph("KẾ HOẠCH")
    tasks = document.add_table(rows=2, cols=3)
    for column, text in enumerate(("STT", "Nội dung", "Chủ trì")):
        tasks.cell(0, column).text = text
    document.add_paragraph("Nơi nhận:")
    read = read_document(save(document, tmp_path))
    assert read.text.splitlines() == [
        "UBND PHƯỜNG BẮC SƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 73/KH-UBND",
        "Bắc Sơn, ngày 24 tháng 12 năm 2024",
        "KẾ HOẠCH",
        "",
        "Nơi nhận:",
    ]
    assert len(read.tables) == 2


def test_moved_text_and_text_box_fallbacks_are_read_once(tmp_path: Path) -> None:
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    mc = 'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
    document = docx.Document()
    paragraph = document.add_paragraph("Kế hoạch ")
    paragraph._p.append(
        parse_xml(f'<w:moveFrom {w} w:id="1" w:author="VP"><w:r><w:t>cũ</w:t></w:r></w:moveFrom>')
    )
    paragraph._p.append(
        parse_xml(
            f"<w:r {w} {mc}><mc:AlternateContent>"
            "<mc:Choice><w:t>năm 2025</w:t></mc:Choice>"
            "<mc:Fallback><w:t>năm 2025</w:t></mc:Fallback>"
            "</mc:AlternateContent></w:r>"
        )
    )
    assert read_document(save(document, tmp_path)).text == "Kế hoạch năm 2025"
