"""The ward builder reads like the office: its people, units and tasks are where tests expect."""

from datetime import date

from sqlmodel import Session, select

from models import Occurrence, OfficerUnit, Role
from tests.support.clock import FakeClock
from tests.support.ward import Ward


def test_ward_has_its_people_in_their_units(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    assert ward.chair.role is Role.CHAIR
    assert ward.admin.role is Role.ADMIN
    minh = ward.officer("minh")
    units = session.exec(select(OfficerUnit.unit_id).where(OfficerUnit.officer_id == minh.id))
    assert list(units) == [ward.vhxh.id]


def test_recurring_task_has_one_occurrence_per_due(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    dues = (date(2025, 3, 31), date(2025, 6, 30))
    task = ward.task("2", "Báo cáo quý", dues=dues, recurrence="quarterly")
    rows = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).all()
    assert sorted(o.due for o in rows if o.due is not None) == list(dues)
