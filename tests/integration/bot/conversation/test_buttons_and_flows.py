"""Buttons and the flows they start: a blocker's reason, a percent, an extension, a snooze; flows
that expire, are cancelled or left behind; presses under reminders, undo, forged tokens."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.conversation.incoming import Incoming, IncomingFile
from models import (
    AssignmentRole,
    Channel,
    EventKind,
    Occurrence,
    Outbox,
    OutboxKind,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskStatus,
)
from services.errors import InvalidButton
from services.messages import Action, Reply, render_lines
from tests.support.clock import FakeClock
from tests.support.conversing import (
    bound,
    events,
    msgids,
    occurrence_of,
    press,
    sent_reminder,
    text,
    token_for,
    user,
)
from tests.support.ward import Ward


async def test_blocker_button_waits_for_the_reason_even_across_a_restart(
    conversation: Conversation,
    ward: Ward,
    session: Session,
    clock: FakeClock,
    engine: Engine,
    tmp_path: Path,
    fresh: Session,
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, minh, task)
    replies = await conversation.handle(press("minh", Action.BLOCKER, token))
    assert msgids(replies) == [messages.ASK_REASON]
    restarted = Conversation(engine, clock, evidence_dir=tmp_path, wall=clock)
    replies = await restarted.handle(text("minh", "dân chưa đồng ý"))
    assert msgids(replies) == [messages.BLOCKER_OK]
    assert events(fresh, EventKind.BLOCKER_REPORTED)[0].payload["reason"] == "dân chưa đồng ý"


async def test_a_flow_expires(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, ward.officer("minh"), task)
    await conversation.handle(press("minh", Action.PROGRESS, token))
    clock.advance(minutes=31)
    replies = await conversation.handle(text("minh", "70"))
    assert msgids(replies) == [messages.NOT_UNDERSTOOD]
    assert events(fresh, EventKind.PROGRESS) == []


async def test_progress_button_asks_for_a_percent_until_it_gets_one(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, ward.officer("minh"), task)
    assert msgids(await conversation.handle(press("minh", Action.PROGRESS, token))) == [
        messages.ASK_PERCENT
    ]
    assert msgids(await conversation.handle(text("minh", "nhiều lắm"))) == [
        messages.ASK_PERCENT_AGAIN
    ]
    assert msgids(await conversation.handle(text("minh", "70%"))) == [messages.PROGRESS_OK]
    assert fresh.get(Task, task.id).progress == 70  # type: ignore[union-attr]


async def test_cancel_word_ends_a_flow(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, ward.officer("minh"), task)
    await conversation.handle(press("minh", Action.BLOCKER, token))
    assert msgids(await conversation.handle(text("minh", "thôi"))) == [messages.CANCELLED]


async def test_extension_asked_granted_and_the_officer_told(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, minh, task)
    assert msgids(await conversation.handle(press("minh", Action.EXTEND, token))) == [
        messages.ASK_DATE
    ]
    assert msgids(await conversation.handle(text("minh", "sớm thôi"))) == [messages.ASK_DATE_AGAIN]
    replies = await conversation.handle(text("minh", "thứ sáu tuần sau, chờ kinh phí"))
    assert msgids(replies) == [messages.EXTENSION_OK]
    notice = fresh.exec(select(Outbox).where(Outbox.officer_id == ward.chair.id)).one()
    buttons = notice.payload["buttons"]
    assert isinstance(buttons, list)
    approve = buttons[0][0]
    assert approve["action"] == "approve"
    replies = await conversation.handle(press("lan", Action.APPROVE, approve["token"]))
    assert msgids(replies) == [messages.GRANTED_OK]
    fresh.expire_all()
    assert fresh.get(Task, task.id).due == date(2025, 3, 14)  # type: ignore[union-attr]
    told = fresh.exec(
        select(Outbox).where(Outbox.officer_id == minh.id, Outbox.kind == OutboxKind.NOTICE)
    ).one()
    assert "14/03/2025" in render_lines("vi", Reply.from_json(told.payload))
    replies = await conversation.handle(press("ha", Action.DENY, approve["token"]))
    assert msgids(replies) == [InvalidButton.msgid]  # addressed to Lan, not to Hà


async def test_snooze_offers_moments_and_holds_reminders(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, ward.officer("minh"), task)
    replies = await conversation.handle(press("minh", Action.SNOOZE, token))
    assert msgids(replies) == [messages.ASK_WHEN]
    tomorrow = replies[0].buttons[0][1]
    replies = await conversation.handle(press("minh", Action.CHOOSE, tomorrow.token))
    assert msgids(replies) == [messages.SNOOZE_OK]
    occurrence = fresh.get(Occurrence, occurrence_of(fresh, task))
    assert occurrence is not None
    assert occurrence.snoozed_until == clock.now() + timedelta(hours=24)


async def test_snooze_in_words(
    conversation: Conversation, ward: Ward, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "việc 1: em đang họp, 2 tiếng nữa nhắc lại"))
    assert msgids(replies) == [messages.SNOOZE_OK]
    occurrence = fresh.get(Occurrence, occurrence_of(fresh, task))
    assert occurrence is not None
    assert occurrence.snoozed_until == clock.now() + timedelta(hours=2)


@pytest.mark.parametrize("case", ["forged", "foreign", "stale", "other-org"])
async def test_a_bad_button_token_is_refused_politely(
    conversation: Conversation,
    ward: Ward,
    session: Session,
    clock: FakeClock,
    fresh: Session,
    case: str,
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    owner = ward.officer("tuan") if case == "foreign" else ward.officer("minh")
    token = "Zz9Zz9Zz9Z" if case == "forged" else token_for(session, clock, owner, task)
    if case == "stale":
        clock.advance(days=61)
    if case == "other-org":
        other = Ward.build(session, clock, name="Xã Tân Lập")
        foreign = other.task("9", "Việc xã khác", due=date(2025, 3, 10))
        token = token_for(session, clock, ward.officer("minh"), foreign)
    replies = await conversation.handle(press("minh", Action.DONE, token))
    expected = "I can't find task {ref}, or it is not assigned to you."
    assert msgids(replies) == [expected if case == "other-org" else InvalidButton.msgid]
    assert fresh.exec(select(TaskEvent)).all() == []


async def test_evidence_file_is_kept_for_the_task(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    file = IncomingFile(
        file_name="bien-ban.jpg", content=b"\xff\xd8photo", media_type="image/jpeg"
    )
    replies = await conversation.handle(Incoming(user=user("minh"), file=file))
    assert msgids(replies) == [messages.EVIDENCE_OK]
    assert events(fresh, EventKind.EVIDENCE)[0].payload["file_name"] == "bien-ban.jpg"


async def test_a_person_who_moves_on_is_not_held_in_a_flow(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, ward.officer("minh"), task)
    await conversation.handle(press("minh", Action.PROGRESS, token))
    replies = await conversation.handle(text("minh", "à xong rồi ạ"))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, task.id).status is TaskStatus.DONE  # type: ignore[union-attr]
    replies = await conversation.handle(text("minh", "70"))
    assert msgids(replies) == [messages.NOT_UNDERSTOOD]  # the flow was left behind


async def test_done_pressed_under_a_reminder_edits_it_and_the_chair_hears(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    one = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    two = ward.task("2", "Báo cáo", due=date(2025, 3, 12))
    three = ward.task("3", "Hội nghị", due=date(2025, 3, 14))
    single = token_for(session, clock, minh, one)
    sent_reminder(session, clock, minh, {"items": [{"token": single}]}, "r-1")
    pair = [token_for(session, clock, minh, task) for task in (two, three)]
    sent_reminder(session, clock, minh, {"items": [{"token": t} for t in pair]}, "d-1")
    replies = await conversation.handle(press("minh", Action.DONE, single, message_id="r-1"))
    assert replies[0].edit_of == "r-1"  # the reminder's buttons give way to ↩️ Undo
    assert [b.action for b in replies[0].all_buttons()] == [Action.UNDO]
    replies = await conversation.handle(press("minh", Action.DONE, pair[0], message_id="d-1"))
    assert replies[0].edit_of is None  # the digest keeps the other task's buttons
    notices = fresh.exec(select(Outbox).where(Outbox.kind == OutboxKind.NOTICE)).all()
    assert {n.officer_id for n in notices} == {ward.chair.id}
    assert len(notices) == 2


async def test_message_ids_of_other_channels_do_not_mix(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    """Telegram and the web chat number their messages each on their own: a press under
    Telegram message 7 is about that message, not about web message 7."""
    bound(ward)
    minh = ward.officer("minh")
    one = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    two = ward.task("2", "Báo cáo", due=date(2025, 3, 12))
    three = ward.task("3", "Hội nghị", due=date(2025, 3, 14))
    single = token_for(session, clock, minh, one)
    sent_reminder(session, clock, minh, {"items": [{"token": single}]}, "7")
    pair = [token_for(session, clock, minh, task) for task in (two, three)]
    web_digest: dict[str, object] = {"items": [{"token": t} for t in pair]}
    sent_reminder(session, clock, minh, web_digest, "7", channel=Channel.WEB)
    replies = await conversation.handle(press("minh", Action.DONE, single, message_id="7"))
    assert replies[0].edit_of == "7"
    assert [b.action for b in replies[0].all_buttons()] == [Action.UNDO]


async def test_a_flow_lives_on_real_time_whatever_the_demo_clock_says(
    engine: Engine, ward: Ward, session: Session, clock: FakeClock, tmp_path: Path, fresh: Session
) -> None:
    """Under `--demo-clock` dondoc's clock runs days ahead while the person types the percent
    the bot asked for: the flow's 30 minutes are minutes of real time."""
    bound(ward)
    wall = FakeClock(clock.now())
    demo = Conversation(engine, clock, evidence_dir=tmp_path, wall=wall)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = token_for(session, clock, ward.officer("minh"), task)
    await demo.handle(press("minh", Action.PROGRESS, token))
    clock.advance(days=2)  # the accelerated clock
    wall.advance(minutes=1)
    replies = await demo.handle(text("minh", "70"))
    assert msgids(replies) == [messages.PROGRESS_OK]
    await demo.handle(press("minh", Action.PROGRESS, token))
    wall.advance(minutes=31)
    replies = await demo.handle(text("minh", "80"))
    assert msgids(replies) == [messages.NOT_UNDERSTOOD]
    assert fresh.get(Task, task.id).progress == 70  # type: ignore[union-attr]


async def test_undo_restores_each_units_share(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    """Minh closes his unit's part of a task two units lead, then takes it back: his unit's
    share is open again, as it was, and the other unit's never moved."""
    bound(ward)
    task = ward.task(
        "5", "Ra quân vệ sinh", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 10)
    )
    replies = await conversation.handle(text("minh", "việc 5 được 40%"))
    replies = await conversation.handle(text("minh", "việc 5 xong rồi"))
    (undo,) = replies[0].all_buttons()
    fresh.expire_all()
    shares = {a.unit_id: (a.status, a.progress) for a in _leads(fresh, task)}
    assert shares[ward.vhxh.id] == (TaskStatus.DONE, 100)
    replies = await conversation.handle(press("minh", Action.UNDO, undo.token))
    assert msgids(replies) == [messages.UNDONE_OK]
    fresh.expire_all()
    shares = {a.unit_id: (a.status, a.progress) for a in _leads(fresh, task)}
    assert shares == {ward.vhxh.id: (TaskStatus.OPEN, 40), ward.dia_chinh.id: (TaskStatus.OPEN, 0)}
    replies = await conversation.handle(press("minh", Action.UNDO, undo.token))
    assert msgids(replies) == [InvalidButton.msgid]  # taken back once


def _leads(session: Session, task: Task) -> list[TaskAssignment]:
    return list(
        session.exec(
            select(TaskAssignment).where(
                TaskAssignment.task_id == task.id, TaskAssignment.role == AssignmentRole.LEAD
            )
        )
    )


@pytest.mark.parametrize(
    ("language", "said"),
    [
        ("en", "⏰ I will remind you about task 1 again on 3 Mar 2025, 10:00."),
        ("vi", "⏰ Tôi sẽ nhắc lại việc 1 lúc 10:00 03/03/2025."),
    ],
)
async def test_the_snooze_reply_writes_the_moment_in_the_reader_s_language(
    conversation: Conversation, ward: Ward, language: str, said: str
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    await conversation.handle(text("minh", f"/lang {language}"))
    replies = await conversation.handle(text("minh", "việc 1: em đang họp, 2 tiếng nữa nhắc lại"))
    assert msgids(replies) == [messages.SNOOZE_OK]
    locale = await conversation.locale_of(user("minh"))
    assert render_lines(locale, replies[0]) == said
    assert render_lines(locale, Reply.from_json(replies[0].to_json())) == said  # as kept
