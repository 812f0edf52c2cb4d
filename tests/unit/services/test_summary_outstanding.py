"""What is outstanding: one count for the dashboard's figure and the chat's /tonghop."""

from models import TaskStatus
from services.tracking.queries import Summary


def test_outstanding_is_neither_done_nor_cancelled() -> None:
    summary = Summary(
        by_status={
            TaskStatus.OPEN: 2,
            TaskStatus.BLOCKED: 1,
            TaskStatus.AWAITING_DIRECTION: 1,
            TaskStatus.DONE: 3,
            TaskStatus.CANCELLED: 4,
        },
        by_unit=[],
        by_quarter=[],
        overdue=0,
    )
    assert summary.outstanding == 4
