"""Seed 002 in a ward: one unit's "xong" is recorded as its part of a task led by all units; the
chair's answer says how many units are done and which remain; the unit's own list no longer
holds the task it has finished, the other units' still do."""

from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from bot.conversation.engine import Conversation
from models import Channel, Outbox, TaskAssignment
from plans.importer import import_plan
from services.errors import TaskCancelled
from services.importing.imports import confirm_import
from services.messages import render_lines
from services.tracking.extensions import request_extension
from services.tracking.handmade import cancel
from services.tracking.queries import tasks_for
from services.tracking.task_list import awaiting_lead, find_task, occurrence_to_act_on
from tests.support.clock import FakeClock
from tests.support.conversing import bound, msgids, text
from tests.support.ward import Ward


async def test_one_units_done_is_its_part_and_the_chair_sees_which_remain(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, data_dir: Path
) -> None:
    bound(ward)
    draft = import_plan(next((data_dir / "seeds").glob("002_*.txt")))
    confirm_import(session, clock, ward.admin, draft, source_name="002.txt", sha256="c" * 64)
    led_by_all = [t.code for t in draft.tasks if "@all" in t.lead]
    assert "1.3" in led_by_all
    minh, tuan = ward.officer("minh"), ward.officer("tuan")
    assert {i.code for i in tasks_for(session, minh)} >= set(led_by_all)

    replies = await conversation.handle(text("minh", "việc 1.3 xong rồi"))
    assert msgids(replies)[0].startswith("✅ Your unit's part of task {code}")
    said = render_lines("vi", replies[0])
    assert "đơn vị đã xong" in said

    replies = await conversation.handle(text("lan", "việc 1.3 đã xong chưa?"))
    shown = render_lines("vi", replies[0])
    summary = next(line for line in shown.splitlines() if "đơn vị đã xong; còn lại:" in line)
    assert summary.startswith("1/")
    assert ward.dia_chinh.name in summary
    assert ward.vhxh.name not in summary
    row = next(t for t in draft.tasks if t.code == "1.3")
    assert "🎯 Yêu cầu: " + str(row.requirement) in shown  # the target column
    assert f"📄 Trong kế hoạch: chủ trì “{row.lead_text}”" in shown  # the row as printed

    assert "1.3" not in {i.code for i in tasks_for(session, minh)}  # his unit's part is done
    assert "1.3" in {i.code for i in tasks_for(session, tuan)}
    assert "1.3" in {i.code for i in tasks_for(session, ward.chair)}  # the task is still open

    replies = await conversation.handle(text("minh", "việc 1.3 xong rồi"))
    assert msgids(replies) == [
        "{unit}'s part of task {ref} is already done; the other units' is not."
    ]


def test_a_cancelled_task_takes_no_extension_request(
    ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("3", "Tổ chức lễ hội", due=date(2025, 3, 20))
    assert task.id is not None
    cancel(session, clock, ward.chair, task.id, reason="Trùng", via=Channel.WEB)
    occurrence = occurrence_to_act_on(session, find_task(session, ward.chair, "3"))
    assert occurrence.id is not None
    with pytest.raises(TaskCancelled):
        request_extension(
            session, clock, ward.officer("minh"), occurrence.id, until=date(2025, 4, 30),
            reason="Chờ kinh phí", via=Channel.WEB,
        )  # fmt: skip


async def test_the_office_gives_a_task_awaiting_a_lead_its_unit_in_chat(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    bound(ward)
    task = ward.task("16", "Triển khai theo chỉ đạo của thành phố", due=date(2025, 12, 31))
    for assignment in session.exec(
        select(TaskAssignment).where(TaskAssignment.task_id == task.id)
    ):
        session.delete(assignment)
    session.commit()
    assert [row.code for row in awaiting_lead(session, clock, ward.admin)] == ["16"]
    replies = await conversation.handle(text("ha", "/giaolai 16 CCVHXH"))
    assert ward.vhxh.name in render_lines("vi", replies[0])
    session.expire_all()
    assert awaiting_lead(session, clock, ward.admin) == []
    minh = ward.officer("minh")
    told = session.exec(select(Outbox).where(Outbox.officer_id == minh.id)).all()
    assert any("16" in str(row.payload) for row in told)
