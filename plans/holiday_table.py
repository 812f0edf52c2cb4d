"""Việt Nam's public holidays for 2015-2040 as the pinned `holidays` package computes them,
written out in `plans/data/vn_holidays.json`: importing the package costs 0.1-0.5 s (it loads
every country and the Islamic calendar's tables), which every command counting working days
paid. A year outside the table asks the package. `python -m plans.holiday_table` rewrites the
file from the package; a test checks that the two still agree.
"""

import json
from datetime import date
from functools import cache
from importlib import resources
from typing import Final

FIRST_YEAR: Final = 2015
LAST_YEAR: Final = 2040
LANGUAGES: Final = ("vi", "en_US")  # the package's names for the table's languages


def official_year(year: int, language: str) -> tuple[dict[date, str], set[date]]:
    """The official days off of `year` with their names in `language` (the package's code),
    and the weekend days worked in exchange."""
    entry = _table().get(year)
    if entry is None or language not in LANGUAGES:
        return from_package(year, language)
    off, working = entry
    column = LANGUAGES.index(language)
    return {day: names[column] for day, names in off.items()}, set(working)


def from_package(year: int, language: str) -> tuple[dict[date, str], set[date]]:
    """What the `holidays` package says of `year` (slow to import: see the module)."""
    from holidays.countries.vietnam import Vietnam

    official = Vietnam(years=year, language=language)  # type: ignore[no-untyped-call]
    off = {day: str(name) for day, name in official.items()}
    working = {day for day in getattr(official, "weekend_workdays", ()) if day.year == year}
    return off, working


def table_text() -> str:
    """The table's file, as the package computes it now."""
    lines = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        named = [from_package(year, language) for language in LANGUAGES]
        days = sorted(set().union(*(off for off, _ in named)))
        rows = ",\n".join(
            "   "
            + json.dumps(
                [day.isoformat(), *(off.get(day, "") for off, _ in named)], ensure_ascii=False
            )
            for day in days
        )
        working = json.dumps(sorted(day.isoformat() for day in named[0][1]))
        lines.append(f' "{year}": {{\n  "off": [\n{rows}\n  ],\n  "working": {working}\n }}')
    return "{\n" + ",\n".join(lines) + "\n}\n"


@cache
def _table() -> dict[int, tuple[dict[date, tuple[str, ...]], tuple[date, ...]]]:
    raw = resources.files("plans").joinpath("data/vn_holidays.json").read_text("utf-8")
    return {
        int(year): (
            {date.fromisoformat(day): tuple(names) for day, *names in entry["off"]},
            tuple(date.fromisoformat(day) for day in entry["working"]),
        )
        for year, entry in json.loads(raw).items()
    }


if __name__ == "__main__":
    resources.files("plans").joinpath("data/vn_holidays.json").write_text(  # type: ignore[attr-defined]
        table_text(), "utf-8"
    )
