"""Shares: each lead unit's own part of a task (one `Share` per lead assignment and occurrence).

- A task led by several units (or by "all units", expanded into one lead per body unit) is done
  when every lead share is; coordinators never hold it open.
- `ensure_shares` gives occurrences the shares they lack (rows made before shares existed, or
  a lead added since); `settle` derives the occurrence's, the assignment's and the task's
  status from the shares. Neither commits: the use case that changed something does.
- `shares_of` says, per task, who leads and coordinates and how far each lead unit is.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from models import (
    CLOSED_STATUSES,
    AssignmentRole,
    Occurrence,
    Officer,
    Plan,
    Share,
    Task,
    TaskAssignment,
    TaskStatus,
    Unit,
    UnitKind,
)
from services.errors import AlreadyDone, ShareAlreadyDone


@dataclass(frozen=True, slots=True)
class UnitShare:
    """One unit's part in a task, as people read it."""

    assignment_id: int
    unit: str
    role: AssignmentRole
    status: TaskStatus
    progress: int
    done_at: datetime | None

    @property
    def is_done(self) -> bool:
        """Whether this lead unit has finished its part."""
        return self.status is TaskStatus.DONE


@dataclass(frozen=True, slots=True)
class Part:
    """A share of one occurrence with the assignment it belongs to."""

    share: Share
    assignment: TaskAssignment


def part_name(session: Session, part: Part) -> str:
    """The name of the unit (or the officer, led by name) whose share `part` is."""
    if part.assignment.unit_id is not None:
        unit = session.get(Unit, part.assignment.unit_id)
        if unit is not None:
            return unit.name
    if part.assignment.officer_id is not None:
        officer = session.get(Officer, part.assignment.officer_id)
        if officer is not None:
            return officer.name
    return "?"


def done_already(
    session: Session, task: Task, occurrence: Occurrence, chosen: list[Part], parts: list[Part]
) -> AlreadyDone:
    """The refusal of an act on shares already done: the unit's own when others are not."""
    if len(parts) > 1 and occurrence.status is not TaskStatus.DONE:
        units = ", ".join(part_name(session, p) for p in chosen)
        return ShareAlreadyDone(ref=task.code, unit=units)
    return AlreadyDone(ref=task.code)


def body_unit_ids(session: Session, org_id: int) -> list[int]:
    """The units "all units" stands for: every body unit of the organization that is not
    external."""
    rows = session.exec(
        select(Unit.id)
        .where(
            Unit.organization_id == org_id,
            Unit.kind == UnitKind.BODY,
            col(Unit.external).is_(False),
        )
        .order_by(col(Unit.id))
    ).all()
    return [unit_id for unit_id in rows if unit_id is not None]


def ensure_shares(session: Session, occurrences: Iterable[Occurrence]) -> dict[int, list[Part]]:
    """Each occurrence's shares, one per lead assignment of its task, creating those missing
    (in the occurrence's state); flushes, no commit."""
    wanted = [o for o in occurrences if o.id is not None]
    if not wanted:
        return {}
    task_ids = sorted({o.task_id for o in wanted})
    leads: dict[int, list[TaskAssignment]] = {}
    for assignment in session.exec(
        select(TaskAssignment)
        .where(
            col(TaskAssignment.task_id).in_(task_ids),
            TaskAssignment.role == AssignmentRole.LEAD,
        )
        .order_by(col(TaskAssignment.id))
    ):
        leads.setdefault(assignment.task_id, []).append(assignment)
    existing: dict[tuple[int, int], Share] = {}
    ids = [o.id for o in wanted if o.id is not None]
    for start in range(0, len(ids), 500):
        for share in session.exec(
            select(Share).where(col(Share.occurrence_id).in_(ids[start : start + 500]))
        ):
            existing[(share.occurrence_id, share.assignment_id)] = share
    parts: dict[int, list[Part]] = {}
    for occurrence in wanted:
        assert occurrence.id is not None
        found = parts.setdefault(occurrence.id, [])
        for assignment in leads.get(occurrence.task_id, []):
            assert assignment.id is not None
            stored = existing.get((occurrence.id, assignment.id))
            if stored is None:
                created = _new_share(occurrence, assignment)
                session.add(created)
                found.append(Part(created, assignment))
            else:
                found.append(Part(stored, assignment))
    session.flush()
    return parts


def _new_share(occurrence: Occurrence, assignment: TaskAssignment) -> Share:
    assert occurrence.id is not None
    assert assignment.id is not None
    status = occurrence.status
    if status not in CLOSED_STATUSES and status is not TaskStatus.BLOCKED:
        status = TaskStatus.OPEN
    return Share(
        occurrence_id=occurrence.id,
        assignment_id=assignment.id,
        status=status,
        done_at=occurrence.done_at if status is TaskStatus.DONE else None,
    )


def settle(session: Session, task: Task) -> None:
    """Derive the status of the task's occurrences, lead assignments and the task itself from
    its shares (flushes, no commit)."""
    occurrences = list(session.exec(select(Occurrence).where(Occurrence.task_id == task.id)))
    parts = ensure_shares(session, occurrences)
    by_assignment: dict[int, list[Share]] = {}
    assignments: dict[int, TaskAssignment] = {}
    for occurrence in occurrences:
        assert occurrence.id is not None
        own = parts.get(occurrence.id, [])
        for part in own:
            assert part.assignment.id is not None
            by_assignment.setdefault(part.assignment.id, []).append(part.share)
            assignments[part.assignment.id] = part.assignment
        if own:
            _settle_occurrence(occurrence, [part.share for part in own])
            session.add(occurrence)
    for assignment_id, shares in by_assignment.items():
        _settle_assignment(assignments[assignment_id], shares)
        session.add(assignments[assignment_id])
    _settle_task(task, occurrences, list(assignments.values()))
    session.add(task)
    session.flush()


def _combined(statuses: Sequence[TaskStatus]) -> TaskStatus | None:
    """Done when every part is closed and one is done; blocked when one is; None otherwise."""
    if statuses and all(s in CLOSED_STATUSES for s in statuses):
        return TaskStatus.DONE if TaskStatus.DONE in statuses else TaskStatus.CANCELLED
    if TaskStatus.BLOCKED in statuses:
        return TaskStatus.BLOCKED
    return None


def _settle_occurrence(occurrence: Occurrence, shares: Sequence[Share]) -> None:
    combined = _combined([share.status for share in shares])
    if combined is TaskStatus.DONE:
        if occurrence.status is not TaskStatus.DONE:
            occurrence.done_at = max((s.done_at for s in shares if s.done_at), default=None)
        occurrence.status = TaskStatus.DONE
        occurrence.snoozed_until = None
    elif combined is not None:
        occurrence.status = combined
    elif occurrence.status in CLOSED_STATUSES or occurrence.status is TaskStatus.BLOCKED:
        occurrence.status = TaskStatus.OPEN
        occurrence.done_at = None


def _settle_assignment(assignment: TaskAssignment, shares: Sequence[Share]) -> None:
    combined = _combined([share.status for share in shares])
    if combined is TaskStatus.DONE:
        assignment.status = TaskStatus.DONE
        assignment.done_at = max((s.done_at for s in shares if s.done_at), default=None)
        assignment.progress = 100
    else:
        assignment.status = combined or TaskStatus.OPEN
        assignment.done_at = None
        if assignment.progress == 100:
            assignment.progress = 0


def _settle_task(
    task: Task, occurrences: Sequence[Occurrence], leads: Sequence[TaskAssignment]
) -> None:
    if task.status is TaskStatus.CANCELLED:
        return
    combined = _combined([o.status for o in occurrences])
    if combined is TaskStatus.DONE:
        task.status = TaskStatus.DONE
        task.progress = 100
        return
    if combined is TaskStatus.BLOCKED:
        task.status = TaskStatus.BLOCKED
    elif any(o.status is TaskStatus.AWAITING_DIRECTION for o in occurrences):
        task.status = TaskStatus.AWAITING_DIRECTION
    else:
        task.status = TaskStatus.OPEN
    if leads:
        task.progress = sum(a.progress for a in leads) // len(leads)
    elif task.progress == 100:
        task.progress = 0


def acting_parts(
    session: Session,
    actor: Officer,
    occurrence: Occurrence,
    *,
    unit_ids: Sequence[int],
    unit_id: int | None = None,
) -> tuple[list[Part], list[Part]]:
    """The shares of `occurrence` an action by `actor` is about, and all of them.

    A named unit: its share. Otherwise the shares of the actor's own units (or of the actor, led
    by name); failing those (the chair, an admin, a coordinator), every share: the whole task.
    `unit_ids` are the actor's units.
    """
    parts = ensure_shares(session, [occurrence]).get(occurrence.id or 0, [])
    if unit_id is not None:
        return [p for p in parts if p.assignment.unit_id == unit_id], parts
    mine = [
        p
        for p in parts
        if (p.assignment.unit_id is not None and p.assignment.unit_id in unit_ids)
        or (p.assignment.officer_id is not None and p.assignment.officer_id == actor.id)
    ]
    return (mine or parts), parts


def shares_of(session: Session, task_ids: Sequence[int]) -> dict[int, list[UnitShare]]:
    """Per task: its lead units (with their own status) then its coordinators, in the order
    they were assigned."""
    result: dict[int, list[UnitShare]] = {}
    ids = sorted(set(task_ids))
    for start in range(0, len(ids), 500):
        rows = session.exec(
            select(TaskAssignment, Unit.name, Officer.name)
            .join(Unit, col(Unit.id) == TaskAssignment.unit_id, isouter=True)
            .join(Officer, col(Officer.id) == TaskAssignment.officer_id, isouter=True)
            .where(col(TaskAssignment.task_id).in_(ids[start : start + 500]))
            .order_by(col(TaskAssignment.task_id), col(TaskAssignment.id))
        ).all()
        for assignment, unit_name, officer_name in rows:
            assert assignment.id is not None
            result.setdefault(assignment.task_id, []).append(
                UnitShare(
                    assignment_id=assignment.id,
                    unit=unit_name or officer_name or "?",
                    role=assignment.role,
                    status=assignment.status,
                    progress=assignment.progress,
                    done_at=assignment.done_at,
                )
            )
    for task_id, shares in result.items():
        result[task_id] = sorted(shares, key=lambda s: s.role is not AssignmentRole.LEAD)
    return result


def give_unit_its_shares(session: Session, unit: Unit) -> int:
    """A unit added after plans were imported leads its part of every open task led by "all
    units"; how many tasks (flushes, no commit)."""
    if unit.kind is not UnitKind.BODY or unit.external or unit.id is None:
        return 0
    everyone = select(Unit.id).where(
        Unit.organization_id == unit.organization_id, Unit.kind == UnitKind.ALL
    )
    tasks = session.exec(
        select(Task)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(
            Plan.organization_id == unit.organization_id,
            col(Plan.superseded_by_id).is_(None),
            col(Task.status).not_in(CLOSED_STATUSES),
            col(Task.id).in_(
                select(TaskAssignment.task_id).where(
                    TaskAssignment.role == AssignmentRole.LEAD,
                    col(TaskAssignment.expanded).is_(True)
                    | col(TaskAssignment.unit_id).in_(everyone),
                )
            ),
        )
    ).all()
    for task in tasks:
        assert task.id is not None
        for pseudo in session.exec(
            select(TaskAssignment).where(
                TaskAssignment.task_id == task.id,
                TaskAssignment.role == AssignmentRole.LEAD,
                col(TaskAssignment.unit_id).in_(everyone),
            )
        ):
            session.delete(pseudo)
        session.add(
            TaskAssignment(
                task_id=task.id, unit_id=unit.id, role=AssignmentRole.LEAD, expanded=True
            )
        )
        session.flush()
        settle(session, task)
    return len(tasks)
