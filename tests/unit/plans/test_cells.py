"""A row's words cut into its columns: deadline by the grammar, units by what the plan knows."""

from plans.cells import BLANK, CellScorer, cut_cells, text_of, tokens_of
from plans.columns import Column
from plans.units import UnitBook

COLUMNS = [Column.TITLE, Column.LEAD, Column.COORDINATORS, Column.DEADLINE]


def _reads(text: str) -> bool:
    return text in {"Quý I/2025", "Năm 2025", "Giai đoạn 2021 - 2025", "2021 - 2025", "2025"}


def _cut(lines: list[str], *units: str) -> dict[Column, str]:
    book = UnitBook()
    for name in units:
        book.define(name)
    tokens = tokens_of(lines)
    cut = cut_cells(tokens, COLUMNS, CellScorer(book), _reads)
    assert cut is not None
    return {column: text_of(tokens[start:end]) for column, (start, end) in cut[1]}


def test_words_keep_their_line_starts_and_blank_lines() -> None:
    tokens = tokens_of(["CC Tư pháp-", "HT", BLANK, "Năm 2025", BLANK])

    assert [(token.word, token.starts_line) for token in tokens] == [
        ("CC", True),
        ("Tư", False),
        ("pháp-", False),
        ("HT", True),
        (BLANK, True),
        ("Năm", True),
        ("2025", False),
    ]
    assert text_of(tokens) == "CC Tư pháp-HT Năm 2025"


def test_known_units_and_the_grammar_cut_a_single_line() -> None:
    cells = _cut(
        ["Rà soát thủ tục CCVHXH các CBCC có liên quan Quý I/2025"], "Công chức Văn hóa - xã hội"
    )

    assert cells == {
        Column.TITLE: "Rà soát thủ tục",
        Column.LEAD: "CCVHXH",
        Column.COORDINATORS: "các CBCC có liên quan",
        Column.DEADLINE: "Quý I/2025",
    }


def test_the_longest_deadline_the_grammar_reads_wins_and_a_blank_line_is_an_empty_cell() -> None:
    cells = _cut(
        ["Đầu tư bộ phận một cửa", "Lãnh đạo UBND", "phường", BLANK, "Giai đoạn", "2021 - 2025"]
    )

    assert cells == {
        Column.TITLE: "Đầu tư bộ phận một cửa",
        Column.LEAD: "Lãnh đạo UBND phường",
        Column.COORDINATORS: "",
        Column.DEADLINE: "Giai đoạn 2021 - 2025",
    }


def test_nothing_fits_a_row_without_words() -> None:
    assert cut_cells([], COLUMNS, CellScorer(UnitBook()), _reads) is None
