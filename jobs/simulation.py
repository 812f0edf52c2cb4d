"""`dondoc simulate`: the admin's preview of what the bot will say, and a golden test.

The plan is imported into a throwaway in-memory database with one virtual officer per unit of
the ward (outside bodies get none), a chair and an admin, each bound to a recording channel;
then the real engine — `scan` and the `Dispatcher` — runs on a simulated clock that jumps from
one due moment to the next until the end date. Nobody answers, so every task runs its full
course. Every message sent is returned in order.

The JSON form (`SimulatedMessage.to_json`) is an interface: `{"at": local ISO date-time,
"recipient": name, "role": officer|chair|admin, "items": [{"kind": …, "task": code}], "text": the
message as sent}`.
"""

import asyncio
import hashlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import Session, SQLModel, col, select

from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from jobs.senders import RecordingSender
from models import (
    Channel,
    ChannelIdentity,
    Occurrence,
    Officer,
    Organization,
    Outbox,
    OutboxState,
    ReminderPolicy,
    Role,
    Unit,
    UnitKind,
)
from models.db import make_engine
from plans.isolation import draft_of_file
from services.clock import SteppedClock
from services.importing.imports import confirm_import
from services.messages import Digest
from services.people.officers import add_officer, office_actor
from services.people.organizations import create_organization
from services.reminding.reminders import scan

CHAIR_NAME = "Chủ tịch UBND"
ADMIN_NAME = "Quản trị Văn phòng"


@dataclass(frozen=True, slots=True)
class SimulatedMessage:
    """One message the engine sent."""

    at: datetime
    recipient: str
    role: str
    items: tuple[tuple[str, str | None], ...]
    text: str

    def to_json(self) -> dict[str, object]:
        """The interface form (see the module docstring)."""
        return {
            "at": self.at.replace(tzinfo=None).isoformat(timespec="minutes"),
            "recipient": self.recipient,
            "role": self.role,
            "items": [{"kind": kind, "task": task} for kind, task in self.items],
            "text": self.text,
        }


def officer_name(unit: str) -> str:
    """The virtual officer who stands for `unit`."""
    return f"Cán bộ ({unit})"


def simulate(path: Path, *, start: date, end: date, zone: ZoneInfo) -> list[SimulatedMessage]:
    """Every message the engine would send from `start` (the import, at midnight) to the end
    of `end`, for the plan in `path`."""
    return asyncio.run(_simulate(path, start=start, end=end, zone=zone))


async def _simulate(
    path: Path, *, start: date, end: date, zone: ZoneInfo
) -> list[SimulatedMessage]:
    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    clock = SteppedClock(datetime.combine(start, time(0, 0), tzinfo=zone), zone)
    finish = datetime.combine(end + timedelta(days=1), time(0, 0), tzinfo=zone)
    sender = RecordingSender()
    dispatcher = Dispatcher(JobRunner(engine), clock, {Channel.CONSOLE: sender}, batch=500)
    try:
        with Session(engine, expire_on_commit=False) as session:
            _set_up(session, clock, path)
            while (moment := _next_moment(session)) is not None and moment < finish:
                clock.move_to(max(moment, clock.now()))
                scan(session, clock)
                await dispatcher.run_until_idle()
            return _messages(session, sender, zone)
    finally:
        engine.dispose()


def _set_up(session: Session, clock: SteppedClock, path: Path) -> Organization:
    draft = draft_of_file(path)
    org = create_organization(session, clock, draft.plan.organization or "UBND phường")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    office = office_actor(session, clock, org, roles=(Role.ADMIN,), name=ADMIN_NAME, locale="vi")
    confirm_import(session, clock, office, draft, source_name=path.name, sha256=digest)
    units = session.exec(
        select(Unit)
        .where(Unit.organization_id == org.id, Unit.kind == UnitKind.BODY)
        .where(col(Unit.external).is_(False))
        .order_by(col(Unit.id))
    ).all()
    people = [add_officer(session, clock, office, CHAIR_NAME, role=Role.CHAIR)]
    people.append(add_officer(session, clock, office, ADMIN_NAME, role=Role.ADMIN))
    people += [
        add_officer(session, clock, office, officer_name(unit.name), unit_names=(unit.name,))
        for unit in units
    ]
    for officer in people:
        assert officer.id is not None
        session.add(
            ChannelIdentity(
                officer_id=officer.id,
                channel=Channel.CONSOLE,
                external_id=f"sim-{officer.id}",
                chat_id=f"sim-{officer.id}",
                bound_at=clock.now(),
            )
        )
    session.commit()
    return org


def _next_moment(session: Session) -> datetime | None:
    """The next instant anything is due: a reminder, a summary, or a message to send."""
    candidates = [
        session.execute(sa_select(func.min(col(Occurrence.next_reminder_at)))).scalar(),
        session.execute(sa_select(func.min(col(ReminderPolicy.next_summary_at)))).scalar(),
        session.execute(
            sa_select(func.min(col(Outbox.scheduled_for))).where(
                col(Outbox.state).in_([OutboxState.PENDING, OutboxState.FAILED])
            )
        ).scalar(),
    ]
    found = [moment for moment in candidates if moment is not None]
    return min(found) if found else None


def _messages(session: Session, sender: RecordingSender, zone: ZoneInfo) -> list[SimulatedMessage]:
    texts = {delivery.message_id: delivery.text for delivery in sender.deliveries}
    rows = session.exec(
        select(Outbox, Officer)
        .join(Officer, col(Officer.id) == Outbox.officer_id)
        .where(col(Outbox.state) == OutboxState.SENT)
        .order_by(col(Outbox.sent_at), col(Outbox.id))
    )
    messages = []
    for row, officer in rows:
        assert row.sent_at is not None
        assert row.platform_message_id is not None
        items = Digest.from_json(row.payload).items
        messages.append(
            SimulatedMessage(
                at=row.sent_at.astimezone(zone),
                recipient=officer.name,
                role=officer.role.value,
                items=tuple((item.kind, item.task) for item in items),
                text=texts[row.platform_message_id],
            )
        )
    return messages
