"""A command does not collect garbage while it starts: what starting builds (the modules, their
classes, SQLAlchemy's mappers) lives until the command ends, and collections meanwhile walked it
again and again (~90 ms of `tasks add`). Collection comes back on, with what starting built
frozen, once the command's own work begins: a database opened, a plan file about to be read."""

from pathlib import Path

import pytest

from tests.conftest import DATA_DIR
from tests.support.probes import run_probe

PROBE = """
import gc, json, sys
from dondoc.console import main
gc.collect()  # the probe's own start collected: what follows is dondoc's
walks = []
def heard(phase, info):
    if phase == "start":
        walks.append([info["generation"], gc.get_freeze_count()])
gc.callbacks.append(heard)
sys.argv = ["dondoc", *sys.argv[1:]]
try:
    main()
except SystemExit as stop:
    code = stop.code
else:
    code = 0
print(json.dumps({"code": code, "collections": walks, "enabled": gc.isenabled()}), file=sys.stderr)
"""


def _collections(database: Path, *args: str) -> tuple[list[tuple[int, int]], bool]:
    """`dondoc ARGS` in a fresh interpreter, as the console script starts it: each collection
    it ran (its generation and how many objects were frozen then), and whether collection was
    on once it ended."""
    report, errors = run_probe(PROBE, f"sqlite:///{database}", *args)
    assert report["code"] in (0, None), "\n".join(errors)
    return [(g, frozen) for g, frozen in report["collections"]], bool(report["enabled"])


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A ward with a unit and an admin, at the newest schema."""
    path = tmp_path_factory.mktemp("collection") / "dondoc.db"
    for args in (
        ("org", "create", "Phường Bắc Sơn"),
        ("units", "add", "Văn phòng"),
        ("officers", "add", "--name", "Lê Thu Hà", "--unit", "Văn phòng", "--role", "admin"),
    ):
        _collections(path, *args)
    return path


def test_a_database_command_collects_only_after_its_start_is_frozen(database: Path) -> None:
    collections, enabled = _collections(
        database, "tasks", "add", "Lập danh sách hộ nghèo", "--unit", "Văn phòng"
    )
    assert collections  # its work allocates, and is collected
    walked_startup = [c for c in collections if c[1] == 0]
    assert not walked_startup, f"collections while starting: {walked_startup}"
    assert enabled


def test_simulate_collects_while_it_runs_the_engine(database: Path) -> None:
    seed = next((DATA_DIR / "seeds").glob("000_*.txt"))
    collections, _ = _collections(
        database, "simulate", str(seed), "--from", "2025-03-01", "--to", "2025-03-20"
    )
    assert collections
    assert all(frozen > 0 for _, frozen in collections)
