"""Organizations: create one, list them, and find the one a command is about."""

from sqlmodel import Session, col, select

from models import Officer, Organization, ReminderPolicy, Unit, UnitKind
from plans.units import ALL, RELATED
from services.access import require_admin
from services.clock import Clock
from services.errors import (
    EmptyName,
    NoOrganization,
    OrganizationExists,
    OrganizationNotFound,
    OrganizationRequired,
)


def office_of(session: Session, actor: Officer) -> Organization:
    """The organization `actor` runs as its office: what the office's pages (people, units, the
    policy, the calendar, the import) read, for an admin only (`AdminOnly` for anyone else, as
    the changes those pages send refuse them)."""
    require_admin(actor)
    return session.get_one(Organization, actor.organization_id)


def create_organization(session: Session, clock: Clock, name: str) -> Organization:
    """Create a ward with its default reminder policy and its two pseudo-units."""
    name = " ".join(name.split())
    if not name:
        raise EmptyName()
    if session.exec(select(Organization).where(Organization.name == name)).first():
        raise OrganizationExists(name=name)
    org = Organization(name=name, created_at=clock.now())
    session.add(org)
    session.flush()
    assert org.id is not None
    session.add(ReminderPolicy(organization_id=org.id))
    session.add(Unit(organization_id=org.id, name=ALL, kind=UnitKind.ALL))
    session.add(Unit(organization_id=org.id, name=RELATED, kind=UnitKind.RELATED))
    session.commit()
    session.refresh(org)
    return org


def organization_names(session: Session) -> list[str]:
    """The organizations' names, in order (`dondoc org list`)."""
    return list(session.exec(select(Organization.name).order_by(col(Organization.name))))


def resolve_organization(session: Session, name: str | None) -> Organization:
    """The organization named `name`, or the only one there is."""
    if name is not None:
        org = session.exec(select(Organization).where(Organization.name == name)).first()
        if org is None:
            raise OrganizationNotFound(name=name)
        return org
    orgs = session.exec(select(Organization).order_by(col(Organization.id)).limit(11)).all()
    if not orgs:
        raise NoOrganization()
    if len(orgs) > 1:
        raise OrganizationRequired(names=", ".join(o.name for o in orgs[:10]))
    return orgs[0]
