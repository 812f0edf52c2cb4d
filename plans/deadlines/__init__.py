"""The Vietnamese deadline grammar: a plan's "Thời gian hoàn thành" phrase becomes a `Deadline`.

The phrase is folded and cut into tokens (`tokens`), read by a small recursive-descent grammar
(`grammar` for the whole phrase, `periods` for quarters, months, years and days, `cadences` for
"hằng quý" and the like, over a `cursor`), and the meaning becomes the `Deadline` value (`value`).
Semantics: `docs/spec/deadlines.md`; a period without a day ends on its last day. Speed:
`bench/deadlines.py` (>= 50x dateparser without the cache).

Decisions the spec leaves open:
- A phrase with no year in a plan of several years (or of none) is `unrecognised` with due None
  and the single flag `ambiguous_year` (not `unrecognised_deadline`): the phrase is understood,
  only its year is not, and the importer asks instead of guessing. One plan year is used as is.
- Recurring deadlines start on 1 January of the plan's first year; `due` is the last occurrence;
  with no plan years they have no dates. Weekly ones with no weekday fall on Friday.
- "Cuối năm 2026" keeps the year as its window, like "Cuối tháng 8/2025" in the spec; "đến",
  "hết", "trước" and "các tháng cuối" give no window start.
- "Từ <period>" is ongoing, except over a span ("từ quý I - II/2025", "từ tháng 3 đến tháng 6"),
  which is fixed from its start to its end.
- Words the grammar does not know make the phrase unrecognised ("đầu tháng 6", "sớm"), except
  trailing words from "theo", "tùy", "căn cứ" or a bracket on, which become the note.
- A yearly reading of a quarterly phrase (seed 003's "báo cáo năm") needs the sentence around
  it: the importer replaces the recurrence, and `occurrences()` then keeps each year's last day.
"""

import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from plans.deadlines.cursor import Cursor
from plans.deadlines.dates import NoMatch
from plans.deadlines.fast_path import plain_period
from plans.deadlines.grammar import TRAILING, Meaning, find_note, phrase
from plans.deadlines.tokens import fold_tokens, token_starts, tokenise
from plans.deadlines.value import (
    Deadline,
    DeadlineFlag,
    DeadlineKind,
    Recurrence,
    RecurringDays,
)
from plans.folding import fold_characters, original_offset

__all__ = [
    "Deadline",
    "DeadlineFlag",
    "DeadlineKind",
    "Recurrence",
    "RecurringDays",
    "clear_cache",
    "fold_tokens",
    "parse_deadline",
    "parse_uncached",
]


def parse_deadline(
    text: str, *, plan_years: Sequence[int], issued: date | None = None
) -> Deadline:
    """Read a deadline phrase of a plan covering `plan_years`, issued on `issued`."""
    # A plan repeats its phrases ("Trong năm 2025" 41 times in seed 002) and a deadline is an
    # immutable value: each distinct phrase of a plan is read once.
    return _parse_cached(text, tuple(sorted(set(plan_years))), issued)


def parse_uncached(text: str, years: tuple[int, ...], issued: date | None) -> Deadline:
    """`parse_deadline` without the cache, for sorted distinct `years` (the benchmark's)."""
    folded = fold_characters(text)
    tokens = tokenise(folded)
    if not tokens:
        return _unrecognised(text)
    try:
        meaning, note_at = _read(tokens, years)
    except NoMatch:
        return _unrecognised(text)
    if meaning.year_missing and len(years) != 1:
        return Deadline(text, DeadlineKind.UNRECOGNISED, flags=(DeadlineFlag.AMBIGUOUS_YEAR,))
    note = None
    if note_at is not None:
        note = _note_text(text, original_offset(text, token_starts(folded)[note_at]))
    flags: tuple[str, ...] = ()
    if issued is not None and meaning.due is not None and meaning.due < issued:
        flags = (DeadlineFlag.BEFORE_PLAN_DATE,)
    return Deadline(
        text,
        meaning.kind,
        meaning.due,
        meaning.starts,
        meaning.recurrence,
        note,
        flags,
        meaning.schedule,
    )


def _read(tokens: list[str], years: tuple[int, ...]) -> tuple[Meaning, int | None]:
    """The meaning of the phrase and the token its note starts at; `NoMatch` if not understood.

    The commonest phrases, alone or before a note, take the fast path; the grammar reads the
    rest, the whole phrase first and, failing that, what comes before a note.
    """
    plain = plain_period(tokens)
    if plain is not None:
        return plain, None
    note_at = find_note(tokens)
    head = tokens if note_at is None else tokens[:note_at]
    while head and head[-1] in TRAILING:
        head = head[:-1]
    if note_at is not None and head:
        plain = plain_period(head)  # the grammar cannot read it whole: a note follows a period
        if plain is not None:
            return plain, note_at
    try:
        return phrase(Cursor(tokens, years)), None
    except NoMatch:
        if note_at is None or not head:
            raise
    return phrase(Cursor(head, years)), note_at


_parse_cached = lru_cache(maxsize=4096)(parse_uncached)


def clear_cache() -> None:
    """Forget the phrases read so far (the benchmark starts each round cold)."""
    _parse_cached.cache_clear()


def _note_text(text: str, offset: int) -> str | None:
    note = " ".join(unicodedata.normalize("NFC", text[offset:]).split())
    while note.startswith("(") and note.endswith(")"):
        note = note[1:-1].strip()
    return note or None


def _unrecognised(text: str) -> Deadline:
    return Deadline(text, DeadlineKind.UNRECOGNISED, flags=(DeadlineFlag.UNRECOGNISED,))
