"""Word's automatic list numbers are read as printed, in the text and in task tables."""

from pathlib import Path

import docx
from docx.oxml import parse_xml
from docx.text.paragraph import Paragraph

from plans.readers import read_document
from plans.tabular import find_task_table, rows_from_grid

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
LEVEL = (
    '<w:lvl w:ilvl="{}"><w:start w:val="1"/><w:numFmt w:val="{}"/><w:lvlText w:val="{}"/></w:lvl>'
)
OUTLINE = (
    f'<w:abstractNum {W} w:abstractNumId="90">'
    + LEVEL.format(0, "upperRoman", "%1.")
    + LEVEL.format(1, "decimal", "%1.%2")
    + LEVEL.format(2, "lowerLetter", "%3)")
    + "</w:abstractNum>"
)


def numbered(paragraph: Paragraph, number: int, level: int) -> None:
    """Put `paragraph` in list `number` at `level`."""
    properties = paragraph._p.get_or_add_pPr()
    properties.append(
        parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="{number}"/></w:numPr>')
    )


def with_outline(document: "docx.document.Document") -> None:
    """Add the OUTLINE list as numId 90, and numId 91 restarting it at III."""
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(OUTLINE))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    numbering.append(
        parse_xml(
            f'<w:num {W} w:numId="91"><w:abstractNumId w:val="90"/>'
            '<w:lvlOverride w:ilvl="0"><w:startOverride w:val="3"/></w:lvlOverride></w:num>'
        )
    )


def test_multilevel_list_labels_are_printed_before_the_text(tmp_path: Path) -> None:
    document = docx.Document()
    with_outline(document)
    for text, number, level in (
        ("MỤC ĐÍCH", 90, 0),
        ("Mục đích", 90, 1),
        ("Yêu cầu", 90, 1),
        ("tiết kiệm", 90, 2),
        ("NHIỆM VỤ", 90, 0),
        ("Cải cách thể chế", 90, 1),
        ("TỔ CHỨC THỰC HIỆN", 91, 0),
    ):
        numbered(document.add_paragraph(text), number, level)
    document.add_paragraph("Nơi nhận:", style="List Bullet")
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert read_document(path).text.splitlines() == [
        "I. MỤC ĐÍCH",
        "I.1 Mục đích",
        "I.2 Yêu cầu",
        "a) tiết kiệm",
        "II. NHIỆM VỤ",
        "II.1 Cải cách thể chế",
        "III. TỔ CHỨC THỰC HIỆN",
        "• Nơi nhận:",
    ]


def test_auto_numbered_stt_column_gives_the_printed_codes(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=4, cols=3)
    for column, text in enumerate(("STT", "Nội dung", "Chủ trì")):
        table.cell(0, column).text = text
    for row, (title, lead) in enumerate(
        (("Việc một", "VP"), ("Việc hai", "TP-HT"), ("Việc ba", "VHXH")), start=1
    ):
        table.cell(row, 0).paragraphs[0].style = "List Number"
        table.cell(row, 1).text = title
        table.cell(row, 2).text = lead
    path = tmp_path / "plan.docx"
    document.save(str(path))
    grid = find_task_table(read_document(path).tables)
    assert grid is not None
    assert [(row.code, row.title) for row in rows_from_grid(grid)] == [
        ("1.", "Việc một"),
        ("2.", "Việc hai"),
        ("3.", "Việc ba"),
    ]
