"""What one scan writes, on both databases: one statement on PostgreSQL, the same rows as the
sequential path on SQLite; nothing written twice; no token rows (the buttons are signed); the
scan's commit does not wait for the disk."""

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, col, select

from models import (
    ActionToken,
    ItemKind,
    Occurrence,
    Outbox,
    OutboxKind,
    OutboxState,
    ReminderItem,
    ReminderPolicy,
)
from services.reminding.batches import ScanWrites, member_of, table_of, update_by_id, write
from services.reminding.housekeeping import KEEP_DAYS, forget_old
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward

MOMENT = datetime(2025, 3, 10, 7, 30, tzinfo=HCM)
TOLD = 'reminder:test a "quoted", {braced} \\ key'


def _writes(ward: Ward, occurrence_id: int, now: datetime) -> ScanWrites:
    minh = ward.officer("minh")
    assert minh.id is not None
    org = minh.organization_id
    writes = ScanWrites(now)
    writes.digests.append(
        {
            "organization_id": org,
            "officer_id": minh.id,
            "payload": {"moment": MOMENT.isoformat(), "items": [{"kind": "reminder"}]},
            "idempotency_key": "digest:test",
            "scheduled_for": MOMENT,
        }
    )
    writes.items.append(
        {
            "digest": 0,
            "occurrence_id": occurrence_id,
            "kind": ItemKind.REMINDER,
            "idempotency_key": "reminder:test",
            "data": {"task": "1", "days": 7, "units": ['Văn hoá "xã hội"']},
        }
    )
    writes.next_reminders.append((occurrence_id, MOMENT + timedelta(days=4), TOLD))
    return writes


def test_a_scan_writes_digest_items_and_moves_once(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    occurrence = session.exec(select(Occurrence)).one()
    assert occurrence.id is not None
    policy = session.exec(select(ReminderPolicy)).one()
    writes = _writes(ward, occurrence.id, clock.now())
    writes.next_summaries.append((policy.id or 0, MOMENT + timedelta(days=7)))

    assert write(session, writes) == 1
    session.commit()
    assert write(session, _writes(ward, occurrence.id, clock.now())) == 0  # the same again
    session.commit()

    digest = session.exec(select(Outbox)).one()
    assert (digest.kind, digest.state, digest.attempts) == (
        OutboxKind.DIGEST,
        OutboxState.PENDING,
        0,
    )
    assert digest.scheduled_for == MOMENT
    assert digest.payload == {"moment": MOMENT.isoformat(), "items": [{"kind": "reminder"}]}
    item = session.exec(select(ReminderItem)).one()
    assert (item.outbox_id, item.officer_id, item.moment) == (digest.id, digest.officer_id, MOMENT)
    assert item.data == {"task": "1", "days": 7, "units": ['Văn hoá "xã hội"']}
    assert session.exec(select(ActionToken)).all() == []  # its buttons are signed, not stored
    session.refresh(occurrence)
    session.refresh(policy)
    assert occurrence.next_reminder_at == MOMENT + timedelta(days=4)
    assert occurrence.told == TOLD
    assert policy.next_summary_at == MOMENT + timedelta(days=7)


def test_a_digest_written_before_is_not_pointed_at_by_new_items(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    occurrence_id = session.exec(select(Occurrence)).one().id
    assert occurrence_id is not None
    write(session, _writes(ward, occurrence_id, clock.now()))
    later = _writes(ward, occurrence_id, clock.now())
    later.items[0]["idempotency_key"] = "reminder:other"
    assert write(session, later) == 0
    session.commit()
    pointed = session.exec(
        select(ReminderItem.idempotency_key, ReminderItem.outbox_id).order_by(col(ReminderItem.id))
    ).all()
    assert [(key, outbox is None) for key, outbox in pointed] == [
        ("reminder:test", False),
        ("reminder:other", True),
    ]


def test_member_of_finds_keys_of_any_text(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    occurrence_id = session.exec(select(Occurrence)).one().id
    assert occurrence_id is not None
    writes = _writes(ward, occurrence_id, clock.now())
    odd = ['a "quoted", {braced} key', "trường\\hợp", "reminder:test"]
    writes.items[0]["idempotency_key"] = odd[0]
    write(session, writes)
    keys = col(ReminderItem.idempotency_key)
    found = [
        key
        for condition in member_of(session, keys, odd)
        for key in session.exec(select(ReminderItem.idempotency_key).where(condition))
    ]
    assert found == [odd[0]]
    ids = col(Occurrence.id)
    assert [
        row
        for condition in member_of(session, ids, [occurrence_id, 10**6])
        for row in session.exec(select(Occurrence.id).where(condition))
    ] == [occurrence_id]


def test_update_by_id_sets_several_columns_row_by_row(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    for code in ("1", "2", "3"):
        ward.task(code, "Báo cáo " + code, due=date(2025, 3, 17))
    first, second, third = session.exec(select(Occurrence).order_by(col(Occurrence.id))).all()
    assert first.id is not None
    assert second.id is not None
    third.told, third.next_reminder_at = "reminder:kept", MOMENT
    session.add(third)
    session.commit()
    told = TOLD + " trường\\hợp"
    changes = [(first.id, MOMENT + timedelta(days=1), told), (second.id, None, None)]

    update_by_id(session, table_of(Occurrence), ("next_reminder_at", "told"), changes)
    session.commit()

    for occurrence in (first, second, third):
        session.refresh(occurrence)
    assert (first.next_reminder_at, first.told) == (MOMENT + timedelta(days=1), told)
    assert (second.next_reminder_at, second.told) == (None, None)
    assert (third.next_reminder_at, third.told) == (MOMENT, "reminder:kept")  # not named: kept


@pytest.mark.postgresql
@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_the_scan_commits_without_waiting_for_the_disk(engine: Engine, clock: FakeClock) -> None:
    with engine.connect() as connection:
        # The connection's own default (a database may have been set otherwise: the crash drill)
        connection.exec_driver_sql("SET synchronous_commit = on")
        connection.commit()
        session = Session(connection)
        ward = Ward.build(session, clock)
        ward.task("1", "Báo cáo", due=date(2025, 3, 17))
        occurrence_id = session.exec(select(Occurrence)).one().id
        assert occurrence_id is not None
        session.commit()
        write(session, _writes(ward, occurrence_id, clock.now()))
        assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "off"
        session.commit()
        assert session.execute(text("SHOW synchronous_commit")).scalar_one() == "on"
        assert session.exec(select(Outbox)).one().idempotency_key == "digest:test"


def test_forgetting_old_digests_forgets_their_items_and_leaves_no_dangling_link(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    occurrence_id = session.exec(select(Occurrence)).one().id
    assert occurrence_id is not None
    write(session, _writes(ward, occurrence_id, clock.now()))
    later = _writes(ward, occurrence_id, clock.now())
    later.items[0]["idempotency_key"] = "reminder:other"  # its digest was written before
    write(session, later)
    digest = session.exec(select(Outbox)).one()
    digest.state, digest.sent_at = OutboxState.SENT, clock.now()
    session.add(digest)
    session.commit()

    clock.advance(seconds=(KEEP_DAYS + 1) * 86_400)
    assert forget_old(session, clock).ran

    assert session.exec(select(Outbox)).all() == []
    kept = session.exec(select(ReminderItem.idempotency_key, ReminderItem.outbox_id)).all()
    assert kept == [("reminder:other", None)]


def test_an_occurrence_deleted_takes_its_items_along(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 17))
    ward.task("2", "Tổng kết", due=date(2025, 3, 17))
    first, second = session.exec(select(Occurrence).order_by(col(Occurrence.id))).all()
    assert first.id is not None
    assert second.id is not None
    write(session, _writes(ward, first.id, clock.now()))
    other = _writes(ward, second.id, clock.now())
    other.items[0]["idempotency_key"] = "reminder:other"
    other.digests[0]["idempotency_key"] = "digest:other"
    write(session, other)
    session.commit()
    session.delete(first)
    session.commit()
    kept = session.exec(select(ReminderItem.occurrence_id)).all()
    assert kept == [second.id]
