"""The reminder maths, pure: on which days an occurrence is due for what, and its next moment.

Everything here takes the policy, the working calendar, the occurrence's facts and the instant
to reason from; nothing reads a clock or a database.

- Before the due date, lead units are reminded `offsets` calendar days ahead, coordinators
  `coordinator_offsets` days ahead; a recurring occurrence drops offsets as long as its period
  (a weekly report is not announced two weeks ahead) and days before its period starts.
- After it, overdue notices go out on the 1st working day after the due date and then every
  `overdue_every` working days; every `overdue_slow_every` once `overdue_slow_after` working days
  have passed, every `overdue_rare_every` after `overdue_rare_after` (2, then weekly, then
  monthly by default); the chair hears of it once, `escalate_after` working days overdue.
- A standing duty (a plan without a task table) gets a check-in on the 1st of each quarter's
  last month, before the quarter's report (`duty_checkin`, which can be off).
- An ongoing task gets a check-in on the 1st of each month (or quarter); a fixed task whose
  window is longer than a year gets one on each anniversary of its due date within the window.
- Every such day that is not a working day moves to the working day before it; the moment is
  that day at the send time. The due date itself never moves.
- A snoozed occurrence says nothing to its leads until `snoozed_until`, and then reminds them
  (at that instant when it is a working day outside the quiet hours, else at the next send time).
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from models import CLOSED_STATUSES, ItemKind, TaskStatus
from plans.calendar import WorkingCalendar
from services.reminding.policies import Cadence, Policy

PERIOD_DAYS = {"weekly": 7, "monthly": 28, "quarterly": 90, "half_yearly": 181, "yearly": 365}
SILENT = CLOSED_STATUSES | {TaskStatus.AWAITING_DIRECTION}


class Audience(StrEnum):
    """Who a reason is for."""

    LEAD = "lead"
    COORDINATOR = "coordinator"
    CHAIR = "chair"


@dataclass(frozen=True, slots=True)
class Facts:
    """What the maths needs to know of one occurrence (and its task)."""

    due: date | None
    status: TaskStatus
    window_start: date | None = None
    ongoing: bool = False
    obligation: bool = False
    duty: bool = False
    recurrence: str | None = None
    snoozed_until: datetime | None = None
    known_since: date | None = None
    """The day dondoc learned of the task (its import): an occurrence already overdue then has
    its overdue notices counted from that day, so the first comes at the next send time."""

    @property
    def overdue_anchor(self) -> date | None:
        """The day overdue notices are counted from."""
        if self.due is None or self.known_since is None:
            return self.due
        return max(self.due, self.known_since - timedelta(days=1))


@dataclass(frozen=True, slots=True)
class Reason:
    """Something due for an occurrence at one moment: what, for whom, with its day count
    (days left before the due date, or working days overdue)."""

    kind: ItemKind
    audience: Audience
    days: int = 0
    tag: str = ""
    """What makes it unique among its kind for this occurrence (a day, a due date)."""


def local_moment(day: date, policy: Policy, zone: ZoneInfo) -> datetime:
    """`day` at the send time, as an aware instant."""
    return datetime.combine(day, policy.send_time, tzinfo=zone)


def allowed_moment(
    instant: datetime, policy: Policy, calendar: WorkingCalendar, zone: ZoneInfo
) -> datetime:
    """`instant` if a message may go out then (a working day, outside the quiet hours), else
    the next send time on a working day."""
    local = instant.astimezone(zone)
    if calendar.is_working_day(local.date()) and not policy.is_quiet(local.time()):
        return instant
    day = local.date()
    if not (local.time() < policy.send_time and calendar.is_working_day(day)):
        day = calendar.next_working_day(day)
    return local_moment(day, policy, zone)


class Schedule:
    """The reminder days of one occurrence under one policy and calendar."""

    def __init__(
        self, policy: Policy, calendar: WorkingCalendar, facts: Facts, zone: ZoneInfo
    ) -> None:
        self.policy = policy
        self.calendar = calendar
        self.facts = facts
        self.zone = zone
        self._lead_days: dict[date, int] | None = None
        self._coordinator_days: dict[date, int] | None = None
        self._next: dict[datetime, datetime | None] = {}
        self._reasons: dict[datetime, list[Reason]] = {}

    # --- days -----------------------------------------------------------------------------

    def _before_due(self, offsets: tuple[int, ...]) -> dict[date, int]:
        due = self.facts.due
        assert due is not None
        period = PERIOD_DAYS.get(self.facts.recurrence or "")
        days: dict[date, int] = {}
        for offset in offsets:
            if period is not None and offset >= period:
                continue
            nominal = due - timedelta(days=offset)
            if self.facts.window_start is not None and nominal < self.facts.window_start:
                continue
            day = self.calendar.on_or_before_working_day(nominal)
            days[day] = (due - day).days
        return days

    @property
    def lead_days(self) -> dict[date, int]:
        """Reminder days of the lead units, with the days left on each."""
        if self._lead_days is None:
            self._lead_days = self._before_due(self.policy.offsets) if self._reminds() else {}
        return self._lead_days

    @property
    def coordinator_days(self) -> dict[date, int]:
        """Reminder days of the coordinating units."""
        if self._coordinator_days is None:
            wanted = self._reminds()
            offsets = self.policy.coordinator_offsets
            self._coordinator_days = self._before_due(offsets) if wanted else {}
        return self._coordinator_days

    def _reminds(self) -> bool:
        return self.facts.status is TaskStatus.OPEN and self.facts.due is not None

    def _tiers(self) -> tuple[tuple[int, int], ...]:
        """(last working-day count, step) of each overdue cadence, fastest first."""
        policy = self.policy
        return (
            (policy.overdue_slow_after, policy.overdue_every),
            (policy.overdue_rare_after, policy.overdue_slow_every),
            (1 << 30, policy.overdue_rare_every),
        )

    def _next_overdue_count(self, at_least: int) -> int:
        """The smallest working-day count >= `at_least` with an overdue notice: 1, then every
        step of the tier the previous notice fell in."""
        count = max(at_least, 1)
        tiers = self._tiers()
        notice = 1
        for index, (last, step) in enumerate(tiers):
            if notice > last:
                continue
            if count <= last:
                candidate = notice + max(0, -(-(count - notice) // step)) * step
                if candidate <= last:
                    return candidate
            notice += (last - notice) // step * step + tiers[index + 1][1]
        raise AssertionError("the last overdue tier never ends")

    def _is_overdue_day(self, count: int) -> bool:
        return count >= 1 and self._next_overdue_count(count) == count

    def _checkin_nominals(self, around: date) -> Iterator[date]:
        """Nominal check-in dates near `around` (from its month on), in order."""
        facts = self.facts
        start = facts.window_start
        if facts.duty:
            if self.policy.duty_checkin is Cadence.OFF:
                return
            year, month = around.year, around.month
            month += (3 - month % 3) % 3  # the quarter's last month
            for _ in range(4):
                yield date(year, month, 1)
                month += 3
                if month > 12:
                    year, month = year + 1, month - 12
            return
        if facts.ongoing:
            cadence = self.policy.ongoing_checkin
            if cadence is Cadence.OFF:
                return
            step = 3 if cadence is Cadence.QUARTERLY else 1
            year, month = around.year, around.month
            month -= (month - 1) % step
            for _ in range(6):
                nominal = date(year, month, 1)
                if start is None or nominal > start:
                    yield nominal
                month += step
                if month > 12:
                    year, month = year + 1, month - 12
            return
        if (
            facts.due is None
            or start is None
            or self.policy.long_window_checkin is Cadence.OFF
            or (facts.due - start).days <= 366
        ):
            return
        for years_back in range(facts.due.year - start.year, 0, -1):
            year = facts.due.year - years_back
            day = min(facts.due.day, 28) if facts.due.month == 2 else facts.due.day
            nominal = date(year, facts.due.month, day)
            if nominal >= start:
                yield nominal

    def _checkin_days(self, around: date) -> Iterator[date]:
        if self.facts.status is not TaskStatus.OPEN:
            return
        for nominal in self._checkin_nominals(around):
            yield self.calendar.on_or_before_working_day(nominal)

    # --- reasons --------------------------------------------------------------------------

    def reasons_on(self, day: date) -> list[Reason]:
        """What is due for this occurrence on `day` (at the send time)."""
        facts = self.facts
        if facts.status in SILENT or facts.status is TaskStatus.BLOCKED:
            return []
        reasons: list[Reason] = []
        kind = ItemKind.OBLIGATION if facts.obligation else ItemKind.REMINDER
        left = self.lead_days.get(day)
        if left is not None:
            reasons.append(Reason(kind, Audience.LEAD, left, day.isoformat()))
        left = self.coordinator_days.get(day)
        if left is not None:
            reasons.append(Reason(kind, Audience.COORDINATOR, left, day.isoformat()))
        anchor = facts.overdue_anchor
        if facts.due is not None and anchor is not None and day > anchor and not facts.ongoing:
            count = self.calendar.working_days_between(facts.due, day)
            if self._is_overdue_day(self.calendar.working_days_between(anchor, day)):
                reasons.append(Reason(ItemKind.OVERDUE, Audience.LEAD, count, day.isoformat()))
            if count >= self.policy.escalate_after:
                reasons.append(
                    Reason(ItemKind.ESCALATION, Audience.CHAIR, count, facts.due.isoformat())
                )
        if day in set(self._checkin_days(day)):
            reasons.append(Reason(ItemKind.CHECKIN, Audience.LEAD, 0, day.isoformat()))
        return reasons

    def reasons_at(self, moment: datetime) -> list[Reason]:
        """What is due at `moment`: the day's reasons at the send time, the snooze's at its
        instant; leads hear nothing while a snooze runs."""
        found = self._reasons.get(moment)
        if found is None:
            found = self._reasons[moment] = self._reasons_at(moment)
        return found

    def _reasons_at(self, moment: datetime) -> list[Reason]:
        local = moment.astimezone(self.zone)
        reasons: list[Reason] = []
        if local.time() == self.policy.send_time:
            reasons = self.reasons_on(local.date())
        snooze = self.snooze_moment()
        snoozed_until = self.facts.snoozed_until
        if snoozed_until is not None and moment < snoozed_until:
            reasons = [r for r in reasons if r.audience is not Audience.LEAD]
        if (
            snooze is not None
            and snooze == moment
            and snoozed_until is not None
            and not any(r.audience is Audience.LEAD for r in reasons)
        ):
            reasons.append(self._snooze_reason(local.date(), snoozed_until))
        return reasons

    def _snooze_reason(self, day: date, snoozed_until: datetime) -> Reason:
        due = self.facts.due
        tag = "snooze:" + snoozed_until.isoformat()
        if due is not None and day > due and not self.facts.ongoing:
            count = self.calendar.working_days_between(due, day)
            return Reason(ItemKind.OVERDUE, Audience.LEAD, count, tag)
        if due is None:
            return Reason(ItemKind.CHECKIN, Audience.LEAD, 0, tag)
        kind = ItemKind.OBLIGATION if self.facts.obligation else ItemKind.REMINDER
        return Reason(kind, Audience.LEAD, (due - day).days, tag)

    def snooze_moment(self) -> datetime | None:
        """When a running snooze ends, moved to when a message may go out."""
        facts = self.facts
        if facts.snoozed_until is None or facts.status is not TaskStatus.OPEN:
            return None
        return allowed_moment(facts.snoozed_until, self.policy, self.calendar, self.zone)

    # --- the next moment ------------------------------------------------------------------

    def next_day(self, first: date) -> date | None:
        """The first day on or after `first` with something due at the send time."""
        facts = self.facts
        if facts.status in SILENT or facts.status is TaskStatus.BLOCKED:
            return None
        candidates = [day for day in self.lead_days if day >= first]
        candidates += [day for day in self.coordinator_days if day >= first]
        anchor = facts.overdue_anchor
        if facts.due is not None and anchor is not None and not facts.ongoing:
            calendar = self.calendar
            before = first - timedelta(days=1)
            count = self._next_overdue_count(calendar.working_days_between(anchor, before) + 1)
            candidates.append(calendar.add_working_days(anchor, count))
            if self.policy.escalate_after > calendar.working_days_between(facts.due, before):
                candidates.append(calendar.add_working_days(facts.due, self.policy.escalate_after))
        candidates += [day for day in self._checkin_days(first) if day >= first]
        return min(candidates) if candidates else None

    def next_moment(self, after: datetime) -> datetime | None:
        """The first moment strictly after `after` at which something is due."""
        if after not in self._next:
            self._next[after] = self._next_moment(after)
        return self._next[after]

    def _next_moment(self, after: datetime) -> datetime | None:
        local = after.astimezone(self.zone)
        first = local.date()
        if local.time() >= self.policy.send_time:
            first += timedelta(days=1)
        found: datetime | None = None
        day = self.next_day(first)
        snoozed_until = self.facts.snoozed_until
        while day is not None:
            moment = local_moment(day, self.policy, self.zone)
            if snoozed_until is None or moment >= snoozed_until or self._has_others(day):
                found = moment
                break
            day = self.next_day(day + timedelta(days=1))
        snooze = self.snooze_moment()
        if snooze is not None and snooze > after and (found is None or snooze < found):
            found = snooze
        return found

    def _has_others(self, day: date) -> bool:
        """Whether `day` has reasons for someone other than the (snoozed) leads."""
        return any(reason.audience is not Audience.LEAD for reason in self.reasons_on(day))


def next_summary_moment(
    policy: Policy, calendar: WorkingCalendar, after: datetime, zone: ZoneInfo
) -> datetime:
    """The weekly summary's first moment strictly after `after`: the summary weekday, or the
    first working day after it in the same week (a week with none has no summary)."""
    local = after.astimezone(zone)
    monday = local.date() - timedelta(days=local.date().weekday())
    for week in range(0, 8):
        for weekday in range(policy.summary_weekday, 7):
            day = monday + timedelta(weeks=week, days=weekday)
            if calendar.is_working_day(day):
                moment = local_moment(day, policy, zone)
                if moment > after:
                    return moment
                break
    raise AssertionError("no working day in eight weeks")
