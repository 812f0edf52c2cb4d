"""Roman numerals: one reader for section numbers and quarters."""

import pytest

from plans.roman import roman_value


@pytest.mark.parametrize(
    ("numeral", "value"),
    [("I", 1), ("iv", 4), ("IX", 9), ("xii", 12), ("XL", 40), ("CCCXCIX", 399)],
)
def test_a_well_formed_numeral_has_its_value(numeral: str, value: int) -> None:
    assert roman_value(numeral) == value


@pytest.mark.parametrize("text", ["", "IIII", "IC", "VX", "D", "M", "quy", "I.", "2"])
def test_anything_else_has_none(text: str) -> None:
    assert roman_value(text) is None
