"""A row's words cut into its cells when the extraction lost the columns.

The words of a row arrive in column order, with line breaks and, where a cell was empty, a line
holding only spaces (`BLANK`). `cut_cells` gives every column a contiguous, possibly empty
stretch of the words by a small dynamic programme: each stretch is scored for what its column
must hold (a deadline the grammar reads, a list of units known to the plan or looking like
units, free text) and for the layout (cells start lines, a blank line is an empty cell), and the
best total wins.
"""

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from plans.columns import Column
from plans.folding import word_key
from plans.units import (
    UnitBook,
    is_directive,
    special,
    split_units,
    starts_unit,
    strip_trailing_verbs,
)

_CONNECTORS = frozenset(  # compared with their diacritics: "tử" (điện tử) is not "từ"
    re.findall(
        r"\w+", "của và với theo các về cho đối tại trong được giữa số ngày những từ đến là thuộc"
    )
)
_DEADLINE_WORDS = frozenset(
    re.findall(
        r"\w+",
        "quy thang nam trong truoc cham nhat han ngay giai doan hang hang dinh ky thuong xuyen "
        "lien tuc tu den cuoi dau nhiem va cac tiep theo chi dao cua thanh pho tinh ke hoach "
        "huong dan cap tren nay moi lan khi co yeu cau dot xuat su hoan sau hien luc",
    )
)
_DEADLINE_TOKEN = re.compile(r"^[0-9ivx /.,;()\-–—:]+$")
_DEADLINE_STARTS = frozenset(
    re.findall(
        r"\w+",
        "quy thang nam trong truoc cham han ngay giai hang dinh thuong lien tu den cuoi dau "
        "nhiem theo sau khi dot moi",
    )
)
_UNITS = (Column.LEAD, Column.COORDINATORS)
_IMPOSSIBLE = float("-inf")
_LONGEST_TEXT = 400
_LONGEST = {Column.LEAD: 26, Column.COORDINATORS: 26, Column.DEADLINE: 16}
"""The most words (blank lines included) a cell of each kind holds; free text up to 400."""
_BARE_HEADS = frozenset(
    (
        "lanh dao",
        "phong",
        "cong chuc",
        "van phong",
        "bo phan",
        "trung tam",
        "ban",
        "tram",
        "uy ban",
    )
)

BLANK = "\x00"
"""A line that held only spaces: an empty cell."""

ReadsDeadline = Callable[[str], bool]


@dataclass(frozen=True, slots=True)
class Token:
    """One word of a row (or `BLANK`), and whether it begins a line."""

    word: str
    starts_line: bool


def tokens_of(lines: list[str]) -> list[Token]:
    """The words of a row's lines, each knowing whether it starts a line; blank lines kept."""
    tokens: list[Token] = []
    for line in lines:
        if line == BLANK:
            tokens.append(Token(BLANK, True))
            continue
        for position, word in enumerate(line.split()):
            tokens.append(Token(word, position == 0))
    while tokens and tokens[-1].word == BLANK:
        tokens.pop()
    while tokens and tokens[0].word == BLANK:
        tokens.pop(0)
    return tokens


def text_of(tokens: Sequence[Token]) -> str:
    """The words as one cell's text: a space between, none after a line-end hyphen."""
    text = ""
    for token in tokens:
        if token.word == BLANK:
            continue
        attach = token.starts_line and text.endswith("-") and len(text) > 1
        if attach and not text[-2].isspace():
            text += token.word
        else:
            text = f"{text} {token.word}" if text else token.word
    return text


def _is_deadline_word(word: str) -> bool:
    key = word_key(word)
    if not key or _DEADLINE_TOKEN.match(key):
        return True
    letters = re.findall(r"[a-z]+", key)
    return bool(letters) and all(part in _DEADLINE_WORDS for part in letters)


Span = tuple[int, int]
"""A stretch of a row's words: [start, end)."""
Cut = tuple[float, list[tuple[Column, Span]]]
"""The score of a cut and each column's stretch, in column order."""


def cut_cells(
    tokens: list[Token],
    columns: list[Column],
    score: "CellScorer",
    reads_deadline: ReadsDeadline,
    *,
    title_optional: bool = False,
) -> Cut | None:
    """The best cut of `tokens` into `columns` (in that order), or None when nothing fits."""
    return _Segmenter(tokens, columns, score, reads_deadline, title_optional=title_optional).best()


class _Segmenter:
    """The best cut of a row's words into its columns, in the header's order.

    Every column gets a contiguous, possibly empty stretch of words; each stretch is scored by
    what it must read as (a deadline the grammar reads, a unit list, free text) and by the
    layout (cells start lines; a line of spaces is an empty cell).
    """

    def __init__(
        self,
        tokens: list[Token],
        columns: list[Column],
        score: "CellScorer",
        reads_deadline: ReadsDeadline,
        *,
        title_optional: bool = False,
    ) -> None:
        self.tokens = tokens
        self.title_optional = title_optional
        self.columns = columns
        self.score = score
        self.reads_deadline = reads_deadline
        last = len(tokens)
        self.cuts = (
            [0]
            + [
                position
                for position in range(1, last)
                if tokens[position].word == BLANK
                or tokens[position - 1].word == BLANK
                or _may_start_cell(tokens, position)
                or _may_start_deadline(tokens[position].word)
            ]
            + [last]
        )
        self.memo: dict[tuple[int, int], Cut] = {}

    def best(self) -> Cut | None:
        """The best total score and the stretch of each column, or None when nothing fits."""
        value, spans = self._from(0, 0)
        return None if value == _IMPOSSIBLE else (value, spans)

    def _from(self, column: int, start: int) -> Cut:
        key = (column, start)
        if key in self.memo:
            return self.memo[key]
        last = len(self.tokens)
        result: Cut = (_IMPOSSIBLE, [])
        if column == len(self.columns):
            result = (0.0 if start == last else _IMPOSSIBLE, [])
        else:
            kind = self.columns[column]
            longest = _LONGEST.get(kind, _LONGEST_TEXT)
            first = bisect_left(self.cuts, start)
            for end in self.cuts[first:]:
                if end - start > longest:
                    break  # the cuts are in order: every later stretch is longer still
                value = self._span(kind, start, end)
                if value == _IMPOSSIBLE:
                    continue
                rest, spans = self._from(column + 1, end)
                if value + rest > result[0]:
                    result = (value + rest, [(kind, (start, end)), *spans])
        self.memo[key] = result
        return result

    def _span(self, column: Column, start: int, end: int) -> float:
        tokens = self.tokens[start:end]
        words = [token for token in tokens if token.word != BLANK]
        if not words:
            return self._empty(column, absorbs_blank=bool(tokens))
        if tokens[0].word == BLANK:
            return _IMPOSSIBLE
        penalty = -3.0 if len(words) < len(tokens) else 0.0  # a blank inside: a missing cell
        text = text_of(tokens)
        if column is Column.DEADLINE:
            return penalty + self._deadline(tokens, text, start)
        if column in _UNITS:
            if len(words) > 24 or (start and not _may_start_cell(self.tokens, start)):
                return _IMPOSSIBLE
            value = self.score.cell(text) + _layout_score(self.tokens, start, end)
            if column is Column.COORDINATORS and is_directive(text):
                value -= 1.5  # "Theo chỉ đạo của …" stands in the lead column
            return penalty + value
        return penalty + self._free_text(column, start, text)

    def _empty(self, column: Column, *, absorbs_blank: bool) -> float:
        value = {
            Column.TITLE: 0.0 if self.title_optional else _IMPOSSIBLE,
            Column.LEAD: -4.0,
            Column.DEADLINE: -3.0,
            Column.REQUIREMENT: -0.5,
        }.get(column, 0.0)
        return value + (1.0 if absorbs_blank and value != _IMPOSSIBLE else 0.0)

    def _deadline(self, tokens: list[Token], text: str, start: int) -> float:
        if len(tokens) > 14 or not _may_start_deadline(tokens[0].word):
            return _IMPOSSIBLE
        opens_cell = tokens[0].starts_line or (start > 0 and self.tokens[start - 1].word == BLANK)
        if not opens_cell and tokens[0].word[:1].islower():
            return _IMPOSSIBLE  # a cell begins with a capital unless it begins a line
        if not all(_is_deadline_word(token.word) for token in tokens):
            return _IMPOSSIBLE
        if not self.reads_deadline(text):
            return -6.0
        for index, token in enumerate(tokens[1:], start=1):
            if word_key(token.word) == "theo" and any(
                self.reads_deadline(text_of(tokens[later:]))
                for later in range(index + 1, len(tokens))
            ):
                return _IMPOSSIBLE  # "Theo kế hoạch của thành phố" before "Năm 2022": a lead
        return 4.0 + 0.2 * len(tokens)

    def _free_text(self, column: Column, start: int, text: str) -> float:
        if start and not _may_start_cell(self.tokens, start):
            return _IMPOSSIBLE
        value = -3.0 if _is_connector(text.split()[-1]) else 0.0
        last_word = text.split()[-1]
        if last_word.isupper() and len(last_word) > 1 and last_word not in self.score.terms:
            value -= 1.0  # an initialism ending the text more likely opens the next cell
        if text.endswith(","):
            value -= 1.0
        if column is Column.NOTE:
            value -= 1.0
        return value


def _is_connector(word: str) -> bool:
    return word.casefold().strip(",;:") in _CONNECTORS


def _may_start_deadline(word: str) -> bool:
    key = word_key(word)
    return key[:1].isdecimal() or key.split(" ")[0] in _DEADLINE_STARTS


def _may_start_cell(tokens: list[Token], position: int) -> bool:
    token = tokens[position]
    if token.word == BLANK:
        return False
    if tokens[position - 1].word == BLANK or token.starts_line:
        return True
    word = token.word
    return word[:1].isupper() or word_key(word) in ("cac", "cong", "can")


class CellScorer:
    """How much a stretch of text reads as a lead or coordinator cell (memoised per text)."""

    def __init__(self, units: UnitBook, *, terms: frozenset[str] = frozenset()) -> None:
        self.units = units
        self.terms = terms  # upper-case words the prose uses as terms (CCHC, TTHC), not names
        self.cell = lru_cache(maxsize=None)(self._cell)

    def _cell(self, text: str) -> float:
        if _is_connector(text.split()[-1]) or text.endswith((",", "-", "–")):
            return -3.0
        if is_directive(text):
            return 2.0 if text[:1].isupper() else -3.0
        if not (text[:1].isupper() or word_key(text).startswith(("cac ", "cong chuc", "can bo"))):
            return -3.0
        whole = special(text)
        if whole is not None:
            return 3.5
        parts = split_units(text, self.units)
        scores = [self._part(strip_trailing_verbs(part)) for part in parts]
        if not scores or min(scores) < 0:
            return -3.0
        return sum(scores) / len(scores) + 0.5 - 0.25 * (len(scores) - 1)

    def _part(self, part: str) -> float:
        if special(part):
            return 3.0
        if self.units.find(part) is not None:
            return 3.0
        if re.search(r"\b(19|20)\d\d\b", part):
            return -3.0  # a year belongs to a title or a deadline, not to a unit's name
        if re.search(r"\s(theo|được|để|nhằm)\s", part, re.IGNORECASE):
            return -3.0  # a clause of a sentence, not a name
        if word_key(part) in _BARE_HEADS:
            return -3.0  # "Lãnh đạo", "Phòng": a name cut short
        first = part.split()[0] if part.split() else ""
        if first in self.terms:
            return 0.0  # "CCHC …": a term of the prose opens no unit's name
        if len(first) > 1 and first.replace("-", "").isupper():
            return 1.0
        lowered = word_key(part)
        heads = (
            "cong chuc",
            "phong ",
            "van phong",
            "bo phan",
            "tram ",
            "trung tam",
            "ban ",
            "lanh dao",
            "ubnd",
            "uy ban",
            "dang uy",
            "cac ",
            "hoi ",
            "doan ",
            "cong an",
            "truong ",
            "to ",
            "thuong truc",
            "chu tich",
            "mat tran",
            "so ",
            "cc ",
        )
        if lowered.startswith(heads) and len(part.split()) <= 12:
            return 1.0
        return -3.0


def _layout_score(body: list[Token], start: int, end: int) -> float:
    """How well a cell's lines fit: it starts a line, and no later line starts another unit."""
    first = body[start]
    value = 1.5 if first.starts_line or body[start - 1].word == BLANK else 0.0
    if (
        not value
        and first.word[:1].islower()
        and word_key(first.word) not in ("cac", "cong", "can")
    ):
        value -= 2.0
    for token in body[start + 1 : end]:
        if token.starts_line and token.word[:1].isupper() and _starts_unit_word(body, token):
            value -= 2.0
    return value


def _starts_unit_word(body: list[Token], token: Token) -> bool:
    index = body.index(token)
    text = " ".join(t.word for t in body[index : index + 3] if t.word != BLANK)
    return starts_unit(text) and not text.split()[0].isupper()
