"""What an occurrence keeps of what the scan told of it (`Occurrence.told`), on both databases:
nothing told twice while its key is kept, and the keys kept only while what they name could be
due again."""

from datetime import date, datetime

from sqlmodel import Session, col, select

from models import Occurrence, Outbox
from services.reminding.policies import parse_changes
from services.reminding.reminders import scan, schedule_occurrences
from services.reminding.rules import set_policy
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward


def _told(session: Session, officer: int | None, kind: str) -> list[date]:
    """The days `officer` was told items of `kind`, in order."""
    rows = session.exec(
        select(Outbox).where(Outbox.officer_id == officer).order_by(col(Outbox.id))
    ).all()
    found = []
    for row in rows:
        items = row.payload["items"]
        assert isinstance(items, list)
        found += [row.scheduled_for.astimezone(HCM).date() for i in items if i["kind"] == kind]
    return found


def _scan_days(session: Session, clock: FakeClock, *days: int) -> None:
    for day in days:
        clock.move_to(datetime(2025, 3, day, 7, 30, 5, tzinfo=HCM))
        scan(session, clock)


def test_a_send_time_moved_later_the_same_day_tells_nothing_twice(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()
    _scan_days(session, clock, 10)  # 7 days before: Minh is reminded
    minh = ward.officer("minh").id
    assert _told(session, minh, "reminder") == [date(2025, 3, 10)]
    set_policy(session, clock, ward.admin, parse_changes({"send_time": "10:00"}))
    occurrence = session.exec(select(Occurrence)).one()
    session.refresh(occurrence)
    assert occurrence.next_reminder_at == datetime(2025, 3, 10, 10, 0, tzinfo=HCM)
    clock.move_to(datetime(2025, 3, 10, 10, 0, 5, tzinfo=HCM))
    assert scan(session, clock).items == 0  # the day's reminder was told at 07:30
    assert _told(session, minh, "reminder") == [date(2025, 3, 10)]


def test_the_keys_kept_are_the_days_and_the_due_dates_escalation(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 3))
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()
    _scan_days(session, clock, 5, 6, 7)  # overdue and escalated on 6/3, nothing due on 7/3
    occurrence = session.exec(select(Occurrence)).one()
    session.refresh(occurrence)
    key, lan, minh = occurrence.id, ward.chair.id, ward.officer("minh").id
    assert occurrence.told == f"overdue:{key}:{minh}:2025-03-06 escalation:{key}:{lan}:2025-03-03"
    _scan_days(session, clock, 10)  # overdue again: the day's key replaces the 6/3 one
    session.refresh(occurrence)
    assert occurrence.told == f"escalation:{key}:{lan}:2025-03-03 overdue:{key}:{minh}:2025-03-10"
    assert _told(session, lan, "escalation") == [date(2025, 3, 6)]  # once for its due date


def test_a_due_date_changed_and_changed_back_escalates_again(
    session: Session, clock: FakeClock
) -> None:
    """The accepted repeat: an escalation's key is kept while its due date stays, so a due date
    moved away and back escalates once more."""
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 3))
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()
    _scan_days(session, clock, 6, 7)
    occurrence = session.exec(select(Occurrence)).one()
    for due, day in ((date(2025, 3, 4), 11), (date(2025, 3, 3), 12)):
        occurrence.due = due
        schedule_occurrences(session, clock, [occurrence])
        session.commit()
        _scan_days(session, clock, day)
    assert _told(session, ward.chair.id, "escalation") == [
        date(2025, 3, 6),
        date(2025, 3, 11),  # due 4/3: escalated for it
        date(2025, 3, 12),  # due 3/3 again: its key was let go with the change
    ]
