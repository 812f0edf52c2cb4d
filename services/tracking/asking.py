"""The questions people ask in words, answered with what they may see.

- `acted_on`: the occurrence of the task a message names by its code ("việc 7"), open or
  closed, by the rule the web and the command line follow: a named task is the task acted on,
  or nothing is; the conversation never falls back on another.
- `status_of`: where one task stands ("việc 7 đã xong chưa?"): status, progress, the blocker's
  reason, when it was done and by whom, its lead units.
- `read_filters` + `find`: the chair's questions with their filters in words: a unit ("phòng
  văn hóa", "CCVHXH"), an officer ("anh An"), a quarter ("quý 4"), what falls due soon ("tuần
  này", "sắp đến hạn"), a plan (by number or words of its title); `completion` counts what is done.
"""

import re
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Final

from sqlmodel import Session, col, select

from locales import format_day
from models import (
    AssignmentRole,
    EventKind,
    Officer,
    Organization,
    Plan,
    Task,
    TaskEvent,
    TaskStatus,
    Unit,
    UnitAlias,
)
from plans.calendar import WorkingCalendar
from plans.folding import fold, word_key
from plans.roman import QUARTER_NUMBERS, QUARTER_PATTERN
from reports.period import Period, PeriodKind
from services.access import access_occurrence, is_manager, unit_ids_of
from services.clock import Clock, local_today
from services.errors import OfficerNotFound, TaskNotFound
from services.people.officers import find_officer
from services.tracking import queries
from services.tracking.lateness import working_days_late
from services.tracking.plans import current_plans, numbered
from services.tracking.queries import Item
from services.tracking.shares import UnitShare, shares_of
from services.tracking.task_list import occurrence_to_act_on, tasks_coded

# "việc 7", "việc số 2.1", "mục II"; a Roman numeral only as a word of its own ("mai" is not
# "mã I", "mục" + "x…" is not "mục X")
_CODE: Final = re.compile(
    r"\b(?:viec|task|nhiem vu|muc|stt|ma)(?:\s*(?:so\s*)?([0-9]+(?:\.[0-9a-z]+)*)"
    r"|\s+(?:so\s+)?([ivx]+(?:\.[0-9a-z]+)*))\b"
)
# More codes after a named one: "việc 3 và 4", "việc 3, 4", "việc 3 4" (not "việc 3 2 ngày",
# "việc 1 100%", "việc 3 30/6": a number of something else)
_MORE_CODES: Final = re.compile(
    r"\s*(?:,|;|&|\+|\bva\b|\bvoi\b|\bhoac\b)?\s*(?:viec\s*)?([0-9]+(?:\.[0-9a-z]+)*)\b"
    r"(?!\s*[%/:]|\s*(?:ngay|hom|bua|tuan|thang|nam|tieng|gio|h|phut|phan)\b)"
)
_QUARTER: Final = re.compile(QUARTER_PATTERN)
_SOON: Final = re.compile(
    r"\b(sap|gan) (den|toi|het) han\b|\bden han\b|\bsap han\b|\bdue (soon|shortly)\b"
)
_THIS_WEEK: Final = re.compile(r"\btuan nay\b|\bthis week\b")
_NEXT_WEEK: Final = re.compile(r"\btuan (sau|toi)\b|\bnext week\b")
_THIS_MONTH: Final = re.compile(r"\bthang nay\b|\bthis month\b")
_UNIT_MARK: Final = re.compile(
    r"\b(?:phong|ban|bo phan|ben|don vi|cong chuc|linh vuc|mang|to)\s+((?:\w+\s*){1,4})"
)
_PERSON_MARK: Final = re.compile(
    r"\b(?:anh|chi|co|chu|ong|ba|dong chi|dc|ban|bac|em)\s+(\w+(?:\s\w+){0,2})"
)
_PLAN_NUMBER: Final = re.compile(r"\bke hoach (?:so )?(\d+)")
_PLAN_WORDS: Final = re.compile(r"\bke hoach ((?:[a-z]+\s*){1,6})")
_SOON_DAYS: Final = 7
_STOP: Final = frozenset(("con", "gi", "nao", "viec", "co", "da", "xong", "bao", "nhieu", "chua"))


def named_code(text: str) -> str | None:
    """The task code a message names ("việc 2.1 xong rồi" → "2.1"), if any."""
    found = _CODE.search(fold(text))
    return (found.group(1) or found.group(2)).upper() if found else None


def named_codes(text: str) -> list[str]:
    """Every task code a message names, in order ("việc 3 và 4 xong rồi" → ["3", "4"])."""
    folded = fold(text)
    codes: list[str] = []
    for found in _CODE.finditer(folded):
        codes.append((found.group(1) or found.group(2)).upper())
        end = found.end()
        while (more := _MORE_CODES.match(folded, end)) is not None:
            codes.append(more.group(1).upper())
            end = more.end()
    return list(dict.fromkeys(codes))


def acted_on(session: Session, actor: Officer, code: str) -> list[int]:
    """The occurrence a message naming task `code` is about, for each task of the current
    plans `actor` may see numbered so (`task_list.tasks_coded`; several plans, several tasks):
    the one every undated act is about (`task_list.occurrence_to_act_on`). `TaskNotFound` when
    there is none."""
    tasks = tasks_coded(session, actor, code)
    if not tasks:
        raise TaskNotFound(ref=code)
    return [occurrence_to_act_on(session, task).id or 0 for task in tasks]


@dataclass(frozen=True, slots=True)
class Status:
    """Where one occurrence stands, as its asker may read it."""

    occurrence_id: int
    code: str
    title: str
    status: TaskStatus
    progress: int
    due: date | None
    units: tuple[str, ...]
    reason: str | None
    done_at: datetime | None
    done_by: str | None
    plan: str
    shares: tuple[UnitShare, ...] = ()
    requirement: str | None = None
    note: str | None = None
    source: tuple[str, str, str] | None = None
    """The plan's own row: its lead, coordinators and deadline cells as printed (None for a
    task given by hand)."""
    calendar: WorkingCalendar | None = field(default=None, compare=False, repr=False)
    """The ward's working days, by which lateness is counted."""

    def is_late(self, today: date) -> bool:
        """Whether it is past its due date on `today` (said so unless done or blocked)."""
        return self.due is not None and self.due < today

    def days_late(self, today: date) -> int:
        """Working days past due (0 when not late), as the reminders and lists count them."""
        return working_days_late(self.due, today, self.calendar)


def status_of(session: Session, actor: Officer, occurrence_id: int) -> Status:
    """Where occurrence `occurrence_id` stands (`TaskNotFound` when not the actor's to see)."""
    occurrence, task = access_occurrence(session, actor, occurrence_id)
    item = next(
        i
        for i in queries.items(session, actor, open_only=False, code=task.code)
        if i.occurrence_id == occurrence_id
    )
    done_by = None
    if occurrence.status is TaskStatus.DONE:
        event = session.exec(
            select(TaskEvent)
            .where(TaskEvent.occurrence_id == occurrence_id, TaskEvent.kind == EventKind.DONE)
            .order_by(col(TaskEvent.id).desc())
        ).first()
        if event is not None and event.officer_id is not None:
            officer = session.get(Officer, event.officer_id)
            done_by = officer.name if officer else None
    return Status(
        occurrence_id=occurrence_id,
        code=task.code,
        title=task.title,
        status=occurrence.status,
        progress=task.progress,
        due=occurrence.due,
        units=item.units,
        reason=item.reason,
        done_at=occurrence.done_at,
        done_by=done_by,
        plan=item.plan,
        shares=tuple(
            share
            for share in shares_of(session, [task.id or 0]).get(task.id or 0, [])
            if share.role is AssignmentRole.LEAD
        ),
        requirement=task.requirement,
        note=task.note,
        source=_source_row(session.get_one(Plan, task.plan_id), task, item.units, occurrence.due),
        calendar=item.calendar,
    )


def _source_row(
    plan: Plan, task: Task, units: tuple[str, ...], due: date | None
) -> tuple[str, str, str] | None:
    """The plan's own cells for a task (lead, coordinators, deadline), when they say more than
    its lead units' names and due date do; None for a task given by hand."""
    row = (task.lead_text, task.coordinators_text, task.deadline_text)
    if plan.manual:
        return None
    same_lead = task.lead_text in (*units, ", ".join(units))
    written = format_day(due, locale="vi") if due else ""  # as a (Vietnamese) plan writes it
    same_due = task.deadline_text in ("", written)
    return None if same_lead and not task.coordinators_text and same_due else row


@dataclass(frozen=True, slots=True)
class Filters:
    """What a question narrows the list to; `label` words say it back to the asker."""

    unit_id: int | None = None
    unit: str | None = None
    officer_id: int | None = None
    officer: str | None = None
    quarter: tuple[int, int] | None = None
    due_from: date | None = None
    due_to: date | None = None
    plan_id: int | None = None
    plan: str | None = None
    due_soon: bool = False
    """A window from today on ("tuần này", "sắp đến hạn"): what falls due in it, not what is
    overdue already."""

    @property
    def is_empty(self) -> bool:
        """Whether the question named no filter at all."""
        return self == Filters()


def read_filters(session: Session, clock: Clock, actor: Officer, text: str) -> Filters:
    """The filters a question names, resolved against the actor's organization; names that
    match nothing are left out (the question is then answered unfiltered on that point)."""
    words = word_key(text)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    today = local_today(clock)
    filters = Filters()
    unit = _unit_in(session, org, words)
    if unit is not None:
        filters = replace(filters, unit_id=unit.id, unit=unit.name)
    officer = _officer_in(session, org, words) if is_manager(actor) else None
    if officer is not None:
        filters = replace(filters, officer_id=officer.id, officer=officer.name)
    quarter = _QUARTER.search(words)
    if quarter is not None:
        filters = replace(filters, quarter=(today.year, QUARTER_NUMBERS[quarter.group(1)]))
    if _THIS_WEEK.search(words):
        sunday = today + timedelta(days=6 - today.weekday())
        filters = replace(filters, due_from=today, due_to=sunday, due_soon=True)
    elif _NEXT_WEEK.search(words):
        monday = today + timedelta(days=7 - today.weekday())
        filters = replace(
            filters, due_from=monday, due_to=monday + timedelta(days=6), due_soon=True
        )
    elif _THIS_MONTH.search(words):
        nxt = (today.replace(day=28) + timedelta(days=4)).replace(day=1)
        filters = replace(filters, due_from=today, due_to=nxt - timedelta(days=1), due_soon=True)
    elif _SOON.search(words):
        soon = today + timedelta(days=_SOON_DAYS)
        filters = replace(filters, due_from=today, due_to=soon, due_soon=True)
    plan = _plan_in(session, org, words)
    if plan is not None:
        filters = replace(filters, plan_id=plan.id, plan=plan.number or plan.title)
    return filters


def find(session: Session, clock: Clock, actor: Officer, filters: Filters) -> list[Item]:
    """The open work the filters keep, that `actor` may see (an officer's: their own): a task
    once, by its occurrence that counts now among those kept (`lateness.counting_occurrence`)."""
    return queries.counting_among(_kept(session, clock, actor, filters, open_only=True))


def overdue_besides(session: Session, clock: Clock, actor: Officer, filters: Filters) -> int:
    """How many tasks the filters would keep but for their window, that are overdue (a due-soon
    question lists what falls due; this says how many are late already): a task once, however
    many of its periods are open and past due, as every list counts it."""
    yesterday = local_today(clock) - timedelta(days=1)
    late = replace(filters, due_from=None, due_to=yesterday, due_soon=False)
    return len(queries.counting_among(_kept(session, clock, actor, late, open_only=True)))


@dataclass(frozen=True, slots=True)
class Completion:
    """How much of what the filters keep is done."""

    done: int
    total: int

    @property
    def percent(self) -> int:
        """Done, in whole percent of the total (0 of nothing)."""
        return round(100 * self.done / self.total) if self.total else 0


def completion(session: Session, clock: Clock, actor: Officer, filters: Filters) -> Completion:
    """How many of the occurrences the filters keep are done."""
    everything = _kept(session, clock, actor, filters, open_only=False)
    counted = [i for i in everything if i.status is not TaskStatus.CANCELLED]
    done = sum(1 for i in counted if i.status is TaskStatus.DONE)
    return Completion(done=done, total=len(counted))


def _kept(
    session: Session, clock: Clock, actor: Officer, filters: Filters, *, open_only: bool
) -> list[Item]:
    unit_ids: list[int] | None = None
    if filters.unit_id is not None:
        unit_ids = [filters.unit_id]
    if filters.officer_id is not None:
        officer = session.get(Officer, filters.officer_id)
        assert officer is not None
        theirs = unit_ids_of(session, officer)
        unit_ids = [u for u in unit_ids if u in theirs] if unit_ids is not None else theirs
    elif not is_manager(actor):
        unit_ids = None  # an officer sees their own work: `visible_tasks` already says so
    due_from, due_to = filters.due_from, filters.due_to
    if filters.quarter is not None:
        period = Period(PeriodKind.QUARTER, *filters.quarter)
        due_from = max(due_from or period.start, period.start)
        due_to = min(due_to or period.end, period.end)
    return queries.items(
        session,
        actor,
        open_only=open_only,
        unit_ids=unit_ids,
        due_from=due_from,
        due_to=due_to,
        plan_id=filters.plan_id,
    )


def plans_count(session: Session, actor: Officer) -> int:
    """How many plans the actor's organization follows (lists name the plan when several)."""
    return len(current_plans(session, actor.organization_id, with_manual=True))


def _unit_in(session: Session, org: Organization, words: str) -> Unit | None:
    padded = f" {words} "
    for alias in session.exec(select(UnitAlias).where(UnitAlias.organization_id == org.id)):
        if alias.folded and f" {alias.folded} " in padded:
            return session.get(Unit, alias.unit_id)
    units = [u for u in session.exec(select(Unit).where(Unit.organization_id == org.id)) if u.name]
    for unit in units:
        if f" {fold(unit.name)} " in padded:
            return unit
    for found in _UNIT_MARK.finditer(words):
        tail = [w for w in found.group(1).split() if w not in _STOP]
        while tail:
            key = " ".join(tail)
            matches = [u for u in units if f" {key} " in f" {word_key(u.name)} "]
            if len(matches) == 1:
                return matches[0]
            tail.pop()
    return None


def _officer_in(session: Session, org: Organization, words: str) -> Officer | None:
    if 0 < len(words.split()) <= 3:  # a bare name ("/quahan Minh")
        try:
            return find_officer(session, org, words)
        except OfficerNotFound:
            pass
    for found in _PERSON_MARK.finditer(words):
        parts = found.group(1).split()
        while parts:
            try:
                return find_officer(session, org, " ".join(parts))
            except OfficerNotFound:
                parts.pop()
    return None


def _plan_in(session: Session, org: Organization, words: str) -> Plan | None:
    assert org.id is not None
    plans = current_plans(session, org.id)
    number = _PLAN_NUMBER.search(words)
    if number is not None:
        matches = numbered(plans, number.group(1))
        if len(matches) == 1:
            return matches[0]
    titled = _PLAN_WORDS.search(words)
    if titled is not None:
        tail = [w for w in titled.group(1).split() if w not in _STOP]
        while tail:
            key = " ".join(tail)
            matches = [p for p in plans if key in word_key(p.title or "")]
            if len(matches) == 1:
                return matches[0]
            tail.pop()
    return None
