"""An organization's working-day calendar: the national one plus the days the admin adds."""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, select

from locales import N_
from models import CalendarDay, Organization
from plans.calendar import WorkingCalendar, announced_days
from services.errors import DomainError


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
