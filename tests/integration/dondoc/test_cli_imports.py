"""A command that touches the database imports only what it needs: no document readers or
writers, no chart library, no date-phrase parser, no Alembic at head, no rich help, no
`holidays` package while the year is in the written-out table (they are what made each command
take over a second), and on SQLite no PostgreSQL dialect."""

from pathlib import Path

import pytest

from dondoc.cli import COMMANDS
from tests.support.databases import PostgresTemplate
from tests.support.probes import run_probe

HEAVY = (
    "alembic",
    "babel.dates",
    "babel.messages",
    "dateparser",
    "docx",
    "holidays",
    "matplotlib",
    "openpyxl",
    "pdfplumber",
    "rich.markdown",
    "typer.rich_utils",
    "plans.readers",
    "reports.snapshot",  # the reports' plan finder's, ~5 ms: only when a plan is named
)
PROBE = """
import json, sys
from dondoc.cli import main
try:
    main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
else:
    code = 0
print(json.dumps({"code": code, "modules": sorted(sys.modules)}), file=sys.stderr)
"""


def _dondoc(database: Path | str, *args: str) -> tuple[int, set[str], str]:
    """`dondoc ARGS` in a fresh interpreter on the SQLite file `database` (or the database at
    the URL `database`): its exit code, the modules it imported and what it wrote to stderr."""
    url = database if isinstance(database, str) else f"sqlite:///{database}"
    report, errors = run_probe(PROBE, url, *args)
    return int(report["code"] or 0), set(report["modules"]), "\n".join(errors)


SETUP = (
    ("db", "upgrade"),
    ("org", "create", "Phường Bắc Sơn"),
    ("units", "add", "Văn phòng"),
    ("officers", "add", "--name", "Lê Thu Hà", "--unit", "Văn phòng", "--role", "admin"),
    ("tasks", "add", "Rà soát thủ tục", "--unit", "Văn phòng"),
)


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ward with a unit, an admin and a task, at the newest schema."""
    path = tmp_path_factory.mktemp("imports") / "dondoc.db"
    for args in SETUP:
        code, _, errors = _dondoc(path, *args)
        assert code == 0, errors
    return path


@pytest.mark.parametrize(
    "args",
    [
        ("org", "list"),
        ("units", "list"),
        ("officers", "list"),
        ("tasks", "list"),
        ("tasks", "list", "--status", "overdue", "--json"),
        ("tasks", "add", "Lập danh sách hộ nghèo", "--unit", "Văn phòng", "--due", "trước 15/12"),
        ("outbox", "list"),
        ("policy", "show"),
        ("calendar", "show", "2026"),
        ("db", "upgrade"),
    ],
)
def test_a_database_command_imports_no_heavy_library(
    database: Path, args: tuple[str, ...]
) -> None:
    code, modules, errors = _dondoc(database, *args)
    assert code == 0, errors
    assert "sqlmodel" in modules  # it did reach the database
    loaded = [name for name in HEAVY if name in modules]
    assert not loaded, f"dondoc {' '.join(args)} imported {loaded}"
    # On SQLite, no PostgreSQL dialect (~30 ms): the reminder policy's partial index once
    # loaded it for `postgresql_where`, the id-set look-ups for PostgreSQL's own ARRAY.
    assert "sqlalchemy.dialects.sqlite" in modules
    assert "sqlalchemy.dialects.postgresql" not in modules
    # Only the command's own module of dondoc.commands (and its options and help texts).
    commands = sorted(name for name in modules if name.startswith("dondoc.commands."))
    assert commands == [f"dondoc.commands.{COMMANDS[args[0]]}"]


@pytest.mark.postgresql
def test_a_database_command_on_postgresql_loads_no_sqlite_dialect(
    pg_template: PostgresTemplate,
) -> None:
    # The models name no dialect's options, the reminder engine imports SQLite's insert only
    # on SQLite (~5 ms of every command on PostgreSQL, each).
    with pg_template.empty() as url:
        for args in SETUP:
            code, _, errors = _dondoc(url, *args)
            assert code == 0, errors
        for args in (("tasks", "add", "Lập danh sách", "--unit", "Văn phòng"), ("tasks", "list")):
            code, modules, errors = _dondoc(url, *args)
            assert code == 0, errors
            assert "sqlalchemy.dialects.postgresql" in modules
            assert "sqlalchemy.dialects.sqlite" not in modules, args


def test_a_usage_error_still_prints_typer_s_help_in_vietnamese(database: Path) -> None:
    code, modules, errors = _dondoc(database, "units", "lisst")
    assert code == 2
    assert "typer.rich_utils" in modules  # the error box is rich's, translated on import
    assert "Lỗi" in errors
    assert "Không có lệnh 'lisst'" in errors
