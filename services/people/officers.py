"""Officers: add one to a unit with a role (the office's: `add_officer` takes the person acting and
refuses anyone but an admin), find one by name (exactly, or as people say it), and list them."""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from sqlmodel import Session, col, select

from locales import N_
from models import Officer, OfficerUnit, Organization, Role, Unit
from plans.folding import fold
from services.access import require_admin, require_manager
from services.clock import Clock
from services.errors import (
    EmptyName,
    OfficerExists,
    OfficerNeedsUnit,
    OfficerNotFound,
    UnknownRole,
)
from services.people.units import get_unit

ROLE_NAMES: Final = {"officer": N_("officer"), "chair": N_("chair"), "admin": N_("admin")}
"""Each role as people read it (by `Role` value; shown translated) on the web and the command
line."""


def role_named(name: str) -> Role:
    """The role a form or a command line names (`officer`, `chair` or `admin`); `UnknownRole`
    for anything else, never a quiet default."""
    if name not in ROLE_NAMES:
        raise UnknownRole(role=name)
    return Role(name)


@dataclass(frozen=True, slots=True)
class OfficerView:
    """An officer as listed to people."""

    id: int
    name: str
    role: Role
    units: tuple[str, ...]
    phone: str | None
    active: bool


def add_officer(
    session: Session,
    clock: Clock,
    actor: Officer,
    name: str,
    *,
    unit_names: tuple[str, ...] = (),
    role: Role = Role.OFFICER,
    phone: str | None = None,
    locale: str = "vi",
    is_demo: bool = False,
) -> Officer:
    """Create an officer of the actor's organization, member of the named units (admins
    only): a plain officer must be given one (`OfficerNeedsUnit`); the chair and the admins may
    have none."""
    require_admin(actor)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    name = " ".join(name.split())
    if not name:
        raise EmptyName()
    if role is Role.OFFICER and not unit_names:
        raise OfficerNeedsUnit()
    units = [get_unit(session, org, unit_name) for unit_name in unit_names]
    existing = session.exec(
        select(Officer).where(Officer.organization_id == org.id, Officer.name == name)
    ).first()
    if existing is not None:
        raise OfficerExists(name=name)
    assert org.id is not None
    officer = Officer(
        organization_id=org.id,
        name=name,
        role=role,
        phone=phone,
        locale=locale,
        is_demo=is_demo,
        created_at=clock.now(),
    )
    session.add(officer)
    session.flush()
    assert officer.id is not None
    for unit in units:
        assert unit.id is not None
        session.add(OfficerUnit(officer_id=officer.id, unit_id=unit.id))
    session.commit()
    session.refresh(officer)
    return officer


def get_officer(session: Session, org: Organization, name: str) -> Officer:
    """The officer of `org` called `name`."""
    officer = session.exec(
        select(Officer).where(Officer.organization_id == org.id, Officer.name == name)
    ).first()
    if officer is None:
        raise OfficerNotFound(name=name)
    return officer


def find_officer(session: Session, org: Organization, name: str) -> Officer:
    """The officer of `org` a person means by `name`: the full name, or a part of it that names
    only one ("Minh", "anh Minh"), accents and case aside."""
    key = fold(name)
    for prefix in ("anh ", "chi ", "em ", "co ", "chu ", "ong ", "ba "):
        key = key.removeprefix(prefix)
    officers = session.exec(
        select(Officer).where(Officer.organization_id == org.id, col(Officer.active).is_(True))
    ).all()
    exact = [o for o in officers if fold(o.name) == key]
    if len(exact) == 1:
        return exact[0]
    partial = [o for o in officers if key and f" {key} " in f" {fold(o.name)} "]
    if len(partial) == 1:
        return partial[0]
    raise OfficerNotFound(name=name)


def officers_for(session: Session, actor: Officer) -> list[OfficerView]:
    """The officers of the actor's organization, for the chair and the admins (`NotAllowed`
    for anyone else): the chat's /canbo."""
    require_manager(actor)
    return list_officers(session, session.get_one(Organization, actor.organization_id))


def list_officers(session: Session, org: Organization) -> list[OfficerView]:
    """Every officer of `org` with their units, by name."""
    officers = session.exec(
        select(Officer).where(Officer.organization_id == org.id).order_by(Officer.name)
    ).all()
    units: dict[int, list[str]] = {}
    rows = session.exec(
        select(OfficerUnit.officer_id, Unit.name)
        .join(Unit, col(Unit.id) == OfficerUnit.unit_id)
        .where(col(OfficerUnit.officer_id).in_([o.id for o in officers]))
    )
    for officer_id, unit_name in rows:
        units.setdefault(officer_id, []).append(unit_name)
    return [
        OfficerView(
            id=o.id or 0,
            name=o.name,
            role=o.role,
            units=tuple(sorted(units.get(o.id or 0, []))),
            phone=o.phone,
            active=o.active,
        )
        for o in officers
    ]


def office_actor(
    session: Session,
    clock: Clock,
    org: Organization,
    *,
    roles: Sequence[Role],
    name: str,
    locale: str,
) -> Officer:
    """Who the office acts as at its own machine (the command line): its first active officer
    of `roles`, tried in order, else an unsaved admin called `name`, whose acts name no one."""
    for role in roles:
        found = session.exec(
            select(Officer)
            .where(
                Officer.organization_id == org.id,
                Officer.role == role,
                col(Officer.active).is_(True),
            )
            .order_by(col(Officer.id))
        ).first()
        if found is not None:
            return found
    assert org.id is not None
    return Officer(
        organization_id=org.id, name=name, role=Role.ADMIN, locale=locale, created_at=clock.now()
    )
