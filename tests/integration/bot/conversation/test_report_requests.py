"""Asking for a report in chat: with two plans the bot asks which, with a kind of period but not
which one ("báo cáo 6 tháng") it asks which period, and no file is sent; the admin, like the
chair, gets the whole plan."""

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from sqlmodel import Session

from bot.conversation import reporting
from bot.conversation.engine import Conversation
from bot.conversation.incoming import ChatUser, Incoming
from models import Channel, Plan
from reports.workbook import HEADER_ROW
from services.messages import render_lines
from tests.support.clock import FakeClock
from tests.support.ward import Ward


@pytest.fixture
def conversation(engine: Engine, clock: FakeClock, tmp_path: Path) -> Conversation:
    return Conversation(engine, clock, evidence_dir=tmp_path, bot_username=None, wall=clock)


def _said(who: str, words: str) -> Incoming:
    return Incoming(user=ChatUser(channel=Channel.TELEGRAM, user_id=who, chat_id=who), text=words)


async def test_with_two_plans_the_chair_is_asked_which(
    conversation: Conversation, session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.bind(ward.chair, user_id="lan")
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    assert ward.org.id is not None
    session.add(
        Plan(
            organization_id=ward.org.id, title="Kế hoạch chuyển đổi số năm 2025",
            number="45/KH-UBND", years=[2025], source_name="cds.txt", sha256="c" * 64,
            imported_at=clock.now(),
        )
    )  # fmt: skip
    session.commit()

    [question] = await conversation.handle(_said("lan", "/baocao quý 1"))

    assert [line.msgid for line in question.lines] == [reporting.WHICH_PLAN]
    assert question.attachment is None
    text = render_lines("vi", question)
    assert "12/KH-UBND; 45/KH-UBND" in text
    assert "/baocao 12 quý 2" in text

    replies = await conversation.handle(_said("lan", "/baocao 45 quý 1"))
    assert [reply.attachment is not None for reply in replies] == [False, True, True, True]


async def test_a_period_named_but_not_which_is_asked_for(
    conversation: Conversation, session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.bind(ward.chair, user_id="lan")
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))

    [question] = await conversation.handle(_said("lan", "gửi báo cáo 6 tháng nhé"))

    assert [line.msgid for line in question.lines] == [reporting.WHICH_PERIOD]
    assert question.attachment is None
    assert "/baocao 6 tháng đầu năm 2025" in render_lines("vi", question)


async def test_the_admin_asking_in_words_gets_the_whole_plan(
    conversation: Conversation, session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.bind(ward.admin, user_id="ha")
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Đo đạc", unit=ward.dia_chinh, due=date(2025, 3, 20))

    figures, workbook = await conversation.handle(_said("ha", "xuất excel quý 1"))

    assert figures.attachment is None
    assert workbook.attachment is not None
    assert workbook.attachment.file_name == "tien-do-12-kh-ubnd-2025-Q1.xlsx"
    sheet = load_workbook(io.BytesIO(workbook.attachment.content)).worksheets[0]
    codes = [row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    assert codes == ["1", "2"]  # both units' rows: the admin sees the whole plan
