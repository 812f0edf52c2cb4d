"""Folding Vietnamese text for matching: case, diacritics, đ, dashes and spaces do not count."""

import re
import unicodedata

_DASHES = re.compile(r"[\u2010-\u2015\u2212\uFE58\uFE63\uFF0D-]+")
_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """A matching key: NFC, case-folded, diacritics and đ folded, dashes unified, spaces collapsed.

    >>> fold("Công chức Văn hóa – Xã hội")
    'cong chuc van hoa - xa hoi'
    """
    decomposed = unicodedata.normalize("NFD", text.casefold())
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "d")
    stripped = _DASHES.sub("-", stripped)
    return _SPACES.sub(" ", stripped).strip()
