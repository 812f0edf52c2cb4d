"""`dondoc import`: the draft as JSON without touching anything, then storing on confirmation."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, create_engine, select
from typer.testing import CliRunner

from dondoc.cli import build_cli
from models import Plan
from tests.conftest import DATABASES
from tests.support.databases import PostgresTemplate


def _seed(data_dir: Path, prefix: str) -> Path:
    return next((data_dir / "seeds").glob(f"{prefix}_*.txt"))


class Dondoc:
    """`dondoc ARGS…` with a given database."""

    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(
        self, *args: str, locale: str = "en", stdin: str | None = None
    ) -> tuple[int, str, str]:
        result = CliRunner().invoke(
            build_cli(locale),
            list(args),
            input=stdin,
            env={"DONDOC_DATABASE_URL": self.url, "DONDOC_LOCALE": locale},
            catch_exceptions=False,
        )
        return result.exit_code, result.stdout, result.stderr


@pytest.fixture(params=DATABASES)
def dondoc(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Dondoc]:
    if request.param == "postgresql":
        template: PostgresTemplate = request.getfixturevalue("pg_template")
        with template.empty() as url:
            yield Dondoc(url)
    else:
        yield Dondoc(f"sqlite:///{tmp_path / 'dondoc.db'}")


def test_dry_run_json_is_the_schema_form_and_writes_nothing(
    tmp_path: Path, data_dir: Path
) -> None:
    database = tmp_path / "never.db"
    code, out, err = Dondoc(f"sqlite:///{database}")(
        "import", str(_seed(data_dir, "000")), "--dry-run", "--json"
    )
    assert code == 0, err
    draft = json.loads(out)
    expected = json.loads((data_dir / "seeds" / "expected" / "000.json").read_text("utf-8"))
    assert set(draft) == set(expected)
    assert draft["plan"] == expected["plan"]
    assert [t["code"] for t in draft["tasks"]] == [t["code"] for t in expected["tasks"]]
    assert [u["name"] for u in draft["units"]] == [u["name"] for u in expected["units"]]
    assert not database.exists()


def test_import_asks_then_stores_then_refuses_the_same_file(
    dondoc: Dondoc, data_dir: Path
) -> None:
    seed = str(_seed(data_dir, "000"))
    dondoc("org", "create", "Phường Bắc Sơn")
    code, out, _ = dondoc("import", seed, stdin="n\n")
    assert code == 0
    assert "[1] Xây dựng Kế hoạch tuyên truyền CCHC" in out
    assert "The deadline falls before the plan's date." in out
    assert out.strip().endswith("Nothing was stored.")
    code, out, _ = dondoc("import", seed, stdin="y\n")
    assert code == 0
    assert (
        "✅ Imported 73/KH-UBND: 11 tasks. Reminders are scheduled; 11 of the tasks have no "
        "officer in dondoc yet"
    ) in out
    assert "CCVHXH" in dondoc("units", "list")[1]
    code, out, err = dondoc("import", seed, "--yes")
    assert code == 1
    assert err.startswith("This file was already imported as plan 73/KH-UBND")
    assert out == ""  # refused before the preview, not after it


def test_a_plan_in_vietnamese(dondoc: Dondoc, data_dir: Path) -> None:
    dondoc("org", "create", "Phường Bắc Sơn")
    code, out, _ = dondoc("import", str(_seed(data_dir, "000")), "--yes", locale="vi")
    assert code == 0
    assert "Chủ trì: Công chức Văn hóa – xã hội" in out
    assert "✅ Đã nhập 73/KH-UBND: 11 việc. Đã lên lịch nhắc việc; trong đó 11 việc chưa có" in out


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "is empty"),
        (b"PK\x03\x04 not really a zip", "damaged"),
        ("Xin chào, đây không phải kế hoạch.".encode(), "no task table"),
    ],
)
def test_bad_files_get_one_line_and_nothing_is_written(
    tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "plan.docx"
    bad.write_bytes(content)
    database = tmp_path / "dondoc.db"
    run = Dondoc(f"sqlite:///{database}")
    run("org", "create", "Phường Bắc Sơn")
    code, out, err = run("import", str(bad), "--yes")
    assert code == 1, out
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err
    assert run("units", "list")[1].strip() == "No units yet."


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    code, _, err = Dondoc(f"sqlite:///{tmp_path / 'd.db'}")("import", str(tmp_path / "nope.pdf"))
    assert code == 2
    assert err.strip() == f"There is no file {tmp_path / 'nope.pdf'}."


def test_a_plan_titled_as_a_plan_is_not_called_a_plan_twice(
    dondoc: Dondoc, data_dir: Path
) -> None:
    seed = str(_seed(data_dir, "002"))  # no number: the plan is named by its title
    dondoc("org", "create", "Phường Bắc Kạn")
    assert dondoc("import", seed, "--yes", locale="vi")[0] == 0

    code, out, err = dondoc("import", seed, "--yes", locale="vi")

    assert code == 1
    assert out == ""
    assert err.startswith("Tệp này đã được nhập ngày ")
    assert "kế hoạch Kế hoạch" not in err


def test_a_plan_dated_beyond_the_calendar_shows_its_rows_flagged_and_stores_nothing(
    dondoc: Dondoc, data_dir: Path, tmp_path: Path
) -> None:
    plan = tmp_path / "ke-hoach-9999.txt"
    plan.write_text(_seed(data_dir, "001").read_text("utf-8").replace("2025", "9999"), "utf-8")
    dondoc("org", "create", "Phường Bắc Sơn")
    code, out, _ = dondoc("import", str(plan), "--dry-run", "--json")
    assert code == 0
    flagged = [t for t in json.loads(out)["tasks"] if "date_beyond_calendar" in t["flags"]]
    assert flagged
    for asked in (["--yes"], []):  # refused after the preview, before any question
        code, out, err = dondoc("import", str(plan), *asked, locale="vi")
        assert code == 1
        assert "ngoài các năm 1901–2099 mà lịch của dondoc tính được: phải sửa" in out
        assert "?" not in out.strip().splitlines()[-1]
        assert len(err.strip().splitlines()) == 1
        assert err.startswith("Chưa lưu gì: “")
        assert "Traceback" not in err
    engine = create_engine(dondoc.url)
    with Session(engine) as session:
        assert session.exec(select(Plan)).all() == []
    engine.dispose()


def test_the_preview_waits_in_the_database_only_until_answered(
    dondoc: Dondoc, data_dir: Path
) -> None:
    seed = str(_seed(data_dir, "001"))
    dondoc("org", "create", "Phường Bắc Sơn")
    engine = create_engine(dondoc.url)
    try:
        assert dondoc("import", seed, stdin="n\n")[0] == 0
        with engine.connect() as connection:
            left = connection.execute(text("SELECT count(*) FROM pendingimport")).scalar_one()
            plans = connection.execute(text("SELECT count(*) FROM plan")).scalar_one()
        assert (left, plans) == (0, 0)  # "no" forgets the preview
        assert dondoc("import", seed, "--yes")[0] == 0
        with engine.connect() as connection:
            left = connection.execute(text("SELECT count(*) FROM pendingimport")).scalar_one()
            plans = connection.execute(text("SELECT count(*) FROM plan")).scalar_one()
        assert (left, plans) == (0, 1)
    finally:
        engine.dispose()
