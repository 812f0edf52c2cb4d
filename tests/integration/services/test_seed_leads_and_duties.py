"""Seeds 001 and 004 imported into a ward: the tasks led "Theo chỉ đạo của thành phố" wait for a
lead (the admins are asked, the dashboard's list holds them until assigned); the standing duties
of seed 004 are each unit's own tasks, listed to its officer, with a check-in before each
quarter's report that the policy turns off and on."""

from datetime import datetime
from pathlib import Path

from sqlmodel import Session, col, select

from models import Channel, Occurrence, Outbox, Role, Task
from plans.importer import import_plan
from services.importing.imports import confirm_import
from services.people.officers import add_officer
from services.people.units import get_unit
from services.reminding.policies import Cadence
from services.reminding.rules import set_policy
from services.tracking.handmade import assign
from services.tracking.queries import tasks_for
from services.tracking.task_list import awaiting_lead, find_task
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward, the_office


def _import(ward: Ward, data_dir: Path, prefix: str) -> None:
    draft = import_plan(next((data_dir / "seeds").glob(f"{prefix}_*.txt")))
    confirm_import(
        ward.session, ward.clock, ward.admin, draft, source_name=f"{prefix}.txt",
        sha256=prefix * 16,
    )  # fmt: skip


def test_tasks_under_the_citys_direction_wait_for_a_lead_until_assigned(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    _import(ward, data_dir, "001")
    waiting = {row.code for row in awaiting_lead(session, clock, ward.chair)}
    assert {"13", "15", "16", "17", "18"} <= waiting
    asked = [
        row
        for row in session.exec(select(Outbox).where(Outbox.officer_id == ward.admin.id))
        if "awaiting-lead:" in row.idempotency_key
    ]
    assert len(asked) == 1
    params = asked[0].payload["lines"][0]["params"]  # type: ignore[index]
    assert "16" in params["codes"]
    task = find_task(session, ward.chair, "16")
    assert task.id is not None
    assert ward.vhxh.id is not None
    assign(session, clock, ward.chair, task.id, unit_ids=[ward.vhxh.id], via=Channel.WEB)
    after = {row.code for row in awaiting_lead(session, clock, ward.chair)}
    assert after == waiting - {"16"}


def test_a_ward_without_an_admin_asks_its_chair_for_the_leads(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    ward.admin.active = False
    session.commit()
    office = the_office(session, clock, ward.org)  # no admin left: an unsaved one
    assert office.id is None
    draft = import_plan(next((data_dir / "seeds").glob("001_*.txt")))
    confirm_import(session, clock, office, draft, source_name="001.txt", sha256="1" * 64)
    asked = [
        row.officer_id
        for row in session.exec(select(Outbox))
        if "awaiting-lead:" in row.idempotency_key
    ]
    assert asked == [ward.chair.id]


def test_each_units_standing_duties_are_its_officers_and_checked_in_quarterly(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    draft = import_plan(next((data_dir / "seeds").glob("004_*.txt")))
    _import(ward, data_dir, "004")
    duties = session.exec(select(Task).where(col(Task.code).startswith("NV"))).all()
    assert len(duties) == sum(len(r.duties) for r in draft.responsibilities) == 11
    for number, item in enumerate(draft.responsibilities):
        unit = get_unit(session, ward.org, item.unit)
        officer = add_officer(
            session, clock, ward.admin, f"Cán bộ Số {number}", unit_names=(unit.name,),
            role=Role.OFFICER,
        )  # fmt: skip
        listed = [i.title for i in tasks_for(session, officer)]
        assert sorted(listed) == sorted(item.duties), item.unit

    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == duties[0].id)).one()
    checkin = datetime(2025, 5, 30, 7, 30, tzinfo=HCM)  # before the second quarter's report
    assert occurrence.next_reminder_at == checkin
    set_policy(session, clock, ward.admin, {"duty_checkin": Cadence.OFF})
    session.refresh(occurrence)
    assert occurrence.next_reminder_at is None
    set_policy(session, clock, ward.admin, {"duty_checkin": Cadence.QUARTERLY})
    session.refresh(occurrence)
    assert occurrence.next_reminder_at == checkin
