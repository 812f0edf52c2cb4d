"""The demo ward a newcomer sees on `dondoc run` in an empty folder: a real plan (the 2025
administrative-reform plan of Phường Bắc Sơn) imported through the real importer, one demo
officer per unit, a chair and an admin. Every person is marked `is_demo` and named "(demo)"."""

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlmodel import Session, select

from models import Officer, Organization, Role
from plans.importer import import_plan
from services.clock import Clock
from services.importing.imports import confirm_import, known_units
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.people.units import list_units
from services.people.web_auth import bind_web_chat

logger = logging.getLogger(__name__)

PLAN_FILE: Final = Path(__file__).with_name("demo_plan.txt")
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


def load_demo_ward(session: Session, clock: Clock) -> DemoWard | None:
    """Fill an empty database with the demo ward; nothing (None) when it holds any ward."""
    if session.exec(select(Organization.id)).first() is not None:
        return None
    org = create_organization(session, clock, WARD_NAME)
    content = PLAN_FILE.read_bytes()
    draft = import_plan(PLAN_FILE, known_units=known_units(session, org))
    outcome = confirm_import(
        session,
        clock,
        org,
        draft,
        source_name="ke-hoach-cai-cach-hanh-chinh-2025.txt",
        sha256=hashlib.sha256(content).hexdigest(),
    )
    people = [
        add_officer(session, clock, org, CHAIR, role=Role.CHAIR, is_demo=True),
        add_officer(
            session, clock, org, ADMIN, unit_names=(ADMIN_UNIT,), role=Role.ADMIN, is_demo=True
        ),
    ]
    units = [unit for unit in list_units(session, org) if not unit.external]
    for name, unit in zip(OFFICER_NAMES, units, strict=False):
        people.append(
            add_officer(
                session, clock, org, f"{name} (demo)", unit_names=(unit.name,), is_demo=True
            )
        )
    for person in people:
        bind_web_chat(session, clock, person)
    _plan_reminders(session, clock, org)
    logger.info(
        "demo ward loaded: plan %d, %d tasks, %d people",
        outcome.plan.id,
        len(draft.tasks) + len(draft.obligations),
        len(people),
    )
    return DemoWard(
        organization=org,
        tasks=len(draft.tasks) + len(draft.obligations),
        people=tuple(people),
    )


def _plan_reminders(session: Session, clock: Clock, org: Organization) -> None:
    """Let the reminder engine plan the demo's reminders, as after any import."""
    from services.reminding.reminders import reschedule_organization

    assert org.id is not None
    reschedule_organization(session, clock.now(), org.id)
    session.commit()
