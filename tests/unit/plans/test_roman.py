"""Roman numerals: one reader for section numbers and quarters."""

import re

import pytest

from plans.folding import fold
from plans.roman import QUARTER_NUMBERS, QUARTER_PATTERN, roman, roman_value, section_heading


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("I", 1), ("iv", 4), ("IX", 9), ("xii", 12), ("XL", 40), ("CCCXCIX", 399)],
)
def test_a_well_formed_numeral_has_its_value(numeral: str, value: int) -> None:
    assert roman_value(numeral) == value


@pytest.mark.parametrize("text", ["", "IIII", "IC", "VX", "D", "M", "quy", "I.", "2"])
def test_anything_else_has_none(text: str) -> None:
    assert roman_value(text) is None


@pytest.mark.parametrize(
    ("said", "number"),
    [("Quý III năm nay", 3), ("quý 4 còn gì?", 4), ("QUÝ IV", 4), ("quý i", 1), ("quý II/25", 2)],
)
def test_a_quarter_named_in_words_is_read(said: str, number: int) -> None:
    found = re.search(QUARTER_PATTERN, fold(said))
    assert found is not None
    assert QUARTER_NUMBERS[found.group(1)] == number


@pytest.mark.parametrize("said", ["quý V", "quý 12", "quý 5", "quyết định 2", "quý"])
def test_what_is_no_quarter_is_not_read_as_one(said: str) -> None:
    assert re.search(QUARTER_PATTERN, fold(said)) is None


@pytest.mark.parametrize(
    ("value", "numeral"),
    [(1, "I"), (2, "II"), (4, "IV"), (9, "IX"), (399, "CCCXCIX"), (1994, "MCMXCIV")],
)
def test_a_number_is_written_as_plans_write_it_and_read_back(value: int, numeral: str) -> None:
    assert roman(value) == numeral
    assert value > 399 or roman_value(numeral) == value


@pytest.mark.parametrize(
    ("heading", "split"),
    [
        ("II. Nhiệm vụ trọng tâm", ("II", "Nhiệm vụ trọng tâm")),
        ("2.1 Văn hóa", ("2.1", "Văn hóa")),
        ("A) Kinh tế", ("A", "Kinh tế")),
        (" III : Tổ chức thực hiện", ("III", "Tổ chức thực hiện")),
        ("CÁC NHIỆM VỤ", None),
        ("II.Nhiệm vụ", None),
    ],
)
def test_a_section_heading_splits_into_its_number_and_words(
    heading: str, split: tuple[str, str] | None
) -> None:
    assert section_heading(heading) == split
