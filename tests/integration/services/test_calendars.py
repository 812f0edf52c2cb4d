"""The organization's calendar: national days off, announced swaps and the admin's own days."""

from datetime import date

import pytest
from sqlmodel import Session

from models import Organization
from services.people.organizations import create_organization
from services.reminding.calendars import EmptyReason, set_day, working_calendar, year_entries
from tests.support.clock import FakeClock


@pytest.fixture
def ward(session: Session, clock: FakeClock) -> Organization:
    return create_organization(session, clock, "Phường Bắc Sơn")


def test_the_admin_adds_a_day_off_and_a_working_saturday(
    session: Session, ward: Organization
) -> None:
    assert working_calendar(session, ward).is_working_day(date(2025, 6, 6))
    set_day(session, ward, date(2025, 6, 6), working=False, reason="Bầu cử bổ sung")
    set_day(session, ward, date(2025, 6, 14), working=True, reason="Làm bù")
    calendar = working_calendar(session, ward)
    assert not calendar.is_working_day(date(2025, 6, 6))
    assert calendar.is_working_day(date(2025, 6, 14))
    entries = {e.day: e for e in year_entries(session, ward, 2025)}
    assert entries[date(2025, 6, 6)].reason == "Bầu cử bổ sung"
    assert entries[date(2025, 6, 6)].added_by_admin
    assert entries[date(2025, 6, 14)].working


def test_a_later_declaration_for_the_same_day_wins(session: Session, ward: Organization) -> None:
    set_day(session, ward, date(2025, 6, 6), working=False, reason="Nghỉ")
    set_day(session, ward, date(2025, 6, 6), working=True, reason="Hoãn nghỉ")
    assert working_calendar(session, ward).is_working_day(date(2025, 6, 6))


def test_the_national_calendar_is_listed(session: Session, ward: Organization) -> None:
    entries = {e.day: e for e in year_entries(session, ward, 2025)}
    assert not entries[date(2025, 1, 29)].working  # Tết Ất Tỵ
    assert not entries[date(2025, 4, 7)].working  # Giỗ Tổ Hùng Vương
    assert entries[date(2025, 4, 26)].working  # the Saturday worked for Friday 2 May
    assert entries[date(2025, 4, 26)].reason


def test_a_reason_is_required(session: Session, ward: Organization) -> None:
    with pytest.raises(EmptyReason):
        set_day(session, ward, date(2025, 6, 6), working=False, reason="  ")


def test_organizations_keep_their_own_days(
    session: Session, clock: FakeClock, ward: Organization
) -> None:
    other = create_organization(session, clock, "Xã Khác")
    set_day(session, ward, date(2025, 6, 6), working=False, reason="Nghỉ")
    assert working_calendar(session, other).is_working_day(date(2025, 6, 6))
