"""Tasks to close, the same through the web, the chat and the command line
(`services/tracking/closing.py` and `task_list.occurrence_to_act_on` say which period closes):

- `quarterly_open`: task 5, "Hằng quý" led by Văn hóa - Xã hội, its four quarters of 2025 open;
- `revised_twice`: task 5 in the ward's plan, then the plan superseded by a revision that has a
  task 5 of its own (a revision moves its tasks; a plan superseded with one left holds it
  still): only the revision's task 5 is found by its code.
"""

from dataclasses import replace
from datetime import date

from sqlmodel import Session

from models import Plan, Task
from tests.support.reopening import QUARTERS
from tests.support.ward import Ward


def quarterly_open(ward: Ward) -> Task:
    """Task 5: four quarters of 2025, none done."""
    return ward.task("5", "Báo cáo quý", dues=QUARTERS, recurrence="quarterly")


def revised_twice(ward: Ward, session: Session) -> tuple[Task, Task]:
    """(the superseded plan's task 5, the revision's task 5), both led by Văn hóa - Xã hội."""
    old = ward.task("5", "Báo cáo cũ", due=date(2025, 3, 20))
    plan = Plan(
        organization_id=ward.org.id or 0,
        title="Kế hoạch công tác năm 2025 (sửa đổi)",
        number="15/KH-UBND",
        years=[2025],
        source_name="ke-hoach-2.txt",
        sha256=f"{ward.org.id:063d}2",
        imported_at=ward.clock.now(),
    )
    session.add(plan)
    session.commit()
    ward.plan.superseded_by_id = plan.id
    session.add(ward.plan)
    session.commit()
    new = replace(ward, plan=plan).task("5", "Báo cáo mới", due=date(2025, 3, 25))
    return old, new
