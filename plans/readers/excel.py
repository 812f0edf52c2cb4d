"""Excel plans (.xlsx): each sheet's used range as a Grid, merged ranges filled."""

import zipfile
from datetime import date, datetime, time
from io import BytesIO
from typing import TYPE_CHECKING, Final
from xml.etree.ElementTree import iterparse

from plans.readers.budget import MAX_MERGED_RANGES, MAX_ROWS, MAX_TABLE_CELLS
from plans.readers.errors import CorruptPlanFile, TableTooLarge
from plans.readers.sniff import DAMAGED_ARCHIVE
from plans.readers.text import normalise
from plans.source import Grid, SourceDocument
from plans.tabular import find_header

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

MAX_COLUMNS: Final = 100
"""Columns read from a sheet (a task table has 4 to 12; a sheet's further columns are empty)."""
_MERGE_TAG: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}mergeCell"

Cells = list[list[str]]


def read_xlsx(content: bytes, *, file_name: str) -> SourceDocument:
    """Read a .xlsx whose archive `read_content` has already checked."""
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    lines: list[str] = []
    tables: list[Grid] = []
    # A file object, not a path: openpyxl refuses a path whose name does not end in .xlsx.
    with zipfile.ZipFile(BytesIO(content)) as archive:
        try:
            workbook = load_workbook(BytesIO(content), read_only=True, data_only=True)
        except (InvalidFileException, *DAMAGED_ARCHIVE, KeyError, ValueError, SyntaxError):
            raise CorruptPlanFile(file_name=file_name) from None
        try:
            rows_read = 0
            for sheet in workbook.worksheets:
                cells = _sheet_cells(sheet, file_name, room=MAX_ROWS - rows_read)
                rows_read += len(cells)
                ranges = _merged_ranges(archive, sheet, file_name)
                if _merged_area(cells, ranges) > MAX_TABLE_CELLS:
                    raise TableTooLarge(file_name=file_name)
                _fill_merges(cells, ranges)
                title_rows, table = _split_titles(_trim(cells))
                lines.extend(title_rows)
                if not table:
                    continue
                grid = tuple(tuple(row) for row in table)
                tables.append(grid)
                if find_header(grid) is None:
                    # No task header: the sheet's rows may still be read as text, cells by tab.
                    lines.extend("\t".join(row) for row in grid)
        except (*DAMAGED_ARCHIVE, KeyError, ValueError, TypeError, SyntaxError):
            # What openpyxl raises on malformed parts.
            raise CorruptPlanFile(file_name=file_name) from None
        finally:
            workbook.close()
    return SourceDocument(
        text="\n".join(lines), tables=tuple(tables), file_name=file_name, kind="xlsx"
    )


def cell_text(value: object) -> str:
    """A cell's value as the office reads it: dates as dd/mm/yyyy, whole numbers without .0."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return normalise(str(value)).strip()


def _sheet_cells(sheet: "Worksheet", file_name: str, *, room: int) -> Cells:
    """The sheet's values, row by row, as text, up to its last filled row.

    Empty rows after the last filled one (a formatted but unused sheet) are not kept; a
    workbook filled beyond MAX_ROWS (`room` is what is left of it) is refused, not read in part.
    """
    rows: Cells = []
    empty = 0
    reset = getattr(sheet, "reset_dimensions", None)
    if callable(reset):
        reset()  # some writers record a wrong <dimension> ("A1"), which read-only mode trusts
    for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS):
        row = [cell_text(value) for value in values]
        if not any(row):
            empty += 1
            continue
        if len(rows) + empty >= room:
            raise TableTooLarge(file_name=file_name)
        rows.extend([] for _ in range(empty))
        empty = 0
        rows.append(row)
    return rows


def _merged_ranges(
    archive: zipfile.ZipFile, sheet: object, file_name: str
) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges as (min_col, min_row, max_col, max_row), 1-based."""
    from openpyxl.utils.cell import range_boundaries

    # Read-only worksheets do not parse <mergeCells>; read them straight from the sheet's part.
    part = getattr(sheet, "_worksheet_path", None)
    if not isinstance(part, str):
        return []
    ranges: list[tuple[int, int, int, int]] = []
    with archive.open(part.lstrip("/")) as source:
        for _, element in iterparse(source):
            if element.tag == _MERGE_TAG and element.get("ref"):
                bounds = range_boundaries(element.get("ref", ""))
                if None not in bounds:
                    ranges.append(bounds)  # type: ignore[arg-type]
                if len(ranges) > MAX_MERGED_RANGES:
                    raise TableTooLarge(file_name=file_name)
            element.clear()
    return ranges


def _merged_area(cells: Cells, ranges: list[tuple[int, int, int, int]]) -> int:
    """How many cells filling `ranges` writes, each range clipped as `_fill_merges` clips it."""
    area = 0
    for min_col, min_row, max_col, max_row in ranges:
        rows = min(max_row, len(cells)) - min_row + 1
        columns = min(max_col, MAX_COLUMNS) - min_col + 1
        area += max(rows, 0) * max(columns, 0)
    return area


def _fill_merges(cells: Cells, ranges: list[tuple[int, int, int, int]]) -> None:
    """Repeat each merged range's top-left value over the whole range (within the filled rows).

    Each range is clipped to the rows read, so the work is bounded by MAX_MERGED_RANGES times
    the grid, and a range can cover no more than the sheet holds.
    """
    for min_col, min_row, max_col, max_row in ranges:
        if min_row > len(cells) or min_col > MAX_COLUMNS:
            continue
        top_row = cells[min_row - 1]
        value = top_row[min_col - 1] if min_col - 1 < len(top_row) else ""
        for row_index in range(min_row - 1, min(max_row, len(cells))):
            row = cells[row_index]
            last = min(max_col, MAX_COLUMNS)
            if len(row) < last:
                row.extend([""] * (last - len(row)))
            for column in range(min_col - 1, last):
                row[column] = value


def _trim(cells: Cells) -> Cells:
    """The used range: empty rows and columns around the data removed, rows made equal."""
    rows = list(cells)
    while rows and not any(rows[-1]):
        rows.pop()
    while rows and not any(rows[0]):
        rows.pop(0)
    width = max((len(row) for row in rows), default=0)
    rows = [row + [""] * (width - len(row)) for row in rows]
    used = [column for column in range(width) if any(row[column] for row in rows)]
    if not used:
        return []
    first, last = used[0], used[-1]
    return [row[first : last + 1] for row in rows]


def _split_titles(rows: Cells) -> tuple[list[str], Cells]:
    """Title lines above the table (rows holding one value), and the table from its first row."""
    titles: list[str] = []
    for index, row in enumerate(rows):
        distinct = {cell for cell in row if cell}
        if len(distinct) >= 2:
            return titles, rows[index:]
        titles.extend(distinct)
    return titles, []
