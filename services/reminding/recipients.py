"""Who hears about a task: every active officer of each lead unit, of each coordinating unit,
the chair and the admins, loaded in a few queries for many tasks at once.

- "@all" (a unit of kind `all`) means each body unit of the organization that is not external;
  "@related" names nobody.
- An officer who both leads and coordinates a task hears of it as a lead only.
- A lead unit whose share of the occurrence is done (`closed`) is not reminded, nor named
  among the leads an escalation lists: only the units still behind are.
- `missing` names the lead units nobody can be reminded for (no active officer, "@related", or
  "@all" when no unit has anyone); a task with no lead at all misses "" (no unit).

A ward's own people (its units, their active members, its chairs and admins) and its calendar
change far less often than the scan runs: the scan keeps them between runs in this process
(`kept_per_ward`) and reuses them while the ward's change stamp (`models/board.py`, raised by
triggers whenever a unit, an officer, a membership or a calendar day changes, at its commit) is
the one they were read under. Only the scan does: its transaction changes none of them before
it reads, while another use case's own change does not raise the stamp before it commits.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, TypeVar
from weakref import WeakKeyDictionary

from sqlalchemy import Engine
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import (
    CLOSED_STATUSES,
    AssignmentRole,
    Officer,
    OfficerUnit,
    Role,
    Share,
    TaskAssignment,
    Unit,
    UnitKind,
)
from models.board import board_stamp
from services.access import MANAGERS, managing
from services.reminding.batches import member_of, rows_among

_UNKNOWN_UNIT = ("?", UnitKind.BODY, False, 0)
_ASSIGNMENTS: Final = sa_select(
    col(TaskAssignment.task_id),
    col(TaskAssignment.id),
    col(TaskAssignment.unit_id),
    col(TaskAssignment.officer_id),
    col(TaskAssignment.role),
).order_by(col(TaskAssignment.id))
_ROLES: Final = {role.value: role for role in AssignmentRole}
"""Roles by value (as PostgreSQL's driver reads them) and by themselves (as SQLAlchemy does)."""


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


@dataclass(frozen=True, slots=True)
class WardPeople:
    """One ward's units (name, kind, external, ward), their active members, who hears what is
    for its chair and for its admins (`access.managing`: the chairs, else the admins, and the
    admins, else the chairs): what `People` needs of the ward whatever the tasks."""

    units: dict[int, tuple[str, UnitKind, bool, int]]
    members: dict[int, list[int]]
    body_units: list[int]
    chairs: list[int]
    admins: list[int]


_KEPT: "WeakKeyDictionary[Engine, dict[tuple[str, int], tuple[int, Any]]]" = WeakKeyDictionary()
"""Per database (its engine), per kind of thing and ward: the stamp it was read under, and it."""

T = TypeVar("T")
_Assigned = tuple[tuple[int | None, int | None, AssignmentRole], ...]
"""A task's assignments as who hears of it depends on them: (unit, officer, role) each."""


def ward_stamps(session: Session, orgs: Collection[int]) -> dict[int, int]:
    """The wards' change stamps now (`models/board.py`; 0 for a ward never changed)."""
    if not orgs:
        return {}
    rows = rows_among(session, _STAMPS, board_stamp.c.organization_id, sorted(orgs))
    found = dict.fromkeys(orgs, 0)
    found.update((org, int(version)) for org, version in rows)
    return found


_STAMPS: Final = sa_select(board_stamp.c.organization_id, board_stamp.c.version)


def kept_per_ward(
    session: Session,
    what: str,
    stamps: Mapping[int, int],
    load: Callable[[Session, list[int]], Mapping[int, T]],
) -> dict[int, T]:
    """`what` of each ward of `stamps` (read by `load` for many wards at once): as this process
    read it under the ward's current stamp, else read now and kept. `stamps` must have been
    read before, in a transaction that changed nothing the stamps follow (see the module's
    docstring)."""
    bind = session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine  # a session on one connection
    store = _KEPT.setdefault(engine, {})
    found: dict[int, T] = {}
    stale: list[int] = []
    for org, stamp in stamps.items():
        entry = store.get((what, org))
        if entry is not None and entry[0] == stamp:
            found[org] = entry[1]
        else:
            stale.append(org)
    if stale:
        for org, value in load(session, stale).items():
            # read after the stamp: kept under it, it is read again once the stamp moves
            store[(what, org)] = (stamps[org], value)
            found[org] = value
    return found


def _load_wards(session: Session, orgs: list[int]) -> dict[int, WardPeople]:
    """The people of these wards, read now (three queries whatever their number)."""
    units: dict[int, dict[int, tuple[str, UnitKind, bool, int]]] = {org: {} for org in orgs}
    body_units: dict[int, list[int]] = {org: [] for org in orgs}
    for unit_id, name, kind, external, org_id in session.execute(
        sa_select(
            col(Unit.id),
            col(Unit.name),
            col(Unit.kind),
            col(Unit.external),
            col(Unit.organization_id),
        ).where(col(Unit.organization_id).in_(orgs))
    ):
        units[org_id][unit_id] = (name, kind, external, org_id)
        if kind is UnitKind.BODY and not external:
            body_units[org_id].append(unit_id)
    members: dict[int, dict[int, list[int]]] = {org: defaultdict(list) for org in orgs}
    for org_id, unit_id, officer_id in session.execute(
        sa_select(col(Unit.organization_id), col(OfficerUnit.unit_id), col(OfficerUnit.officer_id))
        .join(Unit, col(Unit.id) == OfficerUnit.unit_id)
        .join(Officer, col(Officer.id) == OfficerUnit.officer_id)
        .where(col(Unit.organization_id).in_(orgs), col(Officer.active).is_(True))
        .order_by(col(OfficerUnit.officer_id))
    ):
        members[org_id][unit_id].append(officer_id)
    managers: dict[int, list[tuple[Role, int]]] = {org: [] for org in orgs}
    for officer_id, role, org_id in session.execute(
        sa_select(col(Officer.id), col(Officer.role), col(Officer.organization_id))
        .where(
            col(Officer.organization_id).in_(orgs),
            col(Officer.active).is_(True),
            col(Officer.role).in_(MANAGERS),
        )
        .order_by(col(Officer.id))
    ):
        managers[org_id].append((role, officer_id))
    return {
        org: WardPeople(units[org], dict(members[org]), body_units[org], *managing(managers[org]))
        for org in orgs
    }


@dataclass
class People:
    """Assignments, unit members and the chairs and admins of some organizations (who hears
    what is for the chair, and for the admins, by `access.managing`)."""

    assignments: dict[int, list[tuple[int, int | None, int | None, AssignmentRole]]] = field(
        default_factory=dict
    )
    units: dict[int, tuple[str, UnitKind, bool, int]] = field(default_factory=dict)
    members: dict[int, list[int]] = field(default_factory=dict)
    body_units: dict[int, list[int]] = field(default_factory=dict)
    chairs: dict[int, list[int]] = field(default_factory=dict)
    admins: dict[int, list[int]] = field(default_factory=dict)
    active: set[int] = field(default_factory=set)
    _told: dict[_Assigned, TaskPeople] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        session: Session,
        org_ids: Iterable[int],
        task_ids: Iterable[int],
        *,
        stamps: Mapping[int, int] | None = None,
    ) -> "People":
        """Everything needed to address these tasks of these organizations; with the wards'
        `stamps` (`ward_stamps`), their own people as this process keeps them (see the
        module's docstring)."""
        people = cls()
        orgs = sorted(set(org_ids))
        tasks = sorted(set(task_ids))
        assignments: dict[int, list[tuple[int, int | None, int | None, AssignmentRole]]] = (
            defaultdict(list)
        )
        roles = _ROLES
        found = rows_among(session, _ASSIGNMENTS, col(TaskAssignment.task_id), tasks)
        for task_id, assignment_id, unit_id, officer_id, role in found:
            assignments[task_id].append((assignment_id, unit_id, officer_id, roles[role]))
        people.assignments = dict(assignments)
        if not orgs:
            return people
        if stamps is None:
            wards = _load_wards(session, orgs)
        else:
            wards = kept_per_ward(session, "people", {o: stamps[o] for o in orgs}, _load_wards)
        for org, ward in wards.items():
            people.units.update(ward.units)
            people.members.update(ward.members)
            if ward.body_units:
                people.body_units[org] = ward.body_units
            if ward.chairs:
                people.chairs[org] = ward.chairs
            if ward.admins:
                people.admins[org] = ward.admins
        foreign = sorted(
            {
                unit_id
                for rows in people.assignments.values()
                for _id, unit_id, _officer, _role in rows
                if unit_id is not None and unit_id not in people.units
            }
        )
        for condition in member_of(session, col(OfficerUnit.unit_id), foreign):
            # units of no ward asked for: their members all the same
            for unit_id, officer_id in session.execute(
                sa_select(col(OfficerUnit.unit_id), col(OfficerUnit.officer_id))
                .join(Officer, col(Officer.id) == OfficerUnit.officer_id)
                .where(condition, col(Officer.active).is_(True))
                .order_by(col(OfficerUnit.officer_id))
            ):
                people.members.setdefault(unit_id, []).append(officer_id)
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
        name, kind, _external, org_id = self.units.get(unit_id, _UNKNOWN_UNIT)
        if kind is UnitKind.RELATED:
            return [], name
        if kind is UnitKind.ALL:
            found = [o for u in self.body_units.get(org_id, []) for o in self.members.get(u, [])]
            return found, None if found else name
        found = self.members.get(unit_id, [])
        return list(found), None if found else name

    def of_task(self, task_id: int, *, closed: Collection[int] = ()) -> TaskPeople:
        """Who leads and who coordinates the task; lead assignments in `closed` (their share is
        done) are left out. Tasks assigned alike (the same units and officers in the same
        roles, none closed) share one answer."""
        assignments = self.assignments.get(task_id, ())
        if closed:
            assignments = [
                row
                for row in assignments
                if row[3] is not AssignmentRole.LEAD or row[0] not in closed
            ]
        key = tuple([row[1:] for row in assignments])
        found = self._told.get(key)
        if found is None:
            found = self._told[key] = self._of_assignments(key)
        return found

    def _of_assignments(self, assignments: _Assigned) -> TaskPeople:
        leads: dict[int, None] = {}
        coordinators: dict[int, None] = {}
        lead_units: list[str] = []
        missing: list[str] = []
        for unit_id, officer_id, role in assignments:
            target = leads if role is AssignmentRole.LEAD else coordinators
            if unit_id is not None:
                found, lacking = self._expand(unit_id)
                if role is AssignmentRole.LEAD:
                    lead_units.append(self.units.get(unit_id, _UNKNOWN_UNIT)[0])
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
        """Who hears escalations and the weekly summary: the chairs, else the admins (the
        rule of `access.managing`, as `access.chairs_of` applies it to one ward)."""
        return self.chairs.get(org_id, [])

    def admins_of(self, org_id: int) -> list[int]:
        """Who hears what nobody else can be told: the admins, else the chairs (the rule of
        `access.managing`, as `access.admins_of` applies it to one ward)."""
        return self.admins.get(org_id, [])


def closed_shares(session: Session, occurrence_ids: Sequence[int]) -> dict[int, frozenset[int]]:
    """Per occurrence, the lead assignments whose share is done (their units are not
    reminded)."""
    found: dict[int, set[int]] = defaultdict(set)
    for occurrence_id, assignment_id in rows_among(
        session, _CLOSED_SHARES, col(Share.occurrence_id), occurrence_ids
    ):
        found[occurrence_id].add(assignment_id)
    return {key: frozenset(value) for key, value in found.items()}


_CLOSED_SHARES: Final = sa_select(col(Share.occurrence_id), col(Share.assignment_id)).where(
    col(Share.status).in_(CLOSED_STATUSES)
)
