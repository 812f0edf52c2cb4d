"""Laying out a .docx beyond what python-docx sets: column widths a table is laid out by, a
short rule under a line, a header row repeated on each page, lines of text in a cell."""

from collections.abc import Sequence
from typing import Final

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell, _Row
from docx.text.paragraph import Paragraph

_AFTER_BORDERS: Final = (
    "w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd",
    "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents",
    "w:suppressOverlap", "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
"""What follows a paragraph's borders in its properties (the schema's order, which Word keeps)."""


def set_widths(table: Table, widths: Sequence[float]) -> None:
    """Fix each column's width in centimetres, in the table's grid (what LibreOffice and Word
    lay out by) and in each of its cells (python-docx sets only the cells')."""
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Cm(width)
        for cell in column.cells:
            cell.width = Cm(width)


def rule(paragraph: Paragraph, *, indent: Cm) -> None:
    """Make the empty `paragraph` a line under the one above it (Nghị định 30 rules the
    issuing body's name and the motto), `indent` short of each side of its cell."""
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = indent
    paragraph.paragraph_format.space_before = Pt(2)
    paragraph.paragraph_format.line_spacing = Pt(3)
    border = OxmlElement("w:top")
    for name, value in (("val", "single"), ("sz", "6"), ("space", "1"), ("color", "auto")):
        border.set(qn(f"w:{name}"), value)
    borders = OxmlElement("w:pBdr")
    borders.append(border)
    properties = paragraph._p.get_or_add_pPr()
    properties.insert_element_before(borders, *_AFTER_BORDERS)


def repeat_as_header(row: _Row) -> None:
    """Mark `row` as the table's header, printed again on every page (w:tblHeader)."""
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def cell_lines(cell: _Cell, lines: Sequence[tuple[str, bool]], *, size: Pt | None = None) -> None:
    """Write `lines` (text, bold) centred in `cell`, one paragraph each, in `size`."""
    paragraphs = cell.paragraphs
    for index, (text, bold) in enumerate(lines):
        paragraph = paragraphs[0] if index == 0 else cell.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = bold
        if size is not None:
            run.font.size = size


def cell_text(cell: _Cell, text: str, *, bold: bool = False, size: int = 12) -> None:
    """Write `text` in `cell`'s first paragraph, in `size` points."""
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)
