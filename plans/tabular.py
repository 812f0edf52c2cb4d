"""The one table model behind .docx, .xlsx and .pdf plans: a Grid's task rows as RawRows.

Columns are recognised by what their header says (accent-insensitive, in any order, over one to
three header rows); numbering may be 1, 2.1, 9.3.3, I, II, A, a or a). A numbered row with
nothing but a title groups the rows below it (their `section`), unless the next numbered row is
its sibling; a row without a number continues the row above it (a cell broken over a page).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Final

from locales import N_
from plans.columns import CELL_ONLY_WORDS, CODE_CELLS, COLUMN_WORDS, Column
from plans.folding import word_key
from plans.roman import ROMAN_PATTERN, roman_value
from plans.source import Grid, RawRow

HEADER_SEARCH_ROWS: Final = 30
MAX_HEADER_ROWS: Final = 3
MAX_LABEL_CHARS: Final = 80


class Problem(StrEnum):
    """Why a task row could not be fully read: `RawRow.problems` holds these msgids."""

    MISSING_TITLE = N_("The task's content cell could not be read.")
    MISSING_DEADLINE = N_("The task's deadline cell could not be read.")
    MISSING_LEAD = N_("The task's lead cell is empty.")
    UNNUMBERED = N_("The task row has no number.")
    ODD_NUMBER = N_("The task's number cell does not hold a number.")


_GROUP_WORDS: Final = dict(COLUMN_WORDS)[Column.GROUP]
_ROMAN: Final = ROMAN_PATTERN
_CODE_RE: Final = re.compile(
    rf"^(?:(?P<roman>{_ROMAN})(?P<roman_rest>(?:\.\d+)*)"
    r"|(?P<arabic>\d+(?:\.\d+)*)"
    r"|(?P<upper>[A-Z])"
    r"|(?P<lower>[a-zđ]))"
    r"[.)]?$"
)
_LEADING_CODE_RE: Final = re.compile(
    rf"^(?P<code>(?:{_ROMAN}|\d+(?:\.\d+)*|[A-Z])\.|\d+(?:\.\d+)+|[a-zđ]\))\s+(?=\S)"
)
_BULLETS: Final = frozenset({"-", "+", "*", "•", "–", "—", "o"})
_NUMBERING_CELL_RE: Final = re.compile(r"^\(?(?:\d{1,2}|[a-z])\)?$")
_SPACES_RE: Final = re.compile(r"[ \t\u00a0]+")


@dataclass(frozen=True, slots=True)
class Header:
    """Where the header ends and which column holds what."""

    rows: int
    """Index of the first body row (header rows and a numbering row skipped)."""
    columns: dict[Column, int]
    labels: frozenset[tuple[str, ...]]
    """The header rows, folded, to recognise them when a page repeats them."""


class _Style(StrEnum):
    """How a row is numbered."""

    NONE = "none"
    UPPER = "upper"
    ROMAN = "roman"
    ARABIC = "arabic"
    LOWER = "lower"


@dataclass(frozen=True, slots=True)
class _Code:
    """A row number read for its place in the outline."""

    kind: _Style
    parts: tuple[int, ...] | None

    @property
    def rank(self) -> int:
        """Outline level: lower ranks contain higher ones (A > I > 1 > 1.1 > a)."""
        if self.kind is _Style.NONE:
            return -1
        if self.kind is _Style.UPPER:
            return 0
        if self.kind is _Style.ROMAN:
            return len(self.parts or ())
        if self.kind is _Style.ARABIC:
            return 1 + len(self.parts or ())
        return 10

    def contains(self, other: "_Code") -> bool:
        """Whether a heading numbered `self` is an ancestor of the row numbered `other`."""
        if self.rank >= other.rank:
            return False
        numbered = (_Style.ARABIC, _Style.ROMAN)
        linked = other.kind in numbered and len(other.parts or ()) >= 2
        if linked and self.parts is not None and self.kind in numbered:
            return (other.parts or ())[: len(self.parts)] == self.parts
        return True

    def is_sibling(self, other: "_Code") -> bool:
        """Whether two numbers sit at the same outline level in the same style."""
        return self.kind == other.kind and len(self.parts or ()) == len(other.parts or ())


@dataclass(slots=True)
class _Item:
    """A numbered row with the continuation rows below it, before it is judged."""

    code: str
    cells: dict[Column, str]
    merged_heading: bool = False
    parsed: _Code | None = None
    extra_problems: list[Problem] = field(default_factory=list)


def classify(label: str) -> Column | None:
    """The column a header cell names (whole words of `plans.columns`), or None for a label that
    is not a task-table column ("Phân công nhiệm vụ", the group over lead and coordinators)."""
    if not label or len(label) > MAX_LABEL_CHARS:
        return None
    folded = word_key(label)
    if folded in CODE_CELLS:
        return Column.CODE
    padded = f" {folded} "
    if any(f" {word} " in padded for word in _GROUP_WORDS):
        return None
    for column, words in COLUMN_WORDS:
        if column in (Column.GROUP, Column.CODE):
            continue
        if any(f" {word} " in padded for word in (*words, *CELL_ONLY_WORDS.get(column, ()))):
            return column
    return None


def join_cell_lines(text: str) -> str:
    """A cell's lines joined with one space (no space after a line-ending hyphen), trimmed."""
    joined = ""
    for line in text.split("\n"):
        line = _SPACES_RE.sub(" ", line).strip()
        if line:
            joined = _join(joined, line)
    return joined


def find_header(grid: Grid) -> Header | None:
    """The task-table header of `grid`: the first rows naming a title column and one more."""
    for start in range(min(len(grid), HEADER_SEARCH_ROWS)):
        roles = {classify(join_cell_lines(cell)) for cell in grid[start]} - {None}
        if Column.TITLE not in roles or len(roles) < 2:
            continue
        end = start + 1
        while end < len(grid) and end - start < MAX_HEADER_ROWS:
            if not _continues_header(grid[end], grid[end - 1]):
                break
            end += 1
        columns = _column_roles(grid[start:end])
        if Column.TITLE not in columns:
            continue
        labels = frozenset(tuple(word_key(cell) for cell in row) for row in grid[start:end])
        if end < len(grid) and _is_numbering_row(grid[end]):
            end += 1
        return Header(rows=end, columns=columns, labels=labels)
    return None


def rows_from_grid(grid: Grid) -> list[RawRow]:
    """The task rows of a table, with the section each sits under; [] when it has no header."""
    header = find_header(grid)
    if header is None:
        return []
    items = _items(grid, header)
    return _judge(items, has_lead=Column.LEAD in header.columns)


def find_task_table(tables: Sequence[Grid]) -> Grid | None:
    """The task table among `tables` (the one with most task rows), joined to its other parts.

    A table that follows with the same width and either no header or the same columns is the
    task table continued (a Word table broken by a paragraph, a PDF table over pages); the parts
    before the largest one are joined too, from the first part that opens with the header.
    """
    headers = [find_header(table) for table in tables]
    sizes = [(len(rows_from_grid(table)), -index) for index, table in enumerate(tables)]
    found = [size for size, header in zip(sizes, headers, strict=True) if header is not None]
    if not found:
        return None
    index = -max(found)[1]
    task_header = headers[index]
    assert task_header is not None
    first = index
    for before in range(index - 1, -1, -1):  # the parts before the largest, back to the header
        if not _continues(tables[before + 1], headers[before + 1], tables[before], task_header):
            break
        if (header := headers[before]) is not None:
            if header.columns != task_header.columns:
                break
            first = before
    joined = list(tables[first])
    for table, header in zip(tables[first + 1 :], headers[first + 1 :], strict=True):
        if not _continues(table, header, tables[first], task_header):
            break
        joined.extend(table)
    return tuple(joined)


def _continues(table: Grid, header: Header | None, first: Grid, task_header: Header) -> bool:
    """Whether `table` carries on the task table that opened with `first`."""
    if not table or not first or len(table[0]) != len(first[0]):
        return False
    if header is not None:
        return header.columns == task_header.columns
    return _starts_with_numbered_row(table, task_header)


def _starts_with_numbered_row(table: Grid, header: Header) -> bool:
    """Whether a header-less table opens, within its first rows, with a numbered row."""
    column = header.columns.get(Column.CODE)
    if column is None:
        return True
    return any(
        _parse(join_cell_lines(row[column])) is not None for row in table[:3] if column < len(row)
    )


def _continues_header(row: tuple[str, ...], above: tuple[str, ...]) -> bool:
    """Whether `row` is a further header row: only repeats of the row above and column names."""
    texts = [join_cell_lines(cell) for cell in row if join_cell_lines(cell)]
    if _is_numbering_row(row) or (len(texts) > 1 and len(set(texts)) == 1):
        return False  # a numbering row, or a heading merged across the table
    if any(_CODE_RE.match(text) or _LEADING_CODE_RE.match(text) for text in texts):
        return False
    named = False
    for index, cell in enumerate(row):
        text = join_cell_lines(cell)
        if not text or (index < len(above) and join_cell_lines(above[index]) == text):
            continue
        if classify(text) is None:
            return False
        named = True
    return named


def _column_roles(rows: Grid) -> dict[Column, int]:
    """Each role's column, read from the lowest header row that names it."""
    width = max(len(row) for row in rows)
    columns: dict[Column, int] = {}
    for column in range(width):
        labels = [join_cell_lines(row[column]) for row in rows if column < len(row)]
        role = next(
            (found for found in map(classify, reversed(labels)) if found is not None), None
        )
        if role is None:
            continue
        if role not in columns:
            columns[role] = column
        elif role is Column.DEADLINE and "hoan thanh" in word_key(" ".join(labels)):
            columns[role] = column  # "Thời gian hoàn thành" over "Thời gian bắt đầu"
    unlabelled_first = (
        not any(join_cell_lines(row[0]) for row in rows) and 0 not in columns.values()
    )
    if Column.CODE not in columns and columns.get(Column.TITLE, 0) > 0 and unlabelled_first:
        columns[Column.CODE] = 0
    return columns


def _is_numbering_row(row: tuple[str, ...]) -> bool:
    """A row that only numbers the columns: "(1) (2) (3)" or "1 2 3"."""
    cells = [join_cell_lines(cell) for cell in row if join_cell_lines(cell)]
    return len(cells) >= 3 and all(_NUMBERING_CELL_RE.match(cell) for cell in cells)


def _items(grid: Grid, header: Header) -> list[_Item]:
    """Numbered rows with their continuation rows appended, in order."""
    columns = header.columns
    items: list[_Item] = []
    blank_run = 0
    for row in grid[header.rows :]:
        cells = tuple(join_cell_lines(cell) for cell in row)
        if not any(cells):
            blank_run += 1
            if blank_run >= 2 and items:
                break
            continue
        blank_run = 0
        if tuple(word_key(cell) for cell in row) in header.labels or _is_numbering_row(row):
            continue
        values = _values(cells, columns)
        merged = _merged_text(cells, columns)
        if merged is not None:
            match = _LEADING_CODE_RE.match(merged)
            code = match.group("code") if match else ""
            items.append(
                _Item(
                    code=code,
                    cells={Column.TITLE: merged},
                    merged_heading=True,
                    parsed=_parse(code) if code else _Code(_Style.NONE, None),
                )
            )
            continue
        code = values.pop(Column.CODE, "")
        if Column.CODE not in columns:
            match = _LEADING_CODE_RE.match(values.get(Column.TITLE, ""))
            if match:
                code = match.group("code")
                values[Column.TITLE] = values[Column.TITLE][match.end() :]
        parsed = _parse(code) if code else None
        if not code or (code in _BULLETS and not _has_payload(values)):
            if items:
                if code:
                    values[Column.TITLE] = f"{code} {values.get(Column.TITLE, '')}".strip()
                _append(items[-1], values)
            continue
        if items and _repeats(items[-1], code, values):
            _add_alternatives(items[-1], values)
            continue
        item = _Item(code=code, cells=values, parsed=parsed)
        if parsed is None:
            item.extra_problems.append(
                Problem.UNNUMBERED if code in _BULLETS else Problem.ODD_NUMBER
            )
        items.append(item)
    return items


def _values(cells: tuple[str, ...], columns: dict[Column, int]) -> dict[Column, str]:
    """The row's text for each role; a cell merged over the title's cells counts as empty."""
    title_column = columns.get(Column.TITLE)
    values: dict[Column, str] = {}
    for role, column in columns.items():
        text = cells[column] if column < len(cells) else ""
        spilled = title_column is not None and _same_run(cells, column, title_column)
        if role not in (Column.TITLE, Column.CODE) and spilled:
            text = ""
        values[role] = text
    return values


def _merged_text(cells: tuple[str, ...], columns: dict[Column, int]) -> str | None:
    """The text of a row merged across the number and title columns (a heading), if it is one."""
    title_column = columns[Column.TITLE]
    code_column = columns.get(Column.CODE)
    title = cells[title_column] if title_column < len(cells) else ""
    if not title:
        return None
    if code_column is not None and code_column < len(cells):
        if _same_run(cells, code_column, title_column):
            return title
        if cells[code_column]:
            return None
    others = [
        column
        for role, column in columns.items()
        if role not in (Column.TITLE, Column.CODE) and column < len(cells)
    ]
    if len(others) >= 2 and all(_same_run(cells, title_column, column) for column in others):
        return title
    if code_column is not None:
        return None
    distinct = {cell for cell in cells if cell}
    if len(distinct) == 1 and sum(1 for cell in cells if cell) == len(cells) > 1:
        return title
    return None


def _same_run(cells: tuple[str, ...], first: int, second: int) -> bool:
    """Whether the cells from `first` to `second` all hold the same text (one merged cell)."""
    low, high = sorted((first, second))
    if high >= len(cells) or low == high:
        return False
    text = cells[low]
    return bool(text) and all(cells[index] == text for index in range(low, high + 1))


def _has_payload(values: dict[Column, str]) -> bool:
    """Whether a row says more than a title: a lead, coordinators, deadline or requirement."""
    return any(
        values.get(role)
        for role in (Column.LEAD, Column.COORDINATORS, Column.DEADLINE, Column.REQUIREMENT)
    )


def _append(item: _Item, values: dict[Column, str]) -> None:
    """Add a continuation row's cells to the row above it."""
    for role, text in values.items():
        if text and role is not Column.CODE:
            item.cells[role] = _join(item.cells.get(role, ""), text)


def _repeats(item: _Item, code: str, values: dict[Column, str]) -> bool:
    """Whether a row repeats the number and title above it: one task merged down over rows."""
    title = values.get(Column.TITLE, "")
    return bool(title) and item.code == code and item.cells.get(Column.TITLE) == title


def _add_alternatives(item: _Item, values: dict[Column, str]) -> None:
    """Add what a sub-row of a vertically merged task says: another lead, another deadline."""
    for role, text in values.items():
        present = item.cells.get(role, "")
        if text and text not in present.split(", "):
            item.cells[role] = f"{present}, {text}" if present else text


def _join(before: str, after: str) -> str:
    """Two pieces of one cell: a space between them, none after a word-ending hyphen."""
    if not before:
        return after
    if not after:
        return before
    if before.endswith("-") and not before.endswith(" -"):
        return before + after
    return f"{before} {after}"


def _parse(code: str) -> _Code | None:
    """A row number's style and parts, or None when the number cell holds something else."""
    match = _CODE_RE.match(code)
    if match is None:
        return None
    if match.group("roman"):
        rest = match.group("roman_rest")
        parts = (
            roman_value(match.group("roman")) or 0,
            *tuple(int(part) for part in rest.split(".") if part),
        )
        return _Code(_Style.ROMAN, parts)
    if match.group("arabic"):
        return _Code(_Style.ARABIC, tuple(int(part) for part in match.group("arabic").split(".")))
    if match.group("upper"):
        return _Code(_Style.UPPER, None)
    return _Code(_Style.LOWER, None)


def _judge(items: list[_Item], *, has_lead: bool) -> list[RawRow]:
    """Decide which items are headings, give every task its section, and build the RawRows."""
    rows: list[RawRow] = []
    stack: list[tuple[_Code, str]] = []
    for index, item in enumerate(items):
        if _is_heading(item, items[index + 1 :]):
            heading = item.parsed or _Code(_Style.NONE, None)
            while stack and not stack[-1][0].contains(heading):
                stack.pop()
            stack.append((heading, _heading_text(item)))
            continue
        parsed = item.parsed
        path = tuple(text for code, text in stack if parsed and code.contains(parsed))
        rows.append(_raw_row(item, path, has_lead=has_lead))
    return rows


def _is_heading(item: _Item, following: list[_Item]) -> bool:
    """A merged row, or a numbered title with no payload whose next numbered row is not a peer."""
    if item.merged_heading:
        return True
    if item.parsed is None or _has_payload(item.cells) or not item.cells.get(Column.TITLE):
        return False
    next_numbered = next((other.parsed for other in following if other.parsed), None)
    return next_numbered is not None and not item.parsed.is_sibling(next_numbered)


def _heading_text(item: _Item) -> str:
    """A section as printed: the number cell, a space, the title cell."""
    title = item.cells.get(Column.TITLE, "")
    if item.merged_heading:
        return title
    return _join(item.code, title) if not item.code.endswith("-") else f"{item.code} {title}"


def _raw_row(item: _Item, sections: tuple[str, ...], *, has_lead: bool) -> RawRow:
    """The RawRow of a task item under its headings (outermost first), with what is missing
    listed as problems."""
    cells = item.cells
    problems = list(item.extra_problems)
    if not cells.get(Column.TITLE):
        problems.append(Problem.MISSING_TITLE)
    if not cells.get(Column.LEAD) and has_lead:
        problems.append(Problem.MISSING_LEAD)
    if not cells.get(Column.DEADLINE):
        problems.append(Problem.MISSING_DEADLINE)
    return RawRow(
        code=item.code,
        title=cells.get(Column.TITLE, ""),
        section=sections[-1] if sections else None,
        sections=sections,
        requirement=cells.get(Column.REQUIREMENT) or None,
        lead_text=cells.get(Column.LEAD, ""),
        coordinators_text=cells.get(Column.COORDINATORS, ""),
        deadline_text=cells.get(Column.DEADLINE, ""),
        problems=tuple(str(problem) for problem in problems),
    )
