"""The demo ward: seed 000 through the real importer, one demo person per unit, a chair and an
admin, everyone labelled "(demo)", reachable on the web chat, and only into an empty database."""

from sqlmodel import Session, col, select

from models import Channel, ChannelIdentity, Occurrence, Officer, Role, Task
from services.clock import FakeClock
from services.importing.demo import load_demo_ward
from services.people.organizations import create_organization
from services.people.units import list_units


def test_an_empty_database_gets_the_demo_ward(session: Session, clock: FakeClock) -> None:
    ward = load_demo_ward(session, clock)

    assert ward is not None
    people = session.exec(select(Officer)).all()
    assert people
    assert all(p.is_demo and p.name.endswith("(demo)") for p in people)
    assert [p.role for p in people].count(Role.CHAIR) == 1
    assert [p.role for p in people].count(Role.ADMIN) == 1
    units = [u for u in list_units(session, ward.organization) if not u.external]
    assert all(u.officers for u in units)
    assert ward.tasks == len(session.exec(select(Task)).all()) == 11
    web = session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == Channel.WEB))
    assert len(web.all()) == len(people)


def test_the_demo_plan_is_scheduled_for_reminders(session: Session, clock: FakeClock) -> None:
    load_demo_ward(session, clock)

    planned = session.exec(
        select(Occurrence).where(col(Occurrence.next_reminder_at).is_not(None))
    ).all()

    assert planned
    assert all(o.next_reminder_at and o.next_reminder_at > clock.now() for o in planned)


def test_a_database_with_a_ward_is_left_alone(session: Session, clock: FakeClock) -> None:
    create_organization(session, clock, "Phường Tân Lập")

    assert load_demo_ward(session, clock) is None
    assert session.exec(select(Officer)).all() == []


def test_the_demo_ward_is_loaded_once(session: Session, clock: FakeClock) -> None:
    assert load_demo_ward(session, clock) is not None

    assert load_demo_ward(session, clock) is None
