"""The commonest phrases read without the grammar, as the grammar reads them.

A year (2025 · Năm 2025 · Trong năm 2025 · Đến năm 2026 · Từ năm 2021), years (Giai đoạn 2021 -
2025 · 2021-2025), a half year (6 tháng đầu năm 2025), a quarter (Quý II/2025 · Quý 2 năm 2025), a
month (Tháng 6/2025 · tháng 06 năm 2025) or a day (15/7/2025 · ngày 15 tháng 7 năm 2025 · Trước
ngày 31/12/2025 · Chậm nhất ngày 15/7/2025), with a year and nothing after: most cells of a plan.
It earns its place by measurement (`bench/deadlines.py`: about twice the phrases per second
without the cache); a property test holds it equal to the grammar, which reads everything else.
"""

from datetime import date, timedelta

from plans.deadlines.cursor import SMALL_NUMBERS, YEARS
from plans.deadlines.dates import days_in, month_end
from plans.deadlines.grammar import Meaning
from plans.deadlines.periods import RANGE_WORDS
from plans.deadlines.value import DeadlineKind
from plans.roman import QUARTER_NUMBERS

_MONTHS = {word: value for word, value in SMALL_NUMBERS.items() if 1 <= value <= 12}
_DAYS = {word: value for word, value in SMALL_NUMBERS.items() if 1 <= value <= 31}
_BEFORE_A_DAY = {(): False, ("truoc",): True, ("cham", "nhat"): False}  # strict or not
_BEFORE_A_YEAR = {  # whether the year's start is the window's start; None: from it on
    (): True,
    ("nam",): True,
    ("trong", "nam"): True,
    ("den", "nam"): False,
    ("tu", "nam"): None,
}
_BEFORE_YEARS = frozenset((("giai", "doan"), ("nhiem", "ky"), ()))  # giai đoạn 2021 - 2025
_HALVES = {"dau": (1, 6), "cuoi": (7, 12), "sau": (7, 12)}  # 6 tháng đầu năm, cuối năm


def plain_period(tokens: list[str]) -> Meaning | None:
    """The meaning of one of the commonest phrases, or None for any other."""
    year = YEARS.get(tokens[-1])
    if year is None:
        return None
    count = len(tokens)
    if count in (3, 5) and tokens[-2] in RANGE_WORDS and tuple(tokens[:-3]) in _BEFORE_YEARS:
        first = YEARS.get(tokens[-3])
        if first is None or first > year:
            return None
        return Meaning(DeadlineKind.FIXED, date(year, 12, 31), date(first, 1, 1))
    if count <= 3:  # trong năm 2025
        key = tuple(tokens[:-1])
        if key not in _BEFORE_A_YEAR:
            return None
        window = _BEFORE_A_YEAR[key]
        if window is None:
            return Meaning(DeadlineKind.ONGOING, starts=date(year, 1, 1))
        starts = date(year, 1, 1) if window else None
        return Meaning(DeadlineKind.FIXED, date(year, 12, 31), starts)
    if count == 5 and tokens[:2] == ["6", "thang"] and tokens[3] == "nam":
        half = _HALVES.get(tokens[2])
        if half is None:
            return None
        return Meaning(DeadlineKind.FIXED, month_end(year, half[1]), date(year, half[0], 1))
    if count == 4 and tokens[2] in ("/", "nam"):  # quý ii / 2025, tháng 06 năm 2025
        head, number = tokens[0], tokens[1]
        if head == "quy" and number in QUARTER_NUMBERS:
            last = 3 * QUARTER_NUMBERS[number]
            return Meaning(DeadlineKind.FIXED, month_end(year, last), date(year, last - 2, 1))
        if head == "thang" and number in _MONTHS:
            one = _MONTHS[number]
            return Meaning(DeadlineKind.FIXED, month_end(year, one), date(year, one, 1))
        return None
    if count < 5:
        return None
    day, month = _DAYS.get(tokens[-5]), _MONTHS.get(tokens[-3])  # 15 / 7 / 2025
    named = tokens[-6:-5] == ["ngay"]
    words = (tokens[-4], tokens[-2])
    if day is None or month is None:
        return None
    if not (words == ("/", "/") or (named and words == ("thang", "nam"))):
        return None
    strict = _BEFORE_A_DAY.get(tuple(tokens[: -6 if named else -5]))
    if strict is None or day > days_in(year, month):
        return None  # other words before it, or no such day: the grammar says what it is
    due = date(year, month, day)
    return Meaning(DeadlineKind.FIXED, due - timedelta(days=1) if strict else due)
