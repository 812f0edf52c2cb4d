"""The written-out table of Việt Nam's public holidays says what the pinned `holidays` package
says, for every year it holds and in both languages; a year beyond it asks the package."""

from datetime import date

import pytest

from plans.holiday_table import FIRST_YEAR, LANGUAGES, LAST_YEAR, from_package, official_year


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_table_agrees_with_the_package_every_year(language: str) -> None:
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        assert official_year(year, language) == from_package(year, language), year


def test_a_year_beyond_the_table_comes_from_the_package() -> None:
    off, _ = official_year(LAST_YEAR + 1, "vi")

    assert off[date(LAST_YEAR + 1, 9, 2)] == "Quốc khánh"
    assert off == from_package(LAST_YEAR + 1, "vi")[0]


def test_the_table_holds_the_weekend_days_worked_in_exchange() -> None:
    _, working = official_year(2026, "vi")

    assert working == {date(2026, 8, 22)}
