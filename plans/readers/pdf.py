"""PDF plans: ruled tables as Grids (joined across pages), the remaining page text as text."""

from bisect import bisect_right
from io import BytesIO
from typing import TYPE_CHECKING, Final

from plans.readers.budget import MAX_PAGES
from plans.readers.errors import (
    CorruptPlanFile,
    EncryptedPlanFile,
    ScannedPlanFile,
    TooManyPages,
)
from plans.readers.text import normalise
from plans.source import Grid, SourceDocument
from plans.tabular import find_task_table

if TYPE_CHECKING:
    from pdfplumber._typing import T_obj  # a page object: pdfminer's attributes by name
    from pdfplumber.page import Page
    from pdfplumber.table import CellGroup, Table

_EPSILON: Final = 1.0
"""Points of slack when matching a merged cell's edges to the table's column and row lines."""


def read_pdf(content: bytes, *, file_name: str) -> SourceDocument:
    """Read a .pdf whose streams `read_content` has already counted: its task table when it is
    ruled, otherwise only its text."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.psexceptions import PSException
    from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException

    name = file_name
    try:
        with pdfplumber.open(BytesIO(content)) as pdf:
            pages = pdf.pages
            if len(pages) > MAX_PAGES:
                raise TooManyPages(file_name=name, count=len(pages), limit=MAX_PAGES)
            return _read_pages(pages, name)
    except PdfminerException as error:
        cause = error.args[0] if error.args else None
        if isinstance(cause, PDFPasswordIncorrect | PDFEncryptionError):
            raise EncryptedPlanFile(file_name=name) from None
        raise CorruptPlanFile(file_name=name) from None
    except (MalformedPDFException, PSException, ValueError, KeyError, TypeError, IndexError):
        # pdfminer reports a damaged file through any of these.
        raise CorruptPlanFile(file_name=name) from None


def _read_pages(pages: list["Page"], name: str) -> SourceDocument:
    """The document of an open PDF's pages."""
    outside: list[str] = []
    tables: list[Grid] = []
    for page in pages:
        found = page.find_tables()
        tables.extend(_grid(table) for table in found)
        outside.append(_text_outside(page, found))
    joined = _join_pages(tables)
    if find_task_table(joined) is not None:
        text = normalise("\n".join(outside))
        return SourceDocument(text=text, tables=tuple(joined), file_name=name, kind="pdf")
    # No ruled task table: the whole text, tables included, goes to the extracted-text path.
    whole = [page.extract_text() or "" for page in pages] if tables else outside
    if pages and not any(text.strip() for text in whole):
        raise ScannedPlanFile(file_name=name)
    return SourceDocument(text=normalise("\n".join(whole)), file_name=name, kind="pdf")


def _grid(table: "Table") -> Grid:
    """A ruled table as a Grid, each merged cell's text repeated over the cells it covers."""
    rows = table.rows
    texts = _cell_texts(table, rows)
    column_starts = sorted({cell[0] for cell in table.cells})
    row_tops = [row.bbox[1] for row in rows]
    grid = [["" for _ in column_starts] for _ in rows]
    for row_index, row in enumerate(rows):
        for column_index, cell in enumerate(row.cells):
            if cell is None:
                continue
            text = normalise(texts[row_index][column_index] or "").strip()
            x0, top, x1, bottom = cell
            columns = [
                index
                for index, start in enumerate(column_starts)
                if x0 - _EPSILON <= start < x1 - _EPSILON
            ]
            covered = [
                index for index, start in enumerate(row_tops) if top - _EPSILON <= start < bottom
            ]
            for covered_row in covered or [row_index]:
                for covered_column in columns or [column_index]:
                    grid[covered_row][covered_column] = text
    return tuple(tuple(row) for row in grid)


def _cell_texts(table: "Table", rows: list["CellGroup"]) -> list[list[str | None]]:
    """What `Table.extract()` gives, with each character placed once instead of once per row."""
    from pdfplumber.utils.text import extract_text

    cells = sorted(
        (cell[1], cell, row_index, column_index)
        for row_index, row in enumerate(rows)
        for column_index, cell in enumerate(row.cells)
        if cell is not None
    )
    tops = [top for top, _, _, _ in cells]
    tallest = max((cell[3] - cell[1] for _, cell, _, _ in cells), default=0.0)
    found: dict[tuple[int, int], list[T_obj]] = {}
    x0, top, x1, bottom = table.bbox
    for char in table.page.chars:
        middle = (char["top"] + char["bottom"]) / 2
        centre = (char["x0"] + char["x1"]) / 2
        if not (x0 <= centre < x1 and top <= middle < bottom):
            continue
        index = bisect_right(tops, middle) - 1
        while index >= 0 and tops[index] >= middle - tallest:
            _, cell, row_index, column_index = cells[index]
            if cell[0] <= centre < cell[2] and cell[1] <= middle < cell[3]:
                found.setdefault((row_index, column_index), []).append(char)
                break
            index -= 1
    return [
        [
            None if cell is None else extract_text(found.get((row_index, column_index), []))
            for column_index, cell in enumerate(row.cells)
        ]
        for row_index, row in enumerate(rows)
    ]


def _text_outside(page: "Page", tables: list["Table"]) -> str:
    """The page's text without the characters that sit inside its tables."""
    if not tables:
        return page.extract_text() or ""
    boxes = [table.bbox for table in tables]

    def outside(obj: "T_obj") -> bool:
        if obj.get("object_type") != "char":
            return True
        x = (obj["x0"] + obj["x1"]) / 2
        y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    return page.filter(outside).extract_text() or ""


def _join_pages(tables: list[Grid]) -> list[Grid]:
    """Tables continued on the next page joined into one, their repeated header rows dropped."""
    joined: list[Grid] = []
    for table in tables:
        if not table:
            continue
        previous = joined[-1] if joined else None
        if previous is not None and len(previous[0]) == len(table[0]):
            repeated = 0
            while (
                repeated < len(table)
                and repeated < len(previous)
                and table[repeated] == previous[repeated]
            ):
                repeated += 1
            joined[-1] = previous + table[repeated:]
        else:
            joined.append(table)
    return joined
