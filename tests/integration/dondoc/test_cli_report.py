"""`dondoc report PLAN --as xlsx|docx|png`: the files written, the plan found by its words."""

import io
from datetime import datetime
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook
from typer.testing import CliRunner

from dondoc.cli import build_cli
from reports.workbook import HEADER_ROW
from tests.support.clock import HCM
from tests.support.documents import docx_text


def _dondoc(url: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        build_cli("vi"),
        list(args),
        env={"DONDOC_DATABASE_URL": url, "DONDOC_LOCALE": "vi"},
        catch_exceptions=False,
    )
    return result.exit_code, result.stdout, result.stderr


def test_report_writes_the_workbook_the_draft_and_the_chart(
    tmp_path: Path, data_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    seed = next((data_dir / "seeds").glob("000_*.txt"))
    assert _dondoc(url, "org", "create", "Phường Bắc Sơn")[0] == 0
    assert _dondoc(url, "import", str(seed), "--yes")[0] == 0
    workbook = tmp_path / "tien-do.xlsx"
    code, out, err = _dondoc(
        url, "report", "cải", "cách", "--as", "xlsx", "--period", "2025-Q2", "--out",
        str(workbook),
    )  # fmt: skip
    assert code == 0, err
    assert out.strip() == f"Đã ghi: {workbook}"
    sheet = load_workbook(io.BytesIO(workbook.read_bytes())).worksheets[0]
    assert sheet.cell(row=HEADER_ROW, column=1).value == "Số TT"
    assert sheet.cell(row=2, column=1).value.endswith("quý II năm 2025")  # type: ignore[union-attr]
    draft = tmp_path / "bao-cao.docx"
    assert (
        _dondoc(url, "report", "73", "--as", "docx", "--period", "2025", "--out", str(draft))[0]
        == 0
    )
    assert "Kết quả thực hiện Kế hoạch số 73/KH-UBND ngày 24/12/2024 năm 2025" in docx_text(
        draft.read_bytes()
    )
    chart = tmp_path / "bieu-do.png"
    assert _dondoc(url, "report", "73", "--as", "png", "--out", str(chart))[0] == 0
    assert chart.read_bytes().startswith(b"\x89PNG")


def test_report_refuses_an_unknown_plan_format_or_period(tmp_path: Path, data_dir: Path) -> None:
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    seed = next((data_dir / "seeds").glob("000_*.txt"))
    _dondoc(url, "org", "create", "Phường Bắc Sơn")
    _dondoc(url, "import", str(seed), "--yes")
    code, _, err = _dondoc(url, "report", "99", "--out", str(tmp_path / "x.xlsx"))
    assert (code, err.strip()) == (
        1,
        "Không có kế hoạch 99: anh/chị ghi số hoặc vài chữ trong tên kế hoạch.",
    )
    assert _dondoc(url, "report", "73", "--as", "pdf")[0] == 2
    code, _, err = _dondoc(url, "report", "73", "--period", "2025-Q7")
    assert (code, err.strip()) == (2, "Không hiểu kỳ 2025-Q7: ghi 2025-Q2, 2025-H1 hoặc 2025.")
    assert not (tmp_path / "x.xlsx").exists()
    missing = tmp_path / "missing" / "x.xlsx"
    code, _, err = _dondoc(url, "report", "73", "--out", str(missing))
    assert (code, err.strip()) == (
        1,
        f"Không ghi được {missing}: xem thư mục của tệp có tồn tại và được phép ghi không.",
    )
    code, _, err = _dondoc(url, "report", "73", "--out", str(tmp_path))  # a folder
    assert code == 1
    assert err.strip().startswith(f"Không ghi được {tmp_path}:")


def test_by_default_the_only_plan_and_the_current_quarter_into_a_named_file(
    tmp_path: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'dondoc.db'}"
    seed = next((data_dir / "seeds").glob("000_*.txt"))
    monkeypatch.chdir(tmp_path)
    with time_machine.travel(datetime(2025, 8, 15, 9, 0, tzinfo=HCM), tick=False):
        _dondoc(url, "org", "create", "Phường Bắc Sơn")
        _dondoc(url, "import", str(seed), "--yes")
        code, out, err = _dondoc(url, "report")
    assert code == 0, err
    written = tmp_path / "tien-do-73-kh-ubnd-2025-Q3.xlsx"
    assert out.strip() == f"Đã ghi: {written.name}"
    sheet = load_workbook(io.BytesIO(written.read_bytes())).worksheets[0]
    assert sheet.cell(row=2, column=1).value == (
        "Tình hình thực hiện đến ngày 15/08/2025, quý III năm 2025"
    )
