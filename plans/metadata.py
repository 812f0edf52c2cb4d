"""What a plan's running text says besides its task table.

- the plan itself: title ("KẾ HOẠCH" + its subtitle), number ("73/KH-UBND"), issue date,
  issuing People's Committee and the years it covers;
- "Tổ chức thực hiện": which unit is charged with which duties (`Charge`);
- obligations: duties with a time rule stated in that text ("báo cáo hàng quý … gửi trước ngày
  10 của tháng cuối quý").
"""

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from plans.extracted import join_lines
from plans.folding import word_key
from plans.units import ALL, special, starts_unit, strip_locative, strip_role, tidy

_ROMAN_HEADING = re.compile(r"^\s*[IVX]{1,4}\s*[.:]\s*\S")
_PLAN_HEADING = re.compile(r"^\s*KẾ HOẠCH(?:\s*$|\s+(?P<rest>[A-ZĐÀ-Ỹ][a-zđà-ỹ].*\S)\s*$)")
_NUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*\.|\d{1,2}(?:\.\d{1,2})+)\s+(?P<text>\S.*)$")
_LETTERED = re.compile(r"^\s*([a-zđ])\)\s+(?P<text>\S.*)$")
_BULLET = re.compile(r"^\s*[-–+•]\s+(?P<text>\S.*)$")
_REGION_END = re.compile(r"^\s*(trên đây|nơi nhận|trong quá trình)", re.IGNORECASE)
_LEVEL = r"(?:phường|xã|thị trấn)"
_NAME = r"(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*)*"
_LOCALITY = re.compile(rf"\b({_LEVEL})\s+({_NAME})")
_COMMITTEE = re.compile(rf"\b(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+({_LEVEL})\s+({_NAME})")
_PLAN_NUMBER = r"(?P<number>\d+[\w.]*)\s*/\s*(?P<kind>KH-[\wĐđ.-]+)"
_NUMBER_HEADER = re.compile(rf"^\s*Số\s*:?\s*{_PLAN_NUMBER}", re.MULTILINE)
_NUMBER_ATTACHED = re.compile(
    rf"Kèm theo Kế hoạch số\s*:?\s*(?:{_PLAN_NUMBER})?"
    r"(?:\s+ngày\s+(?P<day>\d{1,2})/(?P<month>\d{1,2})/(?P<year>\d{4}))?",
    re.IGNORECASE,
)
_DATE_LINE = re.compile(  # "Phường Ngô Quyền, ngày 10 tháng 01 năm 2024" on a line of its own
    r"^\s*[A-ZĐÀ-Ỹ][^\n,;\d]{1,40},\s*ngày\s+(?P<day>\d{1,2})(?:\s+tháng\s+|/)"
    r"(?P<month>\d{1,2})(?:\s+năm\s+|/)(?P<year>\d{4})",
    re.MULTILINE,
)
_SPAN = re.compile(r"(?:giai đoạn|nhiệm kỳ)\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
_YEAR = re.compile(r"\bnăm\s+(\d{4})\b", re.IGNORECASE)
_PROPOSAL = re.compile(r"^(đề nghị|giao|yêu cầu)\s+(?P<rest>.+)$", re.IGNORECASE)
_VERBS = (
    "tăng cường",
    "phối hợp",
    "chỉ đạo",
    "thực hiện",
    "tiếp tục",
    "tổ chức",
    "triển khai",
    "tham gia",
    "quan tâm",
    "giám sát",
    "đẩy mạnh",
    "chủ động",
)
_RULE_START = re.compile(r"\b(?:trước|chậm nhất(?: là)?|hạn)\s+(?:ngày\s+)?\d", re.IGNORECASE)
_RULE_END = re.compile(r"[();.]|\s(?:gửi|về|nộp|cho)\s")
_REPORT = re.compile(r"\bbáo cáo\b", re.IGNORECASE)
_REPORT_END = re.compile(r"\s(?:gửi|về|nộp|trước|chậm nhất|hạn)\b|[,;()]|$", re.IGNORECASE)
_RECIPIENT = re.compile(
    r"(?:^|\s)(?:gửi|về|nộp)\s+(?:cho\s+|về\s+)?(?P<to>[A-ZĐÀ-Ỹ][^,;.()]*?)"
    r"(?=\s+(?:tổng hợp|để|trước|chậm nhất)\b|\s*[,;.()]|$)"
)


@dataclass(frozen=True, slots=True)
class PlanHeader:
    """The plan's own particulars, as printed."""

    title: str | None
    number: str | None
    issued: date | None
    organization: str | None
    years: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Charge:
    """One "Tổ chức thực hiện" heading: the printed unit names it charges and their duties."""

    units: tuple[str, ...]
    """Printed names, or `ALL`."""
    duties: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class UnitName:
    """A printed unit heading turned into a name, with the printed forms to keep as aliases."""

    name: str
    heading_forms: tuple[str, ...] = ()
    role_forms: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ReportRule:
    """A periodic report the text requires: what, under which rule, sent to whom."""

    what: str
    rule: str
    recurrence: str | None
    to: str | None
    duty: str


def _lines(text: str) -> list[str]:
    return [line for line in text.split("\n") if line.strip()]


def read_header(text: str) -> PlanHeader:
    """Title, number, issue date, issuing committee and years of the plan in `text`."""
    title = _title(text)
    number, issued = _number_and_date(text)
    return PlanHeader(title, number, issued, _organization(text, title), _years(text, title))


def _title(text: str) -> str | None:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        heading = _PLAN_HEADING.match(line)
        if not heading:
            continue
        parts: list[str] = [heading["rest"]] if heading["rest"] else []
        for following in lines[index + 1 : index + 8]:
            if not following:
                continue
            if not following.strip():
                if parts:
                    break
                continue
            if re.match(r"^\s*(căn cứ|thực hiện|I\.)", following, re.IGNORECASE) or len(parts) > 2:
                break
            parts.append(following)
        subtitle = join_lines(parts)
        if not subtitle:
            return "Kế hoạch"
        if not (len(subtitle) > 1 and subtitle[1].isupper()):
            subtitle = subtitle[0].lower() + subtitle[1:]
        return f"Kế hoạch {subtitle}"
    return None


def _number_and_date(text: str) -> tuple[str | None, date | None]:
    number: str | None = None
    issued: date | None = None
    header = _NUMBER_HEADER.search(text)
    if header:
        number = f"{header['number']}/{header['kind']}"
    dated = _DATE_LINE.search(text)
    if dated:
        issued = _date(int(dated["year"]), int(dated["month"]), int(dated["day"]))
    attached = _NUMBER_ATTACHED.search(text)
    if attached:
        if number is None and attached["number"]:
            number = f"{attached['number']}/{attached['kind']}"
        if issued is None and attached["day"]:
            issued = _date(int(attached["year"]), int(attached["month"]), int(attached["day"]))
    return number, issued


def _date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _organization(text: str, title: str | None) -> str | None:
    if title:
        found = _LOCALITY.search(title)
        if found:
            return f"UBND {found[1]} {found[2]}"
    counts = Counter(f"UBND {m[1]} {m[2]}" for m in _COMMITTEE.finditer(text))
    return counts.most_common(1)[0][0] if counts else None


def _years(text: str, title: str | None) -> tuple[int, ...]:
    if title:
        span = _SPAN.search(title)
        if span:
            return tuple(range(int(span[1]), int(span[2]) + 1))
        year = _YEAR.search(title)
        if year:
            return (int(year[1]),)
    counts = Counter(int(m[1]) for m in _YEAR.finditer(text))
    if not counts:
        return ()
    best = max(counts.values())
    return (max(year for year, count in counts.items() if count == best),)


def _region(text: str) -> list[str]:
    """The lines of the "Tổ chức thực hiện" section."""
    lines = _lines(text)
    start = None
    for index, line in enumerate(lines):
        key = word_key(line)
        if "to chuc thuc hien" in key and (
            _ROMAN_HEADING.match(line) or line.strip().isupper() or len(key.split()) <= 6
        ):
            start = index + 1
            break
    if start is None:
        return []
    region: list[str] = []
    for line in lines[start:]:
        if _REGION_END.match(line) or _ROMAN_HEADING.match(line):
            break
        region.append(line)
    return region


@dataclass(slots=True)
class _Item:
    kind: str
    lines: list[str]
    is_heading: bool = False


def _is_short_line(line: str, width: int) -> bool:
    return len(line.rstrip()) < 0.8 * width


def _items(region: list[str]) -> list[_Item]:
    lengths = sorted(len(line.rstrip()) for line in region) or [0]
    width = lengths[int(0.9 * (len(lengths) - 1))]
    unwrapped = width > 150
    items: list[_Item] = []
    for line in region:
        marker = _NUMBERED.match(line) or _LETTERED.match(line)
        bullet = _BULLET.match(line)
        if marker:
            kind = "number" if _NUMBERED.match(line) else "letter"
            body = marker["text"]
            items.append(_Item(kind, [body], is_heading=_reads_as_heading(body)))
        elif bullet:
            items.append(_Item("bullet", [bullet["text"]]))
        else:
            previous = items[-1] if items else None
            starts_paragraph = (
                previous is None
                or previous.is_heading
                or unwrapped
                or (
                    previous.lines[-1].rstrip().endswith((".", ":"))
                    and _is_short_line(previous.lines[-1], width)
                    and line.strip()[:1].isupper()
                )
            )
            if starts_paragraph or previous is None:
                items.append(_Item("paragraph", [line]))
            else:
                previous.lines.append(line)
    return items


def _reads_as_heading(text: str) -> bool:
    body = tidy(text)
    if ":" in body:
        head, rest = body.split(":", 1)
        return _names_units(head) and not rest.strip()
    return _names_units(body) and not body.endswith((",", ".", ";")) and not _PROPOSAL.match(body)


def _names_units(head: str) -> bool:
    """Whether a heading names units (or a group of them) rather than starting a duty."""
    text = tidy(head)
    key = word_key(text)
    if not text or len(text.split()) > 12:
        return False
    if "trach nhiem" in key or "phan cong" in key or special(text):
        return True
    return starts_unit(strip_role(text))


def read_charges(text: str) -> list[Charge]:
    """The "Tổ chức thực hiện" headings of `text`, each with its duties, in printed order."""
    charges: list[Charge] = []
    current: list[str] | None = None
    duties: list[str] = []

    def close() -> None:
        if current is not None and duties:
            charges.append(Charge(tuple(current), tuple(duties)))

    for item in _items(_region(text)):
        body = join_lines(item.lines)
        if item.kind in ("number", "letter"):
            proposal = _PROPOSAL.match(body)
            head, _, rest = body.partition(":")
            if item.is_heading or (":" in body and _names_units(head) and not proposal):
                close()
                duties = []
                current = _heading_units(head if ":" in body else body)
                if rest.strip():
                    duties.append(rest.strip())
                continue
            if proposal:
                close()
                current, duties = [_proposed_unit(proposal["rest"])], [body]
                continue
        if current is not None:
            duties.append(body)
    close()
    return charges


def _heading_units(head: str) -> list[str] | None:
    text = tidy(head).rstrip(":").strip()
    key = word_key(text)
    if "trach nhiem chung" in key:
        return [ALL]
    if "trach nhiem" in key or "phan cong" in key:
        return None  # a group of headings, not a unit
    if special(text):
        return [ALL]
    pieces = [piece.strip() for piece in text.split(",") if piece.strip()]
    units: list[str] = []
    for piece in pieces:
        if units and not starts_unit(piece):
            units[-1] = f"{units[-1]}, {piece}"
        else:
            units.append(piece)
    return units


def _proposed_unit(rest: str) -> str:
    """The unit a "Đề nghị …" item addresses: up to its level word or its first verb."""
    words = rest.split()
    for index, word in enumerate(words[:14]):
        following = word_key(words[index + 1]) if index + 1 < len(words) else ""
        if word_key(word) == "phuong" or (word_key(word) == "xa" and following != "hoi"):
            return " ".join(words[: index + 1])
    for index in range(1, min(len(words), 14)):
        if " ".join(words[index:]).casefold().startswith(_VERBS):
            return " ".join(words[:index])
    return " ".join(words[:6])


def unit_name(printed: str) -> UnitName:
    """The canonical name a heading gives a unit, and the printed forms that become aliases."""
    heading = tidy(printed).rstrip(":").strip()
    role_free = strip_role(heading)
    name = strip_locative(role_free)
    heading_forms = (role_free,) if name != role_free else ()
    role_forms = (heading,) if role_free != heading else ()
    return UnitName(name, heading_forms, role_forms)


def read_report_rules(
    charges: Sequence[Charge], *, is_periodic: Callable[[str], bool]
) -> list[ReportRule]:
    """Periodic reports the duties require, each with its time rule and recipient.

    A rule is a "trước/chậm nhất ngày …" phrase the deadline grammar reads as recurring
    (`is_periodic`); the reports are the "báo cáo …" items of the same clause, before the rule
    ("báo cáo hàng quý và báo cáo năm gửi trước ngày 10 …") or after it; the recipient follows
    "gửi"/"về" after the rule.
    """
    rules: list[ReportRule] = []
    for charge in charges:
        for duty in charge.duties:
            for found in _RULE_START.finditer(duty):
                rule = _longest_rule(duty[found.start() :], is_periodic)
                if rule is None:
                    continue
                after = duty[found.start() + len(rule) :].lstrip(",: ")
                reports = _reports_before(duty[: found.start()]) or _reports_after(after)
                to = _RECIPIENT.search(re.split(r"[.;]", after.lstrip(") "))[0])
                rules.extend(
                    ReportRule(what, tidy(rule), _cadence(what), to["to"] if to else None, duty)
                    for what in reports
                )
    return rules


def _longest_rule(text: str, is_periodic: Callable[[str], bool]) -> str | None:
    end = _RULE_END.search(text)
    words = (text[: end.start()] if end else text).split()
    for count in range(min(len(words), 14), 1, -1):
        candidate = " ".join(words[:count]).rstrip(",:")
        if is_periodic(candidate):
            return candidate
    return None


def _reports_before(text: str) -> list[str]:
    """The "báo cáo …" items of the clause that ends where the rule begins."""
    opening = text.rfind("(")
    clause = text[opening + 1 :] if opening > text.rfind(")") else re.split(r"[.;]", text)[-1]
    return _report_items(clause)


def _reports_after(text: str) -> list[str]:
    clause = re.split(r"[.;]", text)[0]
    return _report_items(clause)[:1]


def _report_items(clause: str) -> list[str]:
    items: list[str] = []
    for piece in re.split(r"\s*(?:,|\bvà\b)\s*", clause):
        found = _REPORT.search(piece)
        if found:
            rest = piece[found.start() :]
            stop = _REPORT_END.search(rest, len("báo cáo"))
            item = tidy(rest[: stop.start()] if stop else rest)
            if item:
                items.append(item)
    return items


def _cadence(what: str) -> str | None:
    key = word_key(what)
    if "quy" in key.split():
        return "quarterly"
    if "6 thang" in key:
        return "half_yearly"
    if "thang" in key.split():
        return "monthly"
    if "nam" in key.split():
        return "yearly"
    return None
