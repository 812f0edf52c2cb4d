"""Each seed plan imports to exactly what its golden file in shared/seeds/expected/ says."""

import json
from pathlib import Path

import pytest

from plans.importer import import_plan
from tests.support.golden import assert_same_fields

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
EXPECTED = sorted((SHARED / "seeds" / "expected").glob("[0-9][0-9][0-9].json"))


def _seed_of(expected: Path) -> Path:
    return next((SHARED / "seeds").glob(f"{expected.stem}_*.txt"))


def test_every_seed_has_a_golden_file() -> None:
    assert len(EXPECTED) == 5
    assert all(_seed_of(expected).exists() for expected in EXPECTED)


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda path: path.stem)
def test_seed_imports_field_exact(expected: Path) -> None:
    draft = import_plan(_seed_of(expected))
    assert_same_fields(draft.to_json(), json.loads(expected.read_text("utf-8")))


@pytest.mark.parametrize("expected", EXPECTED, ids=lambda path: path.stem)
def test_seed_rows_are_read_without_problems(expected: Path) -> None:
    draft = import_plan(_seed_of(expected))
    assert [task.code for task in draft.tasks if task.problems] == []
