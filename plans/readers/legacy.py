"""Text typed in an old Vietnamese font encoding (TCVN3 ".VnTime", VNI) instead of Unicode.

Such text reads as "KÕ ho¹ch" or "Keá hoaïch": the letters only look right in their old font.
Vietnamese in Unicode uses letters beyond Latin-1 (ă, đ, ơ, ư, ạ … ỹ) in about one letter in
five; legacy text has almost none, and instead Latin-1 symbols (TCVN3) or accented Latin-1
letters (VNI) where the Vietnamese letters should be.
"""

from typing import Final

MIN_LETTERS: Final = 40
SAMPLE_CHARS: Final = 100_000


def is_legacy_vietnamese(text: str) -> bool:
    """Whether `text` looks like Vietnamese typed in TCVN3 or VNI rather than Unicode."""
    sample = text[:SAMPLE_CHARS]
    letters = sum(1 for char in sample if char.isalpha())
    if letters < MIN_LETTERS:
        return False
    vietnamese = sum(
        1 for char in sample if "\u0100" <= char <= "\u01b0" or "\u1ea0" <= char <= "\u1ef9"
    )
    symbols = sum(1 for char in sample if "\u00a1" <= char <= "\u00bf")
    latin = sum(1 for char in sample if "\u00c0" <= char <= "\u00ff")
    if vietnamese > 0.02 * letters:
        return False
    return symbols > 0.03 * letters or latin > 0.08 * letters
