"""Reminder policies: an organization's rules, a task's override, and the working calendar the
rules run on.

A `Policy` is the effective, validated value the reminder maths reads; `ReminderPolicy` rows
store it (the organization's row has `task_id` NULL; a task's override is a full copy).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from datetime import date, time
from enum import StrEnum
from typing import Final

from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from locales import N_
from models import CalendarDay, Occurrence, Organization, Plan, ReminderPolicy, Task
from plans.calendar import WorkingCalendar, announced_days
from services.errors import DomainError
from services.reminding.batches import member_of, rows_among


class Cadence(StrEnum):
    """How often a check-in comes back."""

    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"
    OFF = "off"


ONGOING_CADENCES: Final = (Cadence.MONTHLY, Cadence.QUARTERLY, Cadence.OFF)
LONG_WINDOW_CADENCES: Final = (Cadence.YEARLY, Cadence.OFF)
DUTY_CADENCES: Final = (Cadence.QUARTERLY, Cadence.OFF)


class InvalidPolicy(DomainError):
    """A policy refused: each reason its own sentence, in the reader's language."""

    msgid = N_("Invalid reminder policy.")


class NotATime(InvalidPolicy):
    msgid = N_("Invalid reminder policy: {text} is not a time of day (HH:MM).")


class NotDays(InvalidPolicy):
    msgid = N_("Invalid reminder policy: {text} is not a list of days (e.g. 14,7,3,1,0).")


class NotACadence(InvalidPolicy):
    msgid = N_(
        "Invalid reminder policy: {text} is not a cadence (monthly, quarterly, yearly, off)."
    )


class NotANumber(InvalidPolicy):
    msgid = N_("Invalid reminder policy: {text} is not a whole number.")


class UnknownSetting(InvalidPolicy):
    msgid = N_("Invalid reminder policy: there is no setting {name}.")


class OffsetsOutOfRange(InvalidPolicy):
    msgid = N_("Invalid reminder policy: reminders before the due date go 0 to 366 days before.")


class StepOutOfRange(InvalidPolicy):
    msgid = N_("Invalid reminder policy: overdue reminders come every 1 to 60 working days.")


class EscalationOutOfRange(InvalidPolicy):
    msgid = N_("Invalid reminder policy: the chair is told after 1 to 60 working days overdue.")


class SlowdownOutOfOrder(InvalidPolicy):
    msgid = N_(
        "Invalid reminder policy: overdue reminders slow down after 0 to 2,500 working days, "
        "and become rare no earlier than they slow down."
    )


class WeekdayOutOfRange(InvalidPolicy):
    msgid = N_("Invalid reminder policy: the summary's day is 0 (Monday) to 6 (Sunday).")


class SendTimeIsQuiet(InvalidPolicy):
    msgid = N_("Invalid reminder policy: the send time falls in the quiet hours.")


class CadenceNotAllowed(InvalidPolicy):
    msgid = N_("Invalid reminder policy: {cadence} is not allowed here; use {choices}.")


class DraftDaysOutOfRange(InvalidPolicy):
    msgid = N_(
        "Invalid reminder policy: report drafts go 0 (never) to 30 working days before the "
        "report is due."
    )


class PolicyTaskNotFound(DomainError):
    msgid = N_("There is no task {code} in the current plans.")


class PolicyTaskAmbiguous(DomainError):
    msgid = N_("Several current plans have a task {code}: choose one with --plan.")


@dataclass(frozen=True, slots=True)
class Policy:
    """When reminders go out: the effective rules for one task."""

    offsets: tuple[int, ...] = (14, 7, 3, 1, 0)
    """Days before the due date (calendar days) when the lead units are reminded."""
    coordinator_offsets: tuple[int, ...] = (7,)
    """Days before the due date when coordinating units get their lighter reminder."""
    overdue_every: int = 2
    """Working days between overdue notices, from the first working day after the due date."""
    overdue_slow_after: int = 10
    """After this many working days overdue, notices slow down to `overdue_slow_every`."""
    overdue_slow_every: int = 5
    overdue_rare_after: int = 60
    """After this many working days overdue, notices come every `overdue_rare_every`."""
    overdue_rare_every: int = 20
    escalate_after: int = 3
    """Working days overdue after which the chair is told (once per due date)."""
    send_time: time = time(7, 30)
    quiet_start: time = time(21, 0)
    quiet_end: time = time(7, 0)
    summary_weekday: int = 0
    """0 = Monday: the day of the chair's weekly summary."""
    ongoing_checkin: Cadence = Cadence.MONTHLY
    long_window_checkin: Cadence = Cadence.YEARLY
    report_draft_days: int = 3
    """Working days before a required report is due when its units get the draft (0: never)."""
    duty_checkin: Cadence = Cadence.QUARTERLY
    """Standing duties: a check-in early in each quarter's last month, before its report."""

    def is_quiet(self, moment: time) -> bool:
        """Whether `moment` (local time of day) falls in the quiet hours."""
        if self.quiet_start == self.quiet_end:
            return False
        if self.quiet_start < self.quiet_end:
            return self.quiet_start <= moment < self.quiet_end
        return moment >= self.quiet_start or moment < self.quiet_end


DEFAULT_POLICY: Final = Policy()


def _clock_time(text: str) -> time:
    try:
        hours, minutes = text.split(":")
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise NotATime(text=repr(text)) from error


def _hhmm(value: time) -> str:
    return f"{value.hour:02d}:{value.minute:02d}"


def policy_of(row: ReminderPolicy) -> Policy:
    """The effective policy a stored row describes."""
    return Policy(
        offsets=tuple(sorted({int(day) for day in row.offsets_days}, reverse=True)),
        coordinator_offsets=tuple(
            sorted({int(day) for day in row.coordinator_offsets_days}, reverse=True)
        ),
        overdue_every=row.overdue_every_working_days,
        overdue_slow_after=row.overdue_slow_after_working_days,
        overdue_slow_every=row.overdue_slow_every_working_days,
        overdue_rare_after=row.overdue_rare_after_working_days,
        overdue_rare_every=row.overdue_rare_every_working_days,
        escalate_after=row.escalate_after_working_days,
        send_time=_clock_time(row.send_time),
        quiet_start=_clock_time(row.quiet_start),
        quiet_end=_clock_time(row.quiet_end),
        summary_weekday=row.weekly_summary_weekday,
        ongoing_checkin=Cadence(row.ongoing_checkin),
        long_window_checkin=Cadence(row.long_window_checkin),
        report_draft_days=row.report_draft_working_days,
        duty_checkin=Cadence(row.duty_checkin),
    )


def store_policy(policy: Policy, row: ReminderPolicy) -> None:
    row.offsets_days = list(policy.offsets)
    row.coordinator_offsets_days = list(policy.coordinator_offsets)
    row.overdue_every_working_days = policy.overdue_every
    row.overdue_slow_after_working_days = policy.overdue_slow_after
    row.overdue_slow_every_working_days = policy.overdue_slow_every
    row.overdue_rare_after_working_days = policy.overdue_rare_after
    row.overdue_rare_every_working_days = policy.overdue_rare_every
    row.escalate_after_working_days = policy.escalate_after
    row.send_time = _hhmm(policy.send_time)
    row.quiet_start = _hhmm(policy.quiet_start)
    row.quiet_end = _hhmm(policy.quiet_end)
    row.weekly_summary_weekday = policy.summary_weekday
    row.ongoing_checkin = policy.ongoing_checkin.value
    row.long_window_checkin = policy.long_window_checkin.value
    row.report_draft_working_days = policy.report_draft_days
    row.duty_checkin = policy.duty_checkin.value


def validate(policy: Policy) -> Policy:
    """`policy` if its rules make sense together, else `InvalidPolicy` naming the first."""
    if not policy.offsets or any(day < 0 or day > 366 for day in policy.offsets):
        raise OffsetsOutOfRange()
    if any(day < 0 or day > 366 for day in policy.coordinator_offsets):
        raise OffsetsOutOfRange()
    for name in ("overdue_every", "overdue_slow_every", "overdue_rare_every"):
        if not 1 <= getattr(policy, name) <= 60:
            raise StepOutOfRange()
    if not 1 <= policy.escalate_after <= 60:
        raise EscalationOutOfRange()
    if not 0 <= policy.overdue_slow_after <= policy.overdue_rare_after <= 2500:
        raise SlowdownOutOfOrder()
    if not 0 <= policy.summary_weekday <= 6:
        raise WeekdayOutOfRange()
    if policy.is_quiet(policy.send_time):
        raise SendTimeIsQuiet()
    for cadence, allowed in (
        (policy.ongoing_checkin, ONGOING_CADENCES),
        (policy.long_window_checkin, LONG_WINDOW_CADENCES),
        (policy.duty_checkin, DUTY_CADENCES),
    ):
        if cadence not in allowed:
            raise CadenceNotAllowed(
                cadence=cadence.value, choices=", ".join(choice.value for choice in allowed)
            )
    if not 0 <= policy.report_draft_days <= 30:
        raise DraftDaysOutOfRange()
    return policy


POLICY_FIELDS: Final = tuple(field.name for field in fields(Policy))


def parse_changes(changes: Mapping[str, str]) -> dict[str, object]:
    """Typed policy fields from their text (`offsets="14,7,3"`, `quiet="21:00-07:00"`)."""
    typed: dict[str, object] = {}
    for name, text in changes.items():
        text = text.strip()
        if name in ("offsets", "coordinator_offsets"):
            try:
                typed[name] = tuple(
                    sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True)
                )
            except ValueError as error:
                raise NotDays(text=repr(text)) from error
        elif name == "quiet":
            start, _, end = text.partition("-")
            typed["quiet_start"] = _clock_time(start.strip())
            typed["quiet_end"] = _clock_time(end.strip())
        elif name == "send_time":
            typed[name] = _clock_time(text)
        elif name in ("ongoing_checkin", "long_window_checkin", "duty_checkin"):
            try:
                typed[name] = Cadence(text)
            except ValueError as error:
                raise NotACadence(text=repr(text)) from error
        elif name in POLICY_FIELDS:
            try:
                typed[name] = int(text)
            except ValueError as error:
                raise NotANumber(text=repr(text)) from error
        else:
            raise UnknownSetting(name=name)
    return typed


def organization_policy_row(session: Session, org_id: int) -> ReminderPolicy:
    """The organization's own policy row, created with the defaults when missing."""
    row = session.exec(
        select(ReminderPolicy).where(
            ReminderPolicy.organization_id == org_id, col(ReminderPolicy.task_id).is_(None)
        )
    ).first()
    if row is None:
        row = ReminderPolicy(organization_id=org_id)
        session.add(row)
        session.flush()
    return row


def find_policy_task(
    session: Session, org: Organization, code: str, *, plan_id: int | None = None
) -> Task:
    """The task printed as `code` in the organization's current plans."""
    query = (
        select(Task)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(
            Plan.organization_id == org.id,
            col(Plan.superseded_by_id).is_(None),
            Task.code == code,
        )
    )
    if plan_id is not None:
        query = query.where(Task.plan_id == plan_id)
    tasks = session.exec(query).all()
    if not tasks:
        raise PolicyTaskNotFound(code=code)
    if len(tasks) > 1:
        raise PolicyTaskAmbiguous(code=code)
    return tasks[0]


def show_policy(session: Session, org: Organization, task: Task | None = None) -> Policy:
    """The policy in force for `org`, or for one of its tasks."""
    assert org.id is not None
    if task is not None:
        override = session.exec(
            select(ReminderPolicy).where(ReminderPolicy.task_id == task.id)
        ).first()
        if override is not None:
            return policy_of(override)
    return policy_of(organization_policy_row(session, org.id))


def effective_policies(
    session: Session, org_ids: Iterable[int], task_ids: Iterable[int]
) -> tuple[dict[int, Policy], dict[int, Policy]]:
    """The policies of these organizations, and the overrides among these tasks."""
    by_org: dict[int, Policy] = {}
    by_task: dict[int, Policy] = {}
    wanted_orgs = set(org_ids)
    if wanted_orgs:
        rows = session.exec(
            select(ReminderPolicy).where(
                col(ReminderPolicy.organization_id).in_(wanted_orgs),
                col(ReminderPolicy.task_id).is_(None),
            )
        )
        by_org = {row.organization_id: policy_of(row) for row in rows}
    # Overrides are rare: their tasks found first (one short read), their rows then loaded.
    task = col(ReminderPolicy.task_id)
    overridden = [row[0] for row in rows_among(session, _OVERRIDES, task, sorted(set(task_ids)))]
    for condition in member_of(session, task, overridden):
        for row in session.exec(select(ReminderPolicy).where(condition)):
            assert row.task_id is not None
            by_task[row.task_id] = policy_of(row)
    for org_id in wanted_orgs - by_org.keys():
        by_org[org_id] = DEFAULT_POLICY
    return by_org, by_task


_OVERRIDES: Final = sa_select(col(ReminderPolicy.task_id))


def open_occurrence_ids(session: Session, org_id: int, *, task_id: int | None = None) -> list[int]:
    """Every occurrence of the organization's current plans that may still need reminding."""
    query = (
        sa_select(col(Occurrence.id))
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(col(Plan.organization_id) == org_id, col(Plan.superseded_by_id).is_(None))
    )
    if task_id is not None:
        query = query.where(col(Occurrence.task_id) == task_id)
    return [row[0] for row in session.execute(query)]


# --- the working calendar: the national one plus the days the admin adds ------------------


class EmptyReason(DomainError):
    msgid = N_("Please give a reason (--reason).")


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """A day that differs from the plain Monday-to-Friday week, and why."""

    day: date
    working: bool
    reason: str
    added_by_admin: bool


_CALENDARS: dict[tuple[object, ...], WorkingCalendar] = {}


def calendar_for(session: Session, org_id: int, *, language: str = "vi") -> WorkingCalendar:
    """The calendar an organization works by: national holidays, announced swaps and its own
    days. Calendars are shared between calls with the same days, so each year's working days
    are computed once per process (the reminder engine asks a lot)."""
    days = session.exec(select(CalendarDay).where(CalendarDay.organization_id == org_id)).all()
    key = (language, *sorted((d.day, d.working, d.reason) for d in days))
    found = _CALENDARS.get(key)
    if found is None:
        found = WorkingCalendar(
            extra_days_off={d.day: d.reason for d in days if not d.working},
            extra_working_days={d.day: d.reason for d in days if d.working},
            language=language,
        )
        if len(_CALENDARS) > 256:
            _CALENDARS.clear()
        _CALENDARS[key] = found
    return found


def working_calendar(
    session: Session, org: Organization, *, language: str = "vi"
) -> WorkingCalendar:
    """The calendar `org` works by (see `calendar_for`)."""
    assert org.id is not None
    return calendar_for(session, org.id, language=language)


def year_entries(
    session: Session, org: Organization, year: int, *, language: str = "vi"
) -> list[CalendarEntry]:
    """The year's days off and weekend working days, in date order."""
    calendar = working_calendar(session, org, language=language)
    own = {
        d.day
        for d in session.exec(select(CalendarDay).where(CalendarDay.organization_id == org.id))
    }
    entries = [
        CalendarEntry(day, working=False, reason=reason, added_by_admin=day in own)
        for day, reason in calendar.days_off(year)
    ]
    overrides = {
        d.day: d.reason
        for d in session.exec(
            select(CalendarDay).where(
                CalendarDay.organization_id == org.id,
                CalendarDay.working == True,  # noqa: E712
            )
        )
    }
    announced = {
        a.day: (a.en if language != "vi" else a.vi)
        for a in announced_days()
        if not a.is_day_off and a.day.year == year
    }
    for day in calendar.working_days(year):
        if day.weekday() >= 5:
            reason = overrides.get(day) or announced.get(day, "")
            entries.append(
                CalendarEntry(day, working=True, reason=reason, added_by_admin=day in own)
            )
    return sorted(entries, key=lambda entry: entry.day)
