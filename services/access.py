"""Who is acting, and what they may see and do: every use case asks here first.

An officer acts on the tasks their units lead or coordinate (and on those assigned to them by
name or to "all units"); the chair and the admin on every task of their organization; nobody
sees another organization. "Not yours" reads as "not found", so nothing leaks.
"""

from sqlalchemy import ColumnElement, and_, or_
from sqlmodel import Session, col, select

from models import (
    Channel,
    ChannelIdentity,
    Occurrence,
    Officer,
    OfficerUnit,
    Plan,
    Role,
    Task,
    TaskAssignment,
    Unit,
    UnitKind,
)
from services.errors import AdminOnly, NotAllowed, OfficerNotFound, TaskNotFound

MANAGERS = frozenset((Role.CHAIR, Role.ADMIN))


def is_manager(actor: Officer) -> bool:
    """Whether `actor` sees the whole organization (the chair, the admins)."""
    return actor.role in MANAGERS and actor.active


def require_manager(actor: Officer) -> None:
    """Refuse anyone but the chair and the admins."""
    if not is_manager(actor):
        raise NotAllowed()


def require_admin(actor: Officer) -> None:
    """Refuse anyone but the admins."""
    if actor.role is not Role.ADMIN or not actor.active:
        raise AdminOnly()


def managers_of(session: Session, organization_id: int) -> list[Officer]:
    """The active chair(s) and admins of an organization, who hear of what its people do."""
    return list(
        session.exec(
            select(Officer)
            .where(
                Officer.organization_id == organization_id,
                col(Officer.role).in_(list(MANAGERS)),
                col(Officer.active).is_(True),
            )
            .order_by(col(Officer.id))
        )
    )


def admins_of(session: Session, organization_id: int) -> list[Officer]:
    """The organization's active admins (the chair when it has none)."""
    people = managers_of(session, organization_id)
    admins = [p for p in people if p.role is Role.ADMIN]
    return admins or [p for p in people if p.role is Role.CHAIR]


def unit_ids_of(session: Session, officer: Officer) -> list[int]:
    """The units `officer` belongs to."""
    return list(
        session.exec(select(OfficerUnit.unit_id).where(OfficerUnit.officer_id == officer.id))
    )


def visible_tasks(session: Session, actor: Officer) -> ColumnElement[bool]:
    """A condition on `Task` (joined to its `Plan`) that keeps the tasks `actor` may act on."""
    in_org = col(Plan.organization_id) == actor.organization_id
    if not actor.active:
        return and_(in_org, col(Task.id).is_(None))
    if is_manager(actor):
        return in_org
    everyone = select(Unit.id).where(
        Unit.organization_id == actor.organization_id, Unit.kind == UnitKind.ALL
    )
    assigned = select(TaskAssignment.task_id).where(
        or_(
            col(TaskAssignment.unit_id).in_(unit_ids_of(session, actor)),
            col(TaskAssignment.unit_id).in_(everyone),
            col(TaskAssignment.officer_id) == actor.id,
        )
    )
    return and_(in_org, col(Task.id).in_(assigned))


def identify(session: Session, channel: Channel, external_id: str) -> Officer | None:
    """Who is writing: the active officer this chat account is bound to, if any."""
    return session.exec(
        select(Officer)
        .join(ChannelIdentity, col(ChannelIdentity.officer_id) == Officer.id)
        .where(
            ChannelIdentity.channel == channel,
            ChannelIdentity.external_id == external_id,
            col(Officer.active).is_(True),
        )
    ).first()


def access_task(session: Session, actor: Officer, task_id: int) -> Task:
    """Task `task_id` if `actor` may act on it; `TaskNotFound` otherwise."""
    task = session.exec(
        select(Task)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(col(Task.id) == task_id, visible_tasks(session, actor))
    ).first()
    if task is None:
        raise TaskNotFound(ref=str(task_id))
    return task


def access_occurrence(
    session: Session, actor: Officer, occurrence_id: int
) -> tuple[Occurrence, Task]:
    """Occurrence `occurrence_id` and its task if `actor` may act on it; `TaskNotFound`
    otherwise."""
    row = session.exec(
        select(Occurrence, Task)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(col(Occurrence.id) == occurrence_id, visible_tasks(session, actor))
    ).first()
    if row is None:
        raise TaskNotFound(ref=str(occurrence_id))
    return row[0], row[1]


def access_officer(session: Session, actor: Officer, officer_id: int) -> Officer:
    """Officer `officer_id` of the actor's organization (managers only)."""
    require_manager(actor)
    officer = session.get(Officer, officer_id)
    if officer is None or officer.organization_id != actor.organization_id:
        raise OfficerNotFound(name=str(officer_id))
    return officer
