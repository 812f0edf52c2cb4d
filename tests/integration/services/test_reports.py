"""Reports from the seed plans: the workbook in the plan's own table, the draft, for whom."""

import io
import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlmodel import Session, col, select

from models import (
    Channel,
    Occurrence,
    Officer,
    Organization,
    Plan,
    Role,
    Task,
    TaskKind,
    TaskStatus,
)
from plans.importer import import_plan
from reports.draft import build_draft
from reports.period import parse_period
from reports.wording import unit_label
from reports.workbook import HEADER_ROW, build_workbook
from services.errors import PlanAmbiguous, PlanNotFound
from services.importing.imports import confirm_import
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.reporting.snapshots import plan_snapshot
from services.tracking.extensions import request_extension
from services.tracking.plans import find_plan
from services.tracking.queries import items
from services.tracking.tasks import mark_done, record_progress, report_blocker
from tests.support.clock import HCM, FakeClock
from tests.support.documents import docx_text
from tests.support.ward import Ward, the_office

ADDED = ["Tình trạng", "Ngày hoàn thành", "Tiến độ (%)", "Kết quả, ghi chú"]
HEADERS = {
    "000": ["Số TT", "Nội dung công việc", "Bộ phận CBCC chủ trì",
            "Đơn vị, Bô phận CBCC phối hợp", "Thời gian hoàn thành chậm nhất"],
    "001": ["STT", "Nhiệm vụ trọng tâm", "Bộ phận chủ trì", "Bộ phận phối hợp",
            "Thời gian hoàn thành"],
    "002": ["STT", "Lĩnh vực, tiêu chí", "Yêu cầu năm 2025", "Thời gian hoàn thành",
            "Cơ quan chủ trì", "Cơ quan phối hợp"],
}  # fmt: skip


@dataclass
class Seeded:
    """A ward with one seed plan imported, its chair and an officer of the first lead unit."""

    plan: Plan
    chair: Officer
    officer: Officer
    officer_unit: str


def _import(session: Session, clock: FakeClock, data_dir: Path, prefix: str) -> Seeded:
    org = create_organization(session, clock, "Phường Bắc Sơn")
    seed = next((data_dir / "seeds").glob(f"{prefix}_*.txt"))
    draft = import_plan(seed)
    outcome = confirm_import(
        session,
        clock,
        the_office(session, clock, org),
        draft,
        source_name=seed.name,
        sha256=prefix * 21,
    )
    chair = add_officer(
        session, clock, the_office(session, clock, org), "Trần Thị Lan", role=Role.CHAIR
    )
    leads = [name for task in draft.tasks for name in task.lead if not name.startswith("@")]
    unit = (leads or [item.unit for item in draft.responsibilities])[0]  # 004: duties only
    officer = add_officer(
        session, clock, the_office(session, clock, org), "Phạm Văn Minh", unit_names=(unit,)
    )
    return Seeded(outcome.plan, chair, officer, unit)


def _occurrence(session: Session, plan: Plan, code: str) -> int:
    occurrence = session.exec(
        select(Occurrence)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(Task.plan_id == plan.id, Task.code == code)
        .order_by(col(Occurrence.due))
    ).first()
    assert occurrence is not None
    assert occurrence.id is not None
    return occurrence.id


def chair_org(session: Session, chair: Officer) -> Organization:
    org = session.get(Organization, chair.organization_id)
    assert org is not None
    return org


def _at(clock: FakeClock, day: date) -> None:
    clock.move_to(datetime(day.year, day.month, day.day, 9, 0, tzinfo=HCM))


def _body(sheet: Worksheet) -> list[tuple[object, ...]]:
    return [tuple(row) for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


def _workbook(content: bytes) -> list[Worksheet]:
    book = load_workbook(io.BytesIO(content))
    return [book[name] for name in book.sheetnames]


def _live_seed_000(session: Session, clock: FakeClock, data_dir: Path) -> Seeded:
    """Seed 000 with a quarter of work recorded: done on time, done late, blocked, progress,
    an extension asked for."""
    seeded = _import(session, clock, data_dir, "000")
    chair, plan = seeded.chair, seeded.plan
    _at(clock, date(2025, 3, 20))
    mark_done(session, clock, chair, _occurrence(session, plan, "1"), via=Channel.WEB)
    _at(clock, date(2025, 7, 3))
    mark_done(session, clock, chair, _occurrence(session, plan, "2"), via=Channel.WEB)
    report_blocker(
        session, clock, chair, _occurrence(session, plan, "3"), reason="chưa có kinh phí",
        via=Channel.WEB,
    )  # fmt: skip
    record_progress(
        session, clock, chair, _occurrence(session, plan, "5"), percent=40,
        comment="đã rà soát 3/8 thủ tục", via=Channel.WEB,
    )  # fmt: skip
    office = add_officer(  # the chair re-dates herself: the office asks her for a unit
        session, clock, the_office(session, clock, chair_org(session, chair)), "Văn phòng",
        role=Role.ADMIN,
    )  # fmt: skip
    request_extension(
        session, clock, office, _occurrence(session, plan, "7"), until=date(2025, 10, 31),
        reason="chờ hướng dẫn của thành phố", via=Channel.WEB,
    )  # fmt: skip
    _at(clock, date(2025, 7, 10))
    return seeded


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_first_sheet_is_the_plans_table_with_its_headers_and_one_row_per_task(
    session: Session, clock: FakeClock, data_dir: Path, prefix: str
) -> None:
    seeded = _import(session, clock, data_dir, prefix)
    snapshot = plan_snapshot(session, clock, seeded.chair, seeded.plan.number)
    table = _workbook(build_workbook(snapshot))[0]
    header = [cell.value for cell in table[HEADER_ROW]]
    assert header == HEADERS[prefix] + ADDED
    tasks = session.exec(
        select(Task)
        .where(Task.plan_id == seeded.plan.id, Task.kind == TaskKind.TASK)
        .order_by(col(Task.position))
    ).all()
    rows = _body(table)
    status_at = len(HEADERS[prefix])
    title_at = header.index(HEADERS[prefix][1])
    task_rows = [row for row in rows if row[0] and row[status_at]]
    unit_rows = [row for row in rows if not row[0] and str(row[title_at]).startswith("– ")]
    sections = [row for row in rows if not row[status_at]]
    assert [row[0] for row in task_rows] == [task.code for task in tasks]
    assert len(unit_rows) == sum(len(s.shares) for s in snapshot.tasks if len(s.shares) > 1)
    assert all(row[status_at] for row in unit_rows)
    assert len(rows) == len(task_rows) + len(unit_rows) + len(sections)
    headings = {f"{row[0]} {row[title_at]}" for row in sections}
    assert len(headings) == len(sections)
    assert {" ".join(h.replace(".", " ").split()) for t in tasks for h in t.sections} == {
        " ".join(text.replace(".", " ").split()) for text in headings
    }
    assert {row[status_at] for row in task_rows} <= {"Chưa đến hạn", "Quá hạn", "Đang thực hiện"}


def test_sections_are_printed_where_the_plan_prints_them(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    """Seed 002 numbers its table I, II … with 2.1, 2.2 … under II: every heading is printed
    once, above its first row, outermost first (III and IX head no task of their own)."""
    seeded = _import(session, clock, data_dir, "002")
    snapshot = plan_snapshot(session, clock, seeded.chair, None)
    rows = _body(_workbook(build_workbook(snapshot))[0])
    status_at = len(HEADERS["002"])
    codes = [str(row[0]) for row in rows if row[0]]  # headings and tasks, not unit rows
    headings = [str(row[0]) for row in rows if not row[status_at]]
    assert headings == [
        "I", "II", "2.1", "2.2", "III", "3.1", "3.2", "IV", "4.1", "4.2", "V", "VI", "6.1",
        "6.2", "6.3", "VII", "7.1", "7.2", "7.3", "VIII", "8.1", "IX", "9.1", "9.2", "9.3",
    ]  # fmt: skip
    assert codes[:13] == [
        "I", "1.1", "1.2", "1.3", "1.4", "II", "2.1", "2.1.1", "2.1.2", "2.2", "2.2.1", "2.2.2",
        "2.3",
    ]  # fmt: skip
    assert codes[codes.index("2.3") + 1 : codes.index("2.3") + 4] == ["III", "3.1", "3.1.1"]
    title_at = HEADERS["002"].index("Lĩnh vực, tiêu chí")
    assert rows[[row[0] for row in rows].index("III")][title_at] == "CẢI CÁCH THỦ TỤC HÀNH CHÍNH"


def test_statuses_remarks_and_unit_figures_are_those_recorded(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    seeded = _live_seed_000(session, clock, data_dir)
    snapshot = plan_snapshot(
        session, clock, seeded.chair, "cải cách hành chính", period=parse_period("2025-Q2")
    )
    table, units = _workbook(build_workbook(snapshot))[:2]
    status_at = len(HEADERS["000"])
    rows = {row[0]: row for row in _body(table) if row[0]}
    assert rows["1"][status_at : status_at + 3] == ("Đã hoàn thành", "20/03/2025", 100)
    assert rows["2"][status_at : status_at + 3] == ("Hoàn thành trễ hạn", "03/07/2025", 100)
    assert rows["3"][status_at] == "Vướng mắc"
    assert rows["3"][status_at + 3] == "Vướng mắc: chưa có kinh phí"
    assert rows["5"][status_at : status_at + 4] == (
        "Đang thực hiện", None, 40, "đã rà soát 3/8 thủ tục",
    )  # fmt: skip
    assert rows["6"][status_at] == "Quá hạn"  # due 30/09/2024, never done
    assert rows["7"][status_at + 3] == "Xin gia hạn đến 31/10/2025, chờ Chủ tịch quyết định"
    assert rows["8"][status_at] == "Chưa đến hạn"

    header = [cell.value for cell in units[HEADER_ROW]]
    assert header[:8] == [
        "Đơn vị", "Được giao", "Hoàn thành đúng hạn", "Hoàn thành trễ hạn", "Đang thực hiện",
        "Quá hạn", "Vướng mắc", "Chưa đến hạn",
    ]  # fmt: skip
    sheet = {row[0]: row for row in _body(units) if row[0]}
    today = date(2025, 7, 10)
    for unit in {
        name for item in items(session, seeded.chair, open_only=False) for name in item.units
    }:
        mine = [i for i in items(session, seeded.chair, open_only=False) if unit in i.units]
        done = sum(i.status is TaskStatus.DONE for i in mine)
        blocked = sum(i.status is TaskStatus.BLOCKED for i in mine)
        late = sum(
            i.status is TaskStatus.OPEN and i.due is not None and i.due < today for i in mine
        )
        row = [int(value) if isinstance(value, int) else 0 for value in sheet[unit][1:8]]
        assert (row[0], row[1] + row[2], row[4], row[5]) == (len(mine), done, late, blocked)
    total = sheet["Tổng cộng"]
    assert (total[2], total[3], total[6]) == (1, 1, 1)
    overdue = total[5]
    assert isinstance(overdue, int)
    assert total[8] == pytest.approx(1 / (1 + 1 + overdue + 1))


def test_an_officer_gets_the_rows_of_their_own_unit_only(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    seeded = _import(session, clock, data_dir, "002")
    everything = plan_snapshot(session, clock, seeded.chair, None)
    snapshot = plan_snapshot(session, clock, seeded.officer, None)
    assert snapshot.only_units is not None
    assert seeded.officer_unit in snapshot.only_units
    table, units = _workbook(build_workbook(snapshot))[:2]
    status_at = len(HEADERS["002"])
    shown = [row[0] for row in _body(table) if row[0] and row[status_at]]
    theirs = [
        task.code
        for task in everything.tasks
        if any(share.unit in snapshot.only_units for share in task.shares)
    ]
    assert shown == theirs
    assert 0 < len(shown) < len(everything.tasks)
    by_unit = [row[0] for row in _body(units)]
    by_unit = by_unit[: by_unit.index(None)] if None in by_unit else by_unit
    labels = {unit_label("vi", name) for name in snapshot.only_units}
    assert set(by_unit) <= {*labels, "Tổng cộng"}


def test_each_lead_units_share_has_its_own_row_and_state(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    seeded = _import(session, clock, data_dir, "002")
    before = plan_snapshot(session, clock, seeded.chair, None)
    shared = next(task for task in before.tasks if len(task.shares) > 1)
    occurrence = _occurrence(session, seeded.plan, shared.code)
    mark_done(session, clock, seeded.officer, occurrence, via=Channel.WEB)

    snapshot = plan_snapshot(session, clock, seeded.chair, None)
    table = _workbook(build_workbook(snapshot))[0]
    status_at = len(HEADERS["002"])
    rows = _body(table)
    at = next(i for i, row in enumerate(rows) if row[0] == shared.code and row[status_at])
    units = rows[at + 1 : at + 1 + len(shared.shares)]
    assert rows[at][status_at] != "Đã hoàn thành"  # the others are still behind
    states = {str(row[1]).removeprefix("– "): row[status_at] for row in units}
    assert states.pop(unit_label("vi", seeded.officer_unit)) == "Đã hoàn thành"
    assert states
    assert "Đã hoàn thành" not in states.values()


def test_a_plan_without_a_table_reports_on_its_units_duties(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    seeded = _import(session, clock, data_dir, "004")
    snapshot = plan_snapshot(session, clock, seeded.chair, None)
    duties = session.exec(
        select(Task).where(Task.plan_id == seeded.plan.id, Task.kind == TaskKind.DUTY)
    ).all()
    assert len(snapshot.tasks) == len(duties) > 0
    table, units = _workbook(build_workbook(snapshot))[:2]
    status_at = [cell.value for cell in table[HEADER_ROW]].index("Tình trạng")
    assert len([row for row in _body(table) if row[status_at]]) >= len(duties)
    assert {row[0] for row in _body(units) if row[0]} >= {seeded.officer_unit, "Tổng cộng"}


def test_a_plan_is_found_by_number_or_title_words_and_refused_otherwise(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    seeded = _import(session, clock, data_dir, "000")
    assert find_plan(session, seeded.chair, "73").id == seeded.plan.id
    assert find_plan(session, seeded.chair, "73/KH-UBND").id == seeded.plan.id
    assert find_plan(session, seeded.chair, "cai cach").id == seeded.plan.id
    assert find_plan(session, seeded.chair, None).id == seeded.plan.id
    with pytest.raises(PlanNotFound):
        find_plan(session, seeded.chair, "99")
    second = import_plan(next((data_dir / "seeds").glob("001_*.txt")))
    org_plan = session.get(Plan, seeded.plan.id)
    assert org_plan is not None
    from models import Organization

    org = session.get(Organization, org_plan.organization_id)
    assert org is not None
    confirm_import(
        session,
        clock,
        the_office(session, clock, org),
        second,
        source_name="001.txt",
        sha256="1" * 64,
    )
    with pytest.raises(PlanAmbiguous):
        find_plan(session, seeded.chair, "cải cách hành chính")


def test_the_draft_reads_as_the_golden_file(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    seeded = _live_seed_000(session, clock, data_dir)
    snapshot = plan_snapshot(session, clock, seeded.chair, "73", period=parse_period("2025-Q2"))
    text = docx_text(build_draft(snapshot))
    golden = Path(__file__).parents[2] / "golden" / "reports" / "seed-000-2025-Q2.txt"
    if os.environ.get("DONDOC_UPDATE_GOLDEN") == "1":
        golden.write_text(text, "utf-8")
    assert text == golden.read_text("utf-8")


@pytest.mark.parametrize(
    ("last_year", "expected"),
    [
        (TaskStatus.DONE, "Chưa đến hạn"),  # last year's done: this year's is not yet due
        (TaskStatus.OPEN, "Quá hạn"),  # last year's still open: overdue, carried over
    ],
)
def test_a_yearly_tasks_state_in_a_quarter_is_that_of_the_year_it_works_towards(
    session: Session, clock: FakeClock, last_year: TaskStatus, expected: str
) -> None:
    ward = Ward.build(session, clock)
    task = ward.task(
        "1", "Báo cáo công tác năm", dues=(date(2024, 12, 31), date(2025, 12, 31)),
        recurrence="yearly",
    )  # fmt: skip
    first = session.exec(
        select(Occurrence).where(Occurrence.task_id == task.id).order_by(col(Occurrence.due))
    ).first()
    assert first is not None
    if last_year is TaskStatus.DONE:
        assert first.id is not None
        _at(clock, date(2024, 12, 20))
        mark_done(session, clock, ward.chair, first.id, via=Channel.WEB)
    _at(clock, date(2025, 7, 10))
    snapshot = plan_snapshot(session, clock, ward.chair, None, period=parse_period("2025-Q3"))
    table = _workbook(build_workbook(snapshot))[0]
    status_at = [cell.value for cell in table[HEADER_ROW]].index("Tình trạng")
    [row] = _body(table)
    assert row[status_at] == expected
    assert row[status_at + 1] is None  # no completion date of last year's in this year's report
