"""The task table of a plan whose text was extracted from a PDF, rebuilt into `RawRow`s.

Extraction keeps the words of each cell in column order but loses the columns: a row arrives as
lines where one cell may wrap over several lines and several short cells may share one line.
Two layouts are read:

- tab-separated rows (`1.1<TAB>title<TAB>…`): the columns survive, only rows broken over a page
  need joining;
- flowing rows: a row starts with its number (`1`, `2.1`, `IV`) when that number may follow
  the previous one, and its words are cut into the header's columns by `plans.cells`. Cells
  come either one after the other (the seeds' extraction), or line by line with the short
  cells centred on the number's line and a wrapped title around it (pdfplumber's text of an
  unruled table): then a row has as many title lines below its number line as above it.

Numbering may be 1, 2.1, 9.3.3, I, A., a) or đ); a number is a row only when it may follow the
previous one, so page numbers and years that wrap onto a line of their own are not rows. Page
numbers and headers repeated on every page are dropped; the table ends at the closing, the
signature or the plan's next part. A heading row (a number and a title, no deadline and no unit)
becomes the `section` of the rows under it; when the numbering restarts under each heading, the
codes are qualified by it ("II.1") so that they stay unique. A row that cannot be fully read is
kept with `problems`, never dropped.
"""

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from plans.cells import (
    BLANK,
    CellScorer,
    ReadsDeadline,
    cut_cells,
    text_of,
    tokens_of,
)
from plans.columns import COLUMN_WORDS, Column
from plans.folding import word_key
from plans.roman import roman_value
from plans.source import RawRow
from plans.tabular import Problem
from plans.units import UnitBook

_MARKUP = re.compile(r"</?p\s*>|<br\s*/?>", re.IGNORECASE)
_CODE = re.compile(
    r"^\s*(?P<code>(?:\d{1,2}(?:\.\d{1,2}){0,3}\.?)|(?:[IVX]{1,5}\.?)|(?:[A-HK-UĐa-zđ][.)]))(?=\s|$)"
)
_ALPHABET = "abcdđefghijklmnopqrstuvwxyz"
_HEADER_START = re.compile(r"^\s*(stt|so tt|so|tt)\b(?!\s*:)", re.IGNORECASE)
_HEADER_LINE_CHARS = 60
_TABLE_END = re.compile(  # the closing, the signature, the next part of the plan
    r"^\s*(nơi nhận|trên đây|tm\.|kt\.|chủ tịch\s*$|phụ lục|danh mục\s*$"
    r"|[IVX]{1,4}\.\s+[A-ZĐÀ-Ỹ ,]{6,}$)"
)


@dataclass(slots=True)
class _Row:
    code: str
    lines: list[str] = field(default_factory=list)
    cells: dict[Column, str] = field(default_factory=dict)


def clean_line(line: str) -> str:
    """A line without extraction markup."""
    return _MARKUP.sub(" ", line)


def join_lines(lines: Sequence[str]) -> str:
    """Lines of one cell as one string: a space between, none after a line-end hyphen."""
    text = ""
    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        if text.endswith("-") and len(text) > 1 and not text[-2].isspace():
            text += line
        else:
            text = f"{text} {line}" if text else line
    return text


def column_of(header: str) -> Column | None:
    """The column a header cell names, by meaning ("Thời gian hoàn thành" -> DEADLINE)."""
    key = " " + word_key(header) + " "
    for column, words in COLUMN_WORDS:
        if any(f" {word}" in key for word in words):
            return column
    return None


def columns_in_text(header: str) -> list[Column]:
    """The columns a flowing header names, in the order it names them."""
    key = " " + word_key(header) + " "
    found: dict[Column, int] = {}
    for column, words in COLUMN_WORDS:
        positions = [key.find(f" {word}") for word in words if f" {word}" in key]
        if positions and column is not Column.GROUP and column not in found:
            found[column] = min(positions)
    ordered = sorted(found, key=lambda column: found[column])
    if Column.CODE not in ordered:
        ordered.insert(0, Column.CODE)
    return ordered


def _is_header_line(line: str) -> bool:
    return bool(_HEADER_START.match(word_key(line)))


def _header_end(lines: list[str], start: int) -> int | None:
    """Where a header block starting at `start` ends, or None when it is not a header."""
    text: list[str] = []
    index = start
    is_tabbed = "\t" in lines[start]
    while index < len(lines) and index < start + 16:
        line = lines[index]
        if index > start and line != BLANK and _CODE.match(line):
            break
        if index > start and is_tabbed and not any(map(column_of, line.split("\t"))):
            break
        if index > start and not is_tabbed and len(line.strip()) > _HEADER_LINE_CHARS:
            break
        if line != BLANK:
            text.append(line)
        index += 1
    columns = {column_of(part) for part in " ".join(text).split("\t")} | set(
        columns_in_text(" ".join(text))
    )
    if Column.TITLE in columns and (Column.LEAD in columns or Column.DEADLINE in columns):
        return index
    return None


def _code_value(code: str) -> tuple[str, tuple[int, ...]]:
    bare = code.rstrip(".)")
    value = roman_value(bare) if re.fullmatch(r"[IVX]+", bare) else None
    if value is not None:
        return "roman", (value,)
    if len(bare) == 1 and bare.lower() in _ALPHABET:
        style = "letter" if bare.islower() else "capital"
        return style, (_ALPHABET.index(bare.lower()) + 1,)
    return "number", tuple(int(part) for part in bare.split("."))


class _Numbering:
    """Which numbers may come next, so that a page number or a wrapped year is not a row."""

    def __init__(self) -> None:
        self.last: dict[str, tuple[int, ...]] = {}
        self.history: list[dict[str, tuple[int, ...]]] = []

    def accepts(self, code: str) -> bool:
        style, value = _code_value(code)
        last = self.last.get(style)
        if last is None:
            return value[-1] == 1 or (style == "number" and len(value) == 1 and value[0] <= 2)
        if style in ("letter", "capital"):
            return value[0] - last[0] in (1, 2)  # "đ" and "f" may or may not be used
        candidates = {(*last, 1)}
        for depth in range(1, len(last) + 1):
            prefix = last[:depth]
            candidates.add((*prefix[:-1], prefix[-1] + 1))
            candidates.add((*prefix[:-1], prefix[-1] + 1, 1))
        if style == "number" and len(value) == 1 and value[0] == 1:
            return True  # numbering restarts under a new heading
        return value in candidates

    def undo(self) -> None:
        """Forget the last number taken (it was a page number)."""
        if self.history:
            self.last = self.history.pop()

    def take(self, code: str) -> None:
        self.history.append(dict(self.last))
        style, value = _code_value(code)
        self.last[style] = value
        if style in ("roman", "capital"):
            self.last.pop("letter", None)


def _prepare(text: str) -> list[str]:
    lines: list[str] = []
    for raw in text.split("\n"):
        line = clean_line(raw)
        if not line.strip():
            if line and lines and lines[-1] != BLANK:
                lines.append(BLANK)
            continue
        lines.append(line.rstrip())
    return lines


def rows_from_text(text: str, *, units: UnitBook, reads_deadline: ReadsDeadline) -> list[RawRow]:
    """The task rows of every task table found in `text` (empty when there is none)."""
    lines = _prepare(text)
    rows: list[RawRow] = []
    index = 0
    while index < len(lines):
        end = _header_end(lines, index) if _is_header_line(lines[index]) else None
        if end is None:
            index += 1
            continue
        header = [line for line in lines[index:end] if line != BLANK]
        if any("\t" in line for line in header):
            table_rows, index = _tab_rows(lines, header, end)
        else:
            prose = lines[:index]
            table_rows, index = _flow_rows(lines, header, end, units, reads_deadline, prose)
        rows.extend(table_rows)
    return rows


def first_header(text: str) -> list[str]:
    """The non-blank lines of the first task-table header in `text` ([] when there is none)."""
    lines = _prepare(text)
    for index, line in enumerate(lines):
        end = _header_end(lines, index) if _is_header_line(line) else None
        if end is not None:
            return [item for item in lines[index:end] if item != BLANK]
    return []


def _skip_repeated_header(lines: list[str], index: int) -> int | None:
    if _is_header_line(lines[index]):
        return _header_end(lines, index)
    return None


def _tab_columns(header: list[str]) -> list[Column | None]:
    width = max(len(line.split("\t")) for line in header)
    texts = [""] * width
    for line in header:
        for position, cell in enumerate(line.split("\t")):
            texts[position] = f"{texts[position]} {cell}".strip()
    columns: list[Column | None] = []
    for position, cell_text in enumerate(texts):
        sub = header[-1].split("\t")
        own = sub[position] if position < len(sub) and sub[position].strip() else cell_text
        column = column_of(own) or column_of(cell_text)
        columns.append(None if column is Column.GROUP else column)
    return columns


def _tab_rows(lines: list[str], header: list[str], start: int) -> tuple[list[RawRow], int]:
    columns = _tab_columns(header)
    table: list[_Row] = []
    index = start
    while index < len(lines):
        line = lines[index]
        if line == BLANK:
            index += 1
            continue
        repeated = _skip_repeated_header(lines, index)
        if repeated is not None:
            index = repeated
            continue
        if "\t" not in line:
            break
        cells = line.split("\t")
        first = cells[0].strip()
        if first and _CODE.match(first + " "):
            table.append(_Row(first))
        elif first or not table:
            break
        row = table[-1]
        for position, cell in enumerate(cells):
            column = columns[position] if position < len(columns) else None
            if column is None or column is Column.CODE or not cell.strip():
                continue
            row.cells[column] = join_lines([row.cells.get(column, ""), cell])
        index += 1
    return _with_sections(table, has_lead=Column.LEAD in columns), index


def _with_sections(table: list[_Row], *, has_lead: bool) -> list[RawRow]:
    """RawRows of the task rows, each under its heading; heading rows themselves are not tasks."""
    result: list[RawRow] = []
    headings: dict[tuple[str, tuple[int, ...]], str] = {}
    current: str | None = None
    current_code = ""
    restarts = _numbering_restarts(table)
    for index, row in enumerate(table):
        cells = row.cells
        following = table[index + 1] if index + 1 < len(table) else None
        is_heading = _is_heading(row, following)
        title = cells.get(Column.TITLE, "")
        if is_heading:
            current = f"{row.code} {title}".strip()
            current_code = row.code.rstrip(".")
            style, value = _code_value(row.code)
            headings[("number" if style == "roman" else style, value)] = current
            continue
        style, value = _code_value(row.code)
        section = current
        outer: list[str] = []
        if style == "number" and len(value) > 1:
            section = headings.get(("number", value[:-1]), current)
            found = (headings.get(("number", value[:size])) for size in range(1, len(value) - 1))
            outer = [text for text in found if text is not None and text != section]
        code = row.code
        if restarts and current_code:
            code = f"{current_code}.{code}"  # numbering restarts under each heading: "II.1"
        result.append(
            RawRow(
                code=code,
                title=title,
                section=section,
                sections=(*outer, section) if section else (),
                requirement=cells.get(Column.REQUIREMENT) or None,
                lead_text=cells.get(Column.LEAD, ""),
                coordinators_text=cells.get(Column.COORDINATORS, ""),
                deadline_text=cells.get(Column.DEADLINE, ""),
                problems=_problems(
                    title,
                    cells.get(Column.DEADLINE, ""),
                    cells.get(Column.LEAD, "") if has_lead else None,
                ),
            )
        )
    return result


def _is_heading(row: _Row, following: _Row | None) -> bool:
    """A row with nothing but a title, over a row numbered one level down or in another style:
    a row followed by its peer ("2" after "1") is a task whose other cells were not read."""
    payload = (Column.LEAD, Column.COORDINATORS, Column.DEADLINE, Column.REQUIREMENT)
    if any(row.cells.get(column) for column in payload):
        return False
    if following is None:
        return True  # a page number the numbering took for a row, or a heading over nothing
    style, value = _code_value(row.code)
    next_style, next_value = _code_value(following.code)
    return (style, len(value)) != (next_style, len(next_value))


def _numbering_restarts(table: list[_Row]) -> bool:
    """Whether a task number is printed twice (the numbering restarts under each heading)."""
    codes = [row.code for row in table]
    return len(set(codes)) < len(codes)


def _problems(title: str, deadline: str, lead: str | None) -> tuple[str, ...]:
    problems: list[str] = []
    if not title:
        problems.append(Problem.MISSING_TITLE)
    if not deadline:
        problems.append(Problem.MISSING_DEADLINE)
    if lead is not None and not lead:
        problems.append(Problem.MISSING_LEAD)
    return tuple(problems)


def _flow_rows(
    lines: list[str],
    header: list[str],
    start: int,
    units: UnitBook,
    reads_deadline: ReadsDeadline,
    prose: list[str],
) -> tuple[list[RawRow], int]:
    columns = columns_in_text(" ".join(header))
    numbering = _Numbering()
    blocks: list[_Row] = []
    preamble: list[str] = []
    index = start
    while index < len(lines):
        line = lines[index]
        repeated = _skip_repeated_header(lines, index)
        if repeated is not None:
            _drop_page_number(blocks, numbering)
            index = repeated
            continue
        match = _CODE.match(line)
        if _TABLE_END.match(line) and not (match and numbering.accepts(match["code"])):
            break  # the text after the table: a closing, a signature, the next part
        if match and numbering.accepts(match["code"]):
            numbering.take(match["code"])
            blocks.append(_Row(match["code"], [line[match.end() :]]))
        elif blocks:
            blocks[-1].lines.append(line)
        elif line != BLANK:
            preamble.append(line)
        index += 1
    score = CellScorer(units, terms=_prose_terms([*prose, *lines[index:]]))
    reads = lru_cache(maxsize=None)(reads_deadline)
    if _is_centred(blocks, reads):
        _read_centred_rows(blocks, preamble, columns, score, reads)
    else:
        for block in blocks:
            _read_flow_row(block, columns, score, reads)
    return _with_sections(blocks, has_lead=Column.LEAD in columns), index


def _prose_terms(lines: list[str]) -> frozenset[str]:
    """Upper-case words the text around the table uses at least twice (CCHC, TTHC, UBND)."""
    counts = Counter(
        word
        for line in lines
        for word in re.findall(r"\b[A-ZĐÀ-Ỹ]{2,}\b", line)
        if not line.startswith(("-", " -"))  # the Nơi nhận list names offices, not terms
    )
    return frozenset(word for word, count in counts.items() if count >= 2)


def _is_centred(blocks: list[_Row], reads: ReadsDeadline) -> bool:
    """Whether rows were extracted line by line with their short cells centred.

    Then a row's number shares its line with every one-line cell (the deadline last), and the
    lines of a wrapped title sit above and below that line, as many above as below.
    """
    ending = sum(_ends_with_deadline(block.lines[0], reads) for block in blocks)
    wrapped = sum(any(line != BLANK for line in block.lines[1:]) for block in blocks)
    return len(blocks) >= 2 and 2 * ending >= len(blocks) and wrapped > 0


def _ends_with_deadline(line: str, reads: ReadsDeadline) -> bool:
    words = line.split()
    return any(reads(" ".join(words[-count:])) for count in range(1, min(len(words), 6) + 1))


def _read_centred_rows(
    blocks: list[_Row],
    preamble: list[str],
    columns: list[Column],
    score: CellScorer,
    reads: ReadsDeadline,
) -> None:
    above = preamble
    for position, block in enumerate(blocks):
        following = [line for line in block.lines[1:] if line != BLANK]
        if position == len(blocks) - 1:
            below, above_next = following, []
        else:
            count = min(len(above), len(following))
            below, above_next = following[:count], following[count:]
        middle = _Row(block.code, block.lines[:1])
        _read_flow_row(middle, columns, score, reads, title_optional=bool(above or below))
        block.cells = middle.cells
        block.cells[Column.TITLE] = join_lines(
            [*above, middle.cells.get(Column.TITLE, ""), *below]
        )
        above = above_next


def _drop_page_number(blocks: list[_Row], numbering: _Numbering) -> None:
    """A lone number just before a repeated header is the page number, not the row's text."""
    if not blocks:
        return
    block = blocks[-1]
    while block.lines and not block.lines[-1].strip(BLANK + " "):
        block.lines.pop()
    if not block.lines:
        blocks.pop()  # the page number was taken for the next row's number
        numbering.undo()
    elif re.fullmatch(r"\s*\d{1,3}\s*", block.lines[-1]):
        block.lines.pop()


def _read_flow_row(
    row: _Row,
    columns: list[Column],
    score: CellScorer,
    reads_deadline: ReadsDeadline,
    *,
    title_optional: bool = False,
) -> None:
    tokens = tokens_of(row.lines)
    order: list[Column] = [column for column in columns if column is not Column.CODE]
    if not tokens:
        return
    if Column.TITLE not in order:
        order.insert(0, Column.TITLE)
    plan = cut_cells(tokens, order, score, reads_deadline, title_optional=title_optional)
    spans = dict(plan[1]) if plan else {}
    deadline_at = spans.get(Column.DEADLINE, (0, 0))
    no_deadline = not text_of(tokens[deadline_at[0] : deadline_at[1]])
    is_roman = _code_value(row.code)[0] == "roman"
    if plan is None or (no_deadline and (is_roman or plan[0] < 1.0)):
        row.cells[Column.TITLE] = text_of(tokens)  # a heading row: a number and a title
        return
    for column, span in plan[1]:
        text = text_of(tokens[span[0] : span[1]])
        if text:
            row.cells[column] = text
