"""The Vietnamese deadline grammar: a plan's "Thời gian hoàn thành" phrase becomes a `Deadline`.

The phrase is folded once (case, diacritics and đ, dash, slash and space variants, NFC/NFD do not
count), cut into tokens ("QII" -> quy ii, "09 (chín)" -> 09), and read by a small
recursive-descent grammar (`_Reader`) whose rules are documented by their examples: qualifiers
("trước" strict, "chậm nhất"/"hạn" inclusive, "từ", "đến", "hết", "cuối"), then a cadence
("hằng quý"), a period (quarters, halves, months, years, spans of years) or days, then what may
follow (a cadence, "của tháng cuối quý", "và các năm tiếp theo", "đến <period>", a note).
Semantics: `docs/spec/deadlines.md`; a period without a day ends on its last day.

Speed (`bench/deadlines.py`, >= 50x dateparser without the cache): the fold is one
`str.translate`, the tokens one regex (an ASCII one for the usual folded phrase); the rules look
the next word up in sets and tables (`_HEAD_RULES`, `_YEARS`) instead of trying each alternative,
and records are built whole (`_record`, `_deadline`), not through keyword arguments. The
commonest phrases (a year, years, a half year, a quarter, a month or a day, with a year and
nothing after) are read by `_plain_period` without the reader, exactly as the reader reads them
(a property test holds the two together); everything else goes through the grammar.

Decisions the spec leaves open:
- A phrase with no year in a plan of several years (or of none) is `unrecognised` with due None
  and the single flag `ambiguous_year` (not `unrecognised_deadline`): the phrase is understood,
  only its year is not, and the importer asks instead of guessing. One plan year is used as is.
- Recurring deadlines start on 1 January of the plan's first year; `due` is the last occurrence;
  with no plan years they have no dates. Weekly ones with no weekday fall on Friday.
- "Cuối năm 2026" keeps the year as its window, like "Cuối tháng 8/2025" in the spec; "đến",
  "hết", "trước" and "các tháng cuối" give no window start.
- "Từ <period>" is ongoing, except over a span ("từ quý I - II/2025", "từ tháng 3 đến tháng 6"),
  which is fixed from its start to its end.
- Words the grammar does not know make the phrase unrecognised ("đầu tháng 6", "sớm"), except
  trailing words from "theo", "tùy", "căn cứ" or a bracket on, which become the note.
- A yearly reading of a quarterly phrase (seed 003's "báo cáo năm") needs the sentence around
  it: the importer replaces the recurrence, and `occurrences()` then keeps each year's last day.
"""

import calendar
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import NamedTuple


class DeadlineKind(StrEnum):
    """What sort of deadline a phrase states."""

    FIXED = "fixed"
    RECURRING = "recurring"
    ONGOING = "ongoing"
    AWAITING_DIRECTION = "awaiting_direction"
    UNRECOGNISED = "unrecognised"


class Recurrence(StrEnum):
    """How often a recurring deadline comes back."""

    YEARLY = "yearly"
    HALF_YEARLY = "half_yearly"
    QUARTERLY = "quarterly"
    MONTHLY = "monthly"
    WEEKLY = "weekly"


class DeadlineFlag(StrEnum):
    """Why an imported deadline needs a person to look at it."""

    BEFORE_PLAN_DATE = "deadline_before_plan_date"
    AMBIGUOUS_YEAR = "ambiguous_year"
    UNRECOGNISED = "unrecognised_deadline"


@dataclass(frozen=True, slots=True)
class Schedule:
    """Where a recurring deadline falls: (month, day) anchors in each year, or a weekday."""

    years: tuple[int, ...]
    anchors: tuple[tuple[int, int], ...] = ()
    """(month, day) pairs in year order; a day past the month's end means its last day."""
    weekday: int | None = None
    """0 = Monday; set for weekly deadlines instead of anchors."""

    def last(self) -> date | None:
        """The last occurrence (whatever the recurrence, the year's last anchor is its last)."""
        if not self.years:
            return None
        year = self.years[-1]
        if self.weekday is not None:
            end = date(year, 12, 31)
            return end - timedelta(days=(end.weekday() - self.weekday) % 7)
        if not self.anchors:
            return None
        month, day = self.anchors[-1]
        return _clamped(year, month, day)

    def dates(self, recurrence: Recurrence | None) -> list[date]:
        """Every occurrence across the years, in order."""
        if self.weekday is not None:
            if not self.years:
                return []
            first = date(self.years[0], 1, 1)
            first += timedelta(days=(self.weekday - first.weekday()) % 7)
            last = date(self.years[-1], 12, 31)
            count = (last - first).days // 7 + 1
            wanted = set(self.years)
            every = (first + timedelta(weeks=n) for n in range(count))
            return [day for day in every if day.year in wanted]
        anchors = self.anchors
        if recurrence is Recurrence.YEARLY and len(anchors) > 1:
            anchors = anchors[-1:]  # "báo cáo năm" sent with the last quarterly report
        return [_clamped(year, month, day) for year in self.years for month, day in anchors]


@dataclass(frozen=True, slots=True)
class Deadline:
    """A deadline phrase, verbatim, with what it means."""

    text: str
    kind: DeadlineKind
    due: date | None = None
    starts: date | None = None
    recurrence: Recurrence | None = None
    note: str | None = None
    flags: tuple[str, ...] = ()
    schedule: Schedule | None = None

    def occurrences(self, until: date | None = None) -> list[date]:
        """The dates a recurring deadline falls on within the plan's years (up to `until`)."""
        if self.schedule is None:
            return []
        dates = self.schedule.dates(self.recurrence)
        if until is not None:
            dates = [day for day in dates if day <= until]
        return dates

    def to_json(self) -> dict[str, str | None]:
        """The deadline object of `tests/data/seeds/expected/SCHEMA.md` (flags are the task's)."""
        return {
            "text": self.text,
            "kind": self.kind.value,
            "due": self.due.isoformat() if self.due else None,
            "starts": self.starts.isoformat() if self.starts else None,
            "recurrence": self.recurrence.value if self.recurrence else None,
            "note": self.note,
        }


(
    _SET_TEXT,
    _SET_KIND,
    _SET_DUE,
    _SET_STARTS,
    _SET_RECURRENCE,
    _SET_NOTE,
    _SET_FLAGS,
    _SET_SCHEDULE,
) = (Deadline.__dict__[field.name].__set__ for field in fields(Deadline))  # a new field fails here


def _deadline(
    text: str,
    kind: DeadlineKind,
    due: date | None,
    starts: date | None,
    recurrence: Recurrence | None,
    note: str | None,
    flags: tuple[str, ...],
    schedule: Schedule | None,
) -> Deadline:
    """`Deadline(...)` through its slots: a frozen dataclass's `__init__` sets each field with
    `object.__setattr__`, which costs more than the grammar spends on a short phrase."""
    deadline: Deadline = object.__new__(Deadline)
    _SET_TEXT(deadline, text)
    _SET_KIND(deadline, kind)
    _SET_DUE(deadline, due)
    _SET_STARTS(deadline, starts)
    _SET_RECURRENCE(deadline, recurrence)
    _SET_NOTE(deadline, note)
    _SET_FLAGS(deadline, flags)
    _SET_SCHEDULE(deadline, schedule)
    return deadline


# --- folding -------------------------------------------------------------------------------

_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d")
_SLASHES = frozenset("\u2044\u2215\u29f8\uff0f")
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff")


def _fold_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _DASHES:
        return "-"
    if char in _SLASHES:
        return "/"
    if char.isspace():
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    base = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    base = base.replace("đ", "d")
    if len(base) == 1 or base == char:
        return base
    return "".join(_fold_char(c) if c != char else c for c in base)


class _FoldTable(dict[int, str]):
    """A `str.translate` table filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


_FOLD = _FoldTable()


def _original_offset(text: str, folded_offset: int) -> int:
    """The index in `text` of the character that folded to position `folded_offset`."""
    if folded_offset == 0:
        return 0
    if (
        folded_offset <= len(text)
        and len(text[:folded_offset].translate(_FOLD)) == folded_offset
        and _FOLD[ord(text[folded_offset - 1])]
    ):
        return folded_offset  # every character before it folded to one (NFC Vietnamese)
    seen = 0
    for index, char in enumerate(text):
        if seen >= folded_offset:
            return index
        seen += len(_FOLD[ord(char)])
    return len(text)


# --- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(r"\d+|[^\W\d_]+|\S")
_ASCII_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+|\S")  # the same tokens for ASCII text, sooner
_Q_ROMAN = re.compile(r"q(i{1,3}|iv|v|vi{1,3}|ix|x)")
_NUMBER_WORDS = frozenset(
    [
        "khong",
        "mot",
        "hai",
        "ba",
        "bon",
        "tu",
        "nam",
        "lam",
        "nham",
        "sau",
        "bay",
        "tam",
        "chin",
        "muoi",
        "linh",
        "le",
        "tram",
        "nghin",
        "ngan",
        "trieu",
    ]
)
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8, "ix": 9}
_ROMAN.update({"x": 10, "xi": 11, "xii": 12})
_QUARTER_NUMBERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _tokenise(folded: str) -> tuple[list[str], list[int]]:
    """Tokens of a folded phrase, with where each starts; "QII" splits and "(chín)" goes."""
    pattern = _ASCII_TOKEN if folded.isascii() else _TOKEN
    tokens: list[str] = pattern.findall(folded)
    starts = [match.start() for match in pattern.finditer(folded)]
    if _may_split_quarters(folded):
        _split_quarters(tokens, starts)
    if "(" in tokens:
        _drop_number_words(tokens, starts)
    return tokens, starts


def _tokens(folded: str) -> list[str]:
    """`_tokenise` without the offsets, which only a note needs."""
    tokens: list[str] = (_ASCII_TOKEN if folded.isascii() else _TOKEN).findall(folded)
    if _may_split_quarters(folded):
        _split_quarters(tokens, None)
    if "(" in tokens:
        _drop_number_words(tokens, None)
    return tokens


def _may_split_quarters(folded: str) -> bool:
    """Whether a "q" other than that of "quy" is there ("QII", "Q 2"): a quick check first."""
    return "q" in folded and folded.count("q") > folded.count("quy")


def _split_quarters(tokens: list[str], starts: list[int] | None) -> None:
    """ "QII" becomes quy, ii and "Q" quy, in place (and their starts)."""
    for index in range(len(tokens) - 1, -1, -1):
        token = tokens[index]
        if token[0] == "q" and (token == "q" or _Q_ROMAN.fullmatch(token)):
            tokens[index] = "quy"
            if token != "q":
                tokens.insert(index + 1, token[1:])
                if starts is not None:
                    starts.insert(index + 1, starts[index] + 1)


def fold_tokens(text: str) -> list[str]:
    """The tokens the grammar reads: folded words, numbers, punctuation ("Quý II": quy, ii)."""
    return _tokens(text.translate(_FOLD))


def _drop_number_words(tokens: list[str], starts: list[int] | None) -> None:
    """Remove "(chín)", "(hai mươi lăm)": a number repeated in words after its digits."""
    index = 0
    for _ in range(tokens.count("(")):  # each round keeps or removes one bracket
        index = tokens.index("(", index)
        if index > 0 and tokens[index - 1].isdigit():
            end = index + 1
            while end < len(tokens) and tokens[end] in _NUMBER_WORDS:
                end += 1
            if end > index + 1 and end < len(tokens) and tokens[end] == ")":
                del tokens[index : end + 1]
                if starts is not None:
                    del starts[index : end + 1]
                continue
        index += 1


# --- the grammar ---------------------------------------------------------------------------

_FREQUENCY = [
    Recurrence.WEEKLY,
    Recurrence.MONTHLY,
    Recurrence.QUARTERLY,
    Recurrence.HALF_YEARLY,
    Recurrence.YEARLY,
]
_UNIT_CADENCE = {
    "nam": Recurrence.YEARLY,
    "quy": Recurrence.QUARTERLY,
    "thang": Recurrence.MONTHLY,
    "tuan": Recurrence.WEEKLY,
}
_MONTHS_CADENCE = {
    1: Recurrence.MONTHLY,
    3: Recurrence.QUARTERLY,
    6: Recurrence.HALF_YEARLY,
    12: Recurrence.YEARLY,
}
_WEEKDAY_WORDS = {"hai": 0, "ba": 1, "tu": 2, "nam": 3, "sau": 4, "bay": 5}
_AWAITING_AFTER_THEO = frozenset(
    ["ke", "chi", "huong", "yeu", "van", "quy", "thong", "lich", "tien", "su", "y", "de", "nhu"]
)  # "theo kế hoạch/chỉ đạo/hướng dẫn/yêu cầu/văn bản/quy định/thông báo/lịch ..."
_ANY_WORD = frozenset(("theo", "tuy"))
_NOTE_HEADS = _ANY_WORD | {"(", "can"}  # "(theo …)", "theo …", "tùy …", "căn cứ …"
_WEEKDAY_HEADS = frozenset(["sang", "chieu", "toi", "chu", "cn", "thu"])
_KEYWORD_HEADS = frozenset(["thuong", "lien", "hang", "theo", "dot", "khi"])


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
_CADENCE_HEADS = frozenset(["dinh", "hang", "moi", "nua", "mot"])
_CADENCE_UNITS = frozenset(("thang", "lan"))  # "6 tháng/lần", "1 lần/năm"
_QUALIFIERS: dict[str, list[tuple[tuple[str, ...], _Effect]]] = {}
for _words, _effect in _QUALIFIER_LIST:
    _QUALIFIERS.setdefault(_words[0], []).append((_words, _effect))

_SEPARATORS = frozenset((",", "va", "-", ";", "&", "+"))
_LIST_JOINS = _SEPARATORS | {"den"}  # "Quý I, II", "tháng 9 đến tháng 10"
_RANGE_WORDS = frozenset(("-", "den", "toi"))
_YEAR_LEADS = frozenset(("/", "-", ".", "nam"))
_HOUR_WORDS = frozenset(("h", "gio"))
_SECOND_HALF = frozenset(("cuoi", "sau"))  # 6 tháng cuối năm · 6 tháng sau năm
_TIMES_OF_DAY = frozenset(("sang", "chieu", "toi"))
_CADENCE_JOINS = frozenset((",", "va", ";", "-"))  # hằng tháng, hằng quý
_CADENCE_COLONS = frozenset((",", ":", "-"))  # hằng quý: trước ngày 10 …
_EVERY = frozenset(("hang", "moi"))
_ONCE = frozenset(("1", "mot"))
_AFTER_SPAN = frozenset(("va", ",", "tro", "hang", "moi", "dinh", "cua", "-", "den", "toi"))
"""The words `dated_phrase` looks for after a period or day; other words end its reading."""
_TRAILING = frozenset((".", ",", ";", ":", "-", "/"))
_MIN_YEAR, _MAX_YEAR = 1900, 2200
_SMALL_NUMBERS = {str(n): n for n in range(100)} | {f"{n:02d}": n for n in range(10)}  # "07"
_YEARS = {str(year): year for year in range(_MIN_YEAR, _MAX_YEAR + 1)}  # "2025" -> 2025


class _NoMatch(Exception):
    """The phrase does not follow the grammar here."""


class _Span(NamedTuple):
    """A period or a day, resolved with the default year when the phrase gave none."""

    start: date
    end: date
    is_day: bool
    year_given: bool
    is_range: bool = False
    """Several quarters, months or years ("Quý III - IV", "2021 - 2025"): "từ" keeps its end."""


class _Anchor(NamedTuple):
    """A day with no year ("ngày 25/11", "ngày 12", "thứ hai"), for recurring deadlines."""

    day: int | None = None
    month: int | None = None
    weekday: int | None = None


class _Meaning(NamedTuple):
    kind: DeadlineKind
    due: date | None = None
    starts: date | None = None
    recurrence: Recurrence | None = None
    schedule: Schedule | None = None
    year_missing: bool = False


_record = tuple.__new__
"""`_record(_Span, (start, end, is_day, year_given, is_range))`: a record from all its fields in
order, without the Python-level `__new__` of a NamedTuple (defaults, keywords), which would cost
more than the rule that reads it: every phrase builds a few."""
_LOOKAHEAD = ["", "", "", "", ""]  # after the tokens, so that looking ahead needs no bounds
_PLACEHOLDER_YEAR = 2000  # a leap year: "29/2" without a year stays readable until resolved


class _Reader:
    """Recursive descent over the tokens of one phrase."""

    __slots__ = ("default_year", "end", "hint", "periodic", "pos", "tokens", "years")

    def __init__(self, tokens: list[str], years: tuple[int, ...]) -> None:
        self.end = len(tokens)
        self.tokens = tokens + _LOOKAHEAD
        self.pos = 0
        self.years = years
        self.default_year = years[0] if len(years) == 1 else None
        self.periodic = False  # "định kỳ" was read: "6 tháng" is then a cadence
        self.hint: Recurrence | None = None  # "hằng tháng, chậm nhất ngày 12": days of months

    # -- primitives --

    def peek(self, ahead: int = 0) -> str:
        return self.tokens[self.pos + ahead]

    def at_end(self) -> bool:
        return self.pos >= self.end

    def take(self, *words: str) -> bool:
        pos = self.pos
        tokens = self.tokens
        if tokens[pos] != words[0]:
            return False
        end = pos + len(words)
        if end > pos + 1 and tuple(tokens[pos:end]) != words:
            return False
        self.pos = end
        return True

    def take_one(self, words: frozenset[str]) -> bool:
        """Take the next token if it is one of `words` ("hằng" or "mỗi", "đến" or "-")."""
        if self.tokens[self.pos] in words:
            self.pos += 1
            return True
        return False

    def number(self, low: int, high: int) -> int | None:
        token = self.tokens[self.pos]
        value = _SMALL_NUMBERS.get(token)
        if value is None:
            if not token.isdigit() or len(token) > 4:
                return None
            value = int(token)
        if low <= value <= high:
            self.pos += 1
            return value
        return None

    def year(self) -> int | None:
        token = self.tokens[self.pos]
        value = _YEARS.get(token)
        if value is None:
            if len(token) != 4 or not token.isdigit():
                return None
            value = int(token)  # digits of another script
            if not _MIN_YEAR <= value <= _MAX_YEAR:
                return None
        self.pos += 1
        return value

    def year_suffix(self) -> int | None:
        """ "/2025", "năm 2025", "-2025", " 2025" after a quarter, month or day."""
        tokens = self.tokens
        start = pos = self.pos
        if tokens[pos] in _YEAR_LEADS and tokens[pos + 1].isdigit():
            pos += 1
        found = _YEARS.get(tokens[pos])  # the common year first, `year` for any other digits
        if found is not None:
            self.pos = pos + 1
            return found
        self.pos = pos
        found = self.year()
        if found is None:
            self.pos = start
        return found

    def resolve_year(self, found: int | None) -> tuple[int, bool]:
        if found is not None:
            return found, True
        return (self.default_year or _PLACEHOLDER_YEAR), False

    # -- periods --

    def span(self) -> _Span | None:
        """Any period or day, chosen by its first word; longer forms are tried first."""
        start = self.pos
        head = self.tokens[start]
        rules = _HEAD_RULES.get(head)
        if rules is None:
            rules = _number_rules(head) if head.isdigit() else _DAY_RULE
        for rule in rules:
            found = rule(self)
            if found is not None:
                return found
            self.pos = start
        return None

    def quarters(self) -> _Span | None:
        """Quý I/2025 · Quý 1 năm 2025 · QII/2025 · Quý III - IV/2025 · Quý I, II/2025 · Quý II."""
        tokens = self.tokens
        self.pos += tokens[self.pos] == "cac"  # "các quý"
        if tokens[self.pos] != "quy":
            return None
        self.pos += 1 + (tokens[self.pos + 1] == ".")  # "quý. II"
        first = last = self.quarter_number()
        while self.tokens[self.pos] in _LIST_JOINS:
            mark = self.pos
            self.pos += 1
            self.take("quy")
            if self.peek() in ("", "/") or (self.peek().isdigit() and len(self.peek()) == 4):
                self.pos = mark
                break
            number = self.quarter_number()
            first, last = min(first, number), max(last, number)
        year, given = self.resolve_year(self.year_suffix())
        ends = _month_end(year, 3 * last)
        return _record(_Span, (date(year, 3 * first - 2, 1), ends, False, given, first != last))

    def quarter_number(self) -> int:
        token = self.tokens[self.pos]
        value = _QUARTER_NUMBERS.get(token)  # the common spellings first
        if value is not None:
            self.pos += 1
            return value
        value = _ROMAN.get(token) if token.isalpha() else None
        if value is None and token.isdigit() and len(token) <= 2:
            value = int(token)
        if value is None or not 1 <= value <= 4:
            raise _NoMatch
        self.pos += 1
        return value

    def half_year(self) -> _Span | None:
        """6 tháng đầu năm 2025 · 6 tháng cuối năm · nửa đầu năm 2025 · nửa cuối năm."""
        if not (self.take("6", "thang") or self.take("sau", "thang") or self.take("nua")):
            return None
        if self.take("dau"):
            months = (1, 6)
        elif self.take_one(_SECOND_HALF):
            months = (7, 12)
        else:
            return None
        if not self.take("nam"):
            return None
        year, given = self.resolve_year(self.year_suffix())
        starts = date(year, months[0], 1)
        return _record(_Span, (starts, _month_end(year, months[1]), False, given, False))

    def months(self) -> _Span | None:
        """Tháng 6/2025 · tháng 02 năm 2024 · tháng 9, tháng 10 năm 2025 · tháng 9-10/2025."""
        tokens = self.tokens
        self.pos += tokens[self.pos] == "cac"  # "các tháng"
        head = tokens[self.pos]
        if not (head == "thang" or (head == "t" and tokens[self.pos + 1].isdigit())):
            return None
        self.pos += 1
        first = last = self.month_number()
        while tokens[self.pos] in _LIST_JOINS:
            mark = self.pos
            self.pos += 1
            self.take("thang")
            value = self.number(1, 12)
            if value is None:
                self.pos = mark
                break
            first, last = min(first, value), max(last, value)
        year, given = self.resolve_year(self.year_suffix())
        ends = _month_end(year, last)
        return _record(_Span, (date(year, first, 1), ends, False, given, first != last))

    def month_number(self) -> int:
        value = self.number(1, 12)
        if value is None:
            raise _NoMatch
        return value

    def year_range(self) -> _Span | None:
        """Giai đoạn 2021 - 2025 · nhiệm kỳ 2026 - 2031 · năm 2021 đến năm 2025 · 2021-2025."""
        tokens = self.tokens
        if tokens[self.pos] in ("giai", "nhiem", "cac"):
            _ = self.take("giai", "doan") or self.take("nhiem", "ky") or self.take("cac", "nam")
        self.pos += tokens[self.pos] == "nam"
        if tokens[self.pos + 1] not in _RANGE_WORDS:  # not a year then "-", "đến" or "tới"
            return None
        first = self.year()
        if first is None:
            return None
        self.pos += 1
        self.take("nam")
        last = self.year()
        if last is None or last < first:
            return None
        return _record(_Span, (date(first, 1, 1), date(last, 12, 31), False, True, True))

    def year_only(self) -> _Span | None:
        """Năm 2025 · 2025 · (trong) năm: the plan's year."""
        named = self.tokens[self.pos] == "nam"
        self.pos += named
        found = self.year()
        if found is None and not (named and self.peek() in ("", "(", ".", ",", ";")):
            return None
        year, given = self.resolve_year(found)
        return _record(_Span, (date(year, 1, 1), date(year, 12, 31), False, given, False))

    def day(self) -> _Span | None:
        """15/7/2025 · ngày 15/7 · ngày 10 tháng 3 năm 2025 · 15-7-2025 · 15.7.2025."""
        anchor = self.day_anchor()
        if anchor is None or anchor.month is None or anchor.day is None:
            return None
        year, given = self.resolve_year(self.year_suffix())
        day = _valid_date(year, anchor.month, anchor.day)
        return _record(_Span, (day, day, True, given, False))

    def day_anchor(self) -> _Anchor | None:
        """Ngày 25/11 · ngày 25 tháng 11 · ngày 12 (no month) · thứ hai."""
        tokens = self.tokens
        if tokens[self.pos] in _WEEKDAY_HEADS:
            weekday = self.weekday()
            if weekday is not None:
                return _Anchor(weekday=weekday)
        has_word = tokens[self.pos] == "ngay"
        self.pos += has_word
        day = self.number(1, 31)
        if day is None:
            return None
        after, month = tokens[self.pos], tokens[self.pos + 1]
        if (after in ("/", "-", ".") and month.isdigit() and len(month) <= 2) or after == "thang":
            self.pos += 1  # "15/7", "15-7", "15.7", "15 tháng 7"
            return _record(_Anchor, (day, self.month_number(), None))
        return _Anchor(day) if has_word else None

    def weekday(self) -> int | None:
        """Thứ hai · thứ 2 · chủ nhật (morning/afternoon words before it are skipped)."""
        start = self.pos
        if self.peek() not in _WEEKDAY_HEADS:
            return None
        self.take_one(_TIMES_OF_DAY)
        if self.take("chu", "nhat") or self.take("cn"):
            return 6
        if self.take("thu"):
            token = self.peek()
            value = _WEEKDAY_WORDS.get(token)
            if value is None and token in ("2", "3", "4", "5", "6", "7"):
                value = int(token) - 2
            if value is not None:
                self.pos += 1
                return value
        self.pos = start
        return None

    # -- cadences --

    def cadences(self) -> Recurrence | None:
        """Hằng năm · định kỳ hằng quý · hằng tháng, hằng quý · mỗi tháng 1 lần · 6 tháng/lần."""
        found: list[Recurrence] = []
        while True:
            start = self.pos
            if found:
                if start >= self.end:
                    break
                self.take_one(_CADENCE_JOINS)
                bare = _UNIT_CADENCE.get(self.peek())  # "hằng quý, năm"
                if bare is not None:
                    self.pos += 1
                    found.append(bare)
                    continue
            cadence = self.cadence()
            if cadence is None:
                self.pos = start
                break
            found.append(cadence)
        if len(found) < 2:  # one cadence, or none
            return found[0] if found else None
        return min(found, key=_FREQUENCY.index)

    def cadence(self) -> Recurrence | None:
        if not _starts_cadence(self.peek(), self.peek(1)):
            return None
        periodic = self.take("dinh", "ky") or self.periodic
        if self.take_one(_EVERY):
            cadence = _UNIT_CADENCE.get(self.peek())
            if cadence is None:
                return None
            self.pos += 1
            self.times_once()
            return cadence
        if self.take("nua", "nam"):
            self.times_once()
            return Recurrence.HALF_YEARLY
        start = self.pos
        months = self.number(1, 12)
        if months is not None and self.take("thang") and (self.times_once() or periodic):
            return _MONTHS_CADENCE.get(months)
        self.pos = start
        if self.peek(1) == "lan" and self.peek() in _ONCE:  # "1 lần", "một lần"
            self.pos += 2
            _ = self.take("/") or self.take("moi") or self.take("trong", "1") or self.take("tren")
            cadence = _UNIT_CADENCE.get(self.peek())
            if cadence is not None:
                self.pos += 1
            return cadence
        return None

    def times_once(self) -> bool:
        """ "1 lần", "một lần", "/lần" after a cadence add nothing but say it is one."""
        if self.peek(1) == "lan" and self.peek() in ("1", "mot", "/"):
            self.pos += 2
            return True
        return False

    # -- whole phrases --

    def phrase(self) -> _Meaning:
        """The whole phrase; raises `_NoMatch` if anything is left over."""
        tokens = self.tokens
        meaning = self.keyword_phrase() if tokens[0] in _KEYWORD_HEADS else None
        if meaning is None:
            meaning = self.dated_phrase()
        end = self.pos
        while tokens[end] in _TRAILING:
            end += 1
        if end < self.end:
            raise _NoMatch
        self.pos = end
        return meaning

    def keyword_phrase(self) -> _Meaning | None:
        """Thường xuyên · Liên tục · Theo kế hoạch của thành phố · đột xuất theo yêu cầu."""
        tokens = self.tokens
        if tokens[0] not in _KEYWORD_HEADS:
            return None
        first = (tokens[0], tokens[1])
        if first in (("thuong", "xuyen"), ("lien", "tuc"), ("hang", "ngay")):
            self.pos = 2
            while self.peek() in (",", "va", "-", "thuong", "xuyen", "lien", "tuc"):
                self.pos += 1
            return self.ongoing_within()
        if tokens[0] == "theo" and self.peek(1) in _AWAITING_AFTER_THEO:
            self.pos = self.end
            return _Meaning(DeadlineKind.AWAITING_DIRECTION)
        if first in (("dot", "xuat"), ("khi", "co")):
            self.pos = self.end
            return _Meaning(DeadlineKind.AWAITING_DIRECTION)
        return None

    def ongoing_within(self) -> _Meaning:
        """Thường xuyên · thường xuyên trong năm 2025 (from its start) · thường xuyên, hằng năm
        (a cadence after it is what the reminders can follow)."""
        if self.at_end() or self.peek() in _TRAILING or self.peek() in _ANY_WORD:
            return _Meaning(DeadlineKind.ONGOING)
        cadence = self.cadences()
        if cadence is not None:
            return self.recurring_from(cadence, [], strict=False)
        self.take("trong")
        span = self.span()
        if span is None or span.is_day:
            raise _NoMatch
        if not span.year_given and self.default_year is None:
            return _Meaning(DeadlineKind.ONGOING)  # "trong năm" of a long plan: every year
        return _Meaning(DeadlineKind.ONGOING, starts=span.start)

    def dated_phrase(self) -> _Meaning:
        """Qualifiers, then a cadence, a period, a day or days, then what follows them."""
        tokens = self.tokens
        strict = no_start = from_here = False
        while tokens[self.pos] in _QUALIFIERS or tokens[self.pos + 1] in _HOUR_WORDS:
            effect = self.qualifier()
            if effect is None:
                if self.time_of_day():
                    continue
                break
            if effect is _Effect.STRICT:
                strict = True
            elif effect is _Effect.NO_START:
                no_start = True
            elif effect is _Effect.FROM:
                from_here = True
            elif effect is _Effect.PERIODIC:
                self.periodic = True
        start = self.pos
        if start >= self.end:
            raise _NoMatch
        head = tokens[start]
        if head in _CADENCE_HEADS or (head.isdigit() and tokens[start + 1] in _CADENCE_UNITS):
            cadence = self.cadences()
            if cadence is not None:
                return self.cadence_then_days(cadence, strict=strict)
        span = self.span()
        if span is None:
            self.pos = start
            return self.anchored(strict=strict)
        if from_here:
            return self.from_span(span)
        after = tokens[self.pos]  # what follows the period or day
        if after in _AFTER_SPAN or self.hint is not None:
            if after in ("va", ",") and span.is_day:
                self.pos = start
                return self.anchored(strict=strict)
            if after in ("va", "tro") and self.ongoing_tail():
                return _Meaning(
                    DeadlineKind.ONGOING, starts=span.start, year_missing=not span.year_given
                )
            repeated = self.hint is not None and not span.year_given  # "hằng năm, ngày 18/12"
            if span.is_day and (after in ("hang", "moi", "dinh", "cua") or repeated):
                self.pos = start
                return self.anchored(strict=strict)
            if not span.year_given and after in ("hang", "moi"):
                return self.yearly_period(span, strict=strict)
            if after in ("-", "den", "toi") and not strict:
                return self.from_span(span)
        # The common end: (kind, due, starts, recurrence, schedule, year_missing).
        missing = not span.year_given
        if strict:
            due = span.start - timedelta(days=1)
            return _record(_Meaning, (DeadlineKind.FIXED, due, None, None, None, missing))
        starts = None if span.is_day or no_start else span.start
        return _record(_Meaning, (DeadlineKind.FIXED, span.end, starts, None, None, missing))

    def cadence_then_days(self, cadence: Recurrence, *, strict: bool) -> _Meaning:
        """Hằng quý · hằng quý, trước ngày 10 của tháng cuối quý · hằng tháng, chậm nhất ngày 12 ·
        hằng năm, trước ngày 10 của tháng cuối quý (the yearly one: each year's last day)."""
        mark = self.pos
        self.take_one(_CADENCE_COLONS)
        if self.at_end() or self.peek() in _TRAILING or self.peek() in _ANY_WORD:
            self.pos = mark
            return self.recurring_from(cadence, [], strict=strict)
        self.hint = cadence
        days = self.dated_phrase()
        if days.kind is not DeadlineKind.RECURRING or days.schedule is None:
            raise _NoMatch
        if days.recurrence is cadence:
            return days
        if cadence is not Recurrence.YEARLY:
            raise _NoMatch
        # Once a year, on the last of the days named: "báo cáo năm … của tháng cuối quý".
        return days._replace(recurrence=Recurrence.YEARLY)

    def qualifier(self) -> _Effect | None:
        """One word or words before the date, and what it does to the reading."""
        for words, effect in _QUALIFIERS.get(self.peek(), ()):
            if self.take(*words):
                return effect
        return None

    def time_of_day(self) -> bool:
        """ "15h", "15 giờ 30", "8h30 sáng": the hour does not change the due day."""
        if self.peek(1) not in ("h", "gio"):
            return False
        start = self.pos
        if self.number(0, 24) is not None and self.take_one(_HOUR_WORDS):
            if self.number(0, 59) is not None:
                self.take("phut")
            self.take_one(_TIMES_OF_DAY)
            return True
        self.pos = start
        return False

    def yearly_period(self, span: _Span, *, strict: bool) -> _Meaning:
        """Quý I hằng năm · tháng 12 hằng năm: a period without a year, every year."""
        if self.cadences() is not Recurrence.YEARLY:
            raise _NoMatch
        day = span.start - timedelta(days=1) if strict else span.end
        if strict and day.year != span.start.year:
            raise _NoMatch
        return self.recurring_from(Recurrence.YEARLY, [_Anchor(day.day, day.month)], strict=False)

    def ongoing_tail(self) -> bool:
        """ "và các năm tiếp theo", "trở đi": the deadline never ends."""
        if self.peek() not in ("va", "tro"):
            return False
        return (
            self.take("va", "cac", "nam", "tiep", "theo")
            or self.take("va", "nhung", "nam", "tiep", "theo")
            or self.take("tro", "di")
        )

    def from_span(self, first: _Span) -> _Meaning:
        """Từ năm 2021 (ongoing) · từ tháng 3 đến tháng 6/2025 · Quý I/2025 - Quý II/2025."""
        if self.at_end() and first.is_range:
            return _Meaning(
                DeadlineKind.FIXED,
                due=first.end,
                starts=first.start,
                year_missing=not first.year_given,
            )
        self.ongoing_tail()
        if self.at_end():
            return _Meaning(
                DeadlineKind.ONGOING, starts=first.start, year_missing=not first.year_given
            )
        if not self.take_one(_RANGE_WORDS):
            raise _NoMatch
        self.take("het")
        last = self.span()
        if last is None:
            raise _NoMatch
        begin = first.start
        if not first.year_given and last.year_given:
            if first.start.month == 2 and first.start.day == 29:
                raise _NoMatch  # read with a placeholder leap year: not a day of that year
            begin = begin.replace(year=last.start.year)
        if begin > last.end:
            raise _NoMatch
        return _Meaning(
            DeadlineKind.FIXED, due=last.end, starts=begin, year_missing=not last.year_given
        )

    def anchored(self, *, strict: bool) -> _Meaning:
        """Days that come back: ngày 25 tháng 11 hằng năm · ngày 15/6 và ngày 15/12 hằng năm ·
        trước ngày 10 của tháng cuối quý · từ ngày 3 đến ngày 7 hằng tháng · thứ hai hằng tuần."""
        anchors = [self.require_anchor()]
        while self.peek() in ("va", ",", "-", "den"):
            self.pos += 1
            anchors.append(self.require_anchor())
        last = anchors[-1]
        if last.weekday is not None:
            if len(anchors) > 1 or (self.cadences() or self.hint) is not Recurrence.WEEKLY:
                raise _NoMatch
            return self.recurring_from(Recurrence.WEEKLY, anchors, strict=strict)
        if last.month is None:
            return self.day_of_period(anchors, strict=strict)
        if any(anchor.month is None or anchor.day is None for anchor in anchors):
            raise _NoMatch
        if self.take("cua", "nam", "bao", "cao") or self.take("hang", "nam"):
            self.take(",")
        else:
            _ = self.take("moi", "nam") or self.cadences()
        recurrence = {2: Recurrence.HALF_YEARLY, 4: Recurrence.QUARTERLY, 12: Recurrence.MONTHLY}
        return self.recurring_from(
            recurrence.get(len(anchors), Recurrence.YEARLY), anchors, strict=strict
        )

    def require_anchor(self) -> _Anchor:
        anchor = self.day_anchor()
        if anchor is None:
            raise _NoMatch
        return anchor

    def day_of_period(self, anchors: list[_Anchor], *, strict: bool) -> _Meaning:
        """Ngày 12 của tháng báo cáo · ngày 10 của tháng cuối quý · ngày 3 đến 7 hằng tháng."""
        self.take("cua")
        months: tuple[int, ...]
        if self.take("thang", "cuoi", "quy"):
            months, recurrence = (3, 6, 9, 12), Recurrence.QUARTERLY
        elif self.take("thang", "dau", "quy"):
            months, recurrence = (1, 4, 7, 10), Recurrence.QUARTERLY
        elif self.take("thang", "bao", "cao") or self.take("thang"):
            months, recurrence = tuple(range(1, 13)), Recurrence.MONTHLY
        else:
            found = self.cadences() or self.hint
            if found is not Recurrence.MONTHLY:
                raise _NoMatch
            months, recurrence = tuple(range(1, 13)), Recurrence.MONTHLY
        found = self.cadences()
        if found is not None and found is not recurrence:
            raise _NoMatch
        day = anchors[-1].day
        if day is None:
            raise _NoMatch
        return self.recurring_days(recurrence, [(month, day) for month in months], strict=strict)

    def recurring_from(
        self, recurrence: Recurrence, anchors: list[_Anchor], *, strict: bool
    ) -> _Meaning:
        """A cadence alone takes the period's last day; anchors give their own days."""
        if not anchors:
            if self.peek() in ("thu", "sang", "chieu", "chu", "cn"):
                weekday = self.weekday()
                if weekday is None or recurrence is not Recurrence.WEEKLY:
                    raise _NoMatch
                anchors = [_Anchor(weekday=weekday)]
            elif recurrence is Recurrence.WEEKLY:
                anchors = [_Anchor(weekday=4)]
            elif not strict:  # the last day of each period: known to be in order
                return self.recurring_on(recurrence, _PERIOD_END_PAIRS[recurrence], None)
            else:
                anchors = _PERIOD_ENDS[recurrence]
        if strict and any(anchor.weekday is not None for anchor in anchors):
            raise _NoMatch
        weekday = anchors[0].weekday
        if weekday is None:
            days = [(a.month or 1, a.day or 1) for a in anchors]
            return self.recurring_days(recurrence, days, strict=strict)
        return self.recurring_on(recurrence, (), weekday)

    def recurring_days(
        self, recurrence: Recurrence, days: list[tuple[int, int]], *, strict: bool
    ) -> _Meaning:
        """(month, day) pairs each year, in order; "trước" moves each to the day before."""
        pairs = tuple(_day_before(month, day) for month, day in days) if strict else tuple(days)
        if len(set(pairs)) != len(pairs) or list(pairs) != sorted(pairs):
            raise _NoMatch
        return self.recurring_on(recurrence, pairs, None)

    def recurring_on(
        self, recurrence: Recurrence, pairs: tuple[tuple[int, int], ...], weekday: int | None
    ) -> _Meaning:
        """The recurring meaning of days in order (or a weekday) across the plan's years."""
        schedule = Schedule(self.years, pairs, weekday)
        starts = date(self.years[0], 1, 1) if self.years else None
        meaning = (DeadlineKind.RECURRING, schedule.last(), starts, recurrence, schedule, False)
        return _record(_Meaning, meaning)


def _starts_cadence(head: str, after: str) -> bool:
    """Whether a cadence can start here: "hằng", "định kỳ", "mỗi", "nửa năm", "6 tháng/lần"."""
    return head in _CADENCE_HEADS or (head.isdigit() and after in _CADENCE_UNITS)


_PERIOD_ENDS = {
    recurrence: [_Anchor(31, month) for month in range(step, 13, step)]
    for recurrence, step in (
        (Recurrence.YEARLY, 12),
        (Recurrence.HALF_YEARLY, 6),
        (Recurrence.QUARTERLY, 3),
        (Recurrence.MONTHLY, 1),
    )
}  # a cadence alone: the last day of each period ("hằng quý": 31/3, 30/6, 30/9, 31/12)
_PERIOD_END_PAIRS = {
    recurrence: tuple((anchor.month or 1, anchor.day or 1) for anchor in anchors)
    for recurrence, anchors in _PERIOD_ENDS.items()
}
_Rule = Callable[[_Reader], _Span | None]
_DAY_RULE: tuple[_Rule, ...] = (_Reader.day,)
_SIX_RULES: tuple[_Rule, ...] = (_Reader.half_year, _Reader.day)  # 6 tháng đầu năm · 6/7/2025
_YEAR_RULES: tuple[_Rule, ...] = (_Reader.year_range, _Reader.year_only)  # 2021 - 2025 · 2025


def _number_rules(head: str) -> tuple[_Rule, ...]:
    """The rules a number can start: only "6" a half year, only a year a span of years."""
    if head == "6":
        return _SIX_RULES
    if head in _YEARS or (len(head) == 4 and _MIN_YEAR <= int(head) <= _MAX_YEAR):
        return _YEAR_RULES
    return _DAY_RULE


_WORD_RULES: dict[str, tuple[_Rule, ...]] = {
    "quy": (_Reader.quarters,),
    "cac": (_Reader.quarters, _Reader.months, _Reader.year_range),
    "sau": (_Reader.half_year,),
    "nua": (_Reader.half_year,),
    "thang": (_Reader.months,),
    "t": (_Reader.months,),
    "giai": (_Reader.year_range,),
    "nhiem": (_Reader.year_range,),
    "nam": (_Reader.year_range, _Reader.year_only),
}
_HEAD_RULES = _WORD_RULES | {"6": _SIX_RULES} | dict.fromkeys(_YEARS, _YEAR_RULES)
"""`_WORD_RULES` and the commonest numbers' rules, so that `span` looks its head up once."""


_MONTH_DAYS = (0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _days_in(year: int, month: int) -> int:
    if month == 2 and calendar.isleap(year):
        return 29
    return _MONTH_DAYS[month]


def _month_end(year: int, month: int) -> date:
    return date(year, month, _days_in(year, month))


def _clamped(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, _days_in(year, month)))


def _valid_date(year: int, month: int, day: int) -> date:
    if day > _days_in(year, month):
        raise _NoMatch
    return date(year, month, day)


def _day_before(month: int, day: int) -> tuple[int, int]:
    """The anchor a strict "trước ngày D/M" gives: the day before, in the same year."""
    if day > 1:
        return month, day - 1
    if month == 1:
        raise _NoMatch
    return month - 1, 31


def _note_at(tokens: list[str]) -> int | None:
    """Where trailing words that are a note begin: "(theo hướng dẫn …)", "Theo chỉ đạo …"."""
    for index in range(1, len(tokens)):
        token = tokens[index]
        if token in _NOTE_HEADS and (token != "can" or tokens[index + 1 : index + 2] == ["cu"]):
            return index
    return None


_MONTH_NUMBERS = {word: value for word, value in _SMALL_NUMBERS.items() if 1 <= value <= 12}
_DAY_NUMBERS = {word: value for word, value in _SMALL_NUMBERS.items() if 1 <= value <= 31}
_DAY_QUALIFIERS = {(): False, ("truoc",): True, ("cham", "nhat"): False}  # strict or not
_BEFORE_A_YEAR = {
    (): _Effect.NONE,
    ("nam",): _Effect.NONE,
    ("trong", "nam"): _Effect.NONE,
    ("den", "nam"): _Effect.NO_START,
    ("tu", "nam"): _Effect.FROM,
}
_BEFORE_YEARS = frozenset((("giai", "doan"), ("nhiem", "ky"), ()))  # giai đoạn 2021 - 2025
_HALVES = {"dau": (1, 6), "cuoi": (7, 12), "sau": (7, 12)}  # 6 tháng đầu năm, cuối năm


def _plain_period(tokens: list[str]) -> _Meaning | None:
    """The commonest phrases, read as `_Reader` reads them but without it (None for any other):
    a year (2025 · Năm 2025 · Trong năm 2025 · Đến năm 2026 · Từ năm 2021), years (Giai đoạn
    2021 - 2025 · 2021-2025), a half year (6 tháng đầu năm 2025), a quarter (Quý II/2025 · Quý 2
    năm 2025), a month (Tháng 6/2025 · tháng 06 năm 2025) or a day (15/7/2025 · ngày 15 tháng 7
    năm 2025 · Trước ngày 31/12/2025 · Chậm nhất ngày 15/7/2025), with a year and nothing after."""
    year = _YEARS.get(tokens[-1])
    if year is None:
        return None
    count = len(tokens)
    if count in (3, 5) and tokens[-2] in _RANGE_WORDS and tuple(tokens[:-3]) in _BEFORE_YEARS:
        first = _YEARS.get(tokens[-3])
        if first is None or first > year:
            return None
        return _fixed(date(year, 12, 31), date(first, 1, 1))
    if count <= 3:  # trong năm 2025
        effect = _BEFORE_A_YEAR.get(tuple(tokens[:-1]))
        if effect is None:
            return None
        if effect is _Effect.FROM:  # from its start on
            ongoing = (DeadlineKind.ONGOING, None, date(year, 1, 1), None, None, False)
            return _record(_Meaning, ongoing)
        starts = None if effect is _Effect.NO_START else date(year, 1, 1)
        return _fixed(date(year, 12, 31), starts)
    if count == 5 and tokens[:2] == ["6", "thang"] and tokens[3] == "nam":
        months = _HALVES.get(tokens[2])
        if months is None:
            return None
        return _fixed(_month_end(year, months[1]), date(year, months[0], 1))
    if count == 4 and tokens[2] in ("/", "nam"):  # quý ii / 2025, tháng 06 năm 2025
        head, number = tokens[0], tokens[1]
        if head == "quy" and number in _QUARTER_NUMBERS:
            month = 3 * _QUARTER_NUMBERS[number]
            return _fixed(_month_end(year, month), date(year, month - 2, 1))
        if head == "thang" and number in _MONTH_NUMBERS:
            month = _MONTH_NUMBERS[number]
            return _fixed(_month_end(year, month), date(year, month, 1))
        return None
    if count < 5:  # 15 / 7 / 2025
        return None
    day, of_month = _DAY_NUMBERS.get(tokens[-5]), _MONTH_NUMBERS.get(tokens[-3])
    named = tokens[-6:-5] == ["ngay"]
    words = (tokens[-4], tokens[-2])
    if day is None or of_month is None:
        return None
    if not (words == ("/", "/") or (named and words == ("thang", "nam"))):
        return None
    strict = _DAY_QUALIFIERS.get(tuple(tokens[: -6 if named else -5]))
    if strict is None or day > _days_in(year, of_month):
        return None  # other words before it, or no such day: the grammar says what it is
    due = date(year, of_month, day)
    return _fixed(due - timedelta(days=1) if strict else due, None)


def _fixed(due: date, starts: date | None) -> _Meaning:
    return _record(_Meaning, (DeadlineKind.FIXED, due, starts, None, None, False))


def _read(tokens: list[str], years: tuple[int, ...]) -> tuple[_Meaning, int | None]:
    """The meaning of the phrase and where its note starts."""
    meaning = _plain_period(tokens)
    if meaning is not None:
        return meaning, None
    try:
        return _Reader(tokens, years).phrase(), None
    except _NoMatch:
        pass
    note_at = _note_at(tokens)
    if note_at is None:
        raise _NoMatch
    head = tokens[:note_at]
    while head and head[-1] in _TRAILING:
        head.pop()
    if not head:
        raise _NoMatch
    return _plain_period(head) or _Reader(head, years).phrase(), note_at


def parse_deadline(
    text: str, *, plan_years: Sequence[int], issued: date | None = None
) -> Deadline:
    """Read a deadline phrase of a plan covering `plan_years`, issued on `issued`."""
    # A plan repeats its phrases ("Trong năm 2025" 41 times in seed 002) and a deadline is an
    # immutable value: each distinct phrase of a plan is read once.
    return _parse_cached(text, tuple(sorted(set(plan_years))), issued)


def _parse(text: str, years: tuple[int, ...], issued: date | None) -> Deadline:
    """`parse_deadline` without the cache (the benchmark measures both)."""
    folded = text.translate(_FOLD)
    tokens = _tokens(folded)
    if not tokens:
        return _unrecognised(text)
    try:
        meaning, note_at = _read(tokens, years)
    except _NoMatch:
        return _unrecognised(text)
    kind, due, starts, recurrence, schedule, year_missing = meaning
    if year_missing and len(years) != 1:
        return Deadline(text, DeadlineKind.UNRECOGNISED, flags=(DeadlineFlag.AMBIGUOUS_YEAR,))
    note = None
    if note_at is not None:
        offsets = _tokenise(folded)[1]
        note = _note_text(text, _original_offset(text, offsets[note_at]))
    flags: tuple[str, ...] = ()
    if issued is not None and due is not None and due < issued:
        flags = (DeadlineFlag.BEFORE_PLAN_DATE,)
    return _deadline(text, kind, due, starts, recurrence, note, flags, schedule)


_parse_cached = lru_cache(maxsize=4096)(_parse)


def _note_text(text: str, offset: int) -> str | None:
    note = " ".join(unicodedata.normalize("NFC", text[offset:]).split())
    while note.startswith("(") and note.endswith(")"):
        note = note[1:-1].strip()
    return note or None


def _unrecognised(text: str) -> Deadline:
    return Deadline(text, DeadlineKind.UNRECOGNISED, flags=(DeadlineFlag.UNRECOGNISED,))
