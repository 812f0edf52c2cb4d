"""The tasks awaiting a lead unit (the dashboard's list) are those the task list marks so: open,
of a current plan, led by no unit yet; read without the others."""

from datetime import date

from sqlmodel import Session

from models import AssignmentRole, Occurrence, Task, TaskAssignment, TaskStatus
from services.tracking.task_list import ListStatus, awaiting_lead, list_tasks
from tests.support.clock import FakeClock
from tests.support.ward import Ward


def _unled(ward: Ward, code: str, *, status: TaskStatus = TaskStatus.OPEN) -> Task:
    assert ward.plan.id is not None
    task = Task(
        plan_id=ward.plan.id,
        code=code,
        position=100 + int(code),
        title=f"Việc {code} chưa có đơn vị chủ trì",
        deadline_text="",
        deadline_kind="unrecognised",
        status=status,
    )
    ward.session.add(task)
    ward.session.flush()
    assert task.id is not None
    ward.session.add(Occurrence(task_id=task.id, due=None, status=status))
    ward.session.commit()
    return task


def test_only_open_tasks_without_a_lead_are_awaiting_one(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    waiting = _unled(ward, "2")
    _unled(ward, "3", status=TaskStatus.DONE)
    coordinated = _unled(ward, "4")
    assert coordinated.id is not None
    session.add(
        TaskAssignment(
            task_id=coordinated.id, unit_id=ward.dia_chinh.id, role=AssignmentRole.COORDINATOR
        )
    )
    session.commit()
    other = Ward.build(session, clock, name="Phường Đông Hải")
    _unled(other, "5")

    found = awaiting_lead(session, clock, ward.chair)

    assert [row.code for row in found] == [waiting.code, coordinated.code]
    assert found == [
        row
        for row in list_tasks(session, clock, ward.chair, status=ListStatus.OPEN)
        if row.awaiting_lead
    ]
