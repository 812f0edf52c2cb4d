"""The columns of a plan's task table and the header words that name them, for every reader.

A ruled table (`plans/tabular.py`) compares a header cell's words with these and
`CELL_ONLY_WORDS`; a text extraction (`plans/extracted.py`) finds them in its header lines. The
list is read in order: the first column whose words a header holds is the one it names ("Cơ
quan chủ trì, phối hợp" is a lead column, "Thời gian hoàn thành" a deadline, "Phân công nhiệm
vụ" the group over lead and coordinators). Words are compared after `plans.folding.word_key`.
"""

from enum import StrEnum
from typing import Final


class Column(StrEnum):
    """What a column of the task table holds."""

    CODE = "code"
    TITLE = "title"
    REQUIREMENT = "requirement"
    LEAD = "lead"
    COORDINATORS = "coordinators"
    DEADLINE = "deadline"
    NOTE = "note"
    GROUP = "group"


COLUMN_WORDS: Final[tuple[tuple[Column, tuple[str, ...]], ...]] = (
    (
        Column.LEAD,
        (
            "chu tri",
            "phu trach",
            "don vi thuc hien",
            "co quan thuc hien",
            "bo phan thuc hien",
            "nguoi thuc hien",
            "can bo thuc hien",
            "trach nhiem thuc hien",
            "dau moi",
            "tham muu",
        ),
    ),
    (Column.COORDINATORS, ("phoi hop",)),
    (
        Column.DEADLINE,
        (
            "thoi gian",
            "thoi han",
            "tien do",
            "han hoan thanh",
            "ngay hoan thanh",
            "thoi diem",
            "lo trinh",
            "moc thoi",
        ),
    ),
    (Column.REQUIREMENT, ("yeu cau", "san pham", "ket qua dau ra")),
    (Column.NOTE, ("ghi chu",)),
    (Column.GROUP, ("phan cong",)),
    (Column.CODE, ("stt", "so tt", "so thu tu")),
    (
        Column.TITLE,
        (
            "noi dung",
            "nhiem vu",
            "linh vuc",
            "tieu chi",
            "cong viec",
            "hoat dong",
            "ten de an",
            "giai phap",
            "ten ",
        ),
    ),
    (Column.DEADLINE, ("hoan thanh",)),  # last: "Kết quả hoàn thành" is a requirement
)

CELL_ONLY_WORDS: Final[dict[Column, tuple[str, ...]]] = {
    Column.REQUIREMENT: ("ket qua", "chi tieu", "muc tieu"),
    Column.TITLE: ("danh muc",),
}
"""Words that name a column only as a header cell of their own: inside a flowing header line
they also occur in other labels ("Nội dung, chỉ tiêu"; "Danh mục" ends a table)."""

CODE_CELLS: Final = frozenset({"stt", "tt", "s tt", "so tt", "so thu tu", "thu tu", "ma so", "so"})
"""Whole header cells that name the number column in a ruled table ("TT", "Số" alone; inside a
header line only the words of `COLUMN_WORDS` name it)."""
