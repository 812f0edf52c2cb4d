"""Roman numerals as plans write them, read and written: section numbers ("II.", "IV") and
quarters ("Quý III"); and a section heading's number (Roman, Arabic or a letter) split from
its words."""

import re
from typing import Final

ROMAN_PATTERN = r"(?=[IVXLC])C{0,3}(?:X[CL]|L?X{0,3})(?:I[XV]|V?I{0,3})"
"""A well-formed numeral up to CCCXCIX in capitals (D and M are letters in a plan)."""
_NUMERAL = re.compile(ROMAN_PATTERN, re.IGNORECASE)
_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
QUARTER_NUMBERS: Final = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
"""A quarter's number as written after "quý" (folded: "ii" or "2"), the one table of it."""
QUARTER_PATTERN: Final = (
    r"\bquy (" + "|".join(sorted(QUARTER_NUMBERS, key=len, reverse=True)) + r")\b"
)
"""'Quý' and a quarter's number in folded text; group 1 is the number (`QUARTER_NUMBERS`)."""
_SECTION_HEADING: Final = re.compile(
    r"\s*(?P<code>[IVXLC]+|\d+(?:\.\d+)*|[A-Z])\s*[.):]?\s+(?P<words>.*)", re.DOTALL
)
_LETTERS: Final = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
    (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman_value(numeral: str) -> int | None:
    """The value of a well-formed Roman numeral in either case ("IV", "xii"), else None."""
    if not _NUMERAL.fullmatch(numeral):
        return None
    digits = [_VALUES[char] for char in numeral.lower()]
    following = [*digits[1:], 0]
    pairs = zip(digits, following, strict=True)
    return sum(-value if value < after else value for value, after in pairs)


def roman(value: int) -> str:
    """`value` (1 or more) in Roman numerals, in capitals, as plans write a quarter ("Quý II")
    or a section ("IV."): 2 → "II", 1994 → "MCMXCIV"."""
    numeral = ""
    for amount, letters in _LETTERS:
        count, value = divmod(value, amount)
        numeral += letters * count
    return numeral


def section_heading(text: str) -> tuple[str, str] | None:
    """A section heading's number and its words: ("II", "Nhiệm vụ …") for "II. Nhiệm vụ …",
    ("2.1", "…") for "2.1 …", ("A", "…") for "A) …"; None when it starts with no number."""
    found = _SECTION_HEADING.match(text)
    return None if found is None else (found["code"], found["words"])
