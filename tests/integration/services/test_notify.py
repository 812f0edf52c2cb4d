"""Queueing a message for an officer (`notify`): one row per key, however many ask for it."""

import threading

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from models import Officer, Outbox
from services.reminding.outbox import line, notify
from tests.support.clock import FakeClock
from tests.support.ward import Ward


def _rows(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Outbox)).one()


def test_the_same_key_again_queues_nothing_and_returns_the_row_queued(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    before = _rows(session)
    first = notify(session, clock.now(), ward.chair, key="done:1", lines=[line("first")])
    again = notify(session, clock.now(), ward.chair, key="done:1", lines=[line("second")])
    assert again.id == first.id is not None
    assert _rows(session) == before + 1
    assert first.idempotency_key == f"notice:done:1:{ward.chair.id}"
    assert again.payload["lines"] == [line("first").to_json()]


def test_two_replicas_queueing_one_message_at_once_share_its_row(
    engine: Engine, session: Session, clock: FakeClock
) -> None:
    """The second waits on the first's uncommitted row, then finds it (no unique-key error)."""
    ward = Ward.build(session, clock)
    session.commit()
    chair_id = ward.chair.id
    first = notify(session, clock.now(), ward.chair, key="done:1", lines=[line("first")])
    found: list[int | None] = []
    failed: list[BaseException] = []

    def replica() -> None:
        try:
            with Session(engine) as other:
                chair = other.get(Officer, chair_id)
                assert chair is not None
                found.append(notify(other, clock.now(), chair, key="done:1", lines=[]).id)
                other.commit()
        except BaseException as error:  # reported by the test's thread
            failed.append(error)

    thread = threading.Thread(target=replica)
    thread.start()
    thread.join(0.3)  # by now it waits on the first's row
    session.commit()
    thread.join(30)
    assert not thread.is_alive()
    assert failed == []
    assert found == [first.id]
