"""Delivery against Telegram's refusals: a 429 honoured (and rescheduled when it persists), a
user who blocked the bot marked unreachable with the office told."""

from datetime import date, timedelta

from sqlmodel import col, select

from models import ChannelIdentity, Occurrence, Outbox, OutboxState
from services.reminding.reminders import scan, schedule_occurrences
from tests.support.telegram_office import HA, MINH, Office, joined, minh_id


async def test_a_429_is_honoured_and_the_reminder_still_delivered(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.fail(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, chat_id=MINH
    )
    reminder = await office.remind(task)
    first, second = office.fake.calls_of("sendMessage")[-2:]
    assert second.at - first.at >= 1.0
    row = office.session.exec(select(Outbox).where(col(Outbox.officer_id) == minh_id(office)))
    sent = [r for r in row.all() if r.state is OutboxState.SENT]
    assert [r.platform_message_id for r in sent] == [str(reminder["message_id"])]


async def test_a_429_that_persists_is_rescheduled_for_its_retry_after(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.fail(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=2
    )
    occurrences = office.session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
    schedule_occurrences(office.session, office.clock, occurrences.all())
    office.session.commit()
    moment = office._occurrence(task).next_reminder_at
    assert moment is not None
    office.clock.move_to(moment)
    scan(office.session, office.clock)
    result = await office.dispatcher.run_once()
    assert (result.sent, result.failed) == (0, 1)
    office.session.expire_all()
    (row,) = office.session.exec(
        select(Outbox).where(col(Outbox.officer_id) == minh_id(office))
    ).all()
    assert row.state is OutboxState.FAILED
    assert row.scheduled_for == office.clock.now() + timedelta(seconds=1)
    office.clock.advance(seconds=1)
    assert await office.dispatcher.run_until_idle() == 1
    assert "2.1" in office.fake.messages_to(MINH)[-1]["text"]


async def test_a_user_who_blocked_the_bot_is_marked_unreachable_and_the_office_told(
    office: Office,
) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.blocked_chats.add(MINH)
    occurrences = office.session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
    schedule_occurrences(office.session, office.clock, occurrences.all())
    office.session.commit()
    moment = office._occurrence(task).next_reminder_at
    assert moment is not None
    office.clock.move_to(moment)
    scan(office.session, office.clock)
    await office.dispatcher.run_until_idle()
    await office.dispatcher.run_until_idle()  # the notice to the office, written meanwhile
    office.session.expire_all()
    identity = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.external_id == str(MINH))
    ).one()
    assert identity.reachable is False
    assert len(office.fake.messages_to(MINH)) == 1  # the welcome, from before
    told = office.fake.messages_to(HA)
    assert told, "the office was not told"
    assert "Phạm Văn Minh" in told[-1]["text"]
