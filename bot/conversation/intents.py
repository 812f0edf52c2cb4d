"""What a Vietnamese chat message means: `classify(text, now=...) -> Intent`.

Rules on the folded text (case, accents and đ do not count), after chat shorthand is spelled out
("dc" → "duoc", "r" → "roi", "ko" → "khong"). Kinds are tried in a fixed order, each a few
phrase patterns, so that the more specific meaning wins: asking for an extension ("chưa kịp,
xin gia hạn") before a blocker, a blocker ("chưa làm được vì…") before progress, progress
("được 50%", "sắp xong") before done. Dates come from `plans.relative.parse_relative`.

When a message carries two officer actions that the order cannot settle ("xong rồi nhưng vướng
chữ ký"), the intent is `unsure` and lists both, so the bot asks rather than guesses.

A question never acts: a message that asks ("xong chưa?", "có vướng gì không?", "tiến độ thế
nào rồi?", "bao giờ…", a question mark) and would otherwise read as done, progress or blocker is a
`status` question whose `topic` says what it asks about. A polite request in question form stays
a request: "em xin gia hạn … được không ạ?" is an extension, "nhắc em sau 2 tiếng được không?"
a snooze. "Hoàn tác", "nhầm rồi", "undo" ask to undo the last change.
"""

import datetime as dt
import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from enum import StrEnum
from typing import Final

from plans.folding import fold_characters, original_offset
from plans.relative import parse_relative


class IntentKind(StrEnum):
    """What a message asks for."""

    DONE = "done"
    PROGRESS = "progress"
    BLOCKER = "blocker"
    EXTENSION = "extension"
    SNOOZE = "snooze"
    STATUS = "status"
    UNDO = "undo"
    LIST_TASKS = "list_tasks"
    OVERDUE = "overdue"
    SUMMARY = "summary"
    HELP = "help"
    UNKNOWN = "unknown"


ACTIONS: Final = frozenset(
    (
        IntentKind.DONE,
        IntentKind.PROGRESS,
        IntentKind.BLOCKER,
        IntentKind.EXTENSION,
        IntentKind.SNOOZE,
    )
)


@dataclass(frozen=True, slots=True)
class Intent:
    """A message's meaning: its kind and slots (percent, date, reason; `until` for a snooze
    given in hours), and the other kinds it could mean when `unsure`; a `status` question's
    `topic` is the action it asks about (done, progress, blocker, extension), if any."""

    kind: IntentKind
    percent: int | None = None
    date: dt.date | None = None
    reason: str | None = None
    until: datetime | None = None
    alternatives: tuple[IntentKind, ...] = ()
    topic: IntentKind | None = None

    @property
    def unsure(self) -> bool:
        """Whether the bot should ask which meaning is right."""
        return bool(self.alternatives)


_SHORTHAND: Final = {
    "dc": "duoc",
    "dk": "duoc",
    "đc": "duoc",
    "r": "roi",
    "rui": "roi",
    "ruj": "roi",
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "hok": "khong",
    "hong": "khong",
    "j": "gi",
    "z": "vay",
    "xog": "xong",
    "xonggg": "xong",
    "xongg": "xong",
    "ak": "a",
    "ah": "a",
    "e": "em",
    "a": "a",
    "oke": "ok",
    "oki": "ok",
    "okie": "ok",
    "okay": "ok",
    "bc": "bao cao",
    "vm": "vuong mac",
    "tg": "thoi gian",
    "ht": "hoan thanh",
    "nhiu": "nhieu",
    "ch": "chua",
    "chx": "chua",
    "hk": "khong",
    "hem": "khong",
    "hum": "khong",
    "kg": "khong",
    "khg": "khong",
    "hoc": "khong",
    "sao": "sao",
    "bh": "bao gio",
    "bjo": "bao gio",
    "bgio": "bao gio",
    "tn": "the nao",
    "ntn": "nhu the nao",
    "mk": "minh",
    "vs": "voi",
}

_NEGATED_DONE: Final = re.compile(
    r"\b(chua|sap|gan|khong|chang|van chua|mai moi) (the )?(lam )?(xong|hoan thanh|hoan tat)\b"
)
# "Đâu" denies what it goes with ("có xong đâu", "đâu có vướng"), with its accent only ("đầu",
# "dầu" fold alike); "đâu vào đấy" is all in order.
_NOT_AT_ALL: Final = re.compile(r"\bđâu\b(?! (?:vào|ra) đấy)")
_CLAUSES: Final = re.compile(r"[,;.!?]|\bnhưng\b|\bmà\b")
# Done in part: a step, a stage, a part ("xong bước 1", "xong được một phần", "xong phần đầu")
_PARTLY_DONE: Final = re.compile(
    r"\b(xong|hoan thanh)( duoc)? (buoc|giai doan|khau|dot|(mot|1|vai) (phan|so|it)"
    r"|phan (\d+|dau|mot|hai|ba|chuan bi|khao sat))\b"
)
# Done later, promised: "mai xong", "sẽ hoàn thành đúng hạn", "cố gắng xong trong tháng"; not
# when it is said done already ("xong rồi, mai em nộp", "đã xong từ tuần trước").
_PROMISED: Final = re.compile(
    r"\b(se|mai|ngay mai|tuan sau|thang sau|chieu nay|toi nay|co gang|hy vong|hi vong|du kien"
    r"|trong (tuan|thang|quy|nam)|truoc \d+)\b"
)
_ALREADY: Final = re.compile(r"\b(roi|da|xong het|xong xuoi|tu (lau|hom|tuan|thang))\b")
_PATTERNS: Final = {
    IntentKind.EXTENSION: re.compile(
        r"\bgia han\b|\blui (han|den|toi|sang|lai)\b|\bxin lui\b|\bxin them\b|\bthem thoi gian\b"
        r"|\bcho (em|toi|minh) them\b|\bhoan (\d+|mot|hai|ba) (ngay|tuan|hom)\b"
        r"|\b(khong|chua|ko) kip\b|\bnop cham\b|\bextend|\bthem (\d+|it|mot|vai) (ngay|hom|tuan)\b"
        r"|\bxin (\d+|mot|hai|ba) (ngay|tuan)\b"
    ),
    IntentKind.SNOOZE: re.compile(
        r"\bnhac (lai|sau|em|toi|minh|anh|chi)\b|\bnhac$|\b(lat|ti|chut) nua\b|\bde (sau|lat)\b"
        r"|\bhoan nhac\b|\blater\b|\bremind\b|^(lat|ti) (nhac|nua)"
    ),
    IntentKind.OVERDUE: re.compile(
        r"\bqua han\b|\btre( han| hen)?\b|\bcham (tien do|tre)\b|\bbi cham\b|\bno viec\b"
        r"|\boverdue\b"
    ),
    IntentKind.SUMMARY: re.compile(
        r"\btong hop\b|\btinh hinh\b|\bthong ke\b|\btong quan\b|\bsummary\b"
        r"|\bbao nhieu viec\b|\bti le\b|\b(xong|hoan thanh)( duoc)? (bao nhieu|may)\b"
        r"|\bbao nhieu (viec )?(da )?(xong|hoan thanh)\b"
    ),
    IntentKind.LIST_TASKS: re.compile(
        r"(?<!phan )\bviec (cua|gi|duoc giao|dang mo|phai lam)\b|\bviec (em|toi|minh) (phai|can)\b"
        r"|\b(con|co) (nhung )?viec gi\b|\bdanh sach viec\b|\bxem (danh sach )?viec\b"
        r"|\bnhiem vu cua\b|\bcac viec\b|\bnhung viec\b|\bmy tasks\b|^tasks?$"
        r"|\bcon (gi|nhung gi|viec nao|may viec)\b|\b(sap )?(den|toi|het) han (gi|nhung gi)\b"
        r"|\bsap (den|toi|het) han\b|\bviec (nao|gi) (sap )?(den|toi) han\b"
        r"|\bdue (soon|this week|next week|this month)\b"
    ),
    IntentKind.BLOCKER: re.compile(
        r"\bvuong\b|\bkho khan\b|\bkho qua\b|\bbi tac\b|\btac (o|khau|vi|roi)\b|\bnen tac\b"
        r"|\bket\b|\bthieu\b"
        r"|\b(khong|chua|chang) (the )?(lam|thuc hien|trien khai|lam tiep)( \w+)? duoc\b"
        r"|\bkhong the\b|\b(gap|co) (van de|vuong|kho)\b|\bstuck\b|\bblocked\b|\bphan doi\b"
        r"|\bchua co (kinh phi|huong dan|chi dao|van ban|so lieu|mat bang)\b|\bhong\b"
    ),
    IntentKind.PROGRESS: re.compile(
        r"\bdang (lam|trien khai|thuc hien|tien hanh|soan|cho ky|hoan thien)\b|\blam do\b"
        r"|\b(sap|gan) xong\b|\bchua xong\b|\bbat dau\b|\btien do\b|\bmot nua\b|\b1 nua\b"
        r"|\bprogress\b"
    ),
    IntentKind.DONE: re.compile(
        r"\bxong\b|\bhoan thanh\b|\bhoan tat\b|\bdone\b|\bfinished\b|\bcompleted\b"
        r"|\bda (thuc hien|trien khai|to chuc|nop|gui|bao cao)\b"
        r"|\b(nop|gui) (bao cao|ho so)\b.*\broi\b"
    ),
}
_HOW_TO: Final = re.compile(
    r"^huong dan\b|\bhuong dan (su dung|em|toi|minh)\b|\btro giup\b|\bcach (dung|bao|xin|lam)\b"
    r"|^help\b|\blam sao\b|\b(dung|bao|xin)( \w+){0,3} (the nao|nhu the nao)\b|\blam duoc gi\b"
    r"|^\?+$"
)
_PLEA: Final = re.compile(r"\bgiup (toi|em|minh|voi)\b|\bthe nao\b")
_UNDO: Final = re.compile(
    r"\bhoan tac\b|\bundo\b|^nham\b|\b(nham|lon) (roi|nut|viec|mat|a)\b"
    r"|\b(bam|an|ghi|chon|bao|gui) nham\b"
)
_QUESTION_WORDS: Final = re.compile(
    r"\b(bao gio|khi nao|luc nao|den dau|toi dau|the nao|ra sao|nhu nao|bao nhieu"
    r"|phai khong"
    r"|dung khong|co phai|nhu the nao|chua nhi|co ai|ai da|ai (bao|noi)|o dau)\b"
    # "sao" asks ("… thì sao", "xong rồi sao?"), but not in "bản sao", "không sao", "sao chép"
    r"|(?<!\bban )(?<!\bkhong )(?<!\bchang )\bsao\b(?! (chep|y|luu|ke)\b)"
)
# "gì" asks what ("vướng gì vậy?") unless a negation before it says "nothing" ("không vướng gì")
_WHAT: Final = re.compile(r"\bgi\b(?! cung\b)")  # "làm gì cũng…": whatever
# Words that end a message without changing what it says ("ạ", "nhỉ", "vậy", "anh", "?").
_TRAILING: Final = frozenset(
    ("a", "nhi", "nhe", "nha", "vay", "the", "em", "anh", "chi", "oi", "day", "ta", "?", "ha")
)
_BROKEN: Final = re.compile(r"\bhỏng\b")
_NOT_YET: Final = frozenset(("van", "cung", "da", "con", "hien", "that", "chac"))
# A closing question particle, before the person addressed: "xong rồi ư?", "xong rồi nhỉ",
# "xong r hả e", "xong rồi chứ anh"
_ASKED_RAW: Final = re.compile(
    r"(?:\bà|\bhả|\bhở|\bhử|\bchăng|\bư|\bchứ|\bnhỉ)"
    r"(?:\s+(?:e|em|a|anh|c|chị|chú|cô|bạn|ơi|ạ))*[\s.!…]*$"
)
# "không vướng gì", "chưa có vấn đề gì", "chẳng khó khăn gì": no blocker, said so
_NO_BLOCKER: Final = re.compile(
    r"\b(khong|chua|chang)( co| bi| gap| he)* (vuong|kho khan|van de)( mac)?( gi)?\b"
)
# A request put as a question stays a request: "xin gia hạn … được không ạ?", "nhắc em sau nhé?"
_REQUEST: Final = re.compile(
    r"\bxin\b|\bcho (em|toi|minh|chi|anh|con)\b|\b(duoc|the) khong\b|\bgiup\b|\bgium\b"
    r"|\bnho\b|\bnhe\b|\bnha\b|\bdi$"
)
# What a question with no action word is about, when it asks where a task stands: the task, or
# what is done to tasks ("gửi chưa?", "ký chưa?", "tới đâu rồi?").
_ABOUT_A_TASK: Final = re.compile(
    r"\b(viec|nhiem vu|task|muc)\b|\b(sao|the nao|den dau|toi dau) roi\b"
    r"|\b(gui|nop|ky|to chuc|lam|trien khai|duyet|bao cao|kinh phi|ho so|duoc bao nhieu)\b"
)
STATE_TOPICS: Final = frozenset((IntentKind.DONE, IntentKind.PROGRESS, IntentKind.BLOCKER))
_PERCENT: Final = re.compile(r"\b(\d{1,3}) ?(%|phan tram\b)")
_HALF: Final = re.compile(r"\b(mot|1) nua\b")
_REASON_AFTER: Final = re.compile(
    r"\b(?:vuong(?: mac)?|kho khan|bao vuong|van de|stuck)\s*:\s*(.+)$"
    r"|\s(?:vi|do|boi vi|tai vi)\s+(.+)$"
)
_HOURS: Final = re.compile(r"\b(\d{1,2}) ?(tieng|gio|h)( nua)?\b")
_AFTERNOON: Final = re.compile(r"\bchieu\b")
_SOON: Final = re.compile(r"\b(lat|ti|chut)( nua)?\b")
_NEXT_WEEK: Final = re.compile(r"\btuan (sau|toi)\b")
_MORNING: Final = time(8, 0)
_WORD_NUMBERS: Final = {"mot": 1, "hai": 2, "ba": 3, "bon": 4, "nam": 5}
_DAYS_AHEAD: Final = re.compile(r"\b(\d{1,2}|mot|hai|ba|bon|nam) (hom|bua) nua\b")
# What a message that names a day has: a digit, or a word of time ("mai", "tuần", "thứ sáu"…).
_DATED: Final = re.compile(
    r"\d|\b(mai|mot|kia|nay|qua|tuan|thang|quy|nam|ngay|hom|bua|thu|chu nhat|cuoi|het|tet"
    r"|dau|giua|sang|chieu|trua|toi)\b"
)
_SAID_DUOC: Final = re.compile(r"(?i)(?<!\w)(dc|đc|dk)(?!\w)")
_SAID_KHONG: Final = re.compile(r"(?i)(?<!\w)(ko|k|kh|hok|hk)(?!\w)")
_SYMBOLS: Final = re.compile(r"[^\w\s/.,:%-]")
_TRAILING_BECAUSE: Final = re.compile(r"(?i)\s+(vì|do|bởi vì|tại vì|vi|boi vi|tai vi)\s*$")
_TOKENS: Final = re.compile(r"[a-z0-9]+|%|\?")
_SPACED_PERCENT: Final = re.compile(r"(\d) %")
_NEGATION: Final = re.compile(r"\b(chua|khong|chang)\b")
_TOMORROW: Final = re.compile(r"(?<!ngay )\bmai\b(?! moi)")


def spelled_out(text: str) -> str:
    """The folded text with chat shorthand spelled out and punctuation as spaces."""
    folded = fold_characters(text.replace("%", " % "))
    tokens = _TOKENS.findall(folded)
    words = [_SHORTHAND.get(token, token) for token in tokens]
    joined = " ".join(words)
    return _SPACED_PERCENT.sub(r"\1%", joined)


def classify(text: str, *, now: datetime) -> Intent:
    """The meaning of one chat message, relative to `now` (aware, in the ward's zone)."""
    norm = spelled_out(text)
    if not norm:
        return Intent(IntentKind.UNKNOWN)
    if _HOW_TO.search(norm):
        return Intent(IntentKind.HELP)
    asked = is_question(text, norm)
    if not asked and _UNDO.search(norm):
        return Intent(IntentKind.UNDO)
    percent = _percent(norm)
    kind = next((k for k in _PATTERNS if _matches(k, norm, percent)), None)
    if kind is None:
        if asked and _ABOUT_A_TASK.search(norm):
            return Intent(IntentKind.STATUS)
        return Intent(IntentKind.HELP if _PLEA.search(norm) else IntentKind.UNKNOWN)
    if asked and (
        kind in STATE_TOPICS
        or (kind in (IntentKind.EXTENSION, IntentKind.SNOOZE) and not _REQUEST.search(norm))
    ):
        return Intent(IntentKind.STATUS, topic=kind)
    if kind in (IntentKind.DONE, IntentKind.BLOCKER) and _denied(text, kind):
        # "xong đâu mà xong": not done, said so; "có vướng gì đâu": no blocker ("xong rồi, có
        # vướng gì đâu": done, and no blocker)
        if kind is IntentKind.DONE:
            return Intent(IntentKind.PROGRESS)
        rest = " ".join(c for c in _CLAUSES.split(text.lower()) if not _NOT_AT_ALL.search(c))
        done = _matches(IntentKind.DONE, spelled_out(rest), percent)
        return Intent(IntentKind.DONE if done else IntentKind.UNKNOWN)
    alternatives: tuple[IntentKind, ...] = ()
    if (
        kind is IntentKind.BLOCKER
        and _matches(IntentKind.DONE, norm, percent)
        and not _NEGATIVE(norm)
    ):
        alternatives = (IntentKind.DONE, IntentKind.BLOCKER)
    return _slots(kind, text, norm, percent, now, alternatives)


def _matches(kind: IntentKind, norm: str, percent: int | None) -> bool:
    """Whether `norm` reads as `kind`; a percent below 100 is progress and never done, 100 %
    is done, and "chưa xong" is never done."""
    if kind is IntentKind.PROGRESS and percent is not None and percent < 100:
        return True
    if kind is IntentKind.PROGRESS and _done_not_yet(norm):
        return True
    if kind is IntentKind.DONE:
        if percent is not None:
            return percent == 100
        return bool(_PATTERNS[kind].search(norm)) and not _NEGATED_DONE.search(norm)
    if kind is IntentKind.BLOCKER:
        return bool(_PATTERNS[kind].search(_NO_BLOCKER.sub(" ", norm)))
    return bool(_PATTERNS[kind].search(norm))


def _denied(text: str, kind: IntentKind) -> bool:
    """Whether "đâu" denies the action in its own clause ("xong đâu mà xong", not "xong rồi,
    không sao đâu")."""
    lowered = text.lower()
    if not _NOT_AT_ALL.search(lowered):
        return False
    return any(
        _NOT_AT_ALL.search(clause) and _PATTERNS[kind].search(spelled_out(clause))
        for clause in _CLAUSES.split(lowered)
    )


def _done_not_yet(norm: str) -> bool:
    """A done said of a part, or promised for later: progress, never done."""
    if not _PATTERNS[IntentKind.DONE].search(norm):
        return False
    promised = _PROMISED.search(norm) is not None and not _ALREADY.search(norm)
    return promised or _PARTLY_DONE.search(norm) is not None


def is_question(text: str, norm: str | None = None) -> bool:
    """Whether a message asks rather than tells: a question mark, a question word ("bao giờ",
    "thế nào", "đến đâu"), or a closing "chưa?", "không?", "à?", "hả?"."""
    norm = spelled_out(text) if norm is None else norm
    if "?" in norm or _QUESTION_WORDS.search(norm) or _ASKED_RAW.search(text.lower()):
        return True
    what = _WHAT.search(norm)
    denied = _NEGATION.search(norm, 0, what.start()) if what is not None else None
    if what is not None and not denied and not _NOT_AT_ALL.search(text.lower()):
        return True
    words = norm.split()
    while len(words) > 1 and words[-1] in _TRAILING:
        words.pop()
    if len(words) >= 2 and words[-1] == "chua":
        return words[-2] not in _NOT_YET
    if len(words) < 3 or words[-1] != "khong" or words[-2] in ("la", "cung", "van"):
        return False
    return not _BROKEN.search(text.lower())  # "máy hỏng" is broken, not a "không?"


def _NEGATIVE(norm: str) -> bool:  # noqa: N802 - reads as a predicate on the text
    return bool(_NEGATION.search(norm))


def _percent(norm: str) -> int | None:
    found = _PERCENT.search(norm)
    if found is not None:
        value = int(found.group(1))
        return value if value <= 100 else None
    return 50 if _HALF.search(norm) else None


def _slots(
    kind: IntentKind,
    text: str,
    norm: str,
    percent: int | None,
    now: datetime,
    alternatives: tuple[IntentKind, ...],
) -> Intent:
    if kind is IntentKind.PROGRESS:
        return Intent(kind, percent=percent, alternatives=alternatives)
    if kind is IntentKind.BLOCKER:
        return Intent(kind, reason=_reason(text, norm, blocker=True), alternatives=alternatives)
    if kind is IntentKind.EXTENSION:
        reason = _reason(text, norm, blocker=False)
        day = None
        if reason is not None:  # "đến 15/3 vì chờ số liệu": the date is before the reason
            head = " ".join(text.split())[: -len(reason)]
            day = relative_day(head, now=now)
        if day is None:
            day = relative_day(text, now=now, norm=norm)
        return Intent(kind, date=day, reason=reason, alternatives=alternatives)
    if kind is IntentKind.SNOOZE:
        until = snooze_until(text, now=now, norm=norm)
        return Intent(
            kind,
            date=until.astimezone(now.tzinfo).date() if until else None,
            until=until,
            alternatives=alternatives,
        )
    return Intent(kind, alternatives=alternatives)


def snooze_until(text: str, *, now: datetime, norm: str | None = None) -> datetime | None:
    """When "nhắc lại sau" means: in N hours, this afternoon, soon (2 hours), a day (08:00
    there), next week (Monday 08:00); None when the message names no time."""
    norm = spelled_out(text) if norm is None else norm
    local = now
    hours = _HOURS.search(norm)
    if hours is not None and 0 < int(hours.group(1)) <= 48:
        return now + timedelta(hours=int(hours.group(1)))
    if _NEXT_WEEK.search(norm):
        monday = local.date() + timedelta(days=7 - local.weekday())
        return datetime.combine(monday, _MORNING, now.tzinfo)
    day = relative_day(text, now=now, norm=norm)
    if day is not None and day > local.date():
        return datetime.combine(day, _MORNING, now.tzinfo)
    if _AFTERNOON.search(norm) and local.hour < 14:
        return local.replace(hour=14, minute=0, second=0, microsecond=0)
    if _SOON.search(norm):
        return now + timedelta(hours=2)
    return None


def relative_day(text: str, *, now: datetime, norm: str | None = None) -> dt.date | None:
    """The day a reply names (`parse_relative`), also in the chat forms "mai" (tomorrow) and
    "2 hôm nữa"."""
    norm = spelled_out(text) if norm is None else norm
    if not _DATED.search(norm):
        return None  # no digit and no word of time: nothing for the date readers to find
    today = now.date()
    days = _DAYS_AHEAD.search(norm)
    if days is not None:
        count = int(days.group(1)) if days.group(1).isdecimal() else _WORD_NUMBERS[days.group(1)]
        return today + timedelta(days=count)
    day = parse_relative(_date_words(text), now=now)
    if day is not None:
        return day
    if _TOMORROW.search(norm):
        return today + timedelta(days=1)
    return None


def _date_words(text: str) -> str:
    """The reply as the date readers read it: chat shorthand spelled out ("dc ko" → "được
    không"), emoji and symbols gone, a trailing "vì"/"do" left by a cut reason dropped."""
    spelled = _SAID_DUOC.sub("được", _SAID_KHONG.sub("không", text))
    return _TRAILING_BECAUSE.sub("", _SYMBOLS.sub(" ", spelled)).strip()


def _reason(text: str, norm: str, *, blocker: bool) -> str | None:
    """The officer's reason: what follows "vướng:" or "vì/do", else (for a blocker) the whole
    message in their own words."""
    cleaned = " ".join(text.split())
    found = _REASON_AFTER.search(fold_characters(cleaned))
    if found is not None:
        start = original_offset(cleaned, next(found.start(i) for i in (1, 2) if found.group(i)))
        tail = cleaned[start:].strip(" .,:;")
        if tail:
            return tail
    return cleaned if blocker and norm else None
