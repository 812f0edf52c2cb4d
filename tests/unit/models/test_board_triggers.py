"""The triggers that raise a ward's dashboard stamp on an update of `occurrence` or `officer`
name their columns (the scan's `next_reminder_at` and `told` and a new password raise
nothing): a column added to either table later must be named there, or shown not to matter, or
the dashboard would keep showing the old value."""

import importlib.util
from pathlib import Path

from sqlmodel import SQLModel

import models  # noqa: F401 - the tables in the metadata

MIGRATION = Path(__file__).resolve().parents[3] / "models/migrations/versions/0014_board_stamps.py"
UNSHOWN = {
    "occurrence": {"id", "next_reminder_at", "told"},
    "officer": {"id", "password_hash"},
}


def test_every_column_of_occurrence_and_officer_is_named_or_known_unshown() -> None:
    spec = importlib.util.spec_from_file_location("board_stamps_migration", MIGRATION)
    assert spec is not None
    assert spec.loader is not None
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)

    for table in ("occurrence", "officer"):
        columns = {column.name for column in SQLModel.metadata.tables[table].columns}
        named = set(migration.COLUMNS[table])
        assert named | UNSHOWN[table] == columns, table
        assert not named & UNSHOWN[table]
