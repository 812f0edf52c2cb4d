"""Storing a reviewed plan: a new import in one transaction, or a revision applied as a diff
that keeps the status and history of every task it does not change.

A plan is recognised as already imported by its file's sha256, and as a revision of an earlier
plan of the organization by its number ("73/KH-UBND") or, when it has none, by its title.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from locales import N_
from models import (
    AssignmentRole,
    EventKind,
    Occurrence,
    Officer,
    Organization,
    Plan,
    PlanResponsibility,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskKind,
    TaskStatus,
    Unit,
    UnitAlias,
    UnitKind,
)
from plans.deadlines import DeadlineKind
from plans.draft import DraftTask, ImportDraft
from plans.folding import fold
from plans.storable import check_calendar_years
from plans.units import ALL, RELATED, KnownUnit
from services.access import admins_of, require_admin
from services.clock import Clock
from services.errors import DomainError
from services.importing.diffs import PlanDiff, diff_against, plan_tasks
from services.importing.labels import plan_reference
from services.importing.task_rows import (
    assignments_for,
    body_units,
    create_duties,
    create_tasks,
    deadline_of,
    occurrences_for,
    set_deadline,
)
from services.people.units import find_unit
from services.reminding.outbox import line, notify
from services.reminding.reminders import schedule_occurrences
from services.tracking.plans import in_force
from services.tracking.queries import items
from services.tracking.shares import ensure_shares, give_unit_its_shares
from services.tracking.tasks import iso, record_event


class AlreadyImported(DomainError):
    msgid = N_("This file was already imported as plan {plan} on {date}.")


class NothingToImport(DomainError):
    msgid = N_(
        "I found no task table, no standing duty for a unit and no reporting duty in "
        "{file_name}: there is nothing to follow up. Please check that this is the plan."
    )


@dataclass(frozen=True, slots=True)
class ImportOutcome:
    """What confirming a draft did, and how many things it gives to follow up."""

    plan: Plan
    tracked: int
    revised: Plan | None = None
    diff: PlanDiff = field(default_factory=PlanDiff)
    unreminded: int = 0
    """Of its open tasks, those no officer can be reminded of yet: none of their lead units has
    an officer in dondoc (what the dashboard counts as "nobody yet")."""


def known_units(session: Session, org: Organization) -> list[KnownUnit]:
    """The organization's units with their learned aliases, for the importer to match."""
    units = session.exec(
        select(Unit).where(Unit.organization_id == org.id, Unit.kind == UnitKind.BODY)
    ).all()
    aliases: dict[int, list[str]] = {}
    for alias in session.exec(select(UnitAlias).where(UnitAlias.organization_id == org.id)):
        aliases.setdefault(alias.unit_id, []).append(alias.alias)
    return [
        KnownUnit(name=u.name, aliases=tuple(aliases.get(u.id or 0, ())), external=u.external)
        for u in units
    ]


def refuse_if_imported(session: Session, clock: Clock, org_id: int, sha256: str) -> None:
    """`AlreadyImported` when the organization already has the plan read from this very file."""
    already = session.exec(
        select(Plan).where(Plan.organization_id == org_id, Plan.sha256 == sha256)
    ).first()
    if already is not None:
        raise AlreadyImported(
            plan=already.number or already.title or already.source_name,
            date=already.imported_at.astimezone(clock.zone).date(),
        )


def find_previous_version(session: Session, org: Organization, draft: ImportDraft) -> Plan | None:
    """The current plan that `draft` revises: same number, or same title when unnumbered."""
    assert org.id is not None
    query = select(Plan).where(in_force(org.id))
    if draft.plan.number:
        query = query.where(Plan.number == draft.plan.number)
    elif draft.plan.title:
        query = query.where(col(Plan.number).is_(None), Plan.title == draft.plan.title)
    else:
        return None
    return session.exec(query.order_by(col(Plan.id).desc())).first()


def confirm_import(
    session: Session,
    clock: Clock,
    actor: Officer,
    draft: ImportDraft,
    *,
    source_name: str,
    sha256: str,
) -> ImportOutcome:
    """Store a reviewed draft for an admin (or the office) of its organization: a new plan, or
    a revision of the plan it replaces."""
    require_admin(actor)
    org = session.get(Organization, actor.organization_id)
    assert org is not None
    refuse_if_imported(session, clock, actor.organization_id, sha256)
    if draft.is_empty:
        raise NothingToImport(file_name=source_name)
    check_calendar_years(draft)  # a date its preview flagged as beyond the calendar
    now = clock.now()
    previous = find_previous_version(session, org, draft)
    units = _ensure_units(session, org, draft)
    session.info.pop("dondoc.bodies", None)
    assert org.id is not None
    plan = Plan(
        organization_id=org.id,
        title=draft.plan.title,
        number=draft.plan.number,
        issued=draft.plan.issued,
        issuer=draft.plan.organization,
        years=list(draft.plan.years),
        source_name=source_name,
        sha256=sha256,
        imported_at=now,
        columns=[column.to_json() for column in draft.columns],
    )
    session.add(plan)
    session.flush()
    diff = PlanDiff()
    if previous is None:
        create_tasks(session, clock, plan, draft, units, actor, start=0)
        if draft.duties_are_tasks:
            create_duties(session, clock, plan, draft, units, actor)
    else:
        diff = diff_against(session, previous, draft)
        _apply_revision(session, clock, previous, plan, draft, units, actor, diff)
    _store_responsibilities(session, plan, draft, units)
    session.flush()
    occurrences = session.exec(
        select(Occurrence)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Task.plan_id == plan.id)
    ).all()
    ensure_shares(session, occurrences)
    schedule_occurrences(session, clock, occurrences)
    _ask_for_leads(session, clock, plan)
    session.info.pop("dondoc.bodies", None)
    session.flush()
    unreminded = len(
        {item.task_id for item in items(session, actor, plan_id=plan.id) if not item.officers}
    )
    session.commit()
    session.refresh(plan)
    return ImportOutcome(
        plan=plan, tracked=draft.tracked, revised=previous, diff=diff, unreminded=unreminded
    )


# --- units ---------------------------------------------------------------------------------


def _ensure_units(session: Session, org: Organization, draft: ImportDraft) -> dict[str, Unit]:
    """Every unit the draft names, by canonical name (and the pseudo-units), created if new."""
    assert org.id is not None
    by_name: dict[str, Unit] = {}
    for pseudo in session.exec(
        select(Unit).where(Unit.organization_id == org.id, Unit.kind != UnitKind.BODY)
    ):
        by_name[ALL if pseudo.kind is UnitKind.ALL else RELATED] = pseudo
    for draft_unit in draft.units:
        unit = find_unit(session, org, draft_unit.name)
        if unit is None:
            unit = Unit(organization_id=org.id, name=draft_unit.name, external=draft_unit.external)
            session.add(unit)
            session.flush()
            give_unit_its_shares(session, unit)  # its part of the tasks led by "all units"
        assert unit.id is not None
        known = {fold(unit.name)} | {
            a.folded for a in session.exec(select(UnitAlias).where(UnitAlias.unit_id == unit.id))
        }
        for alias in draft_unit.aliases:
            key = fold(alias)
            if key in known or find_unit(session, org, alias) is not None:
                continue
            session.add(
                UnitAlias(organization_id=org.id, unit_id=unit.id, alias=alias, folded=key)
            )
            known.add(key)
        session.flush()
        by_name[draft_unit.name] = unit
    return by_name


def _ask_for_leads(session: Session, clock: Clock, plan: Plan) -> None:
    """Tasks led "Theo chỉ đạo…" or by no unit dondoc knows wait for a lead: the admins (the
    chair when the ward has none) are asked to assign them (the dashboard lists them until
    they are)."""
    led = select(TaskAssignment.task_id).where(TaskAssignment.role == AssignmentRole.LEAD)
    codes = list(
        session.exec(
            select(Task.code)
            .where(
                Task.plan_id == plan.id,
                col(Task.kind) != TaskKind.OBLIGATION,
                col(Task.status) != TaskStatus.CANCELLED,
                col(Task.id).not_in(led),
            )
            .order_by(col(Task.position))
        )
    )
    if not codes:
        return
    for admin in admins_of(session, plan.organization_id):
        notify(
            session,
            clock.now(),
            admin,
            key=f"awaiting-lead:{plan.id}",
            lines=[
                line(
                    N_(
                        "📋 Plan {plan}: {count} tasks wait for a lead unit ({codes}). Assign "
                        "each on the dashboard, or with “dondoc tasks assign CODE --unit UNIT”."
                    ),
                    plan=plan_reference(plan.number, plan.title, plan.source_name),
                    count=len(codes),
                    codes=", ".join(codes[:15]) + ("…" if len(codes) > 15 else ""),
                )
            ],
        )


def _store_responsibilities(
    session: Session, plan: Plan, draft: ImportDraft, units: dict[str, Unit]
) -> None:
    assert plan.id is not None
    position = 0
    for item in draft.responsibilities:
        unit = units.get(item.unit)
        if unit is None or unit.id is None:
            continue
        for duty in item.duties:
            session.add(
                PlanResponsibility(plan_id=plan.id, unit_id=unit.id, position=position, duty=duty)
            )
            position += 1


# --- tasks ---------------------------------------------------------------------------------


def _apply_revision(
    session: Session,
    clock: Clock,
    previous: Plan,
    plan: Plan,
    draft: ImportDraft,
    units: dict[str, Unit],
    actor: Officer | None,
    diff: PlanDiff,
) -> None:
    """Move the previous plan's tasks to the new plan, changing only what the revision changes;
    tasks it drops are cancelled, never deleted, so their history stays."""
    assert plan.id is not None
    assert previous.id is not None
    wanted = {task.code: (position, task) for position, task in enumerate(draft.tasks)}
    changed = {change.code: change for change in diff.changed}
    now = clock.now()
    for task in plan_tasks(session, previous):
        task.plan_id = plan.id
        session.add(task)
        assert task.id is not None
        if task.kind in (TaskKind.OBLIGATION, TaskKind.DUTY):
            continue  # re-read from the revision's text, or standing
        if task.code not in wanted:
            if task.status is not TaskStatus.CANCELLED:
                task.status = TaskStatus.CANCELLED
                for occurrence in _open_occurrences(session, task):
                    occurrence.status = TaskStatus.CANCELLED
                    occurrence.next_reminder_at = None
                    session.add(occurrence)
                record_event(
                    session, now, actor, task, EventKind.CANCELLED, via=None,
                    payload={"revision": plan.id},
                )  # fmt: skip
            continue
        position, draft_task = wanted[task.code]
        task.position = position
        change = changed.get(task.code)
        if change is None:
            continue
        _update_task(session, task, draft_task, units)
        payload: dict[str, object] = {}
        for name, (old, new) in change.fields.items():
            payload[name] = [iso(v) if isinstance(v, date) else v for v in (old, new)]
        record_event(session, now, actor, task, EventKind.UPDATED, via=None, payload=payload)
    previous.superseded_by_id = plan.id
    session.add(previous)
    session.flush()
    _drop_obligations(session, plan)
    added = set(diff.added) | {f"BC{i}" for i in range(1, len(draft.obligations) + 1)}
    create_tasks(session, clock, plan, draft, units, actor, start=0, only=sorted(added))


def _update_task(
    session: Session, task: Task, draft_task: DraftTask, units: dict[str, Unit]
) -> None:
    deadline = deadline_of(draft_task.deadline)
    old_due = task.due
    task.title = draft_task.title
    task.section = draft_task.section
    task.sections = list(draft_task.sections)
    task.requirement = draft_task.requirement
    task.lead_text = draft_task.lead_text or ""
    task.coordinators_text = draft_task.coordinators_text or ""
    task.flags = sorted(set(draft_task.flags) | {f"problem:{p}" for p in draft_task.problems})
    set_deadline(task, deadline)
    wanted = {
        (a.unit_id, a.officer_id, a.role): a
        for a in assignments_for(task, draft_task, units, body_units(session, task))
    }
    for assignment in session.exec(
        select(TaskAssignment).where(TaskAssignment.task_id == task.id)
    ):
        kept = wanted.pop((assignment.unit_id, assignment.officer_id, assignment.role), None)
        if kept is None:
            session.delete(assignment)  # its shares go with it
        else:
            assignment.expanded = kept.expanded  # its shares and their history stay
            session.add(assignment)
    session.flush()
    session.add_all(wanted.values())
    if old_due != deadline.due or deadline.kind is DeadlineKind.RECURRING:
        _replace_occurrences(session, task, occurrences_for(task, deadline))


def _replace_occurrences(session: Session, task: Task, wanted: list[Occurrence]) -> None:
    """Give `task` the periods of its new deadline. Done periods stay as they are; an open one
    the new deadline keeps stays too. A single open period moves to the single new due date,
    with its progress, shares and history. Any other open period goes: deleted, or cancelled
    when something was recorded on it (its events name it)."""
    existing = list(session.exec(select(Occurrence).where(Occurrence.task_id == task.id)))
    dues = {o.due for o in existing}
    open_ = [o for o in existing if o.status is not TaskStatus.DONE]
    if len(wanted) == 1 and len(open_) == 1 and wanted[0].due not in dues - {open_[0].due}:
        occurrence, new = open_[0], wanted[0]
        occurrence.due = new.due
        occurrence.period_start = new.period_start
        waiting = (TaskStatus.CANCELLED, TaskStatus.AWAITING_DIRECTION)
        if occurrence.status in waiting or new.status is TaskStatus.AWAITING_DIRECTION:
            occurrence.status = new.status
        occurrence.next_reminder_at = None  # planned afresh with the plan's others
        session.add(occurrence)
        return
    kept = {o.due for o in wanted}
    recorded = set(
        session.exec(
            select(TaskEvent.occurrence_id).where(
                col(TaskEvent.occurrence_id).in_([o.id for o in open_])
            )
        )
    )
    for occurrence in open_:
        if occurrence.due in kept:
            continue
        dues.discard(occurrence.due)
        if occurrence.id in recorded:
            occurrence.status = TaskStatus.CANCELLED
            occurrence.next_reminder_at = None
            session.add(occurrence)
            dues.add(occurrence.due)
        else:
            session.delete(occurrence)
    session.flush()
    session.add_all(o for o in wanted if o.due not in dues)


def _drop_obligations(session: Session, plan: Plan) -> None:
    """Obligations are re-read from each revision's text: the old ones are cancelled."""
    for task in session.exec(
        select(Task).where(Task.plan_id == plan.id, Task.kind == TaskKind.OBLIGATION)
    ):
        task.code = f"{task.code}~{task.id}"
        task.status = TaskStatus.CANCELLED
        session.add(task)
        for occurrence in _open_occurrences(session, task):
            occurrence.status = TaskStatus.CANCELLED
            occurrence.next_reminder_at = None
            session.add(occurrence)
    session.flush()


def _open_occurrences(session: Session, task: Task) -> list[Occurrence]:
    return list(
        session.exec(
            select(Occurrence).where(
                Occurrence.task_id == task.id, Occurrence.status != TaskStatus.DONE
            )
        )
    )
