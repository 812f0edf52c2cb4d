"""Dates in chat replies ("gia hạn đến 20/7 nhé", "thứ sáu tuần sau", "3 ngày nữa"), from now.

Three readers, in order, on the folded text (accents, case and spaces do not count):
1. our own rules for words relative to today that dateparser misreads or misses: "ngày mai",
   "ngày kia", "N ngày nữa", "sau N ngày", "hoãn N ngày", "thứ sáu tuần sau", "cuối tuần",
   "cuối tháng", "tháng sau", "hết quý", "cuối năm";
2. the plan grammar (`plans/deadlines/`) for plan-style dates and periods: "20/7", "hết quý III",
   "tháng 8", "31/12/2025" (a year left out means the next such date from today);
3. dateparser (Vietnamese, day-month-year, in now's zone, future preferred, relative to now)
   for the explicit dates the grammar does not read ("2025-12-31"), imported only when needed.

A period resolves to its last day ("tuần sau" is Friday of next week, "tháng sau" the last day of
next month, "cuối tuần" and "tuần này" this week's Friday, the next one at a weekend): a reply
gives a deadline, and a deadline with no day means the end of its period
(`docs/spec/deadlines.md`). "Thứ sáu" alone is the next Friday after today. A reply with "%" is
a progress figure, never a date, and dateparser's answers more than a year back or five years
ahead are dropped ("50%" is 2050 to it). Vague words ("vài ngày nữa", "đầu tháng") give None:
the conversation asks again.
"""

import calendar
from datetime import date, datetime, timedelta
from itertools import pairwise
from typing import TYPE_CHECKING

from plans.calendar import FIRST_YEAR, LAST_YEAR
from plans.deadlines import DeadlineKind, fold_tokens, parse_deadline

if TYPE_CHECKING:
    from plans.calendar import WorkingCalendar

_NUMBERS = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "tu": 4, "nam": 5, "sau": 6, "bay": 7}
_NUMBERS.update({"tam": 8, "chin": 9, "muoi": 10})
_WEEKDAYS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_WEEKDAYS.update({str(n): n - 2 for n in range(2, 8)})
_NEXT = frozenset(("sau", "toi", "ke"))  # "tuần sau", "tuần tới", "tuần kế"
_EXTEND = frozenset(("sau", "trong", "hoan", "them", "lui", "han", "dai", "cho", "mat", "khoang"))
_AFTER = frozenset(("nua", "toi", "sau"))
_PARTICLES = frozenset(
    {"nhe", "nha", "a", "ha", "nhen", "ak", "duoc", "khong", "ko", "k", "voi", "em", "anh", "chi"}
    | {"!", "?", ".", ",", ";", ":", ")", "("}
)  # what ends a chat reply without changing its date: "nhé", "ạ", "được không", "?"
_NOT_THE_END = frozenset(("dau", "giua"))  # "đầu tháng sau", "giữa quý": no day to pick
_DAY_PARTS = frozenset(("sang", "trua", "chieu", "toi"))  # "sáng mai", "chiều nay"
_FRIDAY = 4
_DATEPARSER_YEARS = (-1, 5)  # "50%" reads as 2050 to dateparser: a reply's date is near today
_PHRASE_TOKENS = 16
"""The longest date phrase the grammar is asked to read ("trước ngày 31 tháng 12 năm 2025" is 7
tokens): a reply's tails longer than this are never one phrase, and reading every tail of a
long message cost the square of its length."""
_DATEPARSER_CHARS = 200
"""dateparser reads the first and the last this many characters of a reply: it is slow on long
text, and a date in its forms ("2025-12-31") sits near a reply's start or end."""


class NaiveNow(ValueError):
    """`now` must be aware: a chat reply is read in Việt Nam's time, whatever the server's."""

    def __init__(self) -> None:
        super().__init__("now must be an aware datetime")


def parse_relative(
    text: str, *, now: datetime, workdays: "WorkingCalendar | None" = None
) -> date | None:
    """The day a chat reply names, relative to `now`; None when it names none.

    `now` is read in its own zone, which must be the ward's (`services.clock.local_now`).

    With `workdays`, "N ngày làm việc" counts working days (else calendar days).
    """
    if now.tzinfo is None:
        raise NaiveNow
    local = now
    today = local.date()
    tokens = fold_tokens(text)
    if not tokens:
        return None
    found = _Rules(tokens, today, workdays).first()
    if found is not None:
        return _within_calendar(found)
    if _is_vague(tokens):
        return None
    found = _by_grammar(tokens, today)
    if found is not None:
        return _within_calendar(found)
    if "%" in tokens:  # a progress reply ("50%"), not a date
        return None
    if not any(ch.isdecimal() for ch in text):
        return None  # dateparser is for explicit dates ("2025-12-31"); words were read above
    found = _by_dateparser(text, local)
    low, high = _DATEPARSER_YEARS
    if found is None or not today.year + low <= found.year <= today.year + high:
        return None
    return found


def _within_calendar(day: date) -> date | None:
    """`day`, unless it lies in a year the working-day calendar does not cover ("30/9/2200")."""
    return day if FIRST_YEAR <= day.year <= LAST_YEAR else None


class _Rules:
    """Relative words, scanned left to right; the first that matches wins."""

    __slots__ = ("today", "tokens", "workdays")

    def __init__(self, tokens: list[str], today: date, workdays: "WorkingCalendar | None") -> None:
        self.tokens = tokens
        self.today = today
        self.workdays = workdays

    def at(self, index: int, *words: str) -> bool:
        return tuple(self.tokens[index : index + len(words)]) == words

    def word(self, index: int) -> str:
        return self.tokens[index] if 0 <= index < len(self.tokens) else ""

    def first(self) -> date | None:
        for index in range(len(self.tokens)):
            for rule in (
                self.named_day,
                self.weekday,
                self.count,
                self.end_of_week,
                self.end_of_month,
                self.end_of_quarter,
                self.end_of_year,
            ):
                found = rule(index)
                if found is not None:
                    return found
        return None

    def named_day(self, index: int) -> date | None:
        """Hôm nay · chiều nay · ngày mai · sáng mai · mai (alone) · ngày kia · ngày mốt ·
        ngày 20 tháng sau."""
        day = self.word(index + 1)
        if (
            self.word(index) == "ngay"
            and day.isdecimal()
            and len(day) <= 2
            and self.word(index + 2) == "thang"
            and self.word(index + 3) in _NEXT
        ):
            month = _add_months(self.today.replace(day=1), 1)
            last = calendar.monthrange(month.year, month.month)[1]
            return month.replace(day=int(day)) if 1 <= int(day) <= last else None
        if self.at(index, "hom", "nay") or (self.word(index) in _DAY_PARTS and day == "nay"):
            return self.today
        if (
            self.at(index, "ngay", "mai")
            or (self.word(index) in _DAY_PARTS and day == "mai")
            or self.tokens == ["mai"]
        ):
            return self.today + timedelta(days=1)
        if (self.at(index, "ngay", "kia") or self.at(index, "ngay", "mot")) and self.word(
            index + 2
        ) != "thang":
            return self.today + timedelta(days=2)
        return None

    def weekday(self, index: int) -> date | None:
        """Thứ sáu · thứ 6 tuần sau · chủ nhật tuần này · đầu tuần sau (Monday)."""
        if self.at(index, "chu", "nhat"):
            weekday, after = 6, index + 2
        elif self.at(index, "dau", "tuan"):
            weekday, after = 0, index + 1
        elif self.word(index) == "thu" and self.word(index + 1) in _WEEKDAYS:
            weekday, after = _WEEKDAYS[self.word(index + 1)], index + 2
        else:
            return None
        monday = self.today - timedelta(days=self.today.weekday())
        if self.word(after) == "tuan" and self.word(after + 1) in _NEXT:
            return monday + timedelta(days=7 + weekday)
        if self.word(after) == "tuan" and self.word(after + 1) == "nay":
            return monday + timedelta(days=weekday)
        if self.word(index) == "dau":
            return None  # "đầu tuần" alone says no week
        ahead = (weekday - self.today.weekday() - 1) % 7 + 1
        return self.today + timedelta(days=ahead)

    def count(self, index: int) -> date | None:
        """3 ngày nữa · sau 3 ngày · hoãn 3 ngày · trong 2 tuần · 1 tháng nữa · 5 ngày làm việc."""
        token = self.word(index)
        amount = int(token) if token.isdecimal() and len(token) <= 3 else _NUMBERS.get(token)
        unit = self.word(index + 1)
        if (
            amount is None
            or unit not in ("ngay", "tuan", "thang")
            or self.word(index - 1) == "ngay"
        ):
            return None
        working = self.at(index + 2, "lam", "viec")
        follows = self.word(index + (4 if working else 2))
        if self.word(index - 1) not in _EXTEND and follows not in _AFTER:
            return None
        if unit == "tuan":
            return self.today + timedelta(weeks=amount)
        if unit == "thang":
            return _add_months(self.today, amount)
        if working and self.workdays is not None:
            return self.workdays.add_working_days(self.today, amount)
        return self.today + timedelta(days=amount)

    def end_of_week(self, index: int) -> date | None:
        """Cuối tuần · (trong) tuần này · tuần sau · cuối tuần sau: that week's Friday."""
        if self.word(index) == "cuoi" and self.word(index + 1) == "tuan":
            index += 1
        elif self.word(index) != "tuan" or (
            self.word(index + 1) not in _NEXT and self.word(index + 1) != "nay"
        ):
            return None
        monday = self.today - timedelta(days=self.today.weekday())
        if self.word(index + 1) in _NEXT or self.today.weekday() > _FRIDAY:
            monday += timedelta(days=7)
        return monday + timedelta(days=_FRIDAY)

    def end_of_month(self, index: int) -> date | None:
        """Cuối tháng · hết tháng này · tháng sau · cuối tháng tới: that month's last day."""
        if self.word(index - 1) in _NOT_THE_END:
            return None
        ends = self.word(index) in ("cuoi", "het")
        head = index + 1 if ends else index
        if self.word(head) != "thang":
            return None
        after = self.word(head + 1)
        if after in _NEXT:
            return _month_end(_add_months(self.today.replace(day=1), 1))
        if after == "nay" or (ends and (after == "" or after in _PARTICLES)):
            return _month_end(self.today)
        return None

    def end_of_quarter(self, index: int) -> date | None:
        """Hết quý · cuối quý này · quý sau: that quarter's last day ("hết quý III": grammar)."""
        if self.word(index - 1) in _NOT_THE_END:
            return None
        ends = self.word(index) in ("cuoi", "het")
        head = index + 1 if ends else index
        if self.word(head) != "quy":
            return None
        after = self.word(head + 1)
        last_month = (self.today.month - 1) // 3 * 3 + 3  # from the 1st: 31 May has no 31 June
        quarter_end = _month_end(self.today.replace(day=1, month=last_month))
        if after in _NEXT:
            return _month_end(_add_months(quarter_end.replace(day=1), 3))
        if after == "nay" or (ends and (after == "" or after in _PARTICLES)):
            return quarter_end
        return None

    def end_of_year(self, index: int) -> date | None:
        """Cuối năm · hết năm nay · năm sau: 31 December."""
        if self.word(index - 1) in _NOT_THE_END:
            return None
        ends = self.word(index) in ("cuoi", "het")
        head = index + 1 if ends else index
        if self.word(head) != "nam":
            return None
        after = self.word(head + 1)
        if after in _NEXT:
            return date(self.today.year + 1, 12, 31)
        if after == "nay" or (ends and (after == "" or after in _PARTICLES)):
            return date(self.today.year, 12, 31)
        return None


def _is_vague(tokens: list[str]) -> bool:
    """ "Đầu tháng sau", "giữa năm": a part of a period with no day to pick."""
    return any(
        word in _NOT_THE_END and following in ("thang", "quy", "nam")
        for word, following in pairwise(tokens)
    )


def _by_grammar(tokens: list[str], today: date) -> date | None:
    """The first tail of the reply that the plan grammar reads as one due day, future first."""
    end = len(tokens)
    while end and tokens[end - 1] in _PARTICLES:
        end -= 1
    for start in range(max(0, end - _PHRASE_TOKENS), end):
        phrase = " ".join(tokens[start:end])
        deadline = parse_deadline(phrase, plan_years=[today.year])
        if deadline.kind is not DeadlineKind.FIXED or deadline.due is None:
            continue
        if deadline.due >= today:
            return deadline.due
        later = parse_deadline(phrase, plan_years=[today.year + 1]).due
        # A phrase with its own year keeps it, even in the past; one without moves on a year.
        return later if later is not None and later != deadline.due else deadline.due
    return None


def _by_dateparser(text: str, local: datetime) -> date | None:
    """Explicit dates the grammar does not read, by dateparser (imported on first need)."""
    import dateparser  # 60 ms and more on first use: not paid by every CLI start
    from dateparser.search import search_dates

    settings = {
        "DATE_ORDER": "DMY",
        "TIMEZONE": str(local.tzinfo),
        "TO_TIMEZONE": str(local.tzinfo),
        "RETURN_AS_TIMEZONE_AWARE": True,
        "PREFER_DATES_FROM": "future",
        "RELATIVE_BASE": local.replace(tzinfo=None),
    }
    if len(text) > _DATEPARSER_CHARS:
        head, tail = text[:_DATEPARSER_CHARS], text[-_DATEPARSER_CHARS:]
        return _by_dateparser(head, local) or _by_dateparser(tail, local)
    found: datetime | None = dateparser.parse(text, languages=["vi"], settings=settings)
    if found is None:
        matches: list[tuple[str, datetime]] | None = search_dates(
            text, languages=["vi"], settings=settings
        )
        if not matches:
            return None
        found = matches[0][1]
    return found.date()


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))
