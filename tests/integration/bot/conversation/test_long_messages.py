"""A message longer than its channel carries is read up to the limit, and the reply says so."""

from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.conversation.incoming import MAX_TEXT_CHARS, MESSAGE_CUT, ChatUser, Incoming
from models.enums import Channel
from tests.support.clock import FakeClock
from tests.support.ward import Ward


@pytest.fixture
def conversation(engine: Engine, clock: FakeClock, tmp_path: Path) -> Conversation:
    return Conversation(engine, clock, evidence_dir=tmp_path / "evidence")


@pytest.mark.parametrize("channel", [Channel.TELEGRAM, Channel.ZALO, Channel.WEB])
async def test_a_long_message_is_cut_with_a_reply_saying_so(
    conversation: Conversation, session: Session, clock: FakeClock, channel: Channel
) -> None:
    Ward.build(session, clock)
    limit = MAX_TEXT_CHARS[channel]
    stranger = ChatUser(channel=channel, user_id="999", chat_id="999")
    replies = await conversation.handle(Incoming(user=stranger, text="ngày mai " * limit))
    first = replies[0].lines[0]
    assert (first.msgid, dict(first.params)) == (MESSAGE_CUT, {"limit": limit})
    assert [line.msgid for reply in replies[1:] for line in reply.lines] == [messages.STRANGER]


async def test_a_message_within_the_limit_is_answered_as_it_is(
    conversation: Conversation, session: Session, clock: FakeClock
) -> None:
    Ward.build(session, clock)
    stranger = ChatUser(channel=Channel.TELEGRAM, user_id="999", chat_id="999")
    replies = await conversation.handle(Incoming(user=stranger, text="x" * 4096))
    assert [line.msgid for reply in replies for line in reply.lines] == [messages.STRANGER]
