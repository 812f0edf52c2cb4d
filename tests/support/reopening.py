"""Three tasks to reopen, the same through the web, the chat and the command line
(`services/tracking/reopening.py` says what reopening does to each):

- `quarterly_part_done`: task 5, "Hằng quý" led by Văn hóa - Xã hội and Địa chính; the first
  unit has finished its part of the first quarter, nothing else is done;
- `led_by_the_office`: task 6, led by Văn phòng (the admin Hà's unit) and Văn hóa - Xã hội, done
  by both;
- `cancelled_after_a_done_quarter`: task 7, its first quarter done, then cancelled.
"""

from datetime import date

from sqlmodel import Session, col, select

from models import Channel, Occurrence, Share, Task, TaskAssignment, TaskStatus
from services.clock import Clock
from services.tracking.handmade import cancel
from services.tracking.tasks import mark_done
from tests.support.ward import Ward

QUARTERS = (date(2025, 3, 31), date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31))


def quarterly_part_done(ward: Ward, session: Session, clock: Clock) -> Task:
    """Task 5: one unit of two has finished the first quarter."""
    task = ward.task(
        "5",
        "Báo cáo quý",
        leads=(ward.vhxh, ward.dia_chinh),
        dues=QUARTERS,
        recurrence="quarterly",
    )
    mark_done(session, clock, ward.chair, periods(session, task)[0].id or 0, via=Channel.WEB,
              unit_id=ward.vhxh.id)  # fmt: skip
    return task


def led_by_the_office(ward: Ward, session: Session, clock: Clock) -> Task:
    """Task 6: led by Văn phòng and Văn hóa - Xã hội, both done."""
    task = ward.task("6", "Tổng kết", leads=(ward.van_phong, ward.vhxh), due=date(2025, 3, 10))
    mark_done(session, clock, ward.chair, periods(session, task)[0].id or 0, via=Channel.WEB,
              whole=True)  # fmt: skip
    return task


def cancelled_after_a_done_quarter(ward: Ward, session: Session, clock: Clock) -> Task:
    """Task 7: its first quarter done, then the task cancelled."""
    task = ward.task("7", "Kiểm tra", dues=QUARTERS[:2], recurrence="quarterly")
    mark_done(session, clock, ward.chair, periods(session, task)[0].id or 0, via=Channel.WEB)
    cancel(session, clock, ward.chair, task.id or 0, reason="Trùng việc", via=Channel.WEB)
    return task


def periods(session: Session, task: Task) -> list[Occurrence]:
    """The task's occurrences by due date, as stored now."""
    session.expire_all()
    return list(
        session.exec(
            select(Occurrence).where(Occurrence.task_id == task.id).order_by(col(Occurrence.due))
        )
    )


def done_shares(session: Session, task: Task) -> list[tuple[date | None, int | None]]:
    """(due date, unit) of each done share of the task, as stored now."""
    session.expire_all()
    rows = session.exec(
        select(col(Occurrence.due), col(TaskAssignment.unit_id))
        .join(Share, col(Share.occurrence_id) == Occurrence.id)
        .join(TaskAssignment, col(TaskAssignment.id) == Share.assignment_id)
        .where(Occurrence.task_id == task.id, Share.status == TaskStatus.DONE)
        .order_by(col(Occurrence.due), col(TaskAssignment.unit_id))
    )
    return [(due, unit_id) for due, unit_id in rows]


def statuses(session: Session, task: Task) -> tuple[TaskStatus, list[TaskStatus]]:
    """The task's status and its periods', as stored now."""
    session.expire_all()
    stored = session.get_one(Task, task.id)
    return stored.status, [o.status for o in periods(session, task)]
