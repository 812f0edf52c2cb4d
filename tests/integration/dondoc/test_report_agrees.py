"""The workbook and the draft say what `dondoc tasks list --json` says, on seeds 000-002: every
task's state, each unit's assigned and done shares, the plan's count and its tasks done."""

import io
import json
import re
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from typer.testing import CliRunner

from dondoc.cli import build_cli
from reports.wording import unit_label
from reports.workbook import HEADER_ROW
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
        listed = json.loads(_dondoc(url, "tasks", "list", "--json"))
        workbook, draft = tmp_path / "tien-do.xlsx", tmp_path / "bao-cao.docx"
        _dondoc(url, "report", "--as", "xlsx", "--period", "2025-Q3", "--out", str(workbook))
        _dondoc(url, "report", "--as", "docx", "--period", "2025-Q3", "--out", str(draft))

    tasks = [task for task in listed if task["status"] != "cancelled"]
    book = load_workbook(io.BytesIO(workbook.read_bytes()))
    table, units = book.worksheets[0], book.worksheets[1]
    header = [cell.value for cell in table[HEADER_ROW]]
    status_at = header.index("Tình trạng")
    rows = [tuple(r) for r in table.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]
    task_rows = {row[0]: row for row in rows if row[0] and row[status_at]}
    assert set(task_rows) == {task["code"] for task in tasks}
    for task in tasks:
        assert (task_rows[str(task["code"])][status_at] in DONE) == (task["status"] == "done")

    by_unit = {row[0]: row for row in units.iter_rows(min_row=HEADER_ROW + 1, values_only=True)}
    leads: dict[str, list[str]] = {}
    for task in tasks:
        for share in task["units"]:
            if share["role"] == "lead":
                leads.setdefault(unit_label("vi", share["unit"]), []).append(share["status"])
    for unit, statuses in leads.items():
        assigned, on_time, late = (int(str(value)) for value in by_unit[unit][1:4])
        assert assigned == len(statuses), unit
        assert on_time + late == statuses.count("done"), unit

    text = docx_text(draft.read_bytes())
    figures = re.search(
        r"Kế hoạch có (\d+) nhiệm vụ\. Đến ngày 10/07/2025: đã hoàn thành (\d+)", text
    )
    assert figures is not None
    assert int(figures[1]) == len(tasks)
    assert int(figures[2]) == sum(task["status"] == "done" for task in tasks)
    assert int(figures[2]) >= 1
