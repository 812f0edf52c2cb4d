"""/tonghop closes with the on-time rate of each unit and officer (the ward's emulation score)."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from bot.conversation import reporting
from bot.conversation.engine import Conversation
from bot.conversation.incoming import ChatUser, Incoming
from models import Channel, Occurrence
from services.messages import render_lines
from services.tracking.tasks import mark_done
from tests.support.clock import FakeClock
from tests.support.ward import Ward


@pytest.fixture
def conversation(engine: Engine, clock: FakeClock, tmp_path: Path) -> Conversation:
    return Conversation(engine, clock, evidence_dir=tmp_path, bot_username=None, wall=clock)


def _said(who: str, words: str) -> Incoming:
    return Incoming(user=ChatUser(channel=Channel.TELEGRAM, user_id=who, chat_id=who), text=words)


async def test_the_summary_ends_with_each_units_and_officers_on_time_rate(
    conversation: Conversation, session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.bind(ward.chair, user_id="lan")
    ward.bind(ward.officer("minh"), user_id="minh")
    on_time = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo tháng", due=date(2025, 2, 28))  # overdue on 03/03
    ward.task("3", "Đo đạc", unit=ward.dia_chinh, due=date(2025, 2, 20))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == on_time.id)).one()
    assert occurrence.id is not None
    mark_done(session, clock, ward.officer("minh"), occurrence.id, via=Channel.TELEGRAM)

    [reply] = await conversation.handle(_said("lan", "/tonghop"))

    text = render_lines("vi", reply)
    rates = text[text.index("🏆") :].splitlines()
    assert rates[1:] == [
        "• Công chức Văn hóa - Xã hội: 50% (1/2)",
        "• Công chức Địa chính - Xây dựng: 0% (0/1)",
        "👤 Theo cán bộ:",
        "• Phạm Văn Minh: 50% (1/2)",
        "• Đỗ Quang Tuấn: 0% (0/1)",
    ]
    [officer_reply] = await conversation.handle(_said("minh", "/tonghop"))
    assert reporting.RATES_TITLE not in [line.msgid for line in officer_reply.lines]
