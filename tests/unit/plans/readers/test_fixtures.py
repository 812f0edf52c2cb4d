"""Every committed fixture (.docx, .xlsx, .pdf) reads to exactly the RawRows its manifest lists."""

from pathlib import Path

import pytest

from plans.readers import read_document
from plans.source import RawRow
from plans.tabular import find_task_table, rows_from_grid
from tests.support.plan_fixtures import FIXTURES, read_manifest
from tests.support.plan_tables import all_tables

MANIFEST = read_manifest()


def table_rows(path: Path) -> list[RawRow]:
    """The task rows of the plan file at `path`, through the reader and the table model."""
    document = read_document(path)
    grid = find_task_table(document.tables)
    assert grid is not None, f"no task table in {path.name}"
    return rows_from_grid(grid)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_fixture_reads_to_its_manifest_rows(name: str) -> None:
    assert table_rows(FIXTURES / name) == list(MANIFEST[name])


def test_manifest_matches_the_generator() -> None:
    expected = {
        f"{table.name}.{kind}": table.rows
        for table in all_tables()
        for kind in ("docx", "xlsx", "pdf")
    }
    assert expected == MANIFEST


def test_every_format_of_every_table_is_committed() -> None:
    kinds = {name.rsplit(".", 1)[1] for name in MANIFEST}
    assert kinds == {"docx", "xlsx", "pdf"}
    assert all((FIXTURES / name).stat().st_size < 100_000 for name in MANIFEST)


def test_seed_fixtures_cover_every_task_of_the_golden_files() -> None:
    counts = {name: len(rows) for name, rows in MANIFEST.items() if name.startswith("seed-")}
    assert counts["seed-000.docx"] == 11
    assert counts["seed-001.xlsx"] == 25
    assert counts["seed-002.pdf"] == 50
