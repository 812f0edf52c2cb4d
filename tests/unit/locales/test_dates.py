"""Dates and instants are written as Babel writes the patterns (CLDR's `dd/MM/yyyy`,
`HH:mm dd/MM/yyyy`, `d MMM yyyy`, `d MMM yyyy, HH:mm`) without importing it."""

import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
from babel.dates import format_date, format_datetime

from locales import format_day, format_moment
from tests.support.clock import HCM

PATTERNS = {
    "vi": ("dd/MM/yyyy", "HH:mm dd/MM/yyyy"),
    "en": ("d MMM yyyy", "d MMM yyyy, HH:mm"),
}
DAYS = [date(2024, 1, 1) + timedelta(days=n) for n in range(0, 800, 3)] + [
    date(1, 1, 1),
    date(999, 9, 9),
    date(9999, 12, 31),
]


@pytest.mark.parametrize("locale", sorted(PATTERNS))
def test_days_and_instants_read_as_babel_writes_them(locale: str) -> None:
    day_pattern, moment_pattern = PATTERNS[locale]
    for day in DAYS:
        assert format_day(day, locale=locale) == format_date(day, day_pattern, locale=locale)
    for hours in range(0, 24 * 40, 7):
        instant = datetime(2025, 12, 20, 0, 5, tzinfo=UTC) + timedelta(hours=hours, minutes=hours)
        expected = format_datetime(instant.astimezone(HCM), moment_pattern, locale=locale)
        assert format_moment(instant, HCM, locale=locale) == expected


@pytest.mark.parametrize(("locale", "pattern"), [("vi", "dd/MM"), ("en", "d MMM")])
def test_a_day_without_its_year_reads_as_babel_writes_it(locale: str, pattern: str) -> None:
    for day in DAYS:
        assert format_day(day, locale=locale, year=False) == format_date(
            day, pattern, locale=locale
        )


def test_an_instant_is_read_on_the_ward_s_day() -> None:
    instant = datetime(2025, 3, 10, 23, 0, tzinfo=UTC)  # 06:00 on the 11th in Hà Nội

    assert format_moment(instant, HCM) == "06:00 11/03/2025"


def test_an_instant_is_not_taken_for_a_day() -> None:
    # An instant has no day until it is read in a zone: `format_day` would print its UTC day
    # (the chat's invite did, a day early after midnight in Việt Nam).
    with pytest.raises(TypeError):
        format_day(datetime(2025, 3, 10, 23, 0, tzinfo=UTC))


def test_formatting_imports_no_babel() -> None:
    probe = "import sys, locales; print('babel' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
