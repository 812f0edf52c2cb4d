"""Word plans (.docx): the paragraphs in reading order as text, every table as a Grid.

A table without a task header (the letterhead with the plan's number and date, the signature
block) is layout: its cells also go into the text, one per line, where the table stands.
"""

from collections.abc import Iterator
from io import BytesIO
from typing import Any, Final

from plans.readers.budget import MAX_COLUMNS, MAX_NESTING, MAX_TABLE_CELLS
from plans.readers.errors import CorruptPlanFile, TableTooLarge
from plans.readers.numbering import ListLabels
from plans.readers.sniff import DAMAGED_ARCHIVE
from plans.readers.text import normalise
from plans.source import Grid, SourceDocument
from plans.tabular import find_header

_W: Final = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_P, _TBL, _TR, _TC = f"{_W}p", f"{_W}tbl", f"{_W}tr", f"{_W}tc"
_T, _TAB, _BR, _CR = f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"
_NO_BREAK_HYPHEN = f"{_W}noBreakHyphen"
_SDT, _SDT_CONTENT, _CUSTOM_XML = f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml"
_TC_PR, _TR_PR = f"{_W}tcPr", f"{_W}trPr"
_GRID_SPAN, _V_MERGE = f"{_W}gridSpan", f"{_W}vMerge"
_GRID_BEFORE, _GRID_AFTER = f"{_W}gridBefore", f"{_W}gridAfter"
_VAL: Final = f"{_W}val"
_MOVE_FROM: Final = f"{_W}moveFrom"
_FALLBACK: Final = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_WRAPPERS: Final = frozenset({_SDT, _SDT_CONTENT, _CUSTOM_XML})

# lxml ships no type information; its elements are handled as `Any` inside this module only.
_Element = Any


def read_docx(content: bytes, *, file_name: str) -> SourceDocument:
    """Read a .docx whose archive `read_content` has already checked."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(BytesIO(content))
        body = document.element.body
    except (PackageNotFoundError, *DAMAGED_ARCHIVE, KeyError, ValueError, SyntaxError):
        # lxml's XMLSyntaxError is a SyntaxError.
        raise CorruptPlanFile(file_name=file_name) from None
    reading = _Reading(ListLabels.of(document), file_name)
    reading.walk(body)
    return SourceDocument(
        text=normalise("\n".join(reading.paragraphs)),
        tables=tuple(reading.tables),
        file_name=file_name,
        kind="docx",
    )


class _Reading:
    """The paragraphs and tables met while walking the document body."""

    def __init__(self, labels: ListLabels, file_name: str) -> None:
        self.paragraphs: list[str] = []
        self.tables: list[Grid] = []
        self.labels = labels
        self.file_name = file_name
        self.cells = 0
        """Grid cells so far, every table's rows padded to its widest (MAX_TABLE_CELLS)."""
        self.depth = 0

    def walk(self, container: _Element) -> None:
        """Collect the body's paragraphs and tables in order, looking inside content controls."""
        for child in _blocks(container):
            if child.tag == _P:
                self.paragraphs.append(self.paragraph_text(child))
            elif child.tag == _TBL:
                index = len(self.tables)
                self.table(child)
                if not any(find_header(grid) for grid in self.tables[index:]):
                    self.paragraphs.extend(_layout_lines(self.tables[index]))
                else:
                    self.paragraphs.append("")  # the text around a task table is not one run

    def table(self, tbl: _Element) -> None:
        """Add `tbl` as a Grid; its nested tables follow it as Grids of their own."""
        index = len(self.tables)
        self.tables.append(())
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise TableTooLarge(file_name=self.file_name)
        rows: list[list[str]] = []
        width = 0
        for tr in _children(tbl, _TR):
            cells = [""] * _grid_count(tr, _GRID_BEFORE)
            for tc in _children(tr, _TC):
                properties = tc.find(_TC_PR)
                span = _span(properties)
                column = len(cells)
                if column + span > MAX_COLUMNS:
                    raise TableTooLarge(file_name=self.file_name)
                if _continues_merge(properties) and rows and column < len(rows[-1]):
                    text = rows[-1][column]
                else:
                    text = self.cell_text(tc)
                cells.extend([text] * span)
            cells.extend([""] * _grid_count(tr, _GRID_AFTER))
            width = max(width, len(cells))
            if len(cells) > MAX_COLUMNS or self.cells + width * (len(rows) + 1) > MAX_TABLE_CELLS:
                raise TableTooLarge(file_name=self.file_name)
            rows.append(cells)
        self.cells += width * len(rows)
        self.depth -= 1
        self.tables[index] = tuple(tuple(row + [""] * (width - len(row))) for row in rows)

    def paragraph_text(self, p: _Element) -> str:
        """The paragraph as printed: its list label (which Word renders, not stores), its text."""
        label = self.labels.label(p)
        text = _paragraph_text(p)
        return f"{label} {text}" if label and text else label or text

    def cell_text(self, tc: _Element) -> str:
        """The cell's paragraphs, one per line; a nested table is flattened row by row."""
        lines: list[str] = []
        for child in _blocks(tc):
            if child.tag == _P:
                lines.append(self.paragraph_text(child))
            elif child.tag == _TBL:
                nested = len(self.tables)
                self.table(child)
                for row in self.tables[nested]:
                    lines.append(" ".join(_distinct(row)))
        return normalise("\n".join(lines).strip())


def _layout_lines(grid: Grid) -> list[str]:
    """A table that holds no task table (a letterhead, a signature block), one cell a line."""
    return [line for row in grid for cell in _distinct(row) for line in cell.split("\n")]


def _blocks(container: _Element) -> Iterator[_Element]:
    """The paragraphs and tables of `container`, content controls and custom XML unwrapped."""
    for child in container.iterchildren():
        if child.tag in _WRAPPERS:
            yield from _blocks(child)
        elif child.tag in (_P, _TBL):
            yield child


def _children(parent: _Element, tag: str) -> Iterator[_Element]:
    """Children of `parent` with `tag`, content controls unwrapped."""
    for child in parent.iterchildren():
        if child.tag == tag:
            yield child
        elif child.tag in _WRAPPERS:
            yield from _children(child, tag)


def _paragraph_text(p: _Element) -> str:
    """The visible text of a paragraph, tabs and line breaks kept."""
    parts: list[str] = []
    hidden = p.find(f".//{_MOVE_FROM}") is not None or p.find(f".//{_FALLBACK}") is not None
    for element in p.iter(_T, _TAB, _BR, _CR, _NO_BREAK_HYPHEN):
        if hidden and _is_hidden(element, p):
            continue
        tag = element.tag
        if tag == _T:
            parts.append(element.text or "")
        elif tag == _TAB:
            parts.append("\t")
        elif tag == _NO_BREAK_HYPHEN:
            parts.append("-")
        else:
            parts.append("\n")
    return "".join(parts)


def _is_hidden(element: _Element, p: _Element) -> bool:
    """Whether `element` is text moved away (tracked) or a text box's second, fallback copy."""
    parent = element.getparent()
    while parent is not None and parent is not p:
        if parent.tag in (_MOVE_FROM, _FALLBACK):
            return True
        parent = parent.getparent()
    return False


def _span(properties: _Element | None) -> int:
    """How many grid columns a cell covers."""
    if properties is None:
        return 1
    span = properties.find(_GRID_SPAN)
    return max(1, _int_value(span, default=1))


def _continues_merge(properties: _Element | None) -> bool:
    """Whether a cell continues the vertical merge of the cell above it."""
    if properties is None:
        return False
    merge = properties.find(_V_MERGE)
    return merge is not None and merge.get(_VAL, "continue") == "continue"


def _grid_count(tr: _Element, tag: str) -> int:
    """Grid columns skipped before or after a row's cells (`w:gridBefore`, `w:gridAfter`)."""
    properties = tr.find(_TR_PR)
    if properties is None:
        return 0
    return _int_value(properties.find(tag), default=0)


def _int_value(element: _Element | None, *, default: int) -> int:
    """The integer `w:val` of `element`, or `default` when absent or malformed."""
    if element is None:
        return default
    try:
        return max(0, min(int(element.get(_VAL, default)), 1000))
    except ValueError:
        return default


def _distinct(row: tuple[str, ...]) -> list[str]:
    """The non-empty cells of a row, a merged cell's repeats counted once."""
    cells: list[str] = []
    for cell in row:
        if cell and (not cells or cells[-1] != cell):
            cells.append(cell)
    return cells
