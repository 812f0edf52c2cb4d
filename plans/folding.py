"""Folding Vietnamese text for matching, three ways, each for its own use.

- `fold`: the matching key of names and chat replies (stored as `UnitAlias.folded`): case,
  diacritics, đ, dash variants and spacing do not count.
- `word_key`: the words of a label or a unit name, compared word by word: punctuation does not
  count either, and "&" reads as "và".
- `fold_characters`: each character folded on its own, spaces kept as they are, so that a place
  in the folded text leads back to the original (`original_offset`: the deadline grammar's
  notes, the reason after "vướng:" in a chat reply).
"""

import re
import unicodedata
from functools import lru_cache

_DASH_RUNS = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D-]+")
_SPACE_RUNS = re.compile(r"\s+")
_WORD_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_PUNCTUATION = re.compile(r"[^\w\s]")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d")
_SLASHES = frozenset("\u2044\u2215\u29f8\uff0f")
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def _bare(text: str) -> str:
    """Case-folded, without diacritics, đ as d."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("đ", "d")


def fold(text: str) -> str:
    """A matching key: case-folded, diacritics and đ folded, dashes unified, spaces collapsed.

    >>> fold("Công chức Văn hóa – Xã hội")
    'cong chuc van hoa - xa hoi'
    """
    return _SPACE_RUNS.sub(" ", _DASH_RUNS.sub("-", _bare(text))).strip()


@lru_cache(maxsize=4096)
def word_key(text: str) -> str:
    """The words only: case, diacritics, đ, dashes, punctuation and "&"/"và" do not count.

    >>> word_key("Thời gian hoàn thành (ngày/tháng) & ghi chú")
    'thoi gian hoan thanh ngay thang va ghi chu'
    """
    stripped = _bare(text).replace("&", " va ")
    stripped = _PUNCTUATION.sub(" ", _WORD_DASHES.sub(" ", stripped))
    return _SPACE_RUNS.sub(" ", stripped).strip()


def _fold_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _DASHES:
        return "-"
    if char in _SLASHES:
        return "/"
    if char.isspace():
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    base = base.replace("đ", "d")
    if len(base) == 1 or base == char:
        return base
    return "".join(_fold_char(c) if c != char else c for c in base)


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def fold_characters(text: str) -> str:
    """Each character folded on its own: "Quý II–2025" -> "quy ii-2025" (spaces kept)."""
    return text.translate(_FOLD)


def folded_length(char: str) -> int:
    """How many characters `char` folds to by `fold_characters` (none for a soft hyphen)."""
    return len(_FOLD[ord(char)])


def original_offset(text: str, folded_offset: int) -> int:
    """The index in `text` of the character that folded to position `folded_offset`."""
    if folded_offset == 0:
        return 0
    if (
        folded_offset <= len(text)
        and len(fold_characters(text[:folded_offset])) == folded_offset
        and folded_length(text[folded_offset - 1])
    ):
        return folded_offset  # every character before it folded to one (NFC Vietnamese)
    seen = 0
    for index, char in enumerate(text):
        if seen >= folded_offset:
            return index
        seen += folded_length(char)
    return len(text)
