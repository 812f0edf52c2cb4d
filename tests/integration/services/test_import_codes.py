"""Whatever previews stores: restarted numbering, and dates the calendar cannot place."""

from dataclasses import replace
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from models import Plan, Task
from plans.importer import import_plan
from plans.readers.errors import DateBeyondCalendar
from plans.source import RawRow
from plans.storable import BEYOND_CALENDAR
from services.importing.imports import confirm_import
from services.people.organizations import create_organization
from tests.support.clock import FakeClock
from tests.support.plan_rendering import write_xlsx
from tests.support.plan_tables import seed_tables
from tests.support.ward import the_office


def test_a_plan_numbered_again_under_each_section_is_stored(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    rows = tuple(
        RawRow(
            code=str(number),
            title=f"Nhiệm vụ thứ {index} của lĩnh vực {section}",
            section=f"{section}. LĨNH VỰC {section}",
            lead_text="Văn phòng HĐND và UBND",
            deadline_text="Quý II/2025",
        )
        for section in ("I", "II")
        for index, number in enumerate((1, 2, 2))
    )
    path = tmp_path / "plan.xlsx"
    write_xlsx(replace(seed_tables()[2], name="restarted", rows=rows), path)
    draft = import_plan(path)
    previewed = [task.code for task in draft.tasks]
    assert previewed == ["I.1", "I.2", "I.2b", "II.1", "II.2", "II.2b"]
    org = create_organization(session, clock, "Phường Bắc Sơn")
    outcome = confirm_import(
        session,
        clock,
        the_office(session, clock, org),
        draft,
        source_name=path.name,
        sha256="c" * 64,
    )
    stored = session.exec(
        select(Task.code).where(Task.plan_id == outcome.plan.id).order_by(col(Task.position))
    ).all()
    assert list(stored) == previewed


def test_a_plan_dated_in_year_9999_previews_its_rows_flagged_and_is_refused_on_confirmation(
    session: Session, clock: FakeClock, tmp_path: Path, data_dir: Path
) -> None:
    seed = next((data_dir / "seeds").glob("001_*.txt"))
    path = tmp_path / "plan.txt"
    path.write_text(seed.read_text("utf-8").replace("2025", "9999"), "utf-8")
    draft = import_plan(path)
    assert any(BEYOND_CALENDAR in task.flags for task in draft.tasks)
    org = create_organization(session, clock, "Phường Bắc Sơn")
    with pytest.raises(DateBeyondCalendar):
        confirm_import(
            session, clock, the_office(session, clock, org), draft, source_name=path.name,
            sha256="d" * 64,
        )  # fmt: skip
    session.rollback()
    assert session.exec(select(Plan)).all() == []
