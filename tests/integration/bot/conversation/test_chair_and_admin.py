"""The chair and the admin in chat: queries by command and in words, lists by plan and unit,
paging, lifting blockers, answering extension requests, invites and the office's lists; an
officer cannot ask as the chair."""

from datetime import date, datetime

import pytest
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from models import Outbox, OutboxKind, Plan, Task, TaskStatus
from services.errors import NotAllowed
from services.messages import Action, Reply, render_lines
from tests.support.clock import HCM, FakeClock
from tests.support.conversing import TG, bound, msgids, press, text
from tests.support.ward import Ward


async def test_chair_queries_by_command_and_in_words(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 2, 20))
    ward.task("2", "Đo đạc", unit=ward.dia_chinh, due=date(2025, 3, 20))
    replies = await conversation.handle(text("lan", "/tonghop"))
    assert msgids(replies)[0] == messages.TITLE_SUMMARY
    assert "📅 Quý I/2025: 2 đang mở, 0 xong" in render_lines(
        "vi", replies[0]
    )  # as plans write it
    for words in ("/quahan", "/overdue", "còn gì quá hạn?"):
        replies = await conversation.handle(text("lan", words))
        assert msgids(replies)[:2] == [messages.TITLE_OVERDUE, "🏢 {unit}: {count}"], words
        assert "Phạm Văn Minh" in render_lines("vi", replies[0])
    for words in ("/quy 1", "/quy I"):  # the quarter as plans write it
        replies = await conversation.handle(text("lan", words))
        assert render_lines("vi", replies[0]).splitlines()[0] == "📅 Quý I/2025 (2 việc):", words
    replies = await conversation.handle(text("lan", "quý 1 còn gì?"))
    assert render_lines("vi", replies[0]).splitlines()[0] == "📋 Việc đang mở, Quý I/2025 (2):"
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


async def test_remind_without_a_name_asks_for_one_and_only_a_manager_is_asked(
    conversation: Conversation, ward: Ward
) -> None:
    # The use case refuses an officer before it reads the name, so the chat checks no role.
    bound(ward)
    replies = await conversation.handle(text("lan", "/nhac"))
    assert msgids(replies) == [messages.NEED_NAME]
    replies = await conversation.handle(text("minh", "/nhac"))
    assert msgids(replies) == [NotAllowed.msgid]
    replies = await conversation.handle(text("lan", "/nhac anh Minh"))
    assert replies[0].lines[0].params == {"count": 0, "name": "Phạm Văn Minh"}


async def test_an_invite_made_after_midnight_in_viet_nam_expires_on_the_local_day(
    conversation: Conversation, ward: Ward, clock: FakeClock
) -> None:
    # 00:30 on Tuesday 4 March in Việt Nam is still Monday 3 March in UTC: the invite lives 7
    # days, until 00:30 on 11 March, which the chat used to show as 10/03 (the UTC day).
    bound(ward)
    clock.move_to(datetime(2025, 3, 4, 0, 30, tzinfo=HCM))
    replies = await conversation.handle(text("ha", "/moi Minh"))
    assert replies[0].lines[0].params["date"] == date(2025, 3, 11)
    assert "11/03/2025" in render_lines("vi", replies[0])


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
    assert replies[0].lines[0].params == {"quarter": "II", "year": 2025, "count": 1}
    replies = await conversation.handle(text("lan", "nhắc anh Minh"))
    assert msgids(replies) == [messages.REMINDED]
    assert replies[0].lines[0].params["name"] == "Phạm Văn Minh"
    replies = await conversation.handle(text("lan", "xong rồi"))
    assert msgids(replies) == [messages.NAME_THE_TASK]


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
