"""The command line, as an office admin types it: round trips and clear refusals."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dondoc.cli import build_cli
from models.db import make_engine
from models.migrate import head_revision, upgrade
from tests.conftest import DATABASES
from tests.support.databases import PostgresTemplate

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture(params=DATABASES)
def dondoc(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Run]:
    """`dondoc ARGS…` against a fresh, empty database of each kind."""
    if request.param == "postgresql":
        template: PostgresTemplate = request.getfixturevalue("pg_template")
        with template.empty() as url:
            yield _runner({"DONDOC_DATABASE_URL": url})
    else:
        yield _runner({"DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'dondoc.db'}"})


def _runner(env: dict[str, str]) -> Run:
    def run(
        *args: str, locale: str = "vi", extra_env: dict[str, str] | None = None
    ) -> tuple[int, str, str]:
        runner = CliRunner()
        result = runner.invoke(
            build_cli(locale, args[0] if args else None),  # as `dondoc ARGS` builds it
            list(args),
            env={**env, "DONDOC_LOCALE": locale, **(extra_env or {})},
            catch_exceptions=False,
        )
        return result.exit_code, result.stdout, result.stderr

    return run


def test_org_units_officers_round_trip(dondoc: Run) -> None:
    assert dondoc("db", "upgrade")[0] == 0
    assert dondoc("org", "create", "Phường Bắc Sơn")[0] == 0
    code, out, _ = dondoc(
        "units", "add", "Công chức Văn hóa - Xã hội", "--alias", "CCVHXH", "--alias", "CC VHXH"
    )
    assert code == 0, out
    assert dondoc("units", "add", "Công chức Văn phòng - Thống kê")[0] == 0
    code, out, err = dondoc(
        "officers",
        "add",
        "--name",
        "Nguyễn Văn Minh",
        "--unit",
        "cc vhxh",
        "--role",
        "officer",
        "--phone",
        "0912345678",
    )
    assert code == 0, err
    assert dondoc("officers", "add", "--name", "Trần Thị Lan", "--role", "chair")[0] == 0
    code, out, _ = dondoc("officers", "list")
    assert "Nguyễn Văn Minh" in out
    assert "Công chức Văn hóa - Xã hội" in out
    assert "Trần Thị Lan" in out
    code, out, _ = dondoc("units", "list")
    assert "CCVHXH" in out
    assert "Nguyễn Văn Minh" in out


def test_messages_follow_the_locale(dondoc: Run) -> None:
    _, out_en, _ = dondoc("org", "create", "Phường Bắc Sơn", locale="en")
    assert out_en.strip() == "Created the organization Phường Bắc Sơn."
    _, out_vi, _ = dondoc("units", "add", "Văn phòng", locale="vi")
    assert out_vi.strip() == "Đã thêm đơn vị Văn phòng."


def test_unknown_unit_is_refused_and_nothing_written(dondoc: Run) -> None:
    dondoc("org", "create", "Phường Bắc Sơn")
    code, out, err = dondoc("officers", "add", "--name", "Minh", "--unit", "Không có")
    assert code == 1
    assert err.strip() == "Không có đơn vị nào tên Không có."
    assert "Traceback" not in out + err
    assert "Minh" not in dondoc("officers", "list")[1]


def test_an_officer_without_a_unit_is_refused_and_nothing_written(dondoc: Run) -> None:
    dondoc("org", "create", "Phường Bắc Sơn")
    code, out, err = dondoc("officers", "add", "--name", "Minh", locale="en")
    assert code == 1
    assert err.strip() == "An officer needs a unit."
    assert "Traceback" not in out + err
    assert "Minh" not in dondoc("officers", "list")[1]
    assert dondoc("officers", "add", "--name", "Lê Thu Hà", "--role", "admin")[0] == 0


def test_unknown_role_is_refused(dondoc: Run) -> None:
    dondoc("org", "create", "Phường Bắc Sơn")
    code, _, err = dondoc("officers", "add", "--name", "Minh", "--role", "boss", locale="en")
    assert code == 2
    assert err.strip() == "Unknown role boss: use officer, chair or admin."


def test_duplicate_officer_is_refused(dondoc: Run) -> None:
    dondoc("org", "create", "Phường Bắc Sơn")
    dondoc("units", "add", "Văn phòng")
    assert dondoc("officers", "add", "--name", "Minh", "--unit", "Văn phòng")[0] == 0
    code, _, err = dondoc("officers", "add", "--name", "Minh", "--unit", "Văn phòng", locale="en")
    assert code == 1
    assert err.strip() == "An officer named Minh already exists."


def test_several_organizations_need_org(dondoc: Run) -> None:
    dondoc("org", "create", "Phường Bắc Sơn")
    dondoc("org", "create", "Phường Mỏ Chè")
    code, _, err = dondoc("units", "list", locale="en")
    assert code == 1
    assert "--org" in err
    assert dondoc("units", "add", "Văn phòng", "--org", "Phường Mỏ Chè")[0] == 0
    assert "Văn phòng" in dondoc("units", "list", "--org", "Phường Mỏ Chè")[1]
    assert "Văn phòng" not in dondoc("units", "list", "--org", "Phường Bắc Sơn")[1]


def test_no_organization_says_how_to_make_one(dondoc: Run) -> None:
    code, _, err = dondoc("units", "list", locale="en")
    assert code == 1
    assert "dondoc org create" in err


def test_db_downgrade_to_base_and_back(dondoc: Run) -> None:
    assert dondoc("db", "upgrade", locale="en")[1].strip() == (
        f"Database at revision {head_revision()}."
    )
    code, out, _ = dondoc("db", "downgrade", "base", "--yes", locale="en")
    assert code == 0
    assert out.strip() == "Database at revision base."


def test_version() -> None:
    code, out, _ = _runner({})("--version")
    assert code == 0
    assert out.startswith("dondoc ")


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "Invalid setting DONDOC_DATABASE_URL"),
        ("mysql://root@127.0.0.1/test", "Invalid setting DONDOC_DATABASE_URL"),
        ("postgresql://postgres@127.0.0.1:1/test", "Cannot reach the database"),
    ],
)
def test_bad_database_url_is_one_line(url: str, expected: str) -> None:
    code, out, err = _runner({"DONDOC_DATABASE_URL": url})("units", "list", locale="en")
    assert code == 2
    assert err.startswith(expected)
    assert len(err.strip().splitlines()) == 1
    assert "Traceback" not in out + err


def test_bad_setting_is_one_line(tmp_path: Path) -> None:
    env = {"DONDOC_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "DONDOC_TIMEZONE": "Mars/Base"}
    code, _, err = _runner(env)("units", "list", locale="en")
    assert code == 2
    assert err.startswith("Invalid setting DONDOC_TIMEZONE")


def test_database_from_a_newer_dondoc_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'newer.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")
    engine.dispose()
    code, _, err = _runner({"DONDOC_DATABASE_URL": url})("units", "list", locale="en")
    assert code == 2
    assert "newer version of dondoc" in err


def test_calendar_commands(dondoc: Run) -> None:
    dondoc("org", "create", "Phường Bắc Sơn")
    code, out, _ = dondoc(
        "calendar", "add-day-off", "06/06/2025", "--reason", "Bầu cử", locale="en"
    )
    assert (code, out.strip()) == (0, "6 Jun 2025 is now a day off.")
    code, out, _ = dondoc("calendar", "add-working-day", "2025-06-14", "--reason", "Làm bù")
    assert code == 0
    code, out, _ = dondoc("calendar", "show", "2025", locale="en")
    assert "6 Jun 2025  Fri  day off  Bầu cử  *" in out  # the days in the reader's language
    assert "14 Jun 2025  Sat  working day  Làm bù  *" in out
    assert "29 Jan 2025  Wed  day off" in out
    code, _, err = dondoc("calendar", "add-day-off", "31/02/2025", "--reason", "x", locale="en")
    assert (code, err.strip()) == (2, "Not a date: 31/02/2025 (use dd/mm/yyyy).")
