"""Each seed plan imports to exactly what its golden file in shared/seeds/expected/ says."""

import json
from pathlib import Path

import pytest

from plans.importer import draft_from_document, import_plan
from plans.source import SourceDocument
from plans.units import KnownUnit
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


def test_the_organizations_known_units_and_learned_aliases_apply_on_a_later_import() -> None:
    known = KnownUnit("Công chức Văn hóa - Xã hội", aliases=("CC VHXH",))
    draft = import_plan(_seed_of(EXPECTED[0]), known_units=[known])

    assert draft.tasks[0].lead == ("Công chức Văn hóa - Xã hội",)
    assert draft.tasks[10].lead == ("Công chức Văn hóa - Xã hội",)
    (unit,) = [unit for unit in draft.units if unit.name == known.name]
    assert unit.is_known
    assert "Công chức Văn hóa – xã hội" in unit.aliases


def test_known_units_the_plan_does_not_name_are_not_listed() -> None:
    draft = import_plan(_seed_of(EXPECTED[0]), known_units=[KnownUnit("Ban Chỉ huy Quân sự")])

    assert "Ban Chỉ huy Quân sự" not in [unit.name for unit in draft.units]


def test_a_document_already_read_imports_the_same_as_its_file() -> None:
    seed = _seed_of(EXPECTED[1])
    document = SourceDocument(text=seed.read_text("utf-8"), file_name=seed.name)

    assert draft_from_document(document).to_json() == import_plan(seed).to_json()
