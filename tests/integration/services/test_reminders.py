"""The scan on both databases, day by day with the real clock travelled by time-machine."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import update
from sqlmodel import Session, col, select

from models import ItemKind, Occurrence, Outbox, ReminderItem, TaskStatus
from services.clock import SystemClock
from services.reminding.reminders import scan, schedule_occurrences
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward


def _plan(session: Session, clock: FakeClock) -> None:
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()


def _digests(session: Session) -> list[tuple[date, int, list[tuple[str, str | None]]]]:
    rows = session.exec(select(Outbox).order_by(col(Outbox.id))).all()
    return [
        (
            row.scheduled_for.astimezone(HCM).date(),
            row.officer_id,
            [(str(i["kind"]), i.get("task")) for i in _items(row)],
        )
        for row in rows
    ]


def _items(row: Outbox) -> list[dict[str, Any]]:
    items = row.payload["items"]
    assert isinstance(items, list)
    return items


def _walk(session: Session, first: date, last: date, traveller: "time_machine.Traveller") -> None:
    day = first
    while day <= last:
        traveller.move_to(datetime.combine(day, time(7, 30, 5), tzinfo=HCM))
        scan(session, SystemClock(HCM))
        day += timedelta(days=1)


def test_policy_day_by_day(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Tổ chức lễ hội", unit=ward.vhxh, coordinators=(ward.dia_chinh,),
              due=date(2025, 3, 28))  # fmt: skip
    _plan(session, clock)
    minh, tuan, lan = ward.officer("minh").id, ward.officer("tuan").id, ward.chair.id
    with time_machine.travel(datetime(2025, 3, 3, 8, tzinfo=HCM), tick=False) as traveller:
        _walk(session, date(2025, 3, 3), date(2025, 4, 9), traveller)
    got = [(day, who, items) for day, who, items in _digests(session) if items[0][0] != "summary"]
    assert got == [
        (date(2025, 3, 14), minh, [("reminder", "1")]),
        (date(2025, 3, 21), minh, [("reminder", "1")]),
        (date(2025, 3, 21), tuan, [("reminder", "1")]),  # the coordinator, once
        (date(2025, 3, 25), minh, [("reminder", "1")]),
        (date(2025, 3, 27), minh, [("reminder", "1")]),
        (date(2025, 3, 28), minh, [("reminder", "1")]),
        (date(2025, 3, 31), minh, [("overdue", "1")]),
        (date(2025, 4, 2), minh, [("overdue", "1")]),
        (date(2025, 4, 2), lan, [("escalation", "1")]),
        (date(2025, 4, 4), minh, [("overdue", "1")]),
        (date(2025, 4, 9), minh, [("overdue", "1")]),  # 7/4 is Giỗ Tổ Hùng Vương
    ]
    summaries = [(day, who) for day, who, items in _digests(session) if items[0][0] == "summary"]
    assert summaries == [(date(2025, 3, d), lan) for d in (10, 17, 24, 31)] + [
        (date(2025, 4, 8), lan)  # Monday 7/4 is Giỗ Tổ Hùng Vương
    ]


def test_a_second_scan_at_the_same_moment_writes_nothing(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    _plan(session, clock)
    clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    first = scan(session, clock)
    occurrence = session.exec(select(Occurrence)).one()
    occurrence.next_reminder_at = clock.now()  # as if a use case re-planned the same moment
    session.commit()
    again = scan(session, clock)
    assert (first.items, first.digests) == (2, 2)  # Minh's reminder, Lan's Monday summary
    assert (again.items, again.digests) == (0, 0)
    assert len(session.exec(select(ReminderItem)).all()) == 1  # the summary's: no occurrence
    session.refresh(occurrence)
    minh = ward.officer("minh").id
    assert occurrence.told == f"reminder:{occurrence.id}:{minh}:2025-03-10"


def test_one_digest_per_person_and_moment_most_urgent_first(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Sắp đến hạn", due=date(2025, 3, 24))
    ward.task("2", "Quá hạn", due=date(2025, 3, 7))
    _plan(session, clock)
    clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    scan(session, clock)
    minh = ward.officer("minh").id
    mine = [items for _day, who, items in _digests(session) if who == minh]
    assert mine == [[("overdue", "2"), ("reminder", "1")]]


def test_tasks_equally_urgent_are_listed_in_the_plans_order_however_stored(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    for code in ("1", "2", "3"):
        ward.task(code, f"Việc {code}", due=date(2025, 3, 17))
    _plan(session, clock)
    # task 1's occurrence written again: PostgreSQL stores the new row version last
    session.execute(update(Occurrence).where(col(Occurrence.id) == 1).values(status="open"))
    session.commit()
    clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    scan(session, clock)
    minh = ward.officer("minh").id
    mine = [items for _day, who, items in _digests(session) if who == minh]
    assert mine == [[("reminder", "1"), ("reminder", "2"), ("reminder", "3")]]


def test_task_without_an_officer_is_reported_to_the_admin(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    from services.people.units import add_unit

    nobody = add_unit(session, ward.admin, "Trạm Y tế")
    ward.task("3", "Tiêm chủng", unit=nobody, due=date(2025, 3, 17))
    _plan(session, clock)
    clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    scan(session, clock)
    told = [
        (item["kind"], row.officer_id, item.get("units"))
        for row in session.exec(select(Outbox)).all()
        for item in _items(row)
        if item["kind"] != ItemKind.SUMMARY
    ]
    assert told == [(ItemKind.UNASSIGNED, ward.admin.id, ["Trạm Y tế"])]


def test_awaiting_direction_is_listed_to_the_admin_never_overdue(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("4", "Theo kế hoạch của thành phố", status=TaskStatus.AWAITING_DIRECTION)
    _plan(session, clock)
    assert session.exec(select(Occurrence)).one().next_reminder_at is None
    clock.move_to(datetime(2025, 3, 3, 7, 30, tzinfo=HCM))
    for _ in range(40):
        clock.advance(days=1)
        scan(session, clock)
    items = session.exec(select(ReminderItem)).all()
    assert {i.kind for i in items} == {ItemKind.SUMMARY}
    to_admin = session.exec(select(Outbox).where(Outbox.officer_id == ward.admin.id)).all()
    listed = [item["awaiting_codes"] for row in to_admin for item in _items(row)]
    assert listed == [["4"]]  # monthly: April only


def test_each_occurrence_of_a_recurring_obligation_is_reminded_and_closed_on_its_own(
    session: Session, clock: FakeClock
) -> None:
    from models import TaskKind

    ward = Ward.build(session, clock)
    task = ward.task("BC", "Báo cáo CCHC quý", dues=(date(2025, 3, 9), date(2025, 6, 9)),
                     recurrence="quarterly")  # fmt: skip
    task.kind = TaskKind.OBLIGATION
    session.add(task)
    session.commit()
    _plan(session, clock)
    first, second = sorted(session.exec(select(Occurrence)).all(), key=lambda o: str(o.due))
    first.status = TaskStatus.DONE  # Q1 reported: Q2 is still open
    schedule_occurrences(session, clock, [first])
    session.commit()
    assert first.next_reminder_at is None
    clock.move_to(datetime(2025, 5, 26, 7, 30, tzinfo=HCM))  # 14 days before 9/6
    scan(session, clock)
    told = [
        (item["kind"], item["days"])
        for row in session.exec(select(Outbox)).all()
        for item in _items(row)
        if item["kind"] != ItemKind.SUMMARY
    ]
    assert told == [(ItemKind.OBLIGATION, 14)]
    session.refresh(first)
    session.refresh(second)
    assert first.told is None
    assert str(second.told).startswith(f"obligation:{second.id}:")


def test_a_policy_change_replans_reminders_and_the_summary(
    session: Session, clock: FakeClock
) -> None:
    from models import ReminderPolicy
    from services.reminding.policies import parse_changes
    from services.reminding.rules import set_policy

    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 28))
    _plan(session, clock)
    changes = parse_changes({"offsets": "10", "send_time": "08:15", "summary_weekday": "4"})
    set_policy(session, clock, ward.admin, changes)
    occurrence = session.exec(select(Occurrence)).one()
    session.refresh(occurrence)
    assert occurrence.next_reminder_at == datetime(2025, 3, 18, 8, 15, tzinfo=HCM)
    policy = session.exec(select(ReminderPolicy).where(ReminderPolicy.task_id == None)).one()  # noqa: E711
    assert policy.next_summary_at == datetime(2025, 3, 7, 8, 15, tzinfo=HCM)  # Friday


def test_reminders_go_out_at_half_past_seven_in_the_clocks_zone(
    session: Session, clock: FakeClock
) -> None:
    tokyo = ZoneInfo("Asia/Tokyo")  # two hours ahead of Việt Nam
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    in_tokyo = FakeClock(clock.now(), zone=tokyo)
    schedule_occurrences(session, in_tokyo, session.exec(select(Occurrence)).all())
    session.commit()
    planned = session.exec(select(Occurrence)).one().next_reminder_at
    assert planned == datetime(2025, 3, 10, 7, 30, tzinfo=tokyo)
    assert planned != datetime(2025, 3, 10, 7, 30, tzinfo=HCM)
    in_tokyo.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=tokyo))
    assert scan(session, in_tokyo).digests == 2  # Minh's reminder, Lan's Monday summary


def test_a_scan_sees_who_joined_or_left_a_unit_since_the_last_scan(
    session: Session, clock: FakeClock
) -> None:
    from services.people.officers import add_officer

    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    _plan(session, clock)
    clock.move_to(datetime(2025, 3, 10, 7, 30, tzinfo=HCM))
    scan(session, clock)  # the ward's people kept by this process from here on
    hoa = add_officer(session, clock, ward.admin, "Nguyễn Thị Hoa", unit_names=(ward.vhxh.name,))
    minh = ward.officer("minh")
    minh.active = False
    session.add(minh)
    session.commit()
    clock.move_to(datetime(2025, 3, 14, 7, 30, tzinfo=HCM))
    scan(session, clock)
    told = [(day, who) for day, who, items in _digests(session) if items[0][0] != "summary"]
    assert told == [(date(2025, 3, 10), minh.id), (date(2025, 3, 14), hoa.id)]
