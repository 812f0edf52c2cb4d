"""The deadline grammar's parts: tokens, offsets back into the text, and the fast path."""

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.deadlines.cursor import Cursor
from plans.deadlines.dates import NoMatch
from plans.deadlines.fast_path import plain_period
from plans.deadlines.grammar import find_note, phrase
from plans.deadlines.periods import day, half_year, span, year_only, year_range
from plans.deadlines.tokens import token_starts, tokenise
from plans.folding import fold_characters, original_offset


def _offset_char_by_char(text: str, folded_offset: int) -> int:
    seen = 0
    for index, char in enumerate(text):
        if seen >= folded_offset:
            return index
        seen += len(fold_characters(char))
    return len(text)


_TRICKY = st.text(
    alphabet=st.sampled_from([*"Năm 2025 (theo hướng dẫn)QII", "\u0301", "\u00ad", "ﬁ", "ß"])
)


@given(_TRICKY)
def test_original_offset_is_the_character_by_character_answer(text: str) -> None:
    folded = fold_characters(text)
    for offset in range(len(folded) + 2):
        assert original_offset(text, offset) == _offset_char_by_char(text, offset)


def test_original_offset_skips_what_folds_to_nothing() -> None:
    text = unicodedata.normalize("NFD", "Năm 2025 theo")
    folded = fold_characters(text)
    assert original_offset(text, folded.index("theo")) == text.index("theo")


@pytest.mark.parametrize(
    ("text", "tokens", "starts"),
    [
        ("qii/2025", ["quy", "ii", "/", "2025"], [0, 1, 3, 4]),
        ("quy ii", ["quy", "ii"], [0, 4]),
        ("q3 (quyet)", ["quy", "3", "(", "quyet", ")"], [0, 1, 3, 4, 9]),
        ("ngay 9 (chin) thang 10", ["ngay", "9", "thang", "10"], [0, 5, 14, 20]),
        ("ngày 9 (chín)", ["ngay", "9"], [0, 5]),
    ],
)
def test_tokens_and_their_starts(text: str, tokens: list[str], starts: list[int]) -> None:
    folded = fold_characters(text)
    assert tokenise(folded) == tokens
    assert token_starts(folded) == starts


def test_number_words_go_after_digits_only() -> None:
    tokens = tokenise("ngay 09 (chin) (chin) thang (muoi) 10 (muoi) (theo)")
    assert tokens == ["ngay", "09", "thang", "(", "muoi", ")", "10", "(", "theo", ")"]


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("6 thang dau nam 2025", half_year),
        ("6 / 7 / 2025", day),
        ("2021 - 2025", year_range),
        ("2025", year_only),
        ("15 / 7", day),
    ],
)
def test_a_span_is_read_by_the_rule_its_head_calls_for(text: str, rule: object) -> None:
    by_span, by_rule = Cursor(text.split(), (2025,)), Cursor(text.split(), (2025,))
    assert span(by_span) == rule(by_rule)  # type: ignore[operator]
    assert by_span.pos == by_rule.pos == len(text.split())


_PLAIN_WORDS = st.sampled_from(
    [
        *("", "ngay", "truoc", "truoc ngay", "cham nhat ngay", "cham nhat la ngay", "trong nam"),
        *("nam", "quy", "thang", "tu", "den", "6", "dinh ky", "ngay ngay", "den nam", "tu nam"),
        *("giai doan", "nhiem ky", "6 thang dau nam", "6 thang sau nam", "6 thang", "tu nay"),
    ]
)
_PLAIN_NUMBERS = st.sampled_from(
    [str(n) for n in range(35)] + ["00", "07", "007", "i", "ii", "iv", "v", "1899", "2025", "2021"]
)
_PLAIN_SEPARATORS = st.sampled_from(["/", "nam", "thang", "-", ".", "den", "toi", "dau", "cuoi"])
_NOTES = st.sampled_from(["", "( theo huong dan )", "theo ke hoach", "tuy tinh hinh", "can cu"])


@st.composite
def _period_tokens(draw: st.DrawFn) -> list[str]:
    words = draw(_PLAIN_WORDS).split()
    numbers = draw(st.lists(st.tuples(_PLAIN_NUMBERS, _PLAIN_SEPARATORS), max_size=3))
    year = draw(st.sampled_from(["2025", "2024", "1900", "2200", "2201", "1899"]))
    note = draw(_NOTES).split()
    return [*words, *(word for pair in numbers for word in pair), year, *note]


@given(_period_tokens(), st.sampled_from([(2025,), (), (2024, 2025)]))
def test_the_fast_path_reads_as_the_grammar_reads(
    tokens: list[str], years: tuple[int, ...]
) -> None:
    note_at = find_note(tokens)
    head = tokens if note_at is None else tokens[:note_at]
    plain = plain_period(head)
    if note_at is not None:
        with pytest.raises(NoMatch):
            phrase(Cursor(tokens, years))  # a note after a plain period: only the head is read
    try:
        grammar = phrase(Cursor(head, years))
    except NoMatch:
        assert plain is None
        return
    assert plain is None or plain == grammar


@pytest.mark.parametrize(
    "text",
    [
        *("2025", "nam 2025", "trong nam 2025", "quy ii / 2025", "quy 2 nam 2025"),
        *("thang 06 / 2025", "15 / 7 / 2025", "ngay 15 thang 7 nam 2025"),
        *("truoc ngay 31 / 12 / 2025", "cham nhat ngay 15 / 7 / 2025", "truoc 30 / 6 / 2025"),
        *("den nam 2026", "tu nam 2021", "giai doan 2021 - 2025", "2021 den 2025"),
        *("nhiem ky 2026 - 2031", "6 thang dau nam 2025", "6 thang cuoi nam 2025"),
    ],
)
def test_the_commonest_phrases_take_the_fast_path(text: str) -> None:
    tokens = text.split()
    plain = plain_period(tokens)
    assert plain is not None
    assert plain == phrase(Cursor(tokens, (2025,)))
