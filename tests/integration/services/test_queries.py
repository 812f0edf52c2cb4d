"""The chair's figures: counts by status, unit and quarter; a quarter's tasks; names loosely."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from models import Channel, Occurrence, Outbox, OutboxKind, Role, TaskStatus
from plans.importer import import_plan
from services.errors import EmptyName, OfficerNotFound, PlanNotFound
from services.importing.demo import load_demo_ward
from services.importing.imports import confirm_import, known_units
from services.people.officers import add_officer, find_officer
from services.reminding.policies import calendar_for
from services.tracking.asking import Filters, find, overdue_besides
from services.tracking.dashboard import load_by_officer
from services.tracking.lateness import weekly_summary
from services.tracking.nudges import Nudged, remind_now
from services.tracking.queries import overdue, quarter, summary, tasks_for
from services.tracking.task_list import ListStatus, list_tasks, occurrence_to_act_on
from services.tracking.tasks import mark_done
from tests.support.clock import FakeClock
from tests.support.ward import DIA_CHINH, VHXH, Ward, the_office


def test_summary_counts_by_status_unit_and_quarter(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Lễ hội", due=date(2025, 2, 20))  # overdue on 03/03
    done = ward.task("2", "Báo cáo", due=date(2025, 3, 20))
    ward.task("3", "Đo đạc", unit=ward.dia_chinh, due=date(2025, 5, 5))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == done.id)).one()
    assert occurrence.id is not None
    mark_done(session, clock, ward.officer("minh"), occurrence.id, via=Channel.WEB)
    figures = summary(session, clock, ward.chair)
    assert figures.by_status == {TaskStatus.OPEN: 2, TaskStatus.DONE: 1}
    assert figures.overdue == 1
    assert figures.by_unit == [(DIA_CHINH, 1, 0, 0), (VHXH, 1, 1, 1)]
    assert figures.by_quarter == [(2025, 1, 1, 1), (2025, 2, 1, 0)]
    assert [i.code for i in quarter(session, ward.chair, year=2025, number=2)] == ["3"]
    assert [i.code for i in quarter(session, ward.chair, year=2025, number=1)] == ["1", "2"]


def test_a_question_about_a_quarter_keeps_its_first_to_last_day(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Lễ hội", due=date(2025, 9, 30))
    ward.task("2", "Báo cáo", due=date(2025, 10, 1))
    ward.task("3", "Đo đạc", due=date(2025, 12, 31))
    ward.task("4", "Tổng kết", due=date(2026, 1, 1))
    fourth = Filters(quarter=(2025, 4))
    assert [i.code for i in find(session, clock, ward.chair, fourth)] == ["2", "3"]
    assert [i.code for i in quarter(session, ward.chair, year=2025, number=4)] == ["2", "3"]
    window = Filters(quarter=(2025, 4), due_from=date(2025, 9, 1), due_to=date(2025, 12, 1))
    assert [i.code for i in find(session, clock, ward.chair, window)] == ["2"]


@pytest.mark.parametrize("typed", ["Minh", "anh Minh", "minh", "Phạm Văn Minh", "pham van minh"])
def test_an_officer_is_found_by_any_part_of_the_name(
    session: Session, clock: FakeClock, typed: str
) -> None:
    ward = Ward.build(session, clock)
    assert find_officer(session, ward.org, typed).id == ward.officer("minh").id


def test_an_unknown_or_ambiguous_name_is_refused(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    with pytest.raises(OfficerNotFound):
        find_officer(session, ward.org, "Hùng")
    add_officer(session, clock, ward.admin, "Nguyễn Văn Hùng", unit_names=(VHXH,))
    with pytest.raises(OfficerNotFound):
        find_officer(session, ward.org, "Văn")  # Phạm Văn Minh or Nguyễn Văn Hùng?
    with pytest.raises(OfficerNotFound):
        find_officer(session, ward.org, "")


def test_remind_now_queues_one_reminder_per_open_task_with_buttons(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo", due=date(2025, 3, 20))
    assert remind_now(session, clock, ward.chair, "Minh") == Nudged("Phạm Văn Minh", 2)
    rows = session.exec(select(Outbox).where(Outbox.kind == OutboxKind.REMINDER)).all()
    assert {r.officer_id for r in rows} == {ward.officer("minh").id}
    assert all(r.payload["buttons"] for r in rows)
    assert remind_now(session, clock, ward.chair, "Minh").count == 2  # same minute: no duplicates
    assert len(session.exec(select(Outbox)).all()) == 2
    with pytest.raises(EmptyName):  # the chat's "/nhac" without a name
        remind_now(session, clock, ward.chair, "  ")


def test_lateness_is_counted_in_working_days_as_the_reminders_count_it(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Tổng vệ sinh trước Tết", due=date(2025, 1, 24))  # Tết: 25/01–02/02/2025
    ward.task("2", "Lễ hội", due=date(2025, 2, 20))
    today = date(2025, 3, 3)

    late = {i.code: i.days_late(today) for i in tasks_for(session, ward.officer("minh"))}

    assert late == {"1": 21, "2": 7}  # calendar days would say 38 and 11
    calendar = calendar_for(session, ward.org.id or 0)
    assert late["1"] == calendar.working_days_between(date(2025, 1, 24), today)


def test_an_officers_list_and_the_dashboard_count_the_same_tasks(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    ward = load_demo_ward(session, clock)
    assert ward is not None
    seed = next((data_dir / "seeds").glob("002_*.txt"))
    draft = import_plan(seed, known_units=known_units(session, ward.organization))
    office = the_office(session, clock, ward.organization)
    confirm_import(
        session, clock, office, draft, source_name=seed.name,
        sha256=hashlib.sha256(seed.read_bytes()).hexdigest(),
    )  # fmt: skip
    chair = next(p for p in ward.people if p.role is Role.CHAIR)

    board = {load.officer: load.open for load in load_by_officer(session, clock, chair)}

    officers = [p for p in ward.people if p.role is Role.OFFICER]
    assert {p.name: len(tasks_for(session, p)) for p in officers} == {
        p.name: board[p.name] for p in officers
    }


def test_a_recurring_task_counts_once_by_its_oldest_open_occurrence_everywhere(
    session: Session, clock: FakeClock
) -> None:
    """A yearly task whose 2023 and 2024 occurrences were left open is overdue by its 2023 one
    (not on time by its next, 2025): once in /viec and /quahan, on the dashboard, in the weekly
    summary and in `dondoc tasks list`, with that occurrence's due date and lateness."""
    ward = Ward.build(session, clock)
    yearly = ward.task(
        "1",
        "Báo cáo năm",
        dues=(date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)),
        recurrence="yearly",
    )
    ward.task("2", "Lễ hội", due=date(2025, 5, 5))  # on time on 03/03
    oldest = date(2023, 12, 31)
    today = date(2025, 3, 3)
    minh = ward.officer("minh")

    mine = tasks_for(session, minh)
    assert [(i.code, i.due) for i in mine] == [("1", oldest), ("2", date(2025, 5, 5))]
    late = overdue(session, clock, ward.chair)
    assert [(i.code, i.due) for i in late] == [("1", oldest)]
    calendar = calendar_for(session, ward.org.id or 0)
    assert late[0].days_late(today) == calendar.working_days_between(oldest, today)

    figures = summary(session, clock, ward.chair)
    assert figures.overdue == 1
    assert figures.by_status == {TaskStatus.OPEN: 2}
    assert figures.by_unit == [(VHXH, 2, 0, 1)]
    load = load_by_officer(session, clock, ward.chair)[0]
    assert (load.open, load.overdue) == (2, 1)

    rows = list_tasks(session, clock, ward.chair, status=ListStatus.OVERDUE)
    assert [(r.code, r.due, r.overdue) for r in rows] == [("1", oldest, True)]
    assert occurrence_to_act_on(session, yearly).due == oldest
    by_unit = Filters(unit_id=ward.vhxh.id)  # a question: "văn hóa còn gì?", "… quá hạn gì?"
    assert [i.due for i in find(session, clock, ward.chair, by_unit)] == [oldest, date(2025, 5, 5)]
    soon = Filters(unit_id=ward.vhxh.id, due_from=today, due_soon=True)
    assert overdue_besides(session, clock, ward.chair, soon) == 1
    weekly = weekly_summary(
        session, ward.org.id or 0, today=today, now=clock.now(), calendar=calendar
    ).chair
    assert weekly is not None
    assert (weekly["open"], weekly["overdue"], weekly["overdue_codes"]) == (2, 1, ["1"])

    for year in (2023, 2024):  # the old years done: working towards 2025, on time
        occurrence = session.exec(
            select(Occurrence).where(
                Occurrence.task_id == yearly.id, Occurrence.due == date(year, 12, 31)
            )
        ).one()
        assert occurrence.id is not None
        mark_done(session, clock, minh, occurrence.id, via=Channel.WEB)
    assert overdue(session, clock, ward.chair) == []
    assert summary(session, clock, ward.chair).overdue == 0
    (row,) = [r for r in list_tasks(session, clock, ward.chair) if r.code == "1"]
    assert (row.due, row.overdue, row.status) == (date(2025, 12, 31), False, "open")


def test_the_task_list_narrowed_to_a_plan_named_by_number_or_title(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    ward.task("1", "Lễ hội", due=date(2025, 4, 20))
    ward.task("2", "Báo cáo", due=date(2025, 5, 20))
    for named in ("12/KH-UBND", "công tác năm 2025"):
        rows = list_tasks(session, clock, ward.chair, plan=named)
        assert [row.code for row in rows] == ["1", "2"], named
    with pytest.raises(PlanNotFound):
        list_tasks(session, clock, ward.chair, plan="99/KH-UBND")
