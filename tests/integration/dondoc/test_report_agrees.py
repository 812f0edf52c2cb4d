"""The workbook, the draft and the dashboard say what `dondoc tasks list --json` says, on seeds
000-002: every task's state, each unit's assigned, done, overdue and blocked shares, the plan's
count, its tasks done, overdue and blocked; recurring tasks ("Hằng năm", "Hằng quý", …) the
same as the others: each is read by its occurrence that counts now (services.tracking.lateness).
"""

import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from sqlmodel import Session, col, func, select
from typer.testing import CliRunner

from dondoc.cli import build_cli
from models import Channel, Occurrence, Organization, Role, Task
from models.db import make_engine
from reports.wording import unit_label
from reports.workbook import HEADER_ROW
from services.clock import SystemClock
from services.people.officers import office_actor
from services.tracking.board import read_board
from services.tracking.task_list import occurrence_to_act_on
from services.tracking.tasks import report_blocker
from tests.support.clock import HCM
from tests.support.documents import docx_text

DONE = {"Đã hoàn thành", "Hoàn thành trễ hạn"}


def _dondoc(url: str, *args: str) -> str:
    result = CliRunner().invoke(
        build_cli("vi"),
        list(args),
        env={"DONDOC_DATABASE_URL": url, "DONDOC_LOCALE": "vi"},
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.stderr
    return result.stdout


def _block_a_recurring_task(url: str) -> int:
    """Block, as the office, the recurring task with the most periods (by the occurrence an
    undated "vướng" acts on); the dashboard's overdue count. 0 recurring tasks: nothing done."""
    engine = make_engine(url)
    clock = SystemClock(HCM)
    with Session(engine) as session:
        org = session.exec(select(Organization)).one()
        actor = office_actor(session, clock, org, roles=(Role.ADMIN,), name="office", locale="vi")
        periods = session.exec(
            select(Task, func.count(col(Occurrence.id)))
            .join(Occurrence, col(Occurrence.task_id) == Task.id)
            .where(col(Task.recurrence).is_not(None))
            .group_by(col(Task.id))
            .order_by(func.count(col(Occurrence.id)).desc(), col(Task.id))
        ).first()
        if periods is not None:
            occurrence = occurrence_to_act_on(session, periods[0])
            assert occurrence.id is not None
            report_blocker(
                session, clock, actor, occurrence.id, reason="thiếu kinh phí", via=Channel.CONSOLE
            )
        overdue = read_board(session, clock, actor).summary.overdue
    engine.dispose()
    return overdue


@pytest.mark.parametrize("prefix", ["000", "001", "002"])
def test_workbook_and_draft_agree_with_the_task_list(
    tmp_path: Path, data_dir: Path, prefix: str
) -> None:
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    seed = next((data_dir / "seeds").glob(f"{prefix}_*.txt"))
    with time_machine.travel(datetime(2025, 7, 10, 9, 0, tzinfo=HCM), tick=False):
        _dondoc(url, "org", "create", "Phường Bắc Sơn")
        _dondoc(url, "import", str(seed), "--yes")
        listed = json.loads(_dondoc(url, "tasks", "list", "--json"))
        first = listed[0]["code"]
        _dondoc(url, "tasks", "done", first)
        shared = next(
            (t for t in listed if sum(u["role"] == "lead" for u in t["units"]) > 1), None
        )
        if shared is not None:
            lead = next(u["unit"] for u in shared["units"] if u["role"] == "lead")
            _dondoc(url, "tasks", "done", shared["code"], "--unit", lead)
        dashboard_overdue = _block_a_recurring_task(url)
        listed = json.loads(_dondoc(url, "tasks", "list", "--json"))
        overdue_codes = {
            t["code"]
            for t in json.loads(_dondoc(url, "tasks", "list", "--json", "--status", "overdue"))
        }
        blocked_codes = {
            t["code"]
            for t in json.loads(_dondoc(url, "tasks", "list", "--json", "--status", "blocked"))
        }
        workbook, draft = tmp_path / "tien-do.xlsx", tmp_path / "bao-cao.docx"
        _dondoc(url, "report", "--as", "xlsx", "--period", "2025-Q3", "--out", str(workbook))
        _dondoc(url, "report", "--as", "docx", "--period", "2025-Q3", "--out", str(draft))

    tasks = [task for task in listed if task["status"] != "cancelled"]
    assert overdue_codes == {t["code"] for t in tasks if t["overdue"]}
    assert blocked_codes == {t["code"] for t in tasks if t["blocked"]}
    assert dashboard_overdue == len(overdue_codes)  # the dashboard's "overdue" figure
    book = load_workbook(io.BytesIO(workbook.read_bytes()))
    table, units = book.worksheets[0], book.worksheets[1]
    header = [cell.value for cell in table[HEADER_ROW]]
    status_at = header.index("Tình trạng")
    rows = [tuple(r) for r in table.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    task_rows = {row[0]: row for row in rows if row[0] and row[status_at]}
    assert set(task_rows) == {task["code"] for task in tasks}
    for task in tasks:  # blocked first: a blocked task is not counted overdue too
        state = task_rows[str(task["code"])][status_at]
        assert (state in DONE) == (task["status"] == "done")
        assert (state == "Vướng mắc") == task["blocked"], task["code"]
        assert (state == "Quá hạn") == (task["overdue"] and not task["blocked"]), task["code"]

    by_unit = {row[0]: row for row in units.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    leads: dict[str, list[str]] = {}
    overdue_of: dict[str, int] = {}
    blocked_of: dict[str, int] = {}
    for task in tasks:
        for share in task["units"]:
            if share["role"] != "lead":
                continue
            name = unit_label("vi", share["unit"])
            leads.setdefault(name, []).append(share["status"])
            if share["status"] == "open" and task["blocked"]:
                blocked_of[name] = blocked_of.get(name, 0) + 1
            elif share["status"] == "open" and task["overdue"]:
                overdue_of[name] = overdue_of.get(name, 0) + 1
    for unit, statuses in leads.items():
        assigned, on_time, late, _, overdue, blocked = (
            int(str(value)) for value in by_unit[unit][1:7]
        )
        assert assigned == len(statuses), unit
        assert on_time + late == statuses.count("done"), unit
        assert overdue == overdue_of.get(unit, 0), unit
        assert blocked == blocked_of.get(unit, 0), unit

    text = docx_text(draft.read_bytes())
    figures = re.search(
        r"Kế hoạch có (\d+) nhiệm vụ\. Đến ngày 10/07/2025: đã hoàn thành (\d+).*"
        r"quá hạn (\d+); vướng mắc (\d+);",
        text,
    )
    assert figures is not None
    assert int(figures[1]) == len(tasks)
    assert int(figures[2]) == sum(task["status"] == "done" for task in tasks)
    assert int(figures[2]) >= 1
    assert int(figures[3]) == len(overdue_codes - blocked_codes)
    assert int(figures[4]) == len(blocked_codes)
