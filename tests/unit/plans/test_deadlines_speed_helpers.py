"""The helpers that keep the deadline grammar fast do what the slow way did."""

import dataclasses
import unicodedata
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plans.deadlines import (
    _FOLD,
    Deadline,
    DeadlineKind,
    Recurrence,
    Schedule,
    _deadline,
    _drop_number_words,
    _NoMatch,
    _number_rules,
    _original_offset,
    _plain_period,
    _Reader,
    _split_quarters,
    _tokenise,
    _tokens,
)


def _offset_char_by_char(text: str, folded_offset: int) -> int:
    seen = 0
    for index, char in enumerate(text):
        if seen >= folded_offset:
            return index
        seen += len(_FOLD[ord(char)])
    return len(text)


_TRICKY = st.text(
    alphabet=st.sampled_from([*"Năm 2025 (theo hướng dẫn)QII", "\u0301", "\u00ad", "ﬁ", "ß"])
)


@given(_TRICKY)
def test_original_offset_is_the_character_by_character_answer(text: str) -> None:
    folded = text.translate(_FOLD)
    for offset in range(len(folded) + 2):
        assert _original_offset(text, offset) == _offset_char_by_char(text, offset)


def test_original_offset_skips_what_folds_to_nothing() -> None:
    text = unicodedata.normalize("NFD", "Năm 2025 theo")
    folded = text.translate(_FOLD)
    assert _original_offset(text, folded.index("theo")) == text.index("theo")


def test_quarter_tokens_split_in_place_with_their_starts() -> None:
    tokens, starts = ["qii", "/", "2025", "q", "quyet"], [0, 3, 4, 9, 11]
    _split_quarters(tokens, starts)
    assert tokens == ["quy", "ii", "/", "2025", "quy", "quyet"]
    assert starts == [0, 1, 3, 4, 9, 11]


def _words(text: str) -> list[str]:
    return text.split()


def test_number_words_go_after_digits_only() -> None:
    tokens = _words("ngay 09 ( chin ) ( chin ) thang ( muoi ) 10 ( muoi ) ( theo )")
    _drop_number_words(tokens, None)
    assert tokens == _words("ngay 09 thang ( muoi ) 10 ( theo )")


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("qii/2025", ["quy", "ii", "/", "2025"]),
        ("quy ii", ["quy", "ii"]),
        ("q3 (quyet)", ["quy", "3", "(", "quyet", ")"]),
        ("ngay 9 (chin) thang 10", ["ngay", "9", "thang", "10"]),
    ],
)
def test_tokens_without_offsets_are_the_tokens_with_them(text: str, tokens: list[str]) -> None:
    assert _tokens(text) == tokens == _tokenise(text)[0]


@pytest.mark.parametrize(
    ("head", "rules"),
    [
        ("6", (_Reader.half_year, _Reader.day)),
        ("2025", (_Reader.year_range, _Reader.year_only)),
        ("15", (_Reader.day,)),
        ("1899", (_Reader.day,)),
        ("0015", (_Reader.day,)),
    ],
)
def test_a_number_is_read_only_by_the_rules_it_can_start(head: str, rules: tuple[object]) -> None:
    assert _number_rules(head) == rules


def test_a_deadline_built_by_its_slots_is_the_dataclass_value() -> None:
    schedule = Schedule((2025,), ((3, 31), (6, 30)))
    values = (
        "Hằng quý (theo kế hoạch)",
        DeadlineKind.RECURRING,
        date(2025, 12, 31),
        date(2025, 1, 1),
        Recurrence.QUARTERLY,
        "theo kế hoạch",
        ("deadline_before_plan_date",),
        schedule,
    )
    built, constructed = _deadline(*values), Deadline(*values)
    assert built == constructed
    assert hash(built) == hash(constructed)
    assert repr(built) == repr(constructed)
    assert tuple(getattr(built, field.name) for field in dataclasses.fields(built)) == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.note = None  # type: ignore[misc]


def test_deadline_has_no_post_init_that_building_by_slots_would_skip() -> None:
    assert not hasattr(Deadline, "__post_init__")


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


@st.composite
def _period_tokens(draw: st.DrawFn) -> list[str]:
    words = draw(_PLAIN_WORDS).split()
    numbers = draw(st.lists(st.tuples(_PLAIN_NUMBERS, _PLAIN_SEPARATORS), max_size=3))
    year = draw(st.sampled_from(["2025", "2024", "1900", "2200", "2201", "1899"]))
    return [*words, *(word for pair in numbers for word in pair), year]


@given(_period_tokens(), st.sampled_from([(2025,), (), (2024, 2025)]))
def test_a_plain_period_is_read_as_the_grammar_reads_it(
    tokens: list[str], years: tuple[int, ...]
) -> None:
    plain = _plain_period(tokens)
    try:
        grammar = _Reader(tokens, years).phrase()
    except _NoMatch:
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
def test_the_commonest_phrases_take_the_plain_reading(text: str) -> None:
    tokens = _words(text)
    plain = _plain_period(tokens)
    assert plain is not None
    assert plain == _Reader(tokens, (2025,)).phrase()
