"""The demo ward a newcomer sees on `dondoc run` in an empty folder: a real plan (the 2025
administrative-reform plan of Phường Bắc Sơn) moved into the current year (the same text, its
years shifted) and imported through the real importer; a chair, an admin, and one demo officer
for each unit that leads a task, so that everyone in the picker has something to do. Every
person is marked `is_demo` and named "(demo)". `services.importing.demo_story` then plays the
ward's past up to today."""

import hashlib
import logging
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Final

from sqlmodel import Session, col, select

from models import AssignmentRole, Officer, Organization, Role, TaskAssignment, Unit, UnitKind
from plans.importer import import_plan
from services.clock import Clock, SteppedClock
from services.importing.demo_story import HISTORY_DAYS, Cast, plan_year, tell
from services.importing.imports import confirm_import, known_units
from services.people.officers import add_officer, office_actor
from services.people.organizations import create_organization
from services.people.web_auth import bind_web_chat

logger = logging.getLogger(__name__)

PLAN_FILE: Final = Path(__file__).with_name("demo_plan.txt")
PLAN_YEAR: Final = 2025
"""The year the demo plan was written for; its text moves by whole years from there."""
YEAR: Final = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
WARD_NAME: Final = "Phường Bắc Sơn (demo)"
CHAIR: Final = "Trần Thị Lan (demo)"
ADMIN: Final = "Lê Thu Hà (demo)"
ADMIN_UNIT: Final = "Công chức Văn phòng - Thống kê"
OFFICER_NAMES: Final = (
    "Phạm Văn Minh",
    "Nguyễn Thị Hoa",
    "Đỗ Quang Tuấn",
    "Vũ Thị Mai",
    "Hoàng Văn Nam",
    "Bùi Thị Thu",
    "Đặng Văn Hùng",
    "Ngô Thị Hằng",
    "Trịnh Văn Long",
    "Lý Thị Ngọc",
    "Phan Văn Đức",
    "Mai Thị Yến",
)


@dataclass(frozen=True, slots=True)
class DemoWard:
    """What the demo loader made."""

    organization: Organization
    tasks: int
    people: tuple[Officer, ...]


def shifted_plan(year: int) -> str:
    """The demo plan's text with every year moved so that the plan is the one of `year`."""
    delta = year - PLAN_YEAR
    text = PLAN_FILE.read_text(encoding="utf-8")
    return YEAR.sub(lambda found: str(int(found.group(0)) + delta), text)


def load_demo_ward(session: Session, clock: Clock, *, locale: str = "vi") -> DemoWard | None:
    """Fill an empty database with the demo ward, alive as of `clock`'s today, its people
    reading `locale`; nothing (None) when it holds any ward."""
    if session.exec(select(Organization.id)).first() is not None:
        return None
    now = clock.now().astimezone(clock.zone)
    year = plan_year(now.date())
    # The office imported the plan some months ago; everything after happens in the story.
    imported = SteppedClock(
        datetime.combine(now.date() - timedelta(days=HISTORY_DAYS), time(8, 0), tzinfo=clock.zone),
        clock.zone,
    )
    org = create_organization(session, imported, WARD_NAME)
    source_name = f"ke-hoach-cai-cach-hanh-chinh-{year}.txt"
    content = shifted_plan(year)
    with tempfile.TemporaryDirectory(prefix="dondoc-demo-") as folder:
        path = Path(folder) / source_name
        path.write_text(content, encoding="utf-8")
        draft = import_plan(path, known_units=known_units(session, org))
    office = office_actor(session, imported, org, roles=(Role.ADMIN,), name=ADMIN, locale=locale)
    outcome = confirm_import(
        session,
        imported,
        office,
        draft,
        source_name=source_name,
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
    )
    chair = add_officer(
        session, imported, office, CHAIR, role=Role.CHAIR, locale=locale, is_demo=True
    )
    people = [
        chair,
        add_officer(
            session,
            imported,
            office,
            ADMIN,
            unit_names=(ADMIN_UNIT,),
            role=Role.ADMIN,
            locale=locale,
            is_demo=True,
        ),
    ]
    officer_of_unit: dict[int, Officer] = {}
    leads = _lead_units(session, org)
    for name, (unit_id, unit_name) in zip(OFFICER_NAMES, _units_in_order(leads), strict=False):
        officer = add_officer(
            session,
            imported,
            office,
            f"{name} (demo)",
            unit_names=(unit_name,),
            locale=locale,
            is_demo=True,
        )
        officer_of_unit[unit_id] = officer
        people.append(officer)
    for person in people:
        bind_web_chat(session, imported, person)
    assert org.id is not None
    cast = Cast(
        chair=chair,
        officer_of={code: officer_of_unit[unit_id] for code, (unit_id, _name) in leads.items()},
    )
    tell(session, clock, org.id, cast)
    logger.info(
        "demo ward loaded: plan %d of %d, %d tasks, %d people",
        outcome.plan.id,
        year,
        len(draft.tasks) + len(draft.obligations),
        len(people),
    )
    return DemoWard(
        organization=org,
        tasks=len(draft.tasks) + len(draft.obligations),
        people=tuple(people),
    )


def _lead_units(session: Session, org: Organization) -> dict[str, tuple[int, str]]:
    """The unit leading each task of the demo plan (its first body unit), by task code."""
    from models import Task

    rows = session.exec(
        select(Task.code, Unit.id, Unit.name)
        .join(TaskAssignment, col(TaskAssignment.task_id) == Task.id)
        .join(Unit, col(Unit.id) == TaskAssignment.unit_id)
        .where(
            Unit.organization_id == org.id,
            TaskAssignment.role == AssignmentRole.LEAD,
            Unit.kind == UnitKind.BODY,
            col(Unit.external).is_(False),
        )
        .order_by(col(Task.position), col(TaskAssignment.id))
    ).all()
    leads: dict[str, tuple[int, str]] = {}
    for code, unit_id, name in rows:
        if unit_id is not None:
            leads.setdefault(code, (unit_id, name))
    return leads


def _units_in_order(leads: dict[str, tuple[int, str]]) -> list[tuple[int, str]]:
    """The lead units, the one with the most tasks first (its officer heads the picker)."""
    counts: dict[tuple[int, str], int] = {}
    for unit in leads.values():
        counts[unit] = counts.get(unit, 0) + 1
    return sorted(counts, key=lambda unit: (-counts[unit], unit[0]))
