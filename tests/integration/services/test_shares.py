"""Each lead unit's share is tracked on its own: one unit's "xong" leaves the task open for the
others, reminders go only to the units still behind, "all units" is one share per unit."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, col, select

from models import (
    AssignmentRole,
    Channel,
    EventKind,
    Occurrence,
    Outbox,
    Share,
    Task,
    TaskAssignment,
    TaskEvent,
    TaskStatus,
    Unit,
    UnitKind,
)
from plans.importer import import_plan
from services.errors import AlreadyDone, NotAllowed, NotDone, UnitNotLead
from services.importing.imports import confirm_import
from services.people.units import add_unit
from services.reminding.reminders import scan, schedule_occurrences
from services.tracking.shares import shares_of
from services.tracking.tasks import mark_done, record_progress, reopen, report_blocker
from tests.support.clock import HCM, FakeClock
from tests.support.told import told_of
from tests.support.ward import Ward

WEB = Channel.WEB


def _occurrence(session: Session, task: Task) -> Occurrence:
    return session.exec(
        select(Occurrence).where(Occurrence.task_id == task.id).order_by(col(Occurrence.due))
    ).first()  # type: ignore[return-value]


def _two_unit_task(ward: Ward) -> tuple[Task, int]:
    task = ward.task(
        "5", "Rà soát thủ tục hành chính", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 20)
    )
    occurrence = _occurrence(ward.session, task)
    assert occurrence.id is not None
    return task, occurrence.id


def test_one_units_done_leaves_the_task_open_for_the_other(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    task, occurrence_id = _two_unit_task(ward)
    ref = mark_done(session, clock, ward.officer("minh"), occurrence_id, via=WEB)
    assert (ref.status, ref.units_done, ref.units_total) == (TaskStatus.OPEN, 1, 2)
    session.refresh(task)
    assert task.status is TaskStatus.OPEN
    shares = {s.unit: s for s in shares_of(session, [task.id or 0])[task.id or 0]}
    assert shares[ward.vhxh.name].status is TaskStatus.DONE
    assert shares[ward.vhxh.name].done_at == clock.now()
    assert shares[ward.dia_chinh.name].status is TaskStatus.OPEN
    [told] = session.exec(select(Outbox)).all()
    assert told.officer_id == ward.chair.id
    lines = told.payload["lines"]
    assert isinstance(lines, list)
    [said] = lines
    assert (said["params"]["done"], said["params"]["total"]) == (1, 2)
    assert said["params"]["remaining"] == ward.dia_chinh.name
    with pytest.raises(AlreadyDone):
        mark_done(session, clock, ward.officer("minh"), occurrence_id, via=WEB)
    clock.advance(hours=1)
    ref = mark_done(session, clock, ward.officer("tuan"), occurrence_id, via=WEB)
    assert (ref.status, ref.units_done) == (TaskStatus.DONE, 2)
    session.refresh(task)
    assert (task.status, task.progress) == (TaskStatus.DONE, 100)
    done = session.exec(
        select(TaskEvent).where(TaskEvent.task_id == task.id, TaskEvent.kind == EventKind.DONE)
    ).all()
    assert len(done) == 2
    assert all(event.assignment_id is not None for event in done)


def test_coordinators_do_not_hold_a_task_open(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", coordinators=(ward.dia_chinh,), due=date(2025, 3, 10))
    occurrence = _occurrence(session, task)
    assert occurrence.id is not None
    ref = mark_done(session, clock, ward.officer("minh"), occurrence.id, via=WEB)
    assert ref.status is TaskStatus.DONE


def test_the_chair_closes_one_units_share_or_the_whole_task(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    _task, occurrence_id = _two_unit_task(ward)
    ref = mark_done(session, clock, ward.chair, occurrence_id, via=WEB, unit_id=ward.dia_chinh.id)
    assert (ref.status, ref.units_done) == (TaskStatus.OPEN, 1)
    with pytest.raises(UnitNotLead):
        mark_done(session, clock, ward.chair, occurrence_id, via=WEB, unit_id=ward.van_phong.id)
    with pytest.raises(UnitNotLead):  # an officer names only their own unit
        mark_done(
            session, clock, ward.officer("tuan"), occurrence_id, via=WEB, unit_id=ward.vhxh.id
        )
    ref = mark_done(session, clock, ward.chair, occurrence_id, via=WEB)
    assert ref.status is TaskStatus.DONE


def test_reopen_is_for_the_chair_and_opens_one_share(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task, occurrence_id = _two_unit_task(ward)
    mark_done(session, clock, ward.chair, occurrence_id, via=WEB)
    with pytest.raises(NotAllowed):
        reopen(session, clock, ward.officer("minh"), occurrence_id, via=WEB)
    ref = reopen(session, clock, ward.chair, occurrence_id, via=WEB, unit_id=ward.vhxh.id)
    assert (ref.status, ref.units_done) == (TaskStatus.OPEN, 1)
    session.refresh(task)
    assert task.status is TaskStatus.OPEN
    occurrence = session.get_one(Occurrence, occurrence_id)
    assert occurrence.next_reminder_at is not None  # reminders resume
    with pytest.raises(NotDone):
        reopen(session, clock, ward.chair, occurrence_id, via=WEB, unit_id=ward.vhxh.id)
    kinds = [
        e.kind
        for e in session.exec(
            select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(col(TaskEvent.id))
        )
    ]
    assert kinds[-1] is EventKind.REOPENED


def test_progress_and_blockers_are_each_units_own(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task, occurrence_id = _two_unit_task(ward)
    record_progress(session, clock, ward.officer("minh"), occurrence_id, percent=80, via=WEB)
    session.refresh(task)
    assert task.progress == 40  # the mean of the two units
    report_blocker(session, clock, ward.officer("tuan"), occurrence_id, reason="thiếu", via=WEB)
    by_unit = {s.unit: s for s in shares_of(session, [task.id or 0])[task.id or 0]}
    assert by_unit[ward.vhxh.name].status is TaskStatus.OPEN
    assert by_unit[ward.vhxh.name].progress == 80
    assert by_unit[ward.dia_chinh.name].status is TaskStatus.BLOCKED
    session.refresh(task)
    assert task.status is TaskStatus.BLOCKED


def test_reminders_go_only_to_the_units_still_behind(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    task, occurrence_id = _two_unit_task(ward)
    mark_done(session, clock, ward.officer("minh"), occurrence_id, via=WEB)
    occurrence = session.get_one(Occurrence, occurrence_id)
    clock.move_to(datetime(2025, 3, 21, 8, 0, tzinfo=HCM))  # the day after it was due
    schedule_occurrences(session, FakeClock(clock.now() - timedelta(days=1)), [occurrence])
    session.commit()
    for _ in range(3):
        scan(session, clock)
        clock.advance(days=1)
    reminded = told_of(session, task.code, ("reminder", "overdue"))
    assert reminded == {ward.officer("tuan").id}
    escalations = [
        item
        for item in session.exec(select(Outbox).where(Outbox.officer_id == ward.chair.id))
        if "escalation" in str(item.payload)
    ]
    for outbox in escalations:
        assert ward.vhxh.name not in str(outbox.payload)


def test_all_units_is_one_share_per_unit_and_a_new_unit_gets_its_own(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    draft = import_plan(next((data_dir / "seeds").glob("002_*.txt")))
    plan = confirm_import(
        session, clock, ward.admin, draft, source_name="002.txt", sha256="c" * 64
    ).plan
    bodies = {
        unit.id
        for unit in session.exec(
            select(Unit).where(
                Unit.organization_id == ward.org.id,
                Unit.kind == UnitKind.BODY,
                col(Unit.external).is_(False),
            )
        )
    }
    expected = sum(1 for task in draft.tasks if "@all" in task.lead)
    all_tasks = session.exec(
        select(Task).where(
            Task.plan_id == plan.id,
            col(Task.id).in_(
                select(TaskAssignment.task_id).where(col(TaskAssignment.expanded).is_(True))
            ),
        )
    ).all()
    assert len(all_tasks) == expected == 23
    first = all_tasks[0]
    leads = {
        a.unit_id
        for a in session.exec(
            select(TaskAssignment).where(
                TaskAssignment.task_id == first.id, TaskAssignment.role == AssignmentRole.LEAD
            )
        )
    }
    assert leads == bodies
    occurrence = _occurrence(session, first)
    shares = session.exec(select(Share).where(Share.occurrence_id == occurrence.id)).all()
    assert len(shares) == len(bodies)
    assert occurrence.id is not None
    mark_done(session, clock, ward.officer("minh"), occurrence.id, via=WEB)
    session.refresh(first)
    assert first.status is TaskStatus.OPEN
    newcomer = add_unit(session, ward.admin, "Công an phường")
    leads_after = {
        a.unit_id
        for a in session.exec(
            select(TaskAssignment).where(
                TaskAssignment.task_id == first.id, TaskAssignment.role == AssignmentRole.LEAD
            )
        )
    }
    assert newcomer.id in leads_after
    assert len(session.exec(select(Share).where(Share.occurrence_id == occurrence.id)).all()) == (
        len(bodies) + 1
    )


def test_a_unit_a_later_plan_brings_gets_its_share_of_all_units_tasks(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = Ward.build(session, clock)
    first = import_plan(next((data_dir / "seeds").glob("002_*.txt")))
    confirm_import(session, clock, ward.admin, first, source_name="002.txt", sha256="e" * 64)
    expanded = select(TaskAssignment.task_id).where(col(TaskAssignment.expanded).is_(True))
    task = session.exec(select(Task).where(col(Task.id).in_(expanded))).first()
    assert task is not None
    before = len(
        session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task.id)).all()
    )
    second = import_plan(next((data_dir / "seeds").glob("000_*.txt")))
    confirm_import(session, clock, ward.admin, second, source_name="000.txt", sha256="f" * 64)
    leads = {
        name
        for name in session.exec(
            select(Unit.name)
            .join(TaskAssignment, col(TaskAssignment.unit_id) == Unit.id)
            .where(TaskAssignment.task_id == task.id, TaskAssignment.role == AssignmentRole.LEAD)
        )
    }
    assert {"Công an", "Trạm Y tế"} <= leads
    after = len(
        session.exec(select(TaskAssignment).where(TaskAssignment.task_id == task.id)).all()
    )
    assert after > before
