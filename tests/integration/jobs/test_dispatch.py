"""The dispatcher on both databases: delivery, retries, refusals, quiet hours, dead rows."""

import asyncio
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Concatenate, ParamSpec, TypeVar

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from jobs.senders import Recipient, RecordingSender, SendWindow
from models import Channel, ChannelIdentity, Occurrence, Outbox, OutboxKind, OutboxState
from services.errors import AdminOnly
from services.messages import Reply, render_lines
from services.reminding.deliveries import OutboxRowNotFound, list_outbox, retry_outbox
from services.reminding.outbox import MAX_ATTEMPTS, line, notify
from services.reminding.reminders import scan, schedule_occurrences
from tests.support.clock import HCM, FakeClock
from tests.support.senders import FailingSender, Failure
from tests.support.ward import Ward

P = ParamSpec("P")
T = TypeVar("T")
MONDAY_NINE = datetime(2025, 3, 3, 9, 0, tzinfo=HCM)


@pytest.fixture
def ward(session: Session, clock: FakeClock) -> Ward:
    clock.move_to(MONDAY_NINE)
    built = Ward.build(session, clock)
    for person in built.people.values():
        built.bind(person)
    return built


def _notice(session: Session, ward: Ward, key: str, *, officer: str = "minh") -> int:
    row = notify(
        session,
        ward.clock.now(),
        ward.officer(officer),
        key=key,
        lines=[line("Hello {name}", name=key)],
    )
    session.commit()
    assert row.id is not None
    return row.id


def _dispatcher(engine: Engine, clock: FakeClock, sender: RecordingSender) -> Dispatcher:
    return Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: sender})


def _row(session: Session, row_id: int) -> Outbox:
    session.expire_all()
    found = session.get(Outbox, row_id)
    assert found is not None
    return found


async def test_sent_row_records_its_platform_message_id(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    row_id = _notice(session, ward, "n1")
    sender = RecordingSender()
    await _dispatcher(engine, clock, sender).run_once()
    row = _row(session, row_id)
    assert (row.state, row.platform_message_id, row.channel) == (
        OutboxState.SENT,
        "m1",
        Channel.TELEGRAM,
    )
    assert [d.recipient.chat_id for d in sender.deliveries] == [
        f"telegram-{ward.officer('minh').id}"
    ]


async def test_rate_limit_is_retried_after_the_platforms_delay(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    row_id = _notice(session, ward, "n1")
    sender = FailingSender()
    sender.fail_next(Failure.RATE_LIMITED, retry_after=7)
    dispatcher = _dispatcher(engine, clock, sender)
    await dispatcher.run_once()
    row = _row(session, row_id)
    assert (row.state, row.attempts) == (OutboxState.FAILED, 1)
    assert row.scheduled_for == clock.now() + timedelta(seconds=7)
    clock.advance(seconds=6)
    assert (await dispatcher.run_once()).claimed == 0
    clock.advance(seconds=1)
    await dispatcher.run_once()
    assert _row(session, row_id).state is OutboxState.SENT


async def test_server_errors_and_timeouts_back_off_exponentially_then_die(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    row_id = _notice(session, ward, "n1")
    sender = FailingSender()
    sender.fail_next(*([Failure.SERVER_ERROR, Failure.TIMEOUT] * MAX_ATTEMPTS)[:MAX_ATTEMPTS])
    dispatcher = _dispatcher(engine, clock, sender)
    delays = []
    for _ in range(MAX_ATTEMPTS):
        before = clock.now()
        await dispatcher.run_once()
        row = _row(session, row_id)
        delays.append((row.scheduled_for - before).total_seconds())
        clock.move_to(row.scheduled_for)
    row = _row(session, row_id)
    assert row.state is OutboxState.DEAD
    assert row.attempts == MAX_ATTEMPTS
    assert delays[:4] == [30, 60, 120, 240]
    assert sender.deliveries == []
    failed = list_outbox(session, ward.admin, state=OutboxState.FAILED)
    assert [view.id for view in failed] == [row_id]
    retry_outbox(session, clock, ward.admin, row_id)
    await dispatcher.run_once()
    assert _row(session, row_id).state is OutboxState.SENT


def test_only_an_admin_of_the_ward_lists_and_retries_a_message(
    session: Session, ward: Ward, clock: FakeClock
) -> None:
    row_id = _notice(session, ward, "n1")
    dead = _row(session, row_id)
    dead.state = OutboxState.DEAD
    session.add(dead)
    session.commit()
    for someone in (ward.officer("minh"), ward.chair):
        with pytest.raises(AdminOnly):
            list_outbox(session, someone)
        with pytest.raises(AdminOnly):
            retry_outbox(session, clock, someone, row_id)
    other = Ward.build(session, clock, name="Phường Nam Sơn")
    assert list_outbox(session, other.admin) == []
    with pytest.raises(OutboxRowNotFound):
        retry_outbox(session, clock, other.admin, row_id)
    assert [view.id for view in list_outbox(session, ward.admin)] == [row_id]
    assert _row(session, row_id).state is OutboxState.DEAD
    assert retry_outbox(session, clock, ward.admin, row_id).state is OutboxState.PENDING


async def test_blocked_bot_marks_the_chat_unreachable_and_tells_the_admin(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    row_id = _notice(session, ward, "n1")
    sender = FailingSender()
    sender.fail_next(Failure.BLOCKED)
    await _dispatcher(engine, clock, sender).run_until_idle()
    session.expire_all()
    minh = ward.officer("minh")
    identity = session.exec(
        select(ChannelIdentity).where(ChannelIdentity.officer_id == minh.id)
    ).one()
    assert identity.reachable is False
    row = _row(session, row_id)
    assert (row.state, row.last_error) == (OutboxState.DEAD, "no reachable chat")
    told = [d for d in sender.deliveries if d.recipient.officer_id == ward.admin.id]
    assert len(told) == 2  # "blocked the bot", then "has no chat": once a day
    assert minh.name in told[0].text


async def test_the_admins_hear_of_a_chat_missing_once_a_day_of_the_ward(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    minh = ward.officer("minh")
    identity = session.exec(
        select(ChannelIdentity).where(ChannelIdentity.officer_id == minh.id)
    ).one()
    identity.reachable = False
    session.add(identity)
    session.commit()
    assert minh.id is not None
    dispatcher = _dispatcher(engine, clock, RecordingSender())
    evening = datetime(2025, 3, 3, 23, 30, tzinfo=HCM)  # 16:30 UTC
    for key, moment in (
        ("r1", evening),
        ("r2", evening + timedelta(minutes=20)),
        ("r3", evening + timedelta(hours=1)),
    ):
        clock.move_to(moment)  # the last just past midnight in the ward, still the 3rd in UTC
        notify(session, clock.now(), minh, key=key, lines=[], kind=OutboxKind.REPLY)
        session.commit()
        await dispatcher.run_until_idle()
    session.expire_all()
    told = session.exec(
        select(Outbox.idempotency_key).where(
            col(Outbox.idempotency_key).startswith(f"notice:nochat:{minh.id}:")
        )
    ).all()
    assert sorted(told) == [
        f"notice:nochat:{minh.id}:2025-03-03:{ward.admin.id}",
        f"notice:nochat:{minh.id}:2025-03-04:{ward.admin.id}",
    ]


async def test_reminders_wait_out_the_quiet_hours(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    ward.task("1", "Báo cáo", due=date(2025, 3, 10))
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()
    clock.move_to(datetime(2025, 3, 7, 22, 0, tzinfo=HCM))  # Friday night: the scan was late
    scan(session, clock)
    sender = RecordingSender()
    result = await _dispatcher(engine, clock, sender).run_once()
    assert (result.claimed, result.deferred, result.sent) == (1, 1, 0)
    waiting = session.exec(select(Outbox).where(col(Outbox.kind) == OutboxKind.DIGEST)).one()
    assert waiting.scheduled_for == datetime(2025, 3, 10, 7, 30, tzinfo=HCM)  # Monday


class _GateSender:
    """Records each send as it starts, and holds it until the test opens the gate."""

    def __init__(self) -> None:
        self.started: list[tuple[str, str]] = []
        self.gate = asyncio.Event()

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        self.started.append((recipient.chat_id, render_lines(recipient.locale, reply)))
        await self.gate.wait()
        return f"g{len(self.started)}"


async def _until(condition: Callable[[], bool]) -> None:
    for _ in range(500):
        if condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("never happened")


def _notices_to_everyone(session: Session, ward: Ward, per_person: int) -> int:
    count = 0
    for round_ in range(per_person):
        for key in ward.people:
            _notice(session, ward, f"{key} {round_}", officer=key)
            count += 1
    return count


async def test_sends_go_out_side_by_side_up_to_the_window_and_a_crash_repeats_only_those(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    count = _notices_to_everyone(session, ward, 2)
    assert len(ward.people) > 3
    gated = _GateSender()
    first = Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: gated}, window=3, ceilings={})
    running = asyncio.create_task(first.run_until_idle())
    await _until(lambda: len(gated.started) == 3)
    await asyncio.sleep(0.2)  # room for a fourth send, were the window not holding it back
    assert len(gated.started) == 3
    assert len({chat for chat, _ in gated.started}) == 3  # three officers, one send each
    running.cancel()  # the process dies with three messages sent and none marked
    with pytest.raises(asyncio.CancelledError):
        await running
    clock.advance(minutes=3)  # its lease runs out
    sender = RecordingSender()
    second = Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: sender}, window=3)
    assert await second.run_until_idle() == count
    delivered = Counter([(d.recipient.chat_id, d.text) for d in sender.deliveries] + gated.started)
    assert sum(delivered.values()) - len(delivered) == 3  # repeated: the window, no more
    assert len(delivered) == count
    assert second.window.peak <= 3


class _FlakyRunner(JobRunner):
    """A runner whose database goes away when told (every call fails while it is away)."""

    away = False

    async def run(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        if self.away:
            raise OperationalError("mark", {}, Exception("server closed the connection"))
        return await super().run(function, *args, **kwargs)


class _OutageSender(RecordingSender):
    """Takes the database away as its first message goes out."""

    def __init__(self, runner: _FlakyRunner) -> None:
        super().__init__()
        self.runner = runner

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        self.runner.away = True
        await asyncio.sleep(0.05)  # the other lanes reach their send meanwhile
        return await super().send(recipient, reply)


async def test_an_outage_repeats_only_the_sends_in_flight_when_the_database_went_away(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    count = _notices_to_everyone(session, ward, 2)
    assert len(ward.people) > 3
    runner = _FlakyRunner(engine)
    sender = _OutageSender(runner)
    dispatcher = Dispatcher(runner, clock, {Channel.TELEGRAM: sender}, window=3, ceilings={})
    running = asyncio.create_task(dispatcher.run_forever(idle=0.01, outage_pause=0.01))
    await _until(lambda: len(sender.deliveries) > 0)
    await asyncio.sleep(0.5)  # the database stays away: the dispatcher keeps trying to claim
    running.cancel()
    with pytest.raises(asyncio.CancelledError):
        await running
    assert 0 < len(sender.deliveries) <= 3  # sent, none marked: the lanes after them held back
    runner.away = False
    clock.advance(minutes=3)  # the leases run out
    again = RecordingSender()
    assert await Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: again}).run_until_idle()
    delivered = Counter(d.text for d in sender.deliveries + again.deliveries)
    assert len(delivered) == count
    assert sum(delivered.values()) - count <= 3


async def test_one_officers_messages_keep_their_order_while_others_go_alongside(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    count = _notices_to_everyone(session, ward, 4)
    sender = RecordingSender()
    dispatcher = Dispatcher(
        JobRunner(engine), clock, {Channel.TELEGRAM: sender}, window=8, ceilings={}
    )
    assert await dispatcher.run_until_idle() == count
    assert dispatcher.window.peak > 1
    for key, person in ward.people.items():
        said = [d.text for d in sender.deliveries if d.recipient.officer_id == person.id]
        assert said == [f"Hello {key} {round_}" for round_ in range(4)]


def test_the_window_opens_at_the_latency_measured_then_follows_the_rate() -> None:
    window = SendWindow({Channel.TELEGRAM: 30.0}, cap=32)
    assert window.size(Channel.TELEGRAM) == 1  # nothing measured yet
    assert window.size(Channel.WEB) == 32  # no ceiling: the cap
    lane = window._lane(Channel.TELEGRAM)
    lane.completes(0.0, 0.06)
    assert window.size(Channel.TELEGRAM) == 5  # ceil(30 x 0.06 x 2) + 1
    lane.waiting = 3  # sends wait for a slot while the rate is short of 30/s: it grows
    for step in range(1, 11):
        lane.completes(step * 0.1, step * 0.1 + 0.06)
    assert window.size(Channel.TELEGRAM) == 15
    lane.waiting = 0
    for step in range(35):  # at the ceiling (30 done within a second): it shrinks
        lane.completes(2 + step * 0.01, 2 + step * 0.01 + 0.06)
    assert window.size(Channel.TELEGRAM) == 15 - 6
    for step in range(35, 50):  # ... but not below one slot more than 30/s x 60 ms needs
        lane.completes(2 + step * 0.01, 2 + step * 0.01 + 0.06)
    assert window.size(Channel.TELEGRAM) == 3
    for step in range(1000):  # however slow, never past the cap
        lane.completes(10 + step * 2.0, 10 + step * 2.0 + 1.0)
    assert 1 <= window.size(Channel.TELEGRAM) <= 32


async def test_the_web_chat_gets_its_reminders_at_night_too(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    minh = ward.officer("minh")
    session.delete(
        session.exec(select(ChannelIdentity).where(ChannelIdentity.officer_id == minh.id)).one()
    )
    session.commit()
    ward.bind(minh, channel=Channel.WEB)
    ward.task("1", "Báo cáo", due=date(2025, 3, 10))
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()
    clock.move_to(datetime(2025, 3, 8, 22, 0, tzinfo=HCM))  # Saturday night
    scan(session, clock)
    web = RecordingSender()
    dispatcher = Dispatcher(JobRunner(engine), clock, {Channel.WEB: web})

    result = await dispatcher.run_once()

    assert result.deferred == 0
    assert [d.recipient.officer_id for d in web.deliveries] == [minh.id]


async def test_leases_measure_their_own_clock_while_a_demo_clock_races_on(
    engine: Engine, session: Session, ward: Ward, clock: FakeClock
) -> None:
    _notice(session, ward, "n1")
    real = FakeClock(clock.now())
    gated = _GateSender()
    first = Dispatcher(
        JobRunner(engine), clock, {Channel.TELEGRAM: gated}, ceilings={}, lease_clock=real
    )
    sending = asyncio.create_task(first.run_once())
    await _until(lambda: len(gated.started) == 1)
    clock.advance(hours=1)  # the demo clock runs far past the lease while the send is under way
    other = RecordingSender()
    second = Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: other}, lease_clock=real)
    assert (await second.run_once()).claimed == 0
    gated.gate.set()
    assert (await sending).sent == 1
    assert other.deliveries == []
