"""Task tables drawn as files: .docx, .xlsx and .pdf (and a picture, for a scanned plan), and
the Grid a reader must give for each (`grid_of`)."""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from plans.source import Grid, RawRow
from tests.support.plan_tables import Column, PlanTable

if TYPE_CHECKING:
    from fpdf import FPDF

FORMATS: Final = ("docx", "xlsx", "pdf")

Merge = tuple[int, int, int, int]
"""(first row, first column, last row, last column) of a merged cell, 0-based, inclusive."""

_DATE_RE: Final = re.compile(r"^\d{2}/\d{2}/\d{4}$")
_SECTION_CODE_RE: Final = re.compile(r"^((?:[IVXLC]+|\d+(?:\.\d+)*|[A-Z])\.?) (.+)$")


@dataclass(frozen=True, slots=True)
class Layout:
    """A table ready to draw: cell texts, merged ranges, header height, split point."""

    texts: list[list[str]]
    merges: list[Merge]
    header_rows: int
    split_at: int | None


def layout(table: PlanTable) -> Layout:
    """Where every text and merged cell of `table` goes."""
    columns = table.columns
    width = len(columns)
    texts: list[list[str]] = []
    merges: list[Merge] = []
    header, header_merges = _header(columns)
    texts.extend(header)
    merges.extend(header_merges)
    if table.numbering_row:
        texts.append([f"({index + 1})" for index in range(width)])
    header_rows = len(header)
    seen_sections: set[str] = set()
    lead_column = next(i for i, column in enumerate(columns) if column.role == "lead")
    body = 0
    split_at: int | None = None
    previous_lead: tuple[int, str] | None = None
    for row in table.rows:
        if table.repeat_header_every and body and body % table.repeat_header_every == 0:
            start = len(texts)
            texts.extend(list(line) for line in header)
            merges.extend((r0 + start, c0, r1 + start, c1) for r0, c0, r1, c1 in header_merges)
            previous_lead = None
        if table.split_table_at and body == table.split_table_at:
            split_at = len(texts)
            previous_lead = None
        body += 1
        if row.section is not None and row.section not in seen_sections:
            seen_sections.add(row.section)
            texts.append(_heading_row(row.section, columns, table.heading))
            if table.heading == "merged" or not _SECTION_CODE_RE.match(row.section):
                merges.append((len(texts) - 1, 0, len(texts) - 1, width - 1))
            previous_lead = None
        cells = [_cell(table, row, column) for column in columns]
        if row.code in table.continued:
            title_column = next(i for i, column in enumerate(columns) if column.role == "title")
            words = row.title.split(" ")
            cells[title_column] = " ".join(words[: len(words) // 2])
            rest = [""] * width
            rest[title_column] = " ".join(words[len(words) // 2 :])
            texts.append(cells)
            texts.append(rest)
            previous_lead = None
            continue
        if table.merge_equal_leads and previous_lead and previous_lead[1] == row.lead_text:
            first_row = previous_lead[0]
            merges[:] = [m for m in merges if m[:2] != (first_row, lead_column)]
            merges.append((first_row, lead_column, len(texts), lead_column))
            cells[lead_column] = ""
        else:
            previous_lead = (len(texts), row.lead_text)
        texts.append(cells)
    return Layout(texts=texts, merges=merges, header_rows=header_rows, split_at=split_at)


def grid_of(table: PlanTable) -> Grid:
    """The Grid a reader gives for `table`: merged cells repeated over what they cover."""
    spec = layout(table)
    cells = [list(row) for row in spec.texts]
    for r0, c0, r1, c1 in spec.merges:
        for row in range(r0, r1 + 1):
            for column in range(c0, c1 + 1):
                cells[row][column] = spec.texts[r0][c0]
    return tuple(tuple(row) for row in cells)


def _header(columns: Sequence[Column]) -> tuple[list[list[str]], list[Merge]]:
    """One header row, or two when some columns share a group label above them."""
    if not any(column.group for column in columns):
        return [[column.label for column in columns]], []
    top = [column.group or column.label for column in columns]
    bottom = [column.label if column.group else "" for column in columns]
    merges: list[Merge] = []
    index = 0
    while index < len(columns):
        group = columns[index].group
        if group is None:
            merges.append((0, index, 1, index))
            index += 1
            continue
        end = index
        while end + 1 < len(columns) and columns[end + 1].group == group:
            end += 1
        if end > index:
            merges.append((0, index, 0, end))
        index = end + 1
    return [top, bottom], merges


def _heading_row(section: str, columns: Sequence[Column], style: str) -> list[str]:
    """A heading row: the number and title in their cells, or the whole text merged."""
    match = _SECTION_CODE_RE.match(section)
    row = [""] * len(columns)
    if style == "merged" or match is None:
        row[0] = section
        return row
    for index, column in enumerate(columns):
        if column.role == "code":
            row[index] = match.group(1)
        elif column.role == "title":
            row[index] = match.group(2)
    return row


def _cell(table: PlanTable, row: RawRow, column: Column) -> str:
    """The text a task row prints in `column`."""
    printed = table.printed.get((row.code, column.role))
    if printed is not None:
        return printed
    values: dict[str, str] = {
        "code": row.code,
        "title": row.title,
        "requirement": row.requirement or "",
        "lead": row.lead_text,
        "coordinators": row.coordinators_text,
        "deadline": row.deadline_text,
        "extra": column.filler,
    }
    return values[column.role]


def write_docx(table: PlanTable, path: Path) -> None:
    """Render `table` as a Word document under a letterhead table and a title."""
    import docx

    spec = layout(table)
    document = docx.Document()
    letterhead = document.add_table(rows=2, cols=2)
    for (row, column), text in {
        (0, 0): table.title_lines[0],
        (0, 1): "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        (1, 0): "Số: 15/KH-UBND",
        (1, 1): "Phường Mẫu, ngày 06 tháng 01 năm 2025",
    }.items():
        letterhead.cell(row, column).text = text
    for line in table.title_lines[1:]:
        document.add_paragraph(line)
    parts = [(0, len(spec.texts))]
    if spec.split_at is not None:
        parts = [(0, spec.split_at), (spec.split_at, len(spec.texts))]
    for first, last in parts:
        if first:
            document.add_paragraph("")
        grid = document.add_table(rows=last - first, cols=len(table.columns))
        grid.style = "Table Grid"
        for r0, c0, r1, c1 in spec.merges:
            if first <= r0 and r1 < last:
                grid.cell(r0 - first, c0).merge(grid.cell(r1 - first, c1))
        merged_away = {
            (r, c)
            for r0, c0, r1, c1 in spec.merges
            for r in range(r0, r1 + 1)
            for c in range(c0, c1 + 1)
            if (r, c) != (r0, c0)
        }
        for r in range(first, last):
            for c, text in enumerate(spec.texts[r]):
                if (r, c) not in merged_away:
                    grid.cell(r - first, c).text = text
    document.add_paragraph("Nơi nhận: - Như trên; - Lưu: VT.")
    document.save(str(path))


def write_xlsx(table: PlanTable, path: Path) -> None:
    """Render `table` as a sheet with a merged title above it; dd/mm/yyyy cells as dates."""
    from openpyxl import Workbook

    spec = layout(table)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Kế hoạch"
    width = len(table.columns)
    for index, line in enumerate(table.title_lines, start=1):
        sheet.cell(row=index, column=1, value=line)
        sheet.merge_cells(start_row=index, start_column=1, end_row=index, end_column=width)
    offset = len(table.title_lines) + 1
    for r, texts in enumerate(spec.texts):
        for c, text in enumerate(texts):
            if not text:
                continue
            value: str | datetime = text
            if _DATE_RE.match(text):
                value = datetime.strptime(text, "%d/%m/%Y")  # noqa: DTZ007 - a calendar date
            sheet.cell(row=r + offset + 1, column=c + 1, value=value)
    for r0, c0, r1, c1 in spec.merges:
        sheet.merge_cells(
            start_row=r0 + offset + 1,
            start_column=c0 + 1,
            end_row=r1 + offset + 1,
            end_column=c1 + 1,
        )
    workbook.save(path)


def write_pdf(
    table: PlanTable, path: Path, *, logo: Path | None = None, scans: Sequence[Path] = ()
) -> None:
    """Render `table` as a ruled PDF table (DejaVu Sans), its header repeated on each page;
    `logo` above the title, each of `scans` as a whole page after the table."""
    import matplotlib
    from fpdf import FPDF

    spec = layout(table)
    font = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    pdf = FPDF(orientation="landscape", format="A4")
    pdf.add_font("DejaVu", fname=str(font))
    pdf.add_font("DejaVu", style="B", fname=str(font))
    try:
        _draw_pdf(pdf, table, spec, logo, scans)
        pdf.output(str(path))
    finally:  # fontTools holds the font file open, even when a row is too tall to draw
        for face in pdf.fonts.values():
            ttfont = getattr(face, "ttfont", None)
            if ttfont is not None:
                ttfont.close()


def _draw_pdf(
    pdf: "FPDF", table: PlanTable, spec: Layout, logo: Path | None, scans: Sequence[Path]
) -> None:
    from fpdf.fonts import FontFace

    pdf.set_font("DejaVu", size=7)
    pdf.add_page()
    if logo is not None:
        pdf.image(str(logo), w=25)
    for line in table.title_lines:
        pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    weights = {"code": 1.0, "title": 5.0, "requirement": 4.0, "extra": 1.5}
    widths = [weights.get(column.role, 2.5) for column in table.columns]
    starts = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in spec.merges}
    covered = {
        (r, c)
        for r0, c0, r1, c1 in spec.merges
        for r in range(r0, r1 + 1)
        for c in range(c0, c1 + 1)
        if (r, c) != (r0, c0)
    }
    with pdf.table(
        col_widths=widths,
        num_heading_rows=spec.header_rows,
        headings_style=FontFace(emphasis="BOLD"),
        text_align="LEFT",
        line_height=3.5,
    ) as grid:
        for r, texts in enumerate(spec.texts):
            row = grid.row()
            for c, text in enumerate(texts):
                if (r, c) in covered:
                    continue
                rowspan, colspan = starts.get((r, c), (1, 1))
                row.cell(text, rowspan=rowspan, colspan=colspan)
    for scan in scans:
        pdf.add_page()
        pdf.image(str(scan), x=0, y=0, w=pdf.w, h=pdf.h)


def write_picture(path: Path, *, width: int, height: int, mode: str = "RGB") -> Path:
    """A picture of random pixels: it compresses no better than a photograph or a scan."""
    import random

    from PIL import Image

    picture = Image.new(mode, (width, height))
    channels = len(mode)
    noise = random.Random(width * height)
    picture.frombytes(noise.randbytes(width * height * channels))
    picture.save(path)
    return path


WRITERS: Final = {"docx": write_docx, "xlsx": write_xlsx, "pdf": write_pdf}
