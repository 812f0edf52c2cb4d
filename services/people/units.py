"""Units and their aliases: add, list, teach an alias, find by any printed form. Adding a unit
and teaching an alias are the office's: they take the person acting and refuse anyone but an
admin."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from sqlmodel import Session, col, select

from locales import N_
from models import Officer, OfficerUnit, Organization, Unit, UnitAlias, UnitKind
from plans.folding import fold
from plans.units import ALL, RELATED
from services.access import require_admin, require_manager
from services.errors import AliasTaken, EmptyName, UnitExists, UnitNotFound
from services.tracking.shares import give_unit_its_shares

SPECIAL_UNITS: Final = {ALL: N_("all units"), RELATED: N_("the officers concerned")}
"""How people say the pseudo-units a plan names without naming anyone (shown translated)."""


def unit_words(name: str, translate: Callable[[str], str]) -> str:
    """A unit as people say it: the pseudo-units ("@all", "@related") in the reader's words
    (`translate` turns a msgid into them), any other unit by its name."""
    special = SPECIAL_UNITS.get(name)
    return name if special is None else translate(special)


@dataclass(frozen=True, slots=True)
class UnitView:
    """A unit as listed to people."""

    id: int
    name: str
    aliases: tuple[str, ...]
    external: bool
    officers: tuple[str, ...]


def find_unit(session: Session, org: Organization, name: str) -> Unit | None:
    """The body unit whose name or alias folds to the same key as `name`."""
    key = fold(name)
    for unit in _body_units(session, org):
        if fold(unit.name) == key:
            return unit
    alias = session.exec(
        select(UnitAlias).where(UnitAlias.organization_id == org.id, UnitAlias.folded == key)
    ).first()
    return session.get(Unit, alias.unit_id) if alias is not None else None


def get_unit(session: Session, org: Organization, name: str) -> Unit:
    """Like `find_unit`, refusing an unknown name."""
    unit = find_unit(session, org, name)
    if unit is None:
        raise UnitNotFound(name=name)
    return unit


def unit_ids_named(session: Session, actor: Officer, names: list[str]) -> list[int]:
    """The units of the actor's organization that `names` name, in order (`UnitNotFound` for
    an unknown one): the units a form or a command line names."""
    org = session.get_one(Organization, actor.organization_id)
    return [get_unit(session, org, name).id or 0 for name in names]


def add_unit(
    session: Session,
    actor: Officer,
    name: str,
    *,
    aliases: tuple[str, ...] = (),
    external: bool = False,
) -> Unit:
    """Create a unit of the actor's organization with its aliases (admins only)."""
    require_admin(actor)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    assert org.id is not None
    name = " ".join(name.split())
    if not name:
        raise EmptyName()
    if find_unit(session, org, name) is not None:
        raise UnitExists(name=name)
    unit = Unit(organization_id=org.id, name=name, external=external)
    session.add(unit)
    session.flush()
    for alias in aliases:
        _add_alias(session, org, unit, alias)
    give_unit_its_shares(session, unit)  # its part of every open task led by "all units"
    session.commit()
    session.refresh(unit)
    return unit


def teach_alias(session: Session, actor: Officer, alias: str, unit_name: str) -> Unit:
    """Record that `alias` means the unit `unit_name` of the actor's organization; later imports
    match it (admins only)."""
    require_admin(actor)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    unit = get_unit(session, org, unit_name)
    if find_unit(session, org, alias) is unit:
        return unit
    _add_alias(session, org, unit, alias)
    session.commit()
    return unit


def units_for(session: Session, actor: Officer) -> list[UnitView]:
    """The units of the actor's organization, for the chair and the admins (`NotAllowed` for
    anyone else): the chat's /donvi."""
    require_manager(actor)
    return list_units(session, session.get_one(Organization, actor.organization_id))


def list_units(session: Session, org: Organization) -> list[UnitView]:
    """Every body unit of `org`, with its aliases and officers, by name."""
    units = _body_units(session, org)
    ids = [u.id for u in units]
    aliases: dict[int, list[str]] = {}
    for row in session.exec(select(UnitAlias).where(col(UnitAlias.unit_id).in_(ids))):
        aliases.setdefault(row.unit_id, []).append(row.alias)
    members: dict[int, list[str]] = {}
    rows = session.exec(
        select(OfficerUnit.unit_id, Officer.name)
        .join(Officer, col(Officer.id) == OfficerUnit.officer_id)
        .where(col(OfficerUnit.unit_id).in_(ids))
    )
    for unit_id, officer_name in rows:
        members.setdefault(unit_id, []).append(officer_name)
    return [
        UnitView(
            id=u.id or 0,
            name=u.name,
            aliases=tuple(sorted(aliases.get(u.id or 0, []))),
            external=u.external,
            officers=tuple(sorted(members.get(u.id or 0, []))),
        )
        for u in sorted(units, key=lambda u: fold(u.name))
    ]


def _body_units(session: Session, org: Organization) -> list[Unit]:
    return list(
        session.exec(
            select(Unit).where(Unit.organization_id == org.id, Unit.kind == UnitKind.BODY)
        )
    )


def _add_alias(session: Session, org: Organization, unit: Unit, alias: str) -> None:
    alias = " ".join(alias.split())
    if not alias:
        raise EmptyName()
    other = find_unit(session, org, alias)
    if other is not None and other.id != unit.id:
        raise AliasTaken(alias=alias, unit=other.name)
    assert org.id is not None
    assert unit.id is not None
    session.add(
        UnitAlias(organization_id=org.id, unit_id=unit.id, alias=alias, folded=fold(alias))
    )
    session.flush()
