"""Which task a code names and which of its periods an undated act is about: one look-up
(`task_list.tasks_coded`, behind `find_task` and the chat's "việc 7") and one rule
(`task_list.occurrence_to_act_on`, behind `closing.close_task` and "việc 7 xong")."""

from sqlmodel import Session

from models import Channel, Task, TaskStatus
from services.tracking.closing import close_task
from services.tracking.task_list import find_task, occurrence_to_act_on, tasks_coded
from tests.support.clock import FakeClock
from tests.support.closing import quarterly_open, revised_twice
from tests.support.reopening import QUARTERS, periods
from tests.support.ward import Ward


def test_with_nothing_open_the_last_period_is_the_one_acted_on(
    session: Session, clock: FakeClock
) -> None:
    """As reopening reads "the last" (it used to be the first: a "done" said about a task all
    done was refused by its first quarter)."""
    ward = Ward.build(session, clock)
    task = quarterly_open(ward)
    for _ in QUARTERS:
        close_task(session, clock, ward.chair, task.id or 0, via=Channel.WEB)
    assert [o.status for o in periods(session, task)] == [TaskStatus.DONE] * 4
    assert occurrence_to_act_on(session, task).due == QUARTERS[-1]


def test_a_code_is_found_in_either_case_in_the_current_plans_only(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    letters = ward.task("2.1a", "Rà soát", due=QUARTERS[0])
    assert find_task(session, ward.chair, "2.1A").id == letters.id
    old, new = revised_twice(ward, session)
    assert [t.id for t in tasks_coded(session, ward.chair, " 5 ")] == [new.id]
    assert isinstance(old, Task)
