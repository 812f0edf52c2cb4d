"""The reminder maths, day by day on the Vietnamese calendar."""

import itertools
from datetime import date, datetime, time

import pytest

from models import ItemKind, TaskStatus
from plans.calendar import WorkingCalendar
from services.reminding.policies import Cadence, Policy
from services.reminding.reminder_schedule import (
    Audience,
    Facts,
    Schedule,
    allowed_moment,
    next_summary_moment,
)
from tests.support.clock import HCM

CALENDAR = WorkingCalendar()
POLICY = Policy()


def at(day: date, hour: int = 7, minute: int = 30) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=HCM)


def days(facts: Facts, start: date, end: date, policy: Policy = POLICY) -> list[date]:
    """Every day with a moment, walking from `start` to `end` as the scan would."""
    schedule = Schedule(policy, CALENDAR, facts, HCM)
    found = []
    moment = schedule.next_moment(at(start, 0, 0))
    while moment is not None and moment.date() <= end:
        found.append(moment.date())
        moment = schedule.next_moment(moment)
    return found


def test_offsets_fall_back_to_the_working_day_before() -> None:
    # 31/3/2025 is a Monday: 1 day before is Sunday → Friday 28/3, with the 3-day reminder.
    facts = Facts(due=date(2025, 3, 31), status=TaskStatus.OPEN)
    schedule = Schedule(POLICY, CALENDAR, facts, HCM)
    assert schedule.lead_days == {
        date(2025, 3, 17): 14,
        date(2025, 3, 24): 7,
        date(2025, 3, 28): 3,
        date(2025, 3, 31): 0,
    }


def test_a_reminder_before_tet_moves_before_the_holiday() -> None:
    facts = Facts(due=date(2025, 2, 3), status=TaskStatus.OPEN)  # Tết: 25/1 - 2/2 off
    schedule = Schedule(POLICY, CALENDAR, facts, HCM)
    assert date(2025, 1, 24) in schedule.lead_days  # 1 day and 3 days before both land here
    assert all(CALENDAR.is_working_day(day) for day in schedule.lead_days)


def test_overdue_every_two_working_days_then_weekly_then_monthly() -> None:
    due = date(2025, 3, 14)
    facts = Facts(due=due, status=TaskStatus.OPEN)
    found = days(facts, date(2025, 3, 15), date(2025, 9, 30))
    counts = [CALENDAR.working_days_between(due, day) for day in found]
    assert counts[:5] == [1, 3, 5, 7, 9]
    assert counts[5:11] == [14, 19, 24, 29, 34, 39]
    assert counts[-1] > 60
    assert all(b - a == 20 for a, b in itertools.pairwise(counts[15:]))


def test_escalation_once_three_working_days_overdue() -> None:
    facts = Facts(due=date(2025, 3, 14), status=TaskStatus.OPEN)
    schedule = Schedule(POLICY, CALENDAR, facts, HCM)
    reasons = schedule.reasons_on(date(2025, 3, 19))  # Wednesday: 3 working days
    assert {(r.kind, r.audience) for r in reasons} == {
        (ItemKind.OVERDUE, Audience.LEAD),
        (ItemKind.ESCALATION, Audience.CHAIR),
    }
    assert schedule.reasons_on(date(2025, 3, 18)) == []


@pytest.mark.parametrize(
    "status", [TaskStatus.DONE, TaskStatus.AWAITING_DIRECTION, TaskStatus.CANCELLED]
)
def test_closed_or_awaiting_direction_is_never_reminded(status: TaskStatus) -> None:
    facts = Facts(due=date(2025, 3, 14), status=status)
    assert days(facts, date(2025, 3, 1), date(2025, 12, 31)) == []


def test_ongoing_task_gets_a_monthly_check_in_on_a_working_day() -> None:
    facts = Facts(due=None, status=TaskStatus.OPEN, ongoing=True, window_start=date(2021, 1, 1))
    found = days(facts, date(2025, 1, 1), date(2025, 6, 30))
    # 1/2 is a Saturday and 27-31/1 is Tết: 24/1; 1/3 is a Saturday: 28/2; 1/5 is a holiday.
    assert found == [
        date(2025, 1, 24),
        date(2025, 2, 28),
        date(2025, 4, 1),
        date(2025, 4, 29),
        date(2025, 5, 30),
    ]


def test_long_window_gets_a_yearly_check_in_before_its_last_year() -> None:
    facts = Facts(due=date(2025, 12, 31), status=TaskStatus.OPEN, window_start=date(2021, 1, 1))
    schedule = Schedule(POLICY, CALENDAR, facts, HCM)
    checkins = [
        day
        for day in days(facts, date(2021, 1, 1), date(2025, 12, 31))
        if any(r.kind is ItemKind.CHECKIN for r in schedule.reasons_on(day))
    ]
    assert [day.year for day in checkins] == [2021, 2022, 2023, 2024]
    assert all(day.month == 12 for day in checkins)


def test_weekly_recurrence_drops_offsets_longer_than_its_period() -> None:
    facts = Facts(due=date(2025, 3, 14), status=TaskStatus.OPEN, recurrence="weekly")
    schedule = Schedule(POLICY, CALENDAR, facts, HCM)
    assert sorted(schedule.lead_days.values(), reverse=True) == [3, 1, 0]


def test_snooze_holds_the_lead_and_reminds_at_its_end() -> None:
    snoozed = at(date(2025, 3, 26), 14, 0)
    facts = Facts(due=date(2025, 3, 31), status=TaskStatus.OPEN, snoozed_until=snoozed)
    schedule = Schedule(POLICY, CALENDAR, facts, HCM)
    assert schedule.next_moment(at(date(2025, 3, 20))) == at(date(2025, 3, 24))
    held = schedule.reasons_at(at(date(2025, 3, 24)))  # the lead is held, coordinators are not
    assert [r.audience for r in held] == [Audience.COORDINATOR]
    assert schedule.next_moment(at(date(2025, 3, 24))) == snoozed
    assert [r.kind for r in schedule.reasons_at(snoozed)] == [ItemKind.REMINDER]


def test_quiet_hours_and_days_off_wait_for_the_next_send_time() -> None:
    assert allowed_moment(at(date(2025, 3, 3), 22, 0), POLICY, CALENDAR, HCM) == at(
        date(2025, 3, 4)
    )
    assert allowed_moment(at(date(2025, 3, 8), 10, 0), POLICY, CALENDAR, HCM) == at(
        date(2025, 3, 10)
    )
    assert allowed_moment(at(date(2025, 3, 3), 10, 0), POLICY, CALENDAR, HCM) == at(
        date(2025, 3, 3), 10, 0
    )


def test_weekly_summary_skips_to_the_first_working_day_of_its_week() -> None:
    # Monday 1/9/2025 and Tuesday 2/9 are National Day: the summary goes on Wednesday.
    moment = next_summary_moment(POLICY, CALENDAR, at(date(2025, 8, 26)), HCM)
    assert moment == at(date(2025, 9, 3))
    # The week of Tết 2025 (27-31/1) has no working day: no summary that week.
    assert next_summary_moment(POLICY, CALENDAR, at(date(2025, 1, 20)), HCM) == at(
        date(2025, 2, 3)
    )


def test_a_task_imported_long_overdue_is_chased_from_the_next_send_time() -> None:
    # Seed 000's "Quý III/2024" in a plan imported on 1/1/2025 (a holiday).
    facts = Facts(due=date(2024, 9, 30), status=TaskStatus.OPEN, known_since=date(2025, 1, 1))
    schedule = Schedule(POLICY, CALENDAR, facts, HCM)
    first = schedule.next_moment(at(date(2025, 1, 1), 0, 0))
    assert first == at(date(2025, 1, 2))
    assert first is not None
    reasons = {(r.kind, r.days) for r in schedule.reasons_at(first)}
    count = CALENDAR.working_days_between(date(2024, 9, 30), date(2025, 1, 2))
    assert reasons == {(ItemKind.OVERDUE, count), (ItemKind.ESCALATION, count)}
    assert days(facts, date(2025, 1, 1), date(2025, 1, 10)) == [
        date(2025, 1, 2),
        date(2025, 1, 6),
        date(2025, 1, 8),
        date(2025, 1, 10),
    ]


def test_a_standing_duty_is_checked_in_before_each_quarters_report() -> None:
    facts = Facts(due=None, status=TaskStatus.OPEN, ongoing=True, duty=True)
    # 1/3/2025 is a Saturday: 28/2; 1/6 a Sunday: 30/5; 1/9 is before the National Day: 29/8.
    assert days(facts, date(2025, 1, 1), date(2025, 12, 31)) == [
        date(2025, 2, 28),
        date(2025, 5, 30),
        date(2025, 8, 29),
        date(2025, 12, 1),
    ]
    off = Policy(duty_checkin=Cadence.OFF)
    assert days(facts, date(2025, 1, 1), date(2025, 12, 31), off) == []
