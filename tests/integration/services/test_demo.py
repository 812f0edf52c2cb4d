"""The demo ward: the real plan moved into the current year through the real importer, a chair,
an admin and an officer for each unit that leads a task, everyone labelled "(demo)", reachable
on the web chat, and only into an empty database; alive on whatever day it is loaded: tasks
done, in progress, due this week and late by days, and messages with buttons waiting for the
first officer of the picker and for the chair."""

from datetime import date, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from models import (
    Channel,
    ChannelIdentity,
    Occurrence,
    Officer,
    Outbox,
    OutboxKind,
    OutboxState,
    Plan,
    Role,
    Task,
    TaskStatus,
)
from services.importing.demo import load_demo_ward
from services.people.organizations import create_organization
from services.people.web_auth import demo_people
from services.reminding.policies import calendar_for
from services.tracking.queries import tasks_for
from tests.support.clock import HCM, FakeClock

# Days of every kind: a Friday morning, a Monday before the send time, a Sunday, a day of the
# new year's first weeks, mid-year, and the last day of a year.
DAYS = [
    datetime(2026, 12, 4, 10, 0, tzinfo=HCM),
    datetime(2027, 3, 15, 6, 0, tzinfo=HCM),
    datetime(2027, 5, 16, 20, 0, tzinfo=HCM),
    datetime(2027, 1, 11, 9, 0, tzinfo=HCM),
    datetime(2027, 8, 19, 15, 0, tzinfo=HCM),
    datetime(2030, 12, 31, 16, 0, tzinfo=HCM),
]


@pytest.fixture(params=DAYS, ids=lambda day: day.strftime("%Y-%m-%d-%a"))
def today(request: pytest.FixtureRequest) -> FakeClock:
    return FakeClock(request.param)


def _today(clock: FakeClock) -> date:
    return clock.now().astimezone(HCM).date()


def test_an_empty_database_gets_the_demo_ward(session: Session, clock: FakeClock) -> None:
    ward = load_demo_ward(session, clock)

    assert ward is not None
    people = session.exec(select(Officer)).all()
    assert all(p.is_demo and p.name.endswith("(demo)") for p in people)
    assert [p.role for p in people].count(Role.CHAIR) == 1
    assert [p.role for p in people].count(Role.ADMIN) == 1
    assert ward.tasks == len(session.exec(select(Task)).all()) == 11
    web = session.exec(select(ChannelIdentity).where(ChannelIdentity.channel == Channel.WEB))
    assert len(web.all()) == len(people)


def test_the_plan_is_the_one_of_the_current_year_with_the_same_phrases(
    session: Session, today: FakeClock
) -> None:
    load_demo_ward(session, today)
    year = _today(today).year

    plan = session.exec(select(Plan)).one()
    deadlines = {t.code: t.deadline_text for t in session.exec(select(Task))}
    assert plan.years == [year]
    assert plan.title == f"Kế hoạch cải cách hành chính phường Bắc Sơn năm {year}"
    assert deadlines["1"] == f"Quý I/{year}"
    assert deadlines["6"] == f"Quý III/{year - 1}"
    assert deadlines["11"] == f"Năm {year}"


def test_every_demo_person_has_something_to_do_or_to_watch(
    session: Session, today: FakeClock
) -> None:
    load_demo_ward(session, today)

    for person in demo_people(session):
        officer = session.get_one(Officer, person.id)
        assert tasks_for(session, officer), person.name


def test_everyone_in_the_picker_finds_a_message_with_buttons(
    session: Session, today: FakeClock
) -> None:
    """Not an empty chat: a reminder, a request to decide, or, for an officer whose tasks are
    weeks away or blocked, a welcome naming them with the most urgent one's buttons."""
    load_demo_ward(session, today)

    for person in demo_people(session):
        waiting = session.exec(
            select(Outbox).where(
                Outbox.officer_id == person.id, Outbox.state == OutboxState.PENDING
            )
        ).all()
        assert waiting, person.name
        assert all(row.scheduled_for <= today.now() for row in waiting)
        assert any(
            row.kind is OutboxKind.DIGEST or row.payload.get("buttons") for row in waiting
        ), person.name


def test_the_ward_is_alive_on_any_day(session: Session, today: FakeClock) -> None:
    ward = load_demo_ward(session, today)
    assert ward is not None
    day = _today(today)
    calendar = calendar_for(session, ward.organization.id or 0)

    occurrences = session.exec(select(Occurrence)).all()
    progress = {t.id: t.progress for t in session.exec(select(Task))}
    open_ = [o for o in occurrences if o.status is TaskStatus.OPEN and o.due is not None]
    late = [calendar.working_days_between(o.due, day) for o in open_ if o.due and o.due < day]
    assert any(o.status is TaskStatus.DONE for o in occurrences)
    assert any(progress[o.task_id] > 0 for o in open_)
    assert any(o.status is TaskStatus.BLOCKED for o in occurrences)
    assert late, "some task is late"
    assert all(1 <= days <= 5 for days in late), late  # by days, never by months
    if day.month >= 7:  # once a quarter's deadline has passed, one is due this week
        week_end = day + timedelta(days=6 - day.weekday())
        assert any(day <= o.due <= week_end for o in open_ if o.due)


def _waiting(session: Session, officer_id: int, kind: OutboxKind) -> list[Outbox]:
    return list(
        session.exec(
            select(Outbox).where(
                Outbox.officer_id == officer_id,
                Outbox.kind == kind,
                Outbox.state == OutboxState.PENDING,
            )
        )
    )


def test_the_first_officer_of_the_picker_has_a_reminder_with_buttons_waiting(
    session: Session, today: FakeClock
) -> None:
    load_demo_ward(session, today)
    first = next(p for p in demo_people(session) if p.role is Role.OFFICER)

    digests = _waiting(session, first.id, OutboxKind.DIGEST)

    assert len(digests) == 1  # one message for the moment, however many tasks it names
    items = digests[0].payload["items"]
    assert isinstance(items, list)
    assert any(item.get("token") for item in items)
    assert digests[0].scheduled_for <= today.now()


def test_the_chair_has_a_request_with_buttons_waiting(session: Session, today: FakeClock) -> None:
    load_demo_ward(session, today)
    chair = session.exec(select(Officer).where(Officer.role == Role.CHAIR)).one()

    notices = _waiting(session, chair.id or 0, OutboxKind.NOTICE)

    assert len(notices) == 1
    assert notices[0].payload["buttons"]
    assert notices[0].scheduled_for <= today.now()


def test_nothing_from_the_past_is_sent_again(session: Session, today: FakeClock) -> None:
    load_demo_ward(session, today)

    waiting = session.exec(select(Outbox).where(Outbox.state == OutboxState.PENDING)).all()
    people = {row.officer_id for row in waiting}
    # Each person: at most today's digest and the extension request (chair and admin).
    assert len(waiting) <= 2 * len(people)
    moments = [(row.officer_id, row.kind, row.scheduled_for) for row in waiting]
    assert len(moments) == len(set(moments))


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


def test_the_demo_people_read_the_configured_locale(session: Session, clock: FakeClock) -> None:
    load_demo_ward(session, clock, locale="en")

    assert {p.locale for p in session.exec(select(Officer)).all()} == {"en"}
