"""The chair's nudge: "nhắc Minh" queues a reminder now for each open task of that officer's
units, with its buttons. A write use case of its own: the queries it starts from
(`services/tracking/queries.py`) only read."""

from dataclasses import dataclass

from sqlmodel import Session

from locales import N_
from models import Officer, Organization, OutboxKind, TokenSubject
from services.access import issue_token, require_manager
from services.clock import Clock
from services.errors import EmptyName, OfficerNotFound
from services.messages import task_buttons
from services.people.officers import find_officer
from services.reminding.outbox import line, notify
from services.tracking.queries import items


@dataclass(frozen=True, slots=True)
class Nudged:
    """Whom `remind_now` reminded (their full name) and of how many tasks."""

    officer: str
    count: int


def remind_now(session: Session, clock: Clock, actor: Officer, officer_name: str) -> Nudged:
    """Queue a reminder now for each open occurrence of the named officer's units (chair and
    admins; a blank name is refused after that); says whom and how many."""
    require_manager(actor)
    if not officer_name.strip():
        raise EmptyName()
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    officer = find_officer(session, org, officer_name)
    work = items(session, officer)
    stamp = f"{clock.now():%Y%m%dT%H%M}"  # a key, not read by anyone
    for item in work:
        token = issue_token(
            session, clock, officer, TokenSubject.OCCURRENCE, occurrence_id=item.occurrence_id
        )
        notify(
            session,
            clock.now(),
            officer,
            key=f"{item.occurrence_id}:{stamp}",
            kind=OutboxKind.REMINDER,
            lines=[
                line(
                    N_("🔔 {chair} asks about task {code} “{title}” (due {due})."),
                    chair=actor.name,
                    code=item.code,
                    title=item.title,
                    due=item.due or "—",
                )
            ],
            buttons=task_buttons(token),
        )
    session.commit()
    return Nudged(officer=officer.name, count=len(work))


def remind_named(session: Session, clock: Clock, actor: Officer, words: str) -> Nudged | None:
    """`remind_now` for the officer the first words of `words` name ("Minh làm việc 3": the
    longest of three, two or one words that names one of the organization's people); None when
    they name nobody ("chiều nay")."""
    require_manager(actor)
    org = session.get_one(Organization, actor.organization_id)
    said = words.split()
    for size in (3, 2, 1):
        if len(said) < size:
            continue
        try:
            officer = find_officer(session, org, " ".join(said[:size]))
        except OfficerNotFound:
            continue
        return remind_now(session, clock, actor, officer.name)
    return None
