"""Who hears about a task: every active officer of each lead unit, of each coordinating unit,
the chair and the admins, loaded in a few queries for many tasks at once.

- "@all" (a unit of kind `all`) means each body unit of the organization that is not external;
  "@related" names nobody.
- An officer who both leads and coordinates a task hears of it as a lead only.
- A lead unit whose share of the occurrence is done (`closed`) is not reminded, nor named
  among the leads an escalation lists: only the units still behind are.
- `missing` names the lead units nobody can be reminded for (no active officer, "@related", or
  "@all" when no unit has anyone); a task with no lead at all misses "" (no unit).
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import AssignmentRole, Officer, OfficerUnit, Role, TaskAssignment, Unit, UnitKind
from services.reminding.batches import member_of


@dataclass(frozen=True, slots=True)
class TaskPeople:
    """The people of one task."""

    leads: tuple[int, ...]
    coordinators: tuple[int, ...]
    lead_units: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def is_unassigned(self) -> bool:
        """Whether some lead unit (or the task itself) has nobody to remind."""
        return bool(self.missing) or not self.leads


@dataclass
class People:
    """Assignments, unit members and the chairs and admins of some organizations."""

    assignments: dict[int, list[tuple[int, int | None, int | None, AssignmentRole]]] = field(
        default_factory=dict
    )
    units: dict[int, tuple[str, UnitKind, bool, int]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)
    body_units: dict[int, list[int]] = field(default_factory=dict)
    chairs: dict[int, list[int]] = field(default_factory=dict)
    admins: dict[int, list[int]] = field(default_factory=dict)
    active: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session, org_ids: Iterable[int], task_ids: Iterable[int]) -> "People":
        """Everything needed to address these tasks of these organizations."""
        people = cls()
        orgs = sorted(set(org_ids))
        tasks = sorted(set(task_ids))
        assignments: dict[int, list[tuple[int, int | None, int | None, AssignmentRole]]] = (
            defaultdict(list)
        )
        for condition in member_of(session, col(TaskAssignment.task_id), tasks):
            rows = session.execute(
                sa_select(
                    col(TaskAssignment.task_id),
                    col(TaskAssignment.id),
                    col(TaskAssignment.unit_id),
                    col(TaskAssignment.officer_id),
                    col(TaskAssignment.role),
                )
                .where(condition)
                .order_by(col(TaskAssignment.id))
            )
            for task_id, assignment_id, unit_id, officer_id, role in rows:
                assignments[task_id].append((assignment_id, unit_id, officer_id, role))
        people.assignments = dict(assignments)
        if not orgs:
            return people
        for unit_id, name, kind, external, org_id in session.execute(
            sa_select(
                col(Unit.id),
                col(Unit.name),
                col(Unit.kind),
                col(Unit.external),
                col(Unit.organization_id),
            ).where(col(Unit.organization_id).in_(orgs))
        ):
            people.units[unit_id] = (name, kind, external, org_id)
            if kind is UnitKind.BODY and not external:
                people.body_units.setdefault(org_id, []).append(unit_id)
        wanted = {
            unit_id
            for rows in people.assignments.values()
            for _id, unit_id, _officer, _role in rows
            if unit_id is not None
        }
        if any(people.units.get(u, ("", UnitKind.BODY))[1] is UnitKind.ALL for u in wanted):
            wanted |= {u for units in people.body_units.values() for u in units}
        members: dict[int, list[int]] = defaultdict(list)
        ordered = sorted(wanted)
        for condition in member_of(session, col(OfficerUnit.unit_id), ordered):
            rows = session.execute(
                sa_select(col(OfficerUnit.unit_id), col(OfficerUnit.officer_id))
                .join(Officer, col(Officer.id) == OfficerUnit.officer_id)
                .where(condition, col(Officer.active).is_(True))
                .order_by(col(OfficerUnit.officer_id))
            )
            for unit_id, officer_id in rows:
                members[unit_id].append(officer_id)
        people.members = dict(members)
        for officer_id, role, org_id in session.execute(
            sa_select(col(Officer.id), col(Officer.role), col(Officer.organization_id))
            .where(
                col(Officer.organization_id).in_(orgs),
                col(Officer.active).is_(True),
                col(Officer.role).in_([Role.CHAIR, Role.ADMIN]),
            )
            .order_by(col(Officer.id))
        ):
            target = people.chairs if role is Role.CHAIR else people.admins
            target.setdefault(org_id, []).append(officer_id)
        direct = {
            officer_id
            for rows in people.assignments.values()
            for _id, _unit, officer_id, _role in rows
            if officer_id is not None
        }
        if direct:
            people.active = {
                row[0]
                for row in session.execute(
                    sa_select(col(Officer.id)).where(
                        col(Officer.id).in_(sorted(direct)), col(Officer.active).is_(True)
                    )
                )
            }
        return people

    def _expand(self, unit_id: int) -> tuple[list[int], str | None]:
        """The officers a unit stands for, and its name when it stands for nobody."""
        name, kind, _external, org_id = self.units.get(unit_id, ("?", UnitKind.BODY, False, 0))
        if kind is UnitKind.RELATED:
            return [], name
        if kind is UnitKind.ALL:
            found = [o for u in self.body_units.get(org_id, []) for o in self.members.get(u, [])]
            return found, None if found else name
        found = self.members.get(unit_id, [])
        return list(found), None if found else name

    def of_task(self, task_id: int, *, closed: Collection[int] = ()) -> TaskPeople:
        """Who leads and who coordinates the task; lead assignments in `closed` (their share is
        done) are left out."""
        leads: dict[int, None] = {}
        coordinators: dict[int, None] = {}
        lead_units: list[str] = []
        missing: list[str] = []
        for assignment_id, unit_id, officer_id, role in self.assignments.get(task_id, []):
            if role is AssignmentRole.LEAD and assignment_id in closed:
                continue
            target = leads if role is AssignmentRole.LEAD else coordinators
            if unit_id is not None:
                found, lacking = self._expand(unit_id)
                if role is AssignmentRole.LEAD:
                    lead_units.append(self.units.get(unit_id, ("?",))[0])
                    if lacking is not None:
                        missing.append(lacking)
                target.update(dict.fromkeys(found))
            elif officer_id is not None and officer_id in self.active:
                target[officer_id] = None
        return TaskPeople(
            leads=tuple(leads),
            coordinators=tuple(o for o in coordinators if o not in leads),
            lead_units=tuple(lead_units),
            missing=tuple(missing),
        )

    def chairs_of(self, org_id: int) -> list[int]:
        """Who hears escalations and the weekly summary: the chairs, else the admins."""
        return self.chairs.get(org_id) or self.admins.get(org_id, [])

    def admins_of(self, org_id: int) -> list[int]:
        """Who hears what nobody else can be told: the admins, else the chairs."""
        return self.admins.get(org_id) or self.chairs.get(org_id, [])
