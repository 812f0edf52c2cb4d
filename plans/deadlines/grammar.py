"""The whole phrase: qualifiers, then a cadence, a period, a day or days, then what follows.

A small recursive descent whose rules are documented by their examples: qualifiers ("trước"
strict, "chậm nhất"/"hạn" inclusive, "từ", "đến", "hết", "cuối"), then a cadence ("hằng quý"), a
period or days (`periods`), then what may follow (a cadence, "của tháng cuối quý", "và các năm
tiếp theo", "đến <period>"). `find_note` finds where a trailing note begins ("(theo hướng dẫn …)").
"""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum

from plans.deadlines.cadences import cadences, starts_cadence
from plans.deadlines.cursor import Cursor
from plans.deadlines.dates import NoMatch, day_before
from plans.deadlines.periods import (
    RANGE_WORDS,
    TIMES_OF_DAY,
    Anchor,
    Span,
    day_anchor,
    span,
    weekday,
)
from plans.deadlines.value import DeadlineKind, Recurrence, RecurringDays

_AWAITING_AFTER_THEO = frozenset(
    ["ke", "chi", "huong", "yeu", "van", "quy", "thong", "lich", "tien", "su", "y", "de", "nhu"]
)  # "theo kế hoạch/chỉ đạo/hướng dẫn/yêu cầu/văn bản/quy định/thông báo/lịch ..."
_ANY_WORD = frozenset(("theo", "tuy"))
_NOTE_HEADS = _ANY_WORD | {"(", "can"}  # "(theo …)", "theo …", "tùy …", "căn cứ …"
_KEYWORD_HEADS = frozenset(["thuong", "lien", "hang", "theo", "dot", "khi"])
_HOUR_WORDS = frozenset(("h", "gio"))
_CADENCE_COLONS = frozenset((",", ":", "-"))  # hằng quý: trước ngày 10 …
_AFTER_SPAN = frozenset(("va", ",", "tro", "hang", "moi", "dinh", "cua", "-", "den", "toi"))
"""The words `_dated_phrase` looks for after a period or day; other words end its reading."""
TRAILING = frozenset((".", ",", ";", ":", "-", "/"))
_WEEKDAY_STARTS = frozenset(("thu", "sang", "chieu", "chu", "cn"))


class _Effect(StrEnum):
    """What a qualifier before a date does to the reading."""

    NONE = "none"  # "chậm nhất", "hạn", "trong", "vào", "cuối": inclusive, window kept
    STRICT = "strict"  # "trước": the day before
    NO_START = "no_start"  # "đến", "hết", "từ nay đến", "các tháng cuối": no window start
    FROM = "from"  # "từ": a start, ongoing unless an end follows
    PERIODIC = "periodic"  # "định kỳ": "6 tháng" is then a cadence


_QUALIFIER_LIST: list[tuple[tuple[str, ...], _Effect]] = [
    (("truoc",), _Effect.STRICT),
    (("cham", "nhat", "la"), _Effect.NONE),
    (("cham", "nhat"), _Effect.NONE),
    (("muon", "nhat", "la"), _Effect.NONE),
    (("muon", "nhat"), _Effect.NONE),
    (("tu", "nay"), _Effect.NO_START),
    (("tu", "bay", "gio"), _Effect.NO_START),
    (("tu",), _Effect.FROM),
    (("het",), _Effect.NO_START),
    (("toi",), _Effect.NO_START),
    (("cac", "thang", "cuoi"), _Effect.NO_START),
    (("den", "het"), _Effect.NO_START),
    (("den",), _Effect.NO_START),
    (("dinh", "ky"), _Effect.PERIODIC),
    (("han", "chot"), _Effect.NONE),
    (("han",), _Effect.NONE),
    (("thoi", "han"), _Effect.NONE),
    (("hoan", "thanh"), _Effect.NONE),
    (("xong",), _Effect.NONE),
    (("ca",), _Effect.NONE),
    (("khong", "qua"), _Effect.NONE),
    (("khong", "muon", "hon"), _Effect.NONE),
    (("trong",), _Effect.NONE),
    (("vao",), _Effect.NONE),
    (("cuoi",), _Effect.NONE),
    ((":",), _Effect.NONE),
]
_QUALIFIERS: dict[str, list[tuple[tuple[str, ...], _Effect]]] = {}
for _words, _effect in _QUALIFIER_LIST:
    _QUALIFIERS.setdefault(_words[0], []).append((_words, _effect))


@dataclass(slots=True)
class Meaning:
    """What the grammar understood, before the plan's years and issue date are applied.

    Not frozen although never changed: one is built for every phrase, and a frozen dataclass's
    `__init__` (`object.__setattr__` per field) costs four times as much (`bench/deadlines.py`).
    """

    kind: DeadlineKind
    due: date | None = None
    starts: date | None = None
    recurrence: Recurrence | None = None
    schedule: RecurringDays | None = None
    year_missing: bool = False


_PERIOD_ENDS = {
    recurrence: tuple((month, 31) for month in range(step, 13, step))
    for recurrence, step in (
        (Recurrence.YEARLY, 12),
        (Recurrence.HALF_YEARLY, 6),
        (Recurrence.QUARTERLY, 3),
        (Recurrence.MONTHLY, 1),
    )
}  # a cadence alone: the last day of each period ("hằng quý": 31/3, 30/6, 30/9, 31/12)


def find_note(tokens: list[str]) -> int | None:
    """Where trailing words that are a note begin: "(theo hướng dẫn …)", "Theo chỉ đạo …"."""
    for index in range(1, len(tokens)):
        token = tokens[index]
        if token in _NOTE_HEADS and (token != "can" or tokens[index + 1 : index + 2] == ["cu"]):
            return index
    return None


def phrase(cursor: Cursor) -> Meaning:
    """The whole phrase; raises `NoMatch` if anything is left over."""
    meaning = _keyword_phrase(cursor) if cursor.peek() in _KEYWORD_HEADS else None
    if meaning is None:
        meaning = _dated_phrase(cursor)
    while cursor.peek() in TRAILING:
        cursor.pos += 1
    if not cursor.at_end():
        raise NoMatch
    return meaning


def _keyword_phrase(cursor: Cursor) -> Meaning | None:
    """Thường xuyên · Liên tục · Theo kế hoạch của thành phố · đột xuất theo yêu cầu."""
    first = (cursor.peek(), cursor.peek(1))
    if first in (("thuong", "xuyen"), ("lien", "tuc"), ("hang", "ngay")):
        cursor.pos = 2
        while cursor.peek() in (",", "va", "-", "thuong", "xuyen", "lien", "tuc"):
            cursor.pos += 1
        return _ongoing_within(cursor)
    if first[0] == "theo" and first[1] in _AWAITING_AFTER_THEO:
        cursor.pos = cursor.end
        return Meaning(DeadlineKind.AWAITING_DIRECTION)
    if first in (("dot", "xuat"), ("khi", "co")):
        cursor.pos = cursor.end
        return Meaning(DeadlineKind.AWAITING_DIRECTION)
    return None


def _ongoing_within(cursor: Cursor) -> Meaning:
    """Thường xuyên · thường xuyên trong năm 2025 (from its start) · thường xuyên, hằng năm
    (a cadence after it is what the reminders can follow)."""
    if cursor.at_end() or cursor.peek() in TRAILING or cursor.peek() in _ANY_WORD:
        return Meaning(DeadlineKind.ONGOING)
    cadence = cadences(cursor)
    if cadence is not None:
        return _recurring_from(cursor, cadence, [], strict=False)
    cursor.take("trong")
    found = span(cursor)
    if found is None or found.is_day:
        raise NoMatch
    if not found.year_given and cursor.default_year is None:
        return Meaning(DeadlineKind.ONGOING)  # "trong năm" of a long plan: every year
    return Meaning(DeadlineKind.ONGOING, starts=found.start)


def _dated_phrase(cursor: Cursor) -> Meaning:
    """Qualifiers, then a cadence, a period, a day or days, then what follows them."""
    strict = no_start = from_here = False
    while cursor.peek() in _QUALIFIERS or cursor.peek(1) in _HOUR_WORDS:
        effect = _qualifier(cursor)
        if effect is None:
            if _time_of_day(cursor):
                continue
            break
        if effect is _Effect.STRICT:
            strict = True
        elif effect is _Effect.NO_START:
            no_start = True
        elif effect is _Effect.FROM:
            from_here = True
        elif effect is _Effect.PERIODIC:
            cursor.periodic = True
    start = cursor.pos
    if cursor.at_end():
        raise NoMatch
    if starts_cadence(cursor.peek(), cursor.peek(1)):
        cadence = cadences(cursor)
        if cadence is not None:
            return _cadence_then_days(cursor, cadence, strict=strict)
    found = span(cursor)
    if found is None:
        cursor.pos = start
        return _anchored(cursor, strict=strict)
    if from_here:
        return _from_span(cursor, found)
    after = cursor.peek()  # what follows the period or day
    if after in _AFTER_SPAN or cursor.hint is not None:
        if after in ("va", ",") and found.is_day:
            cursor.pos = start
            return _anchored(cursor, strict=strict)
        if after in ("va", "tro") and _ongoing_tail(cursor):
            return Meaning(
                DeadlineKind.ONGOING, starts=found.start, year_missing=not found.year_given
            )
        repeated = cursor.hint is not None and not found.year_given  # "hằng năm, ngày 18/12"
        if found.is_day and (after in ("hang", "moi", "dinh", "cua") or repeated):
            cursor.pos = start
            return _anchored(cursor, strict=strict)
        if not found.year_given and after in ("hang", "moi"):
            return _yearly_period(cursor, found, strict=strict)
        if after in RANGE_WORDS and not strict:
            return _from_span(cursor, found)
    missing = not found.year_given
    if strict:
        due = found.start - timedelta(days=1)
        return Meaning(DeadlineKind.FIXED, due, year_missing=missing)
    starts = None if found.is_day or no_start else found.start
    return Meaning(DeadlineKind.FIXED, found.end, starts, year_missing=missing)


def _cadence_then_days(cursor: Cursor, cadence: Recurrence, *, strict: bool) -> Meaning:
    """Hằng quý · hằng quý, trước ngày 10 của tháng cuối quý · hằng tháng, chậm nhất ngày 12 ·
    hằng năm, trước ngày 10 của tháng cuối quý (the yearly one: each year's last day)."""
    mark = cursor.pos
    cursor.take_one(_CADENCE_COLONS)
    if cursor.at_end() or cursor.peek() in TRAILING or cursor.peek() in _ANY_WORD:
        cursor.pos = mark
        return _recurring_from(cursor, cadence, [], strict=strict)
    cursor.hint = cadence
    days = _dated_phrase(cursor)
    if days.kind is not DeadlineKind.RECURRING or days.schedule is None:
        raise NoMatch
    if days.recurrence is cadence:
        return days
    if cadence is not Recurrence.YEARLY:
        raise NoMatch
    # Once a year, on the last of the days named: "báo cáo năm … của tháng cuối quý".
    return replace(days, recurrence=Recurrence.YEARLY)


def _qualifier(cursor: Cursor) -> _Effect | None:
    """One word or words before the date, and what it does to the reading."""
    for words, effect in _QUALIFIERS.get(cursor.peek(), ()):
        if cursor.take(*words):
            return effect
    return None


def _time_of_day(cursor: Cursor) -> bool:
    """ "15h", "15 giờ 30", "8h30 sáng": the hour does not change the due day."""
    if cursor.peek(1) not in _HOUR_WORDS:
        return False
    start = cursor.pos
    if cursor.number(0, 24) is not None and cursor.take_one(_HOUR_WORDS):
        if cursor.number(0, 59) is not None:
            cursor.take("phut")
        cursor.take_one(TIMES_OF_DAY)
        return True
    cursor.pos = start
    return False


def _yearly_period(cursor: Cursor, found: Span, *, strict: bool) -> Meaning:
    """Quý I hằng năm · tháng 12 hằng năm: a period without a year, every year."""
    if cadences(cursor) is not Recurrence.YEARLY:
        raise NoMatch
    day = found.start - timedelta(days=1) if strict else found.end
    if strict and day.year != found.start.year:
        raise NoMatch
    return _recurring_from(cursor, Recurrence.YEARLY, [Anchor(day.day, day.month)], strict=False)


def _ongoing_tail(cursor: Cursor) -> bool:
    """ "và các năm tiếp theo", "trở đi": the deadline never ends."""
    return (
        cursor.take("va", "cac", "nam", "tiep", "theo")
        or cursor.take("va", "nhung", "nam", "tiep", "theo")
        or cursor.take("tro", "di")
    )


def _from_span(cursor: Cursor, first: Span) -> Meaning:
    """Từ năm 2021 (ongoing) · từ tháng 3 đến tháng 6/2025 · Quý I/2025 - Quý II/2025."""
    if cursor.at_end() and first.is_range:
        return Meaning(
            DeadlineKind.FIXED, first.end, first.start, year_missing=not first.year_given
        )
    _ongoing_tail(cursor)
    if cursor.at_end():
        return Meaning(DeadlineKind.ONGOING, starts=first.start, year_missing=not first.year_given)
    if not cursor.take_one(RANGE_WORDS):
        raise NoMatch
    cursor.take("het")
    last = span(cursor)
    if last is None:
        raise NoMatch
    begin = first.start
    if not first.year_given and last.year_given:
        if first.start.month == 2 and first.start.day == 29:
            raise NoMatch  # read with a placeholder leap year: not a day of that year
        begin = begin.replace(year=last.start.year)
    if begin > last.end:
        raise NoMatch
    return Meaning(DeadlineKind.FIXED, last.end, begin, year_missing=not last.year_given)


def _anchored(cursor: Cursor, *, strict: bool) -> Meaning:
    """Days that come back: ngày 25 tháng 11 hằng năm · ngày 15/6 và ngày 15/12 hằng năm ·
    trước ngày 10 của tháng cuối quý · từ ngày 3 đến ngày 7 hằng tháng · thứ hai hằng tuần."""
    anchors = [_require_anchor(cursor)]
    while cursor.peek() in ("va", ",", "-", "den"):
        cursor.pos += 1
        anchors.append(_require_anchor(cursor))
    last = anchors[-1]
    if last.weekday is not None:
        if len(anchors) > 1 or (cadences(cursor) or cursor.hint) is not Recurrence.WEEKLY:
            raise NoMatch
        return _recurring_from(cursor, Recurrence.WEEKLY, anchors, strict=strict)
    if last.month is None:
        return _day_of_period(cursor, anchors, strict=strict)
    if any(anchor.month is None or anchor.day is None for anchor in anchors):
        raise NoMatch
    if cursor.take("cua", "nam", "bao", "cao") or cursor.take("hang", "nam"):
        cursor.take(",")
    else:
        _ = cursor.take("moi", "nam") or cadences(cursor)
    recurrence = {2: Recurrence.HALF_YEARLY, 4: Recurrence.QUARTERLY, 12: Recurrence.MONTHLY}
    return _recurring_from(
        cursor, recurrence.get(len(anchors), Recurrence.YEARLY), anchors, strict=strict
    )


def _require_anchor(cursor: Cursor) -> Anchor:
    anchor = day_anchor(cursor)
    if anchor is None:
        raise NoMatch
    return anchor


def _day_of_period(cursor: Cursor, anchors: list[Anchor], *, strict: bool) -> Meaning:
    """Ngày 12 của tháng báo cáo · ngày 10 của tháng cuối quý · ngày 3 đến 7 hằng tháng."""
    cursor.take("cua")
    months: tuple[int, ...]
    if cursor.take("thang", "cuoi", "quy"):
        months, recurrence = (3, 6, 9, 12), Recurrence.QUARTERLY
    elif cursor.take("thang", "dau", "quy"):
        months, recurrence = (1, 4, 7, 10), Recurrence.QUARTERLY
    elif cursor.take("thang", "bao", "cao") or cursor.take("thang"):
        months, recurrence = tuple(range(1, 13)), Recurrence.MONTHLY
    else:
        if (cadences(cursor) or cursor.hint) is not Recurrence.MONTHLY:
            raise NoMatch
        months, recurrence = tuple(range(1, 13)), Recurrence.MONTHLY
    found = cadences(cursor)
    if found is not None and found is not recurrence:
        raise NoMatch
    day = anchors[-1].day
    if day is None:
        raise NoMatch
    return _recurring_days(cursor, recurrence, [(month, day) for month in months], strict=strict)


def _recurring_from(
    cursor: Cursor, recurrence: Recurrence, anchors: list[Anchor], *, strict: bool
) -> Meaning:
    """A cadence alone takes the period's last day; anchors give their own days."""
    if not anchors:
        if cursor.peek() in _WEEKDAY_STARTS:
            found = weekday(cursor)
            if found is None or recurrence is not Recurrence.WEEKLY:
                raise NoMatch
            anchors = [Anchor(weekday=found)]
        elif recurrence is Recurrence.WEEKLY:
            anchors = [Anchor(weekday=4)]  # a weekly deadline with no day falls on Friday
        else:
            return _recurring_days(cursor, recurrence, list(_PERIOD_ENDS[recurrence]), strict)
    if strict and any(anchor.weekday is not None for anchor in anchors):
        raise NoMatch
    if anchors[0].weekday is None:
        days = [(anchor.month or 1, anchor.day or 1) for anchor in anchors]
        return _recurring_days(cursor, recurrence, days, strict)
    return _recurring_on(cursor, recurrence, (), anchors[0].weekday)


def _recurring_days(
    cursor: Cursor, recurrence: Recurrence, days: list[tuple[int, int]], strict: bool
) -> Meaning:
    """(month, day) pairs each year, in order; "trước" moves each to the day before."""
    pairs = tuple(day_before(month, day) for month, day in days) if strict else tuple(days)
    if len(set(pairs)) != len(pairs) or list(pairs) != sorted(pairs):
        raise NoMatch
    return _recurring_on(cursor, recurrence, pairs, None)


def _recurring_on(
    cursor: Cursor,
    recurrence: Recurrence,
    pairs: tuple[tuple[int, int], ...],
    weekday_number: int | None,
) -> Meaning:
    """The recurring meaning of days in order (or a weekday) across the plan's years."""
    days = RecurringDays(cursor.years, pairs, weekday_number)
    starts = date(cursor.years[0], 1, 1) if cursor.years else None
    return Meaning(DeadlineKind.RECURRING, days.last(), starts, recurrence, days)
