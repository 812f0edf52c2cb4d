"""The organization's calendar: national days off, announced swaps and the admin's own days,
which re-plan the reminders at once whoever declares them (the web, the chat, the command line)."""

from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from models import Occurrence
from services.errors import AdminOnly
from services.people.organizations import create_organization
from services.reminding.policies import EmptyReason, working_calendar, year_entries
from services.reminding.reminders import schedule_occurrences
from services.reminding.rules import set_day
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward


@pytest.fixture
def ward(session: Session, clock: FakeClock) -> Ward:
    return Ward.build(session, clock)


def test_the_admin_adds_a_day_off_and_a_working_saturday(
    session: Session, clock: FakeClock, ward: Ward
) -> None:
    assert working_calendar(session, ward.org).is_working_day(date(2025, 6, 6))
    set_day(session, clock, ward.admin, date(2025, 6, 6), working=False, reason="Bầu cử bổ sung")
    set_day(session, clock, ward.admin, date(2025, 6, 14), working=True, reason="Làm bù")
    calendar = working_calendar(session, ward.org)
    assert not calendar.is_working_day(date(2025, 6, 6))
    assert calendar.is_working_day(date(2025, 6, 14))
    entries = {e.day: e for e in year_entries(session, ward.org, 2025)}
    assert entries[date(2025, 6, 6)].reason == "Bầu cử bổ sung"
    assert entries[date(2025, 6, 6)].added_by_admin
    assert entries[date(2025, 6, 14)].working


def test_a_later_declaration_for_the_same_day_wins(
    session: Session, clock: FakeClock, ward: Ward
) -> None:
    set_day(session, clock, ward.admin, date(2025, 6, 6), working=False, reason="Nghỉ")
    set_day(session, clock, ward.admin, date(2025, 6, 6), working=True, reason="Hoãn nghỉ")
    assert working_calendar(session, ward.org).is_working_day(date(2025, 6, 6))


def test_the_national_calendar_is_listed(session: Session, ward: Ward) -> None:
    entries = {e.day: e for e in year_entries(session, ward.org, 2025)}
    assert not entries[date(2025, 1, 29)].working  # Tết Ất Tỵ
    assert not entries[date(2025, 4, 7)].working  # Giỗ Tổ Hùng Vương
    assert entries[date(2025, 4, 26)].working  # the Saturday worked for Friday 2 May
    assert entries[date(2025, 4, 26)].reason


def test_a_reason_is_required(session: Session, clock: FakeClock, ward: Ward) -> None:
    with pytest.raises(EmptyReason):
        set_day(session, clock, ward.admin, date(2025, 6, 6), working=False, reason="  ")


@pytest.mark.parametrize("who", ["chair", "minh"])
def test_only_an_admin_changes_the_calendar(
    session: Session, clock: FakeClock, ward: Ward, who: str
) -> None:
    actor = ward.chair if who == "chair" else ward.officer(who)
    with pytest.raises(AdminOnly):
        set_day(session, clock, actor, date(2025, 6, 6), working=False, reason="Nghỉ")
    assert working_calendar(session, ward.org).is_working_day(date(2025, 6, 6))


def test_organizations_keep_their_own_days(session: Session, clock: FakeClock, ward: Ward) -> None:
    other = create_organization(session, clock, "Xã Khác")
    set_day(session, clock, ward.admin, date(2025, 6, 6), working=False, reason="Nghỉ")
    assert working_calendar(session, other).is_working_day(date(2025, 6, 6))


def test_a_day_off_replans_the_reminders_at_once(
    session: Session, clock: FakeClock, ward: Ward
) -> None:
    # The drift this closes: from `dondoc calendar` the day off used to wait for the night's
    # re-plan, while the web re-planned at once. Both now call this use case.
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()
    occurrence = session.exec(select(Occurrence)).one()
    assert occurrence.next_reminder_at == datetime(2025, 3, 10, 7, 30, tzinfo=HCM)  # 7 days
    set_day(session, clock, ward.admin, date(2025, 3, 10), working=False, reason="Nghỉ bù")
    session.refresh(occurrence)
    assert occurrence.next_reminder_at == datetime(2025, 3, 7, 7, 30, tzinfo=HCM)  # Friday
