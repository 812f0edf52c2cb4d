"""How late a task is, counted one way for every screen: in working days of the ward's calendar,
as the reminder policy counts them. The chat's reminders, /viec, /quahan, a task's status and
the dashboard all say the same figure for the same task on the same day."""

from datetime import date

from plans.calendar import WorkingCalendar


def working_days_late(due: date | None, today: date, calendar: WorkingCalendar) -> int:
    """The working days after `due` up to and including `today`; 0 when not late or undated."""
    if due is None or due >= today:
        return 0
    return calendar.working_days_between(due, today)
