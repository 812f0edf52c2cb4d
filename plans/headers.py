"""The task table's own column headers, in the plan's order, as the plan prints them.

Reports fill in the plan's own table, so the import keeps each column's label ("Bộ phận CBCC
chủ trì", "Thời gian hoàn thành chậm nhất") with what the column holds. A ruled table (.docx,
.xlsx, PDF) gives its header cells; a tab-separated extraction gives its cells per tab; a
flowing extraction gives the header's lines, which are cut into labels where a column's words
start: a line without a column's words that starts in lower case continues the label above it
("hoàn thành" under "Thời gian"), one that starts in capitals opens the next label ("Bộ phận"
over "CBCC chủ trì"), and the lines before the first column named are the number's label
("Số", "TT"). When the cut does not give the columns the rows were read with, nothing is kept
and reports print standard headers.
"""

from collections.abc import Sequence
from itertools import pairwise

from plans.columns import Column
from plans.draft import TableColumn
from plans.extracted import column_of, columns_in_text, first_header
from plans.source import Grid
from plans.tabular import classify, find_header, join_cell_lines


def columns_from_grid(grid: Grid) -> tuple[TableColumn, ...]:
    """The labelled columns of a ruled table's header, left to right (lowest label wins)."""
    header = find_header(grid)
    if header is None:
        return ()
    found: list[TableColumn] = []
    for role, index in sorted(header.columns.items(), key=lambda item: item[1]):
        cells = [join_cell_lines(row[index]) for row in grid[: header.rows] if index < len(row)]
        named = [cell for cell in cells if cell and classify(cell) is role]
        if named:
            found.append(TableColumn(role=role.value, label=named[-1]))
    return tuple(found)


def columns_from_text(text: str) -> tuple[TableColumn, ...]:
    """The labelled columns of the first task table of an extracted text, or () when unsure."""
    lines = first_header(text)
    if not lines:
        return ()
    if any("\t" in line for line in lines):
        return _tabbed(lines)
    return _flowing(lines)


def _tabbed(lines: Sequence[str]) -> tuple[TableColumn, ...]:
    width = max(len(line.split("\t")) for line in lines)
    merged = [""] * width
    for line in lines:
        for position, cell in enumerate(line.split("\t")):
            merged[position] = f"{merged[position]} {cell.strip()}".strip()
    bottom = lines[-1].split("\t")
    found: list[TableColumn] = []
    for position, whole in enumerate(merged):
        own = bottom[position].strip() if position < len(bottom) else ""
        label = own or whole
        column = column_of(label) or column_of(whole)
        if column is None or column is Column.GROUP or not label:
            continue
        found.append(TableColumn(role=column.value, label=label))
    return tuple(found)


def _flowing(lines: Sequence[str]) -> tuple[TableColumn, ...]:
    segments = [segment for line in lines for segment in _split_at_columns(line)]
    labels: list[tuple[Column, list[str]]] = []
    waiting: list[str] = []
    for segment in segments:
        column = _column(segment)
        if column is None:
            if segment[:1].islower() and labels:
                labels[-1][1].append(segment)
            else:
                waiting.append(segment)
            continue
        if labels and labels[-1][0] is column and not waiting:
            labels[-1][1].append(segment)
        else:
            labels.append((column, [*waiting, segment]))
        waiting = []
    if waiting and labels:
        labels[-1][1].extend(waiting)
    expected = columns_in_text(" ".join(lines))
    if labels and labels[0][0] is not Column.CODE and expected[:1] == [Column.CODE]:
        first_words = labels[0][1]
        opening = [part for part in first_words if _column(part) is None]
        if opening:
            labels[0] = (labels[0][0], first_words[len(opening) :])
            labels.insert(0, (Column.CODE, opening))
    if [column for column, _ in labels] != expected:
        return ()
    return tuple(TableColumn(role=column.value, label=" ".join(parts)) for column, parts in labels)


def _column(text: str) -> Column | None:
    column = column_of(text)
    return None if column is Column.GROUP else column


def _split_at_columns(line: str) -> list[str]:
    """`line` cut before each word where a different column's words start ("STT Nhiệm vụ")."""
    words = line.split()
    cuts = [0]
    current = None
    for index in range(len(words)):
        column = _column(" ".join(words[index : index + 2]))
        if column is None:
            continue
        if current is not None and column is not current and index > cuts[-1]:
            before = _column(" ".join(words[index - 1 : index + 1]))
            if before is not column:
                cuts.append(index)
        current = column
    cuts.append(len(words))
    return [" ".join(words[a:b]) for a, b in pairwise(cuts) if b > a]
