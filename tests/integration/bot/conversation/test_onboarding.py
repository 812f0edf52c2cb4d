"""Onboarding through the conversation: a stranger is told where to go, an invite (deep link or
short code) binds a chat once, the office's invites carry the bot's link once its name is known."""

from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from models import ChannelIdentity, TaskEvent
from services.errors import InviteUsed
from services.messages import render_lines
from services.people.invites import create_invite
from tests.support.clock import FakeClock
from tests.support.conversing import bound, msgids, text, user
from tests.support.ward import Ward


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


async def test_lang_switches_per_officer(conversation: Conversation, ward: Ward) -> None:
    bound(ward)
    replies = await conversation.handle(text("minh", "/lang en"))
    assert msgids(replies) == [messages.LANGUAGE_SET]
    assert await conversation.locale_of(user("minh")) == "en"
    assert await conversation.locale_of(user("tuan")) == "vi"
    await conversation.handle(text("minh", "/ngonngu"))
    assert await conversation.locale_of(user("minh")) == "vi"
