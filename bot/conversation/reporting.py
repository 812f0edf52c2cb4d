"""Reports in chat: `/baocao [plan] [period]` and the chair's words ("gửi báo cáo quý 2",
"xuất excel"). The answer is a line of figures, then the workbook and the draft as files and the
chart as a picture (the web chat shows them as downloads, Zalo names them). Whom the rows belong
to is the use case's business: the chair and the admins get the whole plan, an officer their own
units' rows. When the plan is not clear, the bot asks which."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from bot.conversation.context import Turn
from locales import N_
from models import Plan
from plans.folding import fold
from plans.roman import QUARTER_NUMBERS, QUARTER_PATTERN
from reports.figures import Tally, total
from reports.files import Kind, build_file
from reports.period import Period, PeriodKind, period_of
from reports.snapshot import Snapshot
from reports.wording import show_rate, unit_label
from services.clock import local_today
from services.errors import PlanAmbiguous
from services.messages import Attachment, Reply, Text, say
from services.reporting.overview import on_time_rates
from services.reporting.snapshots import plan_snapshot
from services.tracking.plans import current_plans

REPORT_FIGURES: Final = N_(
    "📊 {plan}, {period}: {done}/{count} tasks done ({percent}%), {overdue} overdue, "
    "{blocked} blocked; on-time rate {rate}."
)
REPORT_FILES: Final = {
    Kind.WORKBOOK: N_("Progress workbook, in the plan's own table"),
    Kind.DRAFT: N_("Report draft, to complete and have signed"),
    Kind.CHART: N_("Progress chart"),
}
WHICH_PLAN: Final = N_("Which plan? {plans}. Write for example “/baocao {example} quý 2”.")
WHICH_PERIOD: Final = N_(
    "Which period? Write for example “/baocao {year}-Q2”, “/baocao {year}-H1” or “/baocao {year}”."
)
NO_PLAN: Final = N_("There is no plan to report on yet.")
RATES_TITLE: Final = N_("🏆 On time (done on time among tasks due so far):")
RATE_LINE: Final = N_("• {name}: {rate} ({on_time}/{due})")
RATES_OFFICERS: Final = N_("👤 By officer:")

# "gửi báo cáo quý 2", "xuất excel", "lập báo cáo 6 tháng": asking for a report, never "đã gửi
# báo cáo rồi" (a report sent: that is done).
_ASKS: Final = re.compile(
    r"^(?!.*\b(da|roi|xong)\b).*("
    r"\b(gui|xuat|lam|lap|tao|xem|can|lay)( \w+)? bao cao\b"
    r"|\bxuat (file |bang |ra )?(excel|word|bieu do|tien do)\b"
    r"|\bbao cao (tien do|quy|6 thang|nam|ke hoach)\b"
    r")"
)
_CODE: Final = re.compile(r"\b(20\d\d) ?-? ?(q|h)([1-4])\b")
_QUARTER: Final = re.compile(QUARTER_PATTERN + r"(?:(?: nam| ?/ ?| )(20\d\d))?")
_HALF: Final = re.compile(r"\b6 thang (dau|cuoi)(?: nam)?(?: (20\d\d))?")
_YEAR: Final = re.compile(r"\bnam (20\d\d)\b")
# "quý này", "6 tháng trước", "năm ngoái": the period now or the one before.
_RELATIVE: Final = re.compile(r"\b(quy|6 thang|nam) (nay|truoc|ngoai)\b")
# "báo cáo 6 tháng", "báo cáo năm": a kind of period, but which one is not said.
_UNSAID: Final = re.compile(r"\b(quy|6 thang|nam)\b")
_KINDS: Final = {"quy": PeriodKind.QUARTER, "6 thang": PeriodKind.HALF, "nam": PeriodKind.YEAR}
_FILLER: Final = frozenset(
    [
        "gui",
        "xuat",
        "lam",
        "lap",
        "tao",
        "xem",
        "can",
        "lay",
        "cho",
        "toi",
        "em",
        "minh",
        "anh",
        "chi",
        "bao",
        "cao",
        "ke",
        "hoach",
        "so",
        "excel",
        "word",
        "file",
        "bieu",
        "do",
        "du",
        "thao",
        "bang",
        "tien",
        "ra",
        "giup",
        "voi",
        "nhe",
        "nha",
        "a",
        "di",
        "cua",
        "ve",
        "ky",
        "nay",
        "quy",
        "nam",
        "thang",
        "dau",
        "cuoi",
    ]
)


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """What was asked for: which plan (its words), which period, which files."""

    plan: str
    period: Period | None
    kinds: tuple[Kind, ...]
    period_unclear: bool = False
    """A kind of period was named but not which ("báo cáo 6 tháng"): the bot asks."""


def asks_for_report(text: str) -> bool:
    """Whether free text asks for a report ("gửi báo cáo quý 2", "xuất excel")."""
    return bool(_ASKS.search(fold(text)))


def read_request(text: str, today: date) -> ReportRequest:
    """The plan, period and files named in `/baocao …` or in words."""
    words = fold(text)
    period: Period | None = None
    unclear = False
    for pattern in (_CODE, _QUARTER, _HALF, _YEAR, _RELATIVE, _UNSAID):
        match = pattern.search(words)
        if match is not None:
            if pattern is _UNSAID:
                unclear = match[1] != "nam"  # "năm" alone may be a name's ("Nam Sơn"): below
            else:
                period = _period(pattern, match, today)
            words = words[: match.start()] + " " + words[match.end() :]
            break
    kinds: tuple[Kind, ...] = (Kind.WORKBOOK, Kind.DRAFT, Kind.CHART)
    if re.search(r"\bexcel\b", words):
        kinds = (Kind.WORKBOOK,)
    elif re.search(r"\b(word|du thao)\b", words):
        kinds = (Kind.DRAFT,)
    elif re.search(r"\bbieu do\b", words):
        kinds = (Kind.CHART,)
    plan = " ".join(word for word in words.split() if word not in _FILLER)
    if period is None and not plan and _UNSAID.search(fold(text)):
        unclear = True  # "báo cáo năm": a year's report, but which year
    return ReportRequest(plan=plan, period=period, kinds=kinds, period_unclear=unclear)


def report(turn: Turn, text: str) -> list[Reply]:
    """The report the turn asks for, as a line of figures and its files."""
    today = local_today(turn.clock)
    request = read_request(text, today)
    if request.period_unclear:
        return [say(WHICH_PERIOD, year=today.year)]
    if not request.plan:
        plans = current_plans(turn.session, turn.actor.organization_id)
        if not plans:
            return [say(NO_PLAN)]
        if len(plans) > 1:
            return [_which(plans)]
    try:
        snapshot = plan_snapshot(
            turn.session,
            turn.clock,
            turn.actor,
            request.plan or None,
            period=request.period,
            locale=turn.actor.locale,
        )
    except PlanAmbiguous:
        return [_which(current_plans(turn.session, turn.actor.organization_id))]
    return [_figures(snapshot), *(_file(snapshot, kind) for kind in request.kinds)]


def rate_lines(turn: Turn) -> list[Text]:
    """The on-time rate of each unit and officer, best first (the ward's emulation scoring),
    for the chair's summary; nothing when no task was due yet."""
    rates = on_time_rates(turn.session, turn.clock, turn.actor)
    units = [tally for tally in rates.units if tally.due_so_far]
    if not units:
        return []
    lines = [Text(RATES_TITLE), *(_rate(turn, tally) for tally in _best_first(units))]
    officers = [tally for tally in rates.officers if tally.due_so_far]
    if officers:
        lines += [Text(RATES_OFFICERS), *(_rate(turn, tally) for tally in _best_first(officers))]
    return lines


def _best_first(tallies: list[Tally]) -> list[Tally]:
    return sorted(tallies, key=lambda tally: (-(tally.on_time_rate or 0), tally.name))


def _rate(turn: Turn, tally: Tally) -> Text:
    return Text(
        RATE_LINE,
        {
            "name": unit_label(turn.actor.locale, tally.name),
            "rate": show_rate(tally.on_time_rate),
            "on_time": tally.on_time,
            "due": tally.due_so_far,
        },
    )


def _period(pattern: re.Pattern[str], match: re.Match[str], today: date) -> Period:
    if pattern is _CODE:
        kind = PeriodKind.QUARTER if match[2] == "q" else PeriodKind.HALF
        return Period(kind, int(match[1]), int(match[3]))
    if pattern is _QUARTER:
        number = QUARTER_NUMBERS[match[1]]
        return Period(PeriodKind.QUARTER, int(match[2] or today.year), number)
    if pattern is _HALF:
        return Period(PeriodKind.HALF, int(match[2] or today.year), 1 if match[1] == "dau" else 2)
    if pattern is _RELATIVE:
        now = period_of(_KINDS[match[1]], today)
        return now if match[2] == "nay" else now.preceding()
    return Period(PeriodKind.YEAR, int(match[1]))


def _which(plans: list[Plan]) -> Reply:
    names = [plan.number or plan.title or "" for plan in plans]
    example = (names[0].split("/")[0] if names else "") or "73"
    return say(WHICH_PLAN, plans="; ".join(names), example=example)


def _figures(snapshot: Snapshot) -> Reply:
    whole = total(snapshot)
    plan = snapshot.plan
    return Reply(
        lines=(
            Text(
                REPORT_FIGURES,
                {
                    "plan": plan.number or plan.title or "",
                    "period": snapshot.period.label(snapshot.locale),
                    "done": whole.done,
                    "count": whole.assigned,
                    "percent": round(100 * whole.done / whole.assigned) if whole.assigned else 0,
                    "overdue": whole.overdue,
                    "blocked": whole.blocked,
                    "rate": show_rate(whole.on_time_rate),
                },
            ),
        )
    )


def _file(snapshot: Snapshot, kind: Kind) -> Reply:
    built = build_file(kind, snapshot)
    link = None
    if snapshot.plan.plan_id is not None:
        link = f"/reports/{snapshot.plan.plan_id}/{kind.value}?period={snapshot.period.code}"
    return Reply(
        lines=(Text(REPORT_FILES[kind]),),
        attachment=Attachment(built.name, built.content, built.media_type, link=link),
    )
