"""Dates and instants as the people of a locale write them: one formatter for every channel.

Vietnamese: `dd/MM/yyyy` and `HH:mm dd/MM/yyyy`; English: `d MMM yyyy` and `d MMM yyyy, HH:mm`
(the web pages follow the reader's locale; chat messages, outbox rows and the command line's
columns keep the default, which reads the same in both catalogues).
An instant (stored in UTC) is always shown in the ward's zone, so that 06:00 on 11 March in Hà
Nội (23:00 UTC on the 10th) reads 11/03, not 10/03.
"""

from datetime import date, datetime
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from locales import DEFAULT_LOCALE

_DAY: Final = {"vi": "dd/MM/yyyy", "en": "d MMM yyyy"}
_MOMENT: Final = {"vi": "HH:mm dd/MM/yyyy", "en": "d MMM yyyy, HH:mm"}


def format_day(day: date, *, locale: str = DEFAULT_LOCALE) -> str:
    """A day as people of `locale` write it ("31/12/2025" in vi)."""
    return _format_day(day, locale)


@lru_cache(maxsize=4096)
def _format_day(day: date, locale: str) -> str:
    # Babel parses the locale on every call (0.1 ms): a dashboard shows a few hundred days.
    return format_date(day, _DAY.get(locale, _DAY[DEFAULT_LOCALE]), locale=locale)


def format_moment(instant: datetime, zone: ZoneInfo, *, locale: str = DEFAULT_LOCALE) -> str:
    """An instant in the ward's `zone` ("07:30 31/12/2025" in vi)."""
    pattern = _MOMENT.get(locale, _MOMENT[DEFAULT_LOCALE])
    return format_datetime(instant.astimezone(zone), pattern, locale=locale)


def format_local_day(instant: datetime, zone: ZoneInfo, *, locale: str = DEFAULT_LOCALE) -> str:
    """The day an instant falls on in the ward's `zone`, as `format_day` writes it."""
    return format_day(instant.astimezone(zone).date(), locale=locale)
