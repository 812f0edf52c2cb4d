"""Conversations end to end through `Conversation.handle`, with a FakeClock and no platform."""

from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.conversation.incoming import ChatUser, Incoming, IncomingFile, Press
from locales import po_path
from models import (
    AssignmentRole,
    Channel,
    ChannelIdentity,
    EventKind,
    Occurrence,
    Officer,
    Outbox,
    OutboxKind,
    Plan,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskStatus,
    TokenSubject,
)
from services.errors import InvalidButton, InviteUsed, NotAllowed
from services.messages import Action, Reply, render_lines
from services.people.invites import create_invite
from services.tokens import issue_token
from tests.support.clock import FakeClock
from tests.support.ward import Ward

TG = Channel.TELEGRAM


@pytest.fixture
def ward(session: Session, clock: FakeClock) -> Ward:
    return Ward.build(session, clock)


@pytest.fixture
def conversation(engine: Engine, clock: FakeClock, tmp_path: Path) -> Conversation:
    return Conversation(
        engine, clock, evidence_dir=tmp_path / "evidence", bot_username="dondoc_bot", wall=clock
    )


@pytest.fixture
def fresh(engine: Engine) -> Iterator[Session]:
    """A second session, to read what the conversation committed."""
    with Session(engine) as opened:
        yield opened


def user(key: str) -> ChatUser:
    return ChatUser(channel=TG, user_id=key, chat_id=key)


def text(who: str, words: str, *, reply_to: str | None = None) -> Incoming:
    return Incoming(user=user(who), text=words, reply_to=reply_to)


def press(who: str, action: Action, token: str, *, message_id: str | None = None) -> Incoming:
    return Incoming(user=user(who), press=Press(action, token), message_id=message_id)


@cache
def _vietnamese() -> frozenset[str]:
    with po_path("vi").open("rb") as po_file:
        return frozenset(m.id for m in read_po(po_file) if isinstance(m.id, str) and m.string)


def msgids(replies: list[Reply]) -> list[str]:
    """The msgids of the replies' lines; each line and button label must be in Vietnamese."""
    texts = [line for reply in replies for line in reply.lines]
    texts += [button.label for reply in replies for button in reply.all_buttons()]
    missing = [text.msgid for text in texts if text.msgid not in _vietnamese()]
    assert not missing, missing
    return [line.msgid for reply in replies for line in reply.lines]


def occurrence_of(session: Session, task: Task) -> int:
    row = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).first()
    assert row is not None
    assert row.id is not None
    return row.id


def bound(ward: Ward) -> None:
    """Minh, Tuấn, Lan and Hà each bound to a Telegram chat named after them."""
    for key in ("minh", "tuan", "lan", "ha"):
        ward.bind(ward.officer(key), user_id=key)


def events(session: Session, kind: EventKind) -> list[TaskEvent]:
    return list(session.exec(select(TaskEvent).where(TaskEvent.kind == kind)))


# --- onboarding --------------------------------------------------------------------------


async def test_a_stranger_gets_a_polite_explanation_and_nothing_else(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    replies = await conversation.handle(text("999", "xong rồi ạ"))
    assert msgids(replies) == [messages.STRANGER]
    assert not replies[0].buttons
    assert fresh.exec(select(TaskEvent)).all() == []
    replies = await conversation.handle(text("999", "/viec"))
    assert msgids(replies) == [messages.STRANGER]


async def test_start_with_an_invite_binds_the_chat_once(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    card = create_invite(session, clock, ward.admin, "Phạm Văn Minh")
    replies = await conversation.handle(text("777", f"/start {card.token}"))
    assert msgids(replies) == [messages.WELCOME]
    identity = fresh.exec(select(ChannelIdentity)).one()
    assert (identity.external_id, identity.officer_id) == ("777", ward.officer("minh").id)
    replies = await conversation.handle(text("888", f"/start {card.token}"))
    assert msgids(replies) == [InviteUsed.msgid]
    assert await conversation.locale_of(user("777")) == "vi"


async def test_a_short_code_typed_in_chat_binds_too(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    card = create_invite(session, clock, ward.admin, "Đỗ Quang Tuấn")
    replies = await conversation.handle(text("555", card.code.lower()))
    assert msgids(replies) == [messages.WELCOME]
    replies = await conversation.handle(text("555", "/start"))
    assert msgids(replies) == [messages.WELCOME_BACK]


# --- officer actions in words ------------------------------------------------------------


async def test_xong_roi_naming_no_task_asks_which_then_its_code_closes_it(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("7", "Tổ chức lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "xong roi a"))
    assert msgids(replies) == [messages.ASK_WHICH, messages.CHOICE_LINE]
    assert fresh.get(Task, task.id).status is TaskStatus.OPEN  # type: ignore[union-attr]
    replies = await conversation.handle(text("minh", "7"))
    assert msgids(replies) == [messages.DONE_OK]
    assert "Tổ chức lễ hội" in render_lines("vi", replies[0])
    fresh.expire_all()
    assert fresh.get(Task, task.id).status is TaskStatus.DONE  # type: ignore[union-attr]


async def test_a_reply_to_a_reminder_acts_on_its_task(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    second = ward.task("2", "Báo cáo", due=date(2025, 3, 20))
    token = issue_token(
        session, clock, minh, TokenSubject.OCCURRENCE, occurrence_id=occurrence_of(session, second)
    )
    _reminder(session, clock, minh, {"items": [{"task": "2", "token": token}]}, "m-1")
    replies = await conversation.handle(text("minh", "xong r nhé", reply_to="m-1"))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, second.id).status is TaskStatus.DONE  # type: ignore[union-attr]


async def test_a_reply_to_a_digest_asks_which_task_then_acts(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    tasks = [ward.task(str(n), f"Việc {n}", due=date(2025, 3, 10 + n)) for n in (1, 2)]
    items = [
        {
            "token": issue_token(
                session, clock, minh, TokenSubject.OCCURRENCE,
                occurrence_id=occurrence_of(session, task),
            )
        }
        for task in tasks
    ]  # fmt: skip
    _reminder(session, clock, minh, {"items": items}, "digest-1")
    replies = await conversation.handle(text("minh", "dc 50% r", reply_to="digest-1"))
    assert msgids(replies)[0] == messages.ASK_WHICH
    assert len(replies[0].buttons) == 2
    replies = await conversation.handle(text("minh", "2"))
    assert msgids(replies) == [messages.PROGRESS_OK]
    assert fresh.get(Task, tasks[1].id).progress == 50  # type: ignore[union-attr]
    assert fresh.get(Task, tasks[0].id).progress == 0  # type: ignore[union-attr]


async def test_which_task_can_be_answered_by_pressing(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    first = ward.task("1", "Việc một", due=date(2025, 3, 10))
    ward.task("2", "Việc hai", due=date(2025, 3, 12))
    replies = await conversation.handle(text("minh", "xong rồi"))
    choice = replies[0].buttons[0][0]
    assert choice.action is Action.CHOOSE
    replies = await conversation.handle(press("minh", Action.CHOOSE, choice.token))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, first.id).status is TaskStatus.DONE  # type: ignore[union-attr]


async def test_a_blocker_in_words_reaches_the_chair_and_the_admin(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "việc 1 vướng: chưa có kinh phí"))
    assert msgids(replies) == [messages.BLOCKER_OK]
    told = {row.officer_id for row in fresh.exec(select(Outbox))}
    assert told == {ward.chair.id, ward.admin.id}
    assert events(fresh, EventKind.BLOCKER_REPORTED)[0].payload["reason"] == "chưa có kinh phí"


async def test_unsure_text_asks_back_with_choices(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "việc 1 xong rồi nhưng còn vướng chữ ký"))
    assert msgids(replies) == [messages.ASK_DONE_OR_BLOCKED]
    assert Action.DONE in {b.action for b in replies[0].all_buttons()}
    assert fresh.exec(select(TaskEvent)).all() == []
    replies = await conversation.handle(text("minh", "hôm nay trời đẹp"))
    assert msgids(replies) == [messages.NOT_UNDERSTOOD]


# --- buttons and flows -------------------------------------------------------------------


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
    token = _token(session, clock, minh, task)
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
    token = _token(session, clock, ward.officer("minh"), task)
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
    token = _token(session, clock, ward.officer("minh"), task)
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
    token = _token(session, clock, ward.officer("minh"), task)
    await conversation.handle(press("minh", Action.BLOCKER, token))
    assert msgids(await conversation.handle(text("minh", "thôi"))) == [messages.CANCELLED]


async def test_extension_asked_granted_and_the_officer_told(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = _token(session, clock, minh, task)
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
    assert "14/03/2025" in str(told.payload)
    replies = await conversation.handle(press("ha", Action.DENY, approve["token"]))
    assert msgids(replies) == [InvalidButton.msgid]  # addressed to Lan, not to Hà


async def test_snooze_offers_moments_and_holds_reminders(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = _token(session, clock, ward.officer("minh"), task)
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
    token = "Zz9Zz9Zz9Z" if case == "forged" else _token(session, clock, owner, task)
    if case == "stale":
        clock.advance(days=61)
    if case == "other-org":
        other = Ward.build(session, clock, name="Xã Tân Lập")
        foreign = other.task("9", "Việc xã khác", due=date(2025, 3, 10))
        token = _token(session, clock, ward.officer("minh"), foreign)
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


# --- chair and admin ---------------------------------------------------------------------


async def test_chair_queries_by_command_and_in_words(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 2, 20))
    ward.task("2", "Đo đạc", unit=ward.dia_chinh, due=date(2025, 3, 20))
    replies = await conversation.handle(text("lan", "/tonghop"))
    assert msgids(replies)[0] == messages.TITLE_SUMMARY
    for words in ("/quahan", "/overdue", "còn gì quá hạn?"):
        replies = await conversation.handle(text("lan", words))
        assert msgids(replies)[:2] == [messages.TITLE_OVERDUE, "🏢 {unit}: {count}"], words
        assert "Phạm Văn Minh" in render_lines("vi", replies[0])
    replies = await conversation.handle(text("lan", "/quy 1"))
    assert replies[0].lines[0].params == {"quarter": 1, "year": 2025, "count": 2}
    replies = await conversation.handle(text("lan", "/viec Tuấn"))
    assert replies[0].lines[0].params == {"count": 1}
    replies = await conversation.handle(text("lan", "/tasks Công chức Văn hóa - Xã hội"))
    assert replies[0].lines[0].params == {"count": 1}
    replies = await conversation.handle(text("lan", "/nhac Minh"))
    assert msgids(replies) == [messages.REMINDED]
    assert fresh.exec(select(Outbox).where(Outbox.kind == OutboxKind.REMINDER)).all()


async def test_officers_see_their_own_and_cannot_ask_as_the_chair(
    conversation: Conversation, ward: Ward
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 2, 20))
    ward.task("2", "Đo đạc", unit=ward.dia_chinh, due=date(2025, 2, 20))
    replies = await conversation.handle(text("minh", "/viec"))
    assert replies[0].lines[0].params == {"count": 1}
    replies = await conversation.handle(text("minh", "/quahan"))
    assert [line.params.get("code") for line in replies[0].lines[1:]] == ["1"]
    for words in ("/nhac Tuấn", "/viec Tuấn", "/canbo", "/moi Tuấn"):
        replies = await conversation.handle(text("minh", words))
        assert msgids(replies)[0] in (NotAllowed.msgid, "Only the office (admin) can do that.")


async def test_blockers_list_offers_to_lift_them(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    await conversation.handle(text("minh", "việc 1 vướng: chưa có kinh phí"))
    replies = await conversation.handle(text("lan", "/vuongmac"))
    assert replies[0].lines[1].params["reason"] == "chưa có kinh phí"
    lift = replies[0].buttons[0][0]
    assert lift.action is Action.RESOLVE
    replies = await conversation.handle(press("lan", Action.RESOLVE, lift.token))
    assert msgids(replies) == [messages.RESOLVED_OK]
    fresh.expire_all()
    assert fresh.get(Task, task.id).status is TaskStatus.OPEN  # type: ignore[union-attr]


async def test_long_lists_are_paginated_with_buttons(
    conversation: Conversation, ward: Ward
) -> None:
    bound(ward)
    for n in range(1, 13):
        ward.task(str(n), f"Việc {n}", due=date(2025, 3, n + 3))
    replies = await conversation.handle(text("minh", "/viec"))
    assert replies[0].lines[1].params == {"page": 1, "pages": 2}
    assert len(replies[0].lines) == 2 + 8
    (next_,) = replies[0].all_buttons()
    replies = await conversation.handle(press("minh", Action.PAGE, next_.token, message_id="41"))
    assert replies[0].edit_of == "41"
    assert [line.params.get("code") for line in replies[0].lines[2:]] == ["9", "10", "11", "12"]
    assert [b.action for b in replies[0].all_buttons()] == [Action.PAGE]


async def test_admin_invites_and_lists_people_and_units(
    conversation: Conversation, ward: Ward
) -> None:
    bound(ward)
    replies = await conversation.handle(text("ha", "/moi Minh"))
    shown = render_lines("vi", replies[0])
    assert "https://t.me/dondoc_bot?start=" in shown
    assert msgids(replies) == list(messages.INVITE_LINES)
    replies = await conversation.handle(text("ha", "/canbo"))
    assert replies[0].lines[0].params == {"count": 4}
    replies = await conversation.handle(text("ha", "/donvi"))
    assert "CCVHXH" in render_lines("vi", replies[0])


async def test_lang_switches_per_officer(conversation: Conversation, ward: Ward) -> None:
    bound(ward)
    replies = await conversation.handle(text("minh", "/lang en"))
    assert msgids(replies) == [messages.LANGUAGE_SET]
    assert await conversation.locale_of(user("minh")) == "en"
    assert await conversation.locale_of(user("tuan")) == "vi"
    await conversation.handle(text("minh", "/ngonngu"))
    assert await conversation.locale_of(user("minh")) == "vi"


async def test_admin_imports_a_plan_file_after_a_preview(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("000_*.txt"))[0]
    file = IncomingFile(file_name="ke-hoach.txt", content=seed.read_bytes())
    replies = await conversation.handle(Incoming(user=user("ha"), file=file))
    preview = replies[0]
    assert preview.lines[-1].msgid == "Import this plan?"
    shown = render_lines("vi", preview)
    assert "{" not in shown  # every line renders whole, flagged rows included
    assert "The deadline falls before the plan's date." in [line.msgid for line in preview.lines]
    confirm, cancel = preview.buttons[0]
    assert (confirm.action, cancel.action) == (Action.CONFIRM, Action.CANCEL)
    before = len(fresh.exec(select(Plan)).all())
    replies = await conversation.handle(press("ha", Action.CONFIRM, confirm.token))
    assert replies[0].lines[0].msgid.startswith("✅ Imported")
    assert len(fresh.exec(select(Plan)).all()) == before + 1
    replies = await conversation.handle(press("ha", Action.CONFIRM, confirm.token))
    assert msgids(replies) == ["This preview has expired. Please send the file again."]


async def test_a_preview_names_the_plan_only_by_what_it_states(
    conversation: Conversation, ward: Ward, data_dir: Path
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("003_*.txt"))[0]  # states no title, no number
    file = IncomingFile(file_name="bao-cao.txt", content=seed.read_bytes())
    preview = (await conversation.handle(Incoming(user=user("ha"), file=file)))[0]
    assert preview.lines[0].msgid == "📄 {file_name} (the plan states no title or number)"
    assert "—" not in render_lines("vi", preview).splitlines()[0]


async def test_a_second_plan_sent_while_a_preview_waits_replaces_it(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    first, second = (
        IncomingFile(
            file_name=f"{stem}.txt",
            content=next((data_dir / "seeds").glob(f"{stem}_*.txt")).read_bytes(),
        )
        for stem in ("000", "001")
    )
    old = (await conversation.handle(Incoming(user=user("ha"), file=first)))[0]
    new = (await conversation.handle(Incoming(user=user("ha"), file=second)))[0]
    assert new.lines[-1].msgid == "Import this plan?"
    assert "001.txt" in render_lines("vi", new).splitlines()[0]
    before = len(fresh.exec(select(Plan)).all())
    replies = await conversation.handle(press("ha", Action.CONFIRM, old.buttons[0][0].token))
    assert msgids(replies) == ["This preview has expired. Please send the file again."]
    replies = await conversation.handle(press("ha", Action.CONFIRM, new.buttons[0][0].token))
    assert replies[0].lines[0].msgid.startswith("✅ Imported")
    assert len(fresh.exec(select(Plan)).all()) == before + 1


async def test_admin_can_cancel_an_import(
    conversation: Conversation, ward: Ward, data_dir: Path, fresh: Session
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("001_*.txt"))[0]
    file = IncomingFile(file_name="kh.txt", content=seed.read_bytes())
    replies = await conversation.handle(Incoming(user=user("ha"), file=file))
    cancel = replies[0].buttons[0][1]
    before = len(fresh.exec(select(Plan)).all())
    replies = await conversation.handle(press("ha", Action.CANCEL, cancel.token))
    assert msgids(replies) == ["Import cancelled: nothing was stored."]
    assert len(fresh.exec(select(Plan)).all()) == before


# --- helpers -----------------------------------------------------------------------------


def _token(session: Session, clock: FakeClock, officer: Officer, task: Task) -> str:
    token = issue_token(
        session,
        clock,
        officer,
        TokenSubject.OCCURRENCE,
        occurrence_id=occurrence_of(session, task),
    )
    session.commit()
    return token


def _reminder(
    session: Session,
    clock: FakeClock,
    officer: Officer,
    payload: dict[str, object],
    sent_as: str,
    *,
    channel: Channel = TG,
) -> None:
    assert officer.id is not None
    session.add(
        Outbox(
            organization_id=officer.organization_id,
            officer_id=officer.id,
            channel=channel,
            kind=OutboxKind.DIGEST,
            payload=payload,
            idempotency_key=f"test:{channel}:{sent_as}",
            scheduled_for=clock.now(),
            created_at=clock.now(),
            platform_message_id=sent_as,
        )
    )
    session.commit()


async def test_a_task_named_by_its_code_needs_no_question(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("2.1", "Việc một", due=date(2025, 3, 10))
    second = ward.task("2.2", "Việc hai", due=date(2025, 3, 12))
    replies = await conversation.handle(text("minh", "việc 2.2 xong rồi ạ"))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, second.id).status is TaskStatus.DONE  # type: ignore[union-attr]
    replies = await conversation.handle(text("lan", "viec 2.1 xong r"))
    assert msgids(replies) == [messages.DONE_OK]  # the chair may act on any task of the ward


async def test_the_chair_asks_in_words(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo quý", due=date(2025, 5, 10))
    await conversation.handle(text("minh", "việc 1 vướng: chưa có kinh phí"))
    replies = await conversation.handle(text("lan", "có vướng mắc gì không em?"))
    assert msgids(replies)[0] == messages.TITLE_BLOCKERS
    replies = await conversation.handle(text("lan", "quý 2 thế nào rồi"))
    assert replies[0].lines[0].params == {"quarter": 2, "year": 2025, "count": 1}
    replies = await conversation.handle(text("lan", "nhắc anh Minh"))
    assert msgids(replies) == [messages.REMINDED]
    assert replies[0].lines[0].params["name"] == "Phạm Văn Minh"
    replies = await conversation.handle(text("lan", "xong rồi"))
    assert msgids(replies) == [messages.NAME_THE_TASK]


async def test_an_officer_lifts_a_blocker_in_words(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    blocked = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo", due=date(2025, 3, 12))
    await conversation.handle(text("minh", "việc 1 vướng: chưa có kinh phí"))
    replies = await conversation.handle(text("minh", "hết vướng rồi chị ạ, đã có kinh phí"))
    assert msgids(replies) == [messages.ASK_WHICH, messages.CHOICE_LINE]  # the blocked one
    replies = await conversation.handle(text("minh", "1"))
    assert msgids(replies) == [messages.RESOLVED_OK]
    fresh.expire_all()
    assert fresh.get(Task, blocked.id).status is TaskStatus.OPEN  # type: ignore[union-attr]
    assert events(fresh, EventKind.BLOCKER_RESOLVED)


async def test_a_person_who_moves_on_is_not_held_in_a_flow(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    token = _token(session, clock, ward.officer("minh"), task)
    await conversation.handle(press("minh", Action.PROGRESS, token))
    replies = await conversation.handle(text("minh", "à xong rồi ạ"))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, task.id).status is TaskStatus.DONE  # type: ignore[union-attr]
    replies = await conversation.handle(text("minh", "70"))
    assert msgids(replies) == [messages.NOT_UNDERSTOOD]  # the flow was left behind


async def test_a_question_during_a_preview_keeps_the_preview(
    conversation: Conversation, ward: Ward, data_dir: Path
) -> None:
    bound(ward)
    seed = sorted((data_dir / "seeds").glob("001_*.txt"))[0]
    file = IncomingFile(file_name="kh.txt", content=seed.read_bytes())
    preview = (await conversation.handle(Incoming(user=user("ha"), file=file)))[0]
    replies = await conversation.handle(text("ha", "còn gì quá hạn?"))
    assert msgids(replies)[0] == messages.TITLE_OVERDUE
    replies = await conversation.handle(text("ha", "ok"))
    assert msgids(replies) == ["Please press ✅ Confirm or ❌ Cancel under the preview."]
    confirm = preview.buttons[0][0]
    replies = await conversation.handle(press("ha", Action.CONFIRM, confirm.token))
    assert replies[0].lines[0].msgid.startswith("✅ Imported")


async def test_evidence_for_one_of_several_tasks_asks_which(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo", due=date(2025, 3, 12))
    file = IncomingFile(file_name="bao-cao.pdf", content=b"%PDF-1.7", media_type="application/pdf")
    replies = await conversation.handle(Incoming(user=user("minh"), file=file))
    assert msgids(replies)[0] == messages.EVIDENCE_WHICH
    replies = await conversation.handle(text("minh", "2"))
    assert msgids(replies) == [messages.EVIDENCE_OK]
    assert replies[0].lines[0].params == {"file_name": "bao-cao.pdf", "code": "2"}
    [event] = events(fresh, EventKind.EVIDENCE)
    assert event.payload["size"] == len(b"%PDF-1.7")


async def test_a_refusal_is_said_and_nothing_is_kept(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "việc 1 xin gia hạn đến 5/3 vì mưa"))
    assert msgids(replies) == [
        "Task {ref} is already due on {date}: an extension needs a later date."
    ]
    assert fresh.exec(select(TaskEvent)).all() == []
    assert fresh.exec(select(Outbox)).all() == []


@pytest.mark.parametrize(
    ("answer", "granted"),
    [
        ("đồng ý", True),
        ("Ok em.", True),
        ("không đồng ý, giữ nguyên", False),
        ("ok để chị xem đã", None),
    ],
)
async def test_the_chair_answers_an_extension_request_in_words(
    conversation: Conversation,
    ward: Ward,
    session: Session,
    fresh: Session,
    answer: str,
    granted: bool | None,
) -> None:
    bound(ward)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    await conversation.handle(text("minh", "việc 1 xin gia hạn đến 20/3 vì mưa"))
    notice = fresh.exec(select(Outbox).where(Outbox.officer_id == ward.chair.id)).one()
    notice.platform_message_id = "n-1"  # as the dispatcher records it once sent,
    notice.channel = TG  # with the channel it went through
    fresh.add(notice)
    fresh.commit()
    replies = await conversation.handle(text("lan", answer, reply_to="n-1"))
    said = {True: messages.GRANTED_OK, False: messages.DENIED_OK, None: messages.NOT_UNDERSTOOD}
    assert msgids(replies) == [said[granted]]
    fresh.expire_all()
    expected = date(2025, 3, 20) if granted else date(2025, 3, 10)
    assert fresh.get(Task, task.id).due == expected  # type: ignore[union-attr]


async def test_done_pressed_under_a_reminder_edits_it_and_the_chair_hears(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    one = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    two = ward.task("2", "Báo cáo", due=date(2025, 3, 12))
    three = ward.task("3", "Hội nghị", due=date(2025, 3, 14))
    single = _token(session, clock, minh, one)
    _reminder(session, clock, minh, {"items": [{"token": single}]}, "r-1")
    pair = [_token(session, clock, minh, task) for task in (two, three)]
    _reminder(session, clock, minh, {"items": [{"token": t} for t in pair]}, "d-1")
    replies = await conversation.handle(press("minh", Action.DONE, single, message_id="r-1"))
    assert replies[0].edit_of == "r-1"  # the reminder's buttons give way to ↩️ Undo
    assert [b.action for b in replies[0].all_buttons()] == [Action.UNDO]
    replies = await conversation.handle(press("minh", Action.DONE, pair[0], message_id="d-1"))
    assert replies[0].edit_of is None  # the digest keeps the other task's buttons
    notices = fresh.exec(select(Outbox).where(Outbox.kind == OutboxKind.NOTICE)).all()
    assert {n.officer_id for n in notices} == {ward.chair.id}
    assert len(notices) == 2


async def test_invites_carry_the_deep_link_once_the_bot_name_is_known(
    engine: Engine, clock: FakeClock, tmp_path: Path, ward: Ward
) -> None:
    bound(ward)
    nameless = Conversation(engine, clock, evidence_dir=tmp_path / "evidence")
    shown = render_lines("vi", (await nameless.handle(text("ha", "/moi Minh")))[0])
    assert "t.me" not in shown
    nameless.know_bot_username("phuong_bot")
    shown = render_lines("vi", (await nameless.handle(text("ha", "/moi Tuấn")))[0])
    assert "https://t.me/phuong_bot?start=" in shown


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
    single = _token(session, clock, minh, one)
    _reminder(session, clock, minh, {"items": [{"token": single}]}, "7")
    pair = [_token(session, clock, minh, task) for task in (two, three)]
    web_digest: dict[str, object] = {"items": [{"token": t} for t in pair]}
    _reminder(session, clock, minh, web_digest, "7", channel=Channel.WEB)
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
    token = _token(session, clock, ward.officer("minh"), task)
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


async def test_a_status_question_answers_per_unit_when_several_lead(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    task = ward.task(
        "5", "Ra quân vệ sinh", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 10)
    )
    replies = await conversation.handle(text("minh", "việc 5 xong rồi"))
    assert msgids(replies) == [messages.DONE_OK]
    replies = await conversation.handle(text("lan", "việc 5 đã xong chưa?"))
    assert msgids(replies) == [
        messages.STATUS_OPEN,
        messages.STATUS_UNIT_DONE,
        messages.STATUS_UNIT_OPEN,
    ]
    shown = render_lines("vi", replies[0])
    assert "Văn hóa - Xã hội: đã xong" in shown
    assert "Địa chính - Xây dựng: chưa xong" in shown
    fresh.expire_all()
    assert fresh.get(Task, task.id).status is TaskStatus.OPEN  # type: ignore[union-attr]


async def test_the_chair_asks_by_plan_and_unit_and_lists_name_their_plan(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 5))
    ward.task("2", "Đo đạc đất", unit=ward.dia_chinh, due=date(2025, 2, 6))
    assert ward.org.id is not None
    other = Plan(
        organization_id=ward.org.id,
        title="Kế hoạch phòng chống dịch sốt xuất huyết",
        number="45/KH-UBND",
        years=[2025],
        source_name="sxh.txt",
        sha256="f" * 64,
        imported_at=clock.now(),
    )
    session.add(other)
    session.commit()
    first_plan, ward.plan = ward.plan, other
    ward.task("1", "Phun thuốc", due=date(2025, 3, 7))
    ward.plan = first_plan

    def codes(reply: Reply) -> list[str]:
        return [str(line.params["code"]) for line in reply.lines[1:] if "code" in line.params]

    replies = await conversation.handle(text("lan", "kế hoạch 45 còn gì?"))
    assert codes(replies[0]) == ["1"]
    assert "Phun thuốc [45/KH-UBND]" in render_lines("vi", replies[0])  # two plans: named
    replies = await conversation.handle(text("lan", "kế hoạch sốt xuất huyết còn gì?"))
    assert codes(replies[0]) == ["1"]
    replies = await conversation.handle(text("lan", "/quahan CCĐCXD"))
    assert codes(replies[0]) == ["2"]
    replies = await conversation.handle(text("lan", "/quahan Tuấn"))
    assert codes(replies[0]) == ["2"]
    replies = await conversation.handle(text("lan", "việc 1 đã xong chưa?"))
    assert msgids(replies) == [messages.STATUS_OPEN, messages.STATUS_PLAN] * 2  # both plans'


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
