"""Storing a reviewed plan: everything in one go, idempotent by file, revisions as diffs."""

import dataclasses
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlmodel import Session, col, func, select

from locales import translate
from models import (
    AssignmentRole,
    Channel,
    EventKind,
    Occurrence,
    Organization,
    Plan,
    PlanResponsibility,
    Role,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskKind,
    TaskStatus,
    Unit,
    UnitAlias,
    UnitKind,
)
from plans.deadlines import parse_deadline
from plans.draft import DraftTask, ImportDraft, PlanInfo
from plans.importer import import_plan
from services.errors import AdminOnly
from services.importing.diffs import diff_against
from services.importing.imports import (
    AlreadyImported,
    NothingToImport,
    confirm_import,
    known_units,
)
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.people.units import add_unit, find_unit, teach_alias
from services.tracking.dashboard import load_by_officer
from services.tracking.tasks import record_progress
from tests.support.clock import HCM, FakeClock
from tests.support.ward import the_office


def _seed(data_dir: Path, prefix: str) -> Path:
    return next((data_dir / "seeds").glob(f"{prefix}_*.txt"))


@pytest.fixture
def ward(session: Session, clock: FakeClock) -> Organization:
    return create_organization(session, clock, "Phường Bắc Sơn")


def _count(session: Session, model: type, *where: object) -> int:
    query = select(func.count()).select_from(model)
    for condition in where:
        query = query.where(condition)  # type: ignore[arg-type]
    return int(session.exec(query).one())


def test_seed_000_is_stored_whole(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    draft = import_plan(_seed(data_dir, "000"))
    outcome = confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        draft,
        source_name="000.txt",
        sha256="a" * 64,
    )
    plan = outcome.plan
    assert outcome.revised is None
    assert (plan.number, plan.issued.isoformat() if plan.issued else None) == (
        "73/KH-UBND",
        "2024-12-24",
    )
    assert plan.years == [2025]
    assert _count(session, Task, col(Task.plan_id) == plan.id) == 11
    assert _count(session, TaskEvent, col(TaskEvent.kind) == EventKind.CREATED) == 11
    assert _count(session, Occurrence) == 11
    assert _count(session, PlanResponsibility, col(PlanResponsibility.plan_id) == plan.id) > 0
    culture = find_unit(session, ward, "CC VHXH")
    assert culture is not None
    assert culture.name == "Công chức Văn hóa – xã hội"
    task1 = session.exec(select(Task).where(Task.plan_id == plan.id, Task.code == "1")).one()
    assert (task1.due.isoformat() if task1.due else None, task1.deadline_text) == (
        "2025-03-31",
        "Quý I/2025",
    )
    roles = session.exec(
        select(TaskAssignment.role, Unit.name, Unit.kind)
        .join(Unit, col(Unit.id) == TaskAssignment.unit_id)
        .where(TaskAssignment.task_id == task1.id)
    ).all()
    assert (AssignmentRole.LEAD, "Công chức Văn hóa – xã hội", UnitKind.BODY) in roles
    assert any(r == AssignmentRole.COORDINATOR and k is UnitKind.RELATED for r, _, k in roles)
    task6 = session.exec(select(Task).where(Task.plan_id == plan.id, Task.code == "6")).one()
    assert "deadline_before_plan_date" in task6.flags


def test_recurring_deadlines_become_one_occurrence_per_period(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    draft = import_plan(_seed(data_dir, "003"))
    plan = confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        draft,
        source_name="003.txt",
        sha256="b" * 64,
    ).plan
    obligations = session.exec(
        select(Task).where(Task.plan_id == plan.id, Task.kind == TaskKind.OBLIGATION)
    ).all()
    assert len(obligations) == 2
    quarterly = next(task for task in obligations if task.recurrence == "quarterly")
    dues = sorted(
        o.due.isoformat()
        for o in session.exec(select(Occurrence).where(Occurrence.task_id == quarterly.id))
        if o.due
    )
    assert dues == ["2025-03-09", "2025-06-09", "2025-09-09", "2025-12-09"]


def test_the_same_file_is_refused_the_second_time(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    draft = import_plan(_seed(data_dir, "000"))
    confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        draft,
        source_name="000.txt",
        sha256="c" * 64,
    )
    with pytest.raises(AlreadyImported):
        confirm_import(
            session,
            clock,
            the_office(session, clock, ward),
            draft,
            source_name="000.txt",
            sha256="c" * 64,
        )
    assert _count(session, Plan) == 1


def test_the_refusal_dates_an_early_morning_import_on_its_own_day(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    clock.move_to(datetime(2025, 3, 11, 6, 0, tzinfo=HCM))  # 23:00 UTC on the 10th
    draft = import_plan(_seed(data_dir, "000"))
    confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        draft,
        source_name="000.txt",
        sha256="e" * 64,
    )
    with pytest.raises(AlreadyImported) as refused:
        confirm_import(
            session,
            clock,
            the_office(session, clock, ward),
            draft,
            source_name="000.txt",
            sha256="e" * 64,
        )
    assert refused.value.params["date"] == date(2025, 3, 11)
    assert "11/03/2025" in translate("vi", refused.value.msgid, **refused.value.params)


@pytest.mark.parametrize("role", [Role.OFFICER, Role.CHAIR])
def test_only_the_office_may_store_a_plan(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path, role: Role
) -> None:
    office = the_office(session, clock, ward)
    add_unit(session, office, "Văn phòng")
    someone = add_officer(
        session, clock, office, "Phạm Văn Minh", unit_names=("Văn phòng",), role=role
    )
    with pytest.raises(AdminOnly):
        confirm_import(
            session, clock, someone, import_plan(_seed(data_dir, "000")), source_name="a.txt",
            sha256="a" * 64,
        )  # fmt: skip
    assert _count(session, Plan) == 0


def test_a_draft_without_tasks_is_refused(
    session: Session, clock: FakeClock, ward: Organization
) -> None:
    empty = ImportDraft(source="x.txt", plan=_empty_plan())
    with pytest.raises(NothingToImport):
        confirm_import(
            session,
            clock,
            the_office(session, clock, ward),
            empty,
            source_name="x.txt",
            sha256="d" * 64,
        )
    assert _count(session, Plan) == 0


def _empty_plan() -> PlanInfo:
    return PlanInfo(title="Kế hoạch trống", years=(2025,))


def test_a_revision_keeps_unchanged_tasks_and_their_history(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    draft = import_plan(_seed(data_dir, "000"))
    first = confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        draft,
        source_name="v1.txt",
        sha256="e" * 64,
    )
    task2 = session.exec(select(Task).where(Task.plan_id == first.plan.id, Task.code == "2")).one()
    task2.status = TaskStatus.DONE
    session.add(task2)
    session.commit()

    tasks = list(draft.tasks)
    moved = parse_deadline("Quý IV/2025", plan_years=(2025,))
    tasks[0] = dataclasses.replace(tasks[0], deadline=moved)  # task 1 changes its deadline
    del tasks[10]  # task 11 is dropped
    tasks.append(DraftTask(code="12", title="Nhiệm vụ mới", deadline=moved, lead=tasks[1].lead))
    revised = dataclasses.replace(draft, tasks=tuple(tasks))

    assert [c.code for c in diff_against(session, first.plan, revised).changed] == ["1"]
    clock.advance(days=30)
    outcome = confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        revised,
        source_name="v2.txt",
        sha256="f" * 64,
    )
    assert outcome.revised is not None
    assert outcome.revised.id == first.plan.id
    assert (outcome.diff.added, outcome.diff.removed) == (("12",), ("11",))
    assert outcome.diff.unchanged == 9

    new_plan = outcome.plan
    by_code = {t.code: t for t in session.exec(select(Task).where(Task.plan_id == new_plan.id))}
    assert by_code["2"].id == task2.id
    assert by_code["2"].status is TaskStatus.DONE
    assert by_code["1"].due is not None
    assert by_code["1"].due.isoformat() == "2025-12-31"
    assert by_code["11"].status is TaskStatus.CANCELLED
    assert by_code["12"].status is TaskStatus.OPEN
    events = session.exec(select(TaskEvent.kind).where(TaskEvent.task_id == by_code["1"].id)).all()
    assert list(events) == [EventKind.CREATED, EventKind.UPDATED]
    old = session.get(Plan, first.plan.id)
    assert old is not None
    assert old.superseded_by_id == new_plan.id


def test_learned_aliases_are_used_on_the_next_import(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    add_unit(session, the_office(session, clock, ward), "Công chức Văn hóa - Xã hội")
    teach_alias(session, the_office(session, clock, ward), "CCVHXH", "Công chức Văn hóa - Xã hội")
    teach_alias(session, the_office(session, clock, ward), "CC VHXH", "Công chức Văn hóa - Xã hội")
    known = known_units(session, ward)
    assert any(u.name == "Công chức Văn hóa - Xã hội" and "CCVHXH" in u.aliases for u in known)
    draft = import_plan(_seed(data_dir, "000"), known_units=known)
    plan = confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        draft,
        source_name="000.txt",
        sha256="9" * 64,
    ).plan
    task1 = session.exec(select(Task).where(Task.plan_id == plan.id, Task.code == "1")).one()
    lead = session.exec(
        select(Unit.name)
        .join(TaskAssignment, col(TaskAssignment.unit_id) == Unit.id)
        .where(TaskAssignment.task_id == task1.id, TaskAssignment.role == AssignmentRole.LEAD)
    ).one()
    assert lead == "Công chức Văn hóa - Xã hội"
    assert _count(session, UnitAlias, col(UnitAlias.alias) == "CCVHXH") == 1


def test_a_plan_without_a_task_table_gives_its_units_standing_duties(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    draft = import_plan(_seed(data_dir, "004"))
    assert not draft.tasks
    assert not draft.is_empty
    plan = confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        draft,
        source_name="004.txt",
        sha256="d" * 64,
    ).plan
    duties = session.exec(
        select(Task).where(Task.plan_id == plan.id).order_by(col(Task.position))
    ).all()
    assert [task.kind for task in duties] == [TaskKind.DUTY] * 11
    assert [task.code for task in duties][:3] == ["NV1", "NV2", "NV3"]
    assert {task.deadline_kind for task in duties} == {"ongoing"}
    leads = session.exec(
        select(Unit.name)
        .join(TaskAssignment, col(TaskAssignment.unit_id) == Unit.id)
        .where(TaskAssignment.task_id == duties[0].id, TaskAssignment.role == AssignmentRole.LEAD)
    ).all()
    assert leads == ["Công chức Văn phòng - Thống kê"]
    assert {item.unit for item in draft.responsibilities} == {
        name
        for name in session.exec(
            select(Unit.name).where(Unit.organization_id == ward.id, Unit.kind == UnitKind.BODY)
        )
    }
    occurrences = session.exec(
        select(Occurrence).where(col(Occurrence.task_id).in_([t.id for t in duties]))
    ).all()
    assert len(occurrences) == 11
    assert all(o.next_reminder_at is not None for o in occurrences)  # its quarterly check-in


def test_a_revision_moving_a_deadline_keeps_what_was_recorded_on_the_task(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    """A task whose progress was recorded, re-dated by a revision: its period moves with its
    progress and history (deleting it failed on the events naming it: a traceback)."""
    draft = import_plan(_seed(data_dir, "000"))
    office = the_office(session, clock, ward)
    first = confirm_import(session, clock, office, draft, source_name="v1.txt", sha256="1" * 64)
    task1 = session.exec(select(Task).where(Task.plan_id == first.plan.id, Task.code == "1")).one()
    lead = session.exec(
        select(Unit.name)
        .join(TaskAssignment, col(TaskAssignment.unit_id) == Unit.id)
        .where(TaskAssignment.task_id == task1.id, TaskAssignment.role == AssignmentRole.LEAD)
    ).first()
    assert lead is not None
    officer = add_officer(session, clock, office, "Phạm Văn Minh", unit_names=(lead,))
    before = session.exec(select(Occurrence).where(Occurrence.task_id == task1.id)).one()
    assert before.id is not None
    record_progress(
        session, clock, officer, before.id, percent=40, comment="Đã có dự thảo", via=Channel.WEB
    )

    tasks = list(draft.tasks)
    moved = parse_deadline("Quý IV/2025", plan_years=(2025,))
    tasks[0] = dataclasses.replace(tasks[0], deadline=moved)
    clock.advance(days=3)
    confirm_import(
        session,
        clock,
        the_office(session, clock, ward),
        dataclasses.replace(draft, tasks=tuple(tasks)),
        source_name="v2.txt",
        sha256="2" * 64,
    )

    session.expire_all()
    after = session.exec(select(Occurrence).where(Occurrence.task_id == task1.id)).one()
    assert after.id == before.id
    assert after.due is not None
    assert after.due.isoformat() == "2025-12-31"
    assert after.status is TaskStatus.OPEN
    assert after.next_reminder_at is not None  # planned again for the new date
    task = session.get(Task, task1.id)
    assert task is not None
    assert task.progress == 40
    events = session.exec(select(TaskEvent.kind).where(TaskEvent.occurrence_id == after.id)).all()
    assert EventKind.PROGRESS in events


def test_storing_a_plan_counts_the_tasks_nobody_can_be_reminded_of_as_the_dashboard_does(
    session: Session, clock: FakeClock, ward: Organization, data_dir: Path
) -> None:
    """Seed 002 in a ward where one of its units has an officer: its tasks led by the others
    alone (or by "the officers concerned") have nobody to remind; the outcome says how many,
    the same figure as the dashboard's "nobody yet" row (the notice said "50 tasks assigned"
    beside a dashboard's "nobody yet 50")."""
    office = the_office(session, clock, ward)
    add_unit(session, office, "Văn phòng HĐND và UBND")
    add_officer(session, clock, office, "Phạm Văn Minh", unit_names=("Văn phòng HĐND và UBND",))
    draft = import_plan(_seed(data_dir, "002"), known_units=known_units(session, ward))

    outcome = confirm_import(session, clock, office, draft, source_name="002.txt", sha256="3" * 64)

    nobody = {load.officer: load.open for load in load_by_officer(session, clock, office)}["—"]
    assert 0 < outcome.unreminded < outcome.tracked
    assert outcome.unreminded == nobody
