"""The shipped Alembic revisions build exactly the schema the models describe."""

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, inspect
from sqlmodel import SQLModel

from models.db import make_engine
from models.migrate import (
    current_revision,
    downgrade,
    head_revision,
    is_at_head,
    schema_differences,
    shipped_head,
    upgrade,
)
from tests.conftest import DATABASES
from tests.support.databases import empty_database


@pytest.fixture(params=DATABASES)
def empty_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, unmigrated database of each kind."""
    with empty_database(request, tmp_path) as engine:
        yield engine


def test_upgrade_downgrade_upgrade_round_trips(empty_engine: Engine) -> None:
    assert not is_at_head(empty_engine)
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()
    assert is_at_head(empty_engine)
    downgrade(empty_engine)
    assert not is_at_head(empty_engine)
    downgrade(empty_engine, "base")
    assert current_revision(empty_engine) is None
    assert set(inspect(empty_engine).get_table_names()) <= {"alembic_version"}
    upgrade(empty_engine)
    assert current_revision(empty_engine) == head_revision()


def test_the_head_read_from_the_files_is_alembics() -> None:
    assert shipped_head() == head_revision()


def test_models_and_migrations_agree(engine: Engine) -> None:
    assert schema_differences(engine) == []


def test_the_models_alone_keep_one_organization_policy_index_partial(empty_engine: Engine) -> None:
    # create_all, as a throwaway SQLite database does: the index spares per-task policies on
    # PostgreSQL too, although the model names only SQLite's `where` up front.
    SQLModel.metadata.create_all(empty_engine)
    (index,) = [
        index
        for index in inspect(empty_engine).get_indexes("reminderpolicy")
        if index["name"] == "uq_reminderpolicy_organization"
    ]
    dialect = empty_engine.dialect.name
    assert index["unique"]
    assert "task_id IS NULL" in str(index.get("dialect_options", {}).get(f"{dialect}_where"))


def test_the_models_alone_never_reuse_a_pending_import_s_id_on_sqlite(tmp_path: Path) -> None:
    # The model says so in `info` (naming `sqlite_autoincrement` loaded SQLite's dialect in
    # every command); create_all on SQLite makes the key AUTOINCREMENT all the same.
    engine = make_engine(f"sqlite:///{tmp_path / 'created.db'}")
    try:
        SQLModel.metadata.create_all(engine)
        with engine.connect() as connection:
            created = connection.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE name = 'pendingimport'"
            ).scalar_one()
    finally:
        engine.dispose()
    assert "PRIMARY KEY AUTOINCREMENT" in created


def test_the_models_load_no_database_dialect() -> None:
    probe = "import sys, models; print([m for m in sys.modules if '.dialects.' in m])"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"


def test_migrations_leave_foreign_tables_alone(empty_engine: Engine) -> None:
    with empty_engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE aps_jobs (id VARCHAR(191) PRIMARY KEY)")
    upgrade(empty_engine)
    downgrade(empty_engine, "base")
    assert "aps_jobs" in inspect(empty_engine).get_table_names()
