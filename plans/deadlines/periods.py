"""Periods and days in a phrase: quarters, halves, months, years, spans of years, days, weekdays.

`span` reads whichever of them starts at the cursor, choosing the rules by the first word
(`_HEAD_RULES`) instead of trying each; `day_anchor` reads a day with no year, for recurring
deadlines. A period without a year takes the plan's only year, or a placeholder that the phrase
reader turns into `ambiguous_year`.
"""

from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from plans.deadlines.cursor import MAX_YEAR, MIN_YEAR, YEARS, Cursor
from plans.deadlines.dates import NoMatch, month_end, valid_date
from plans.roman import QUARTER_NUMBERS, roman_value

_LIST_JOINS = frozenset((",", "va", "-", ";", "&", "+", "den"))  # "Quý I, II", "tháng 9 đến 10"
RANGE_WORDS = frozenset(("-", "den", "toi"))
_SECOND_HALF = frozenset(("cuoi", "sau"))  # 6 tháng cuối năm · 6 tháng sau năm
TIMES_OF_DAY = frozenset(("sang", "chieu", "toi"))
WEEKDAY_HEADS = frozenset(["sang", "chieu", "toi", "chu", "cn", "thu"])
_WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}


class Span(NamedTuple):
    """A period or a day, resolved with the default year when the phrase gave none."""

    start: date
    end: date
    is_day: bool
    year_given: bool
    is_range: bool = False
    """Several quarters, months or years ("Quý III - IV", "2021 - 2025"): "từ" keeps its end."""


class Anchor(NamedTuple):
    """A day with no year ("ngày 25/11", "ngày 12", "thứ hai"), for recurring deadlines."""

    day: int | None = None
    month: int | None = None
    weekday: int | None = None


def span(cursor: Cursor) -> Span | None:
    """Any period or day, chosen by its first word; longer forms are tried first."""
    start = cursor.pos
    head = cursor.tokens[start]
    rules = _HEAD_RULES.get(head)
    if rules is None:
        rules = _number_rules(head) if head.isdecimal() else _DAY_RULE
    for rule in rules:
        found = rule(cursor)
        if found is not None:
            return found
        cursor.pos = start
    return None


def quarters(cursor: Cursor) -> Span | None:
    """Quý I/2025 · Quý 1 năm 2025 · QII/2025 · Quý III - IV/2025 · Quý I, II/2025 · Quý II."""
    cursor.take("cac")  # "các quý"
    if not cursor.take("quy"):
        return None
    cursor.take(".")  # "quý. II"
    first = last = _quarter_number(cursor)
    while cursor.peek() in _LIST_JOINS:
        mark = cursor.pos
        cursor.pos += 1
        cursor.take("quy")
        after = cursor.peek()
        if after in ("", "/") or (after.isdecimal() and len(after) == 4):
            cursor.pos = mark
            break
        number = _quarter_number(cursor)
        first, last = min(first, number), max(last, number)
    year, given = cursor.resolve_year(cursor.year_suffix())
    starts, ends = date(year, 3 * first - 2, 1), month_end(year, 3 * last)
    return Span(starts, ends, False, given, first != last)


def _quarter_number(cursor: Cursor) -> int:
    token = cursor.peek()
    value = QUARTER_NUMBERS.get(token)
    if value is None and token.isalpha():
        value = roman_value(token)
    if value is None and token.isdecimal() and len(token) <= 2:
        value = int(token)
    if value is None or not 1 <= value <= 4:
        raise NoMatch
    cursor.pos += 1
    return value


def half_year(cursor: Cursor) -> Span | None:
    """6 tháng đầu năm 2025 · 6 tháng cuối năm · nửa đầu năm 2025 · nửa cuối năm."""
    if not (cursor.take("6", "thang") or cursor.take("sau", "thang") or cursor.take("nua")):
        return None
    if cursor.take("dau"):
        first, last = 1, 6
    elif cursor.take_one(_SECOND_HALF):
        first, last = 7, 12
    else:
        return None
    if not cursor.take("nam"):
        return None
    year, given = cursor.resolve_year(cursor.year_suffix())
    return Span(date(year, first, 1), month_end(year, last), False, given)


def months(cursor: Cursor) -> Span | None:
    """Tháng 6/2025 · tháng 02 năm 2024 · tháng 9, tháng 10 năm 2025 · tháng 9-10/2025."""
    cursor.take("cac")  # "các tháng"
    if cursor.peek() == "t" and cursor.peek(1).isdecimal():
        cursor.pos += 1
    elif not cursor.take("thang"):
        return None
    first = last = month_number(cursor)
    while cursor.peek() in _LIST_JOINS:
        mark = cursor.pos
        cursor.pos += 1
        cursor.take("thang")
        value = cursor.number(1, 12)
        if value is None:
            cursor.pos = mark
            break
        first, last = min(first, value), max(last, value)
    year, given = cursor.resolve_year(cursor.year_suffix())
    return Span(date(year, first, 1), month_end(year, last), False, given, first != last)


def month_number(cursor: Cursor) -> int:
    """Take a month's number; `NoMatch` if there is none."""
    value = cursor.number(1, 12)
    if value is None:
        raise NoMatch
    return value


def year_range(cursor: Cursor) -> Span | None:
    """Giai đoạn 2021 - 2025 · nhiệm kỳ 2026 - 2031 · năm 2021 đến năm 2025 · 2021-2025."""
    _ = cursor.take("giai", "doan") or cursor.take("nhiem", "ky") or cursor.take("cac", "nam")
    cursor.take("nam")
    if cursor.peek(1) not in RANGE_WORDS:  # not a year then "-", "đến" or "tới"
        return None
    first = cursor.year()
    if first is None:
        return None
    cursor.pos += 1
    cursor.take("nam")
    last = cursor.year()
    if last is None or last < first:
        return None
    return Span(date(first, 1, 1), date(last, 12, 31), False, True, True)


def year_only(cursor: Cursor) -> Span | None:
    """Năm 2025 · 2025 · (trong) năm: the plan's year."""
    named = cursor.take("nam")
    found = cursor.year()
    if found is None and not (named and cursor.peek() in ("", "(", ".", ",", ";")):
        return None
    year, given = cursor.resolve_year(found)
    return Span(date(year, 1, 1), date(year, 12, 31), False, given)


def day(cursor: Cursor) -> Span | None:
    """15/7/2025 · ngày 15/7 · ngày 10 tháng 3 năm 2025 · 15-7-2025 · 15.7.2025."""
    anchor = day_anchor(cursor)
    if anchor is None or anchor.month is None or anchor.day is None:
        return None
    year, given = cursor.resolve_year(cursor.year_suffix())
    found = valid_date(year, anchor.month, anchor.day)
    return Span(found, found, True, given)


def day_anchor(cursor: Cursor) -> Anchor | None:
    """Ngày 25/11 · ngày 25 tháng 11 · ngày 12 (no month) · thứ hai."""
    if cursor.peek() in WEEKDAY_HEADS:
        found = weekday(cursor)
        if found is not None:
            return Anchor(weekday=found)
    has_word = cursor.take("ngay")
    number = cursor.number(1, 31)
    if number is None:
        return None
    after, month = cursor.peek(), cursor.peek(1)
    if (after in ("/", "-", ".") and month.isdecimal() and len(month) <= 2) or after == "thang":
        cursor.pos += 1  # "15/7", "15-7", "15.7", "15 tháng 7"
        return Anchor(number, month_number(cursor))
    return Anchor(number) if has_word else None


def weekday(cursor: Cursor) -> int | None:
    """Thứ hai · thứ 2 · chủ nhật (morning/afternoon words before it are skipped)."""
    start = cursor.pos
    if cursor.peek() not in WEEKDAY_HEADS:
        return None
    cursor.take_one(TIMES_OF_DAY)
    if cursor.take("chu", "nhat") or cursor.take("cn"):
        return 6
    if cursor.take("thu"):
        token = cursor.peek()
        value = _WEEKDAY_WORDS.get(token)
        if value is None and token in ("2", "3", "4", "5", "6", "7"):
            value = int(token) - 2
        if value is not None:
            cursor.pos += 1
            return value
    cursor.pos = start
    return None


_Rule = Callable[[Cursor], Span | None]
_DAY_RULE: tuple[_Rule, ...] = (day,)
_SIX_RULES: tuple[_Rule, ...] = (half_year, day)  # 6 tháng đầu năm · 6/7/2025
_YEAR_RULES: tuple[_Rule, ...] = (year_range, year_only)  # 2021 - 2025 · 2025
_HEAD_RULES: dict[str, tuple[_Rule, ...]] = {
    "quy": (quarters,),
    "cac": (quarters, months, year_range),
    "sau": (half_year,),
    "nua": (half_year,),
    "thang": (months,),
    "t": (months,),
    "giai": (year_range,),
    "nhiem": (year_range,),
    "nam": (year_range, year_only),
    "6": _SIX_RULES,
}


def _number_rules(head: str) -> tuple[_Rule, ...]:
    """The rules a number can start: only a year can start a span of years."""
    if head in YEARS or (len(head) == 4 and MIN_YEAR <= int(head) <= MAX_YEAR):
        return _YEAR_RULES
    return _DAY_RULE
