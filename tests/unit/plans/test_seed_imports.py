"""Each seed plan imports to exactly what its golden file in tests/data/seeds/expected/ says."""

import json
from pathlib import Path

import pytest

from plans.importer import draft_from_document, import_plan
from plans.source import SourceDocument
from plans.units import KnownUnit
from tests.support.golden import (
    Difference,
    assert_same_fields,
    diff_report,
    field_differences,
    normalise,
    seed_reports,
)

DATA_DIR = Path(__file__).resolve().parents[3] / "tests" / "data"
EXPECTED = sorted((DATA_DIR / "seeds" / "expected").glob("[0-9][0-9][0-9].json"))


def _seed_of(expected: Path) -> Path:
    return next((DATA_DIR / "seeds").glob(f"{expected.stem}_*.txt"))


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


def test_the_comparison_normalises_strings_as_the_schema_says() -> None:
    assert normalise(" Công chức Văn hoá\n- Xã hội ") == "Công chức Văn hoá - Xã hội"
    assert normalise("CC Tư pháp-\nHT") == "CC Tư pháp-HT"
    assert (
        normalise("<p>- Tỷ lệ số hóa.</p> <p>- Tỷ lệ cấp.</p>") == "- Tỷ lệ số hóa. - Tỷ lệ cấp."
    )
    assert normalise("Ho\u0301a") == "Hóa"
    assert normalise("hoá") != normalise("hóa")


def test_a_difference_is_named_by_its_path_with_both_values() -> None:
    expected = {"tasks": [{"code": "1", "deadline": {"due": "2025-03-31"}}]}
    actual = {"tasks": [{"code": "1", "deadline": {"due": "2025-06-30"}}]}

    with pytest.raises(AssertionError, match=r"^tasks\[0\]\.deadline\.due: expected '2025-03-31'"):
        assert_same_fields(actual, expected)
    assert field_differences({"tasks": []}, expected) == [
        Difference("tasks[0]", expected["tasks"][0], "<missing>")
    ]
    assert field_differences({"a": 1}, {"a": 1, "b": None}) == [Difference("b", None, "<missing>")]
    assert field_differences({"n": "1"}, {"n": 1}) == [Difference("n", 1, "1")]


def test_the_report_lists_every_difference_grouped_by_task() -> None:
    expected = {"tasks": [{"code": "1", "title": "A"}, {"code": "2", "title": "B"}]}
    actual = {"tasks": [{"code": "1", "title": "X"}, {"code": "2", "title": "Y"}]}

    assert diff_report(actual, expected).splitlines() == [
        "2 of 4 fields match; 2 differ:",
        "  tasks[0]:",
        "    tasks[0].title: expected 'A', got 'X'",
        "  tasks[1]:",
        "    tasks[1].title: expected 'B', got 'Y'",
    ]
    assert diff_report(expected, expected) == "all 4 fields match"


def test_the_seed_report_counts_every_field_of_every_seed() -> None:
    lines = seed_reports(DATA_DIR)

    assert [line.split(":")[0] for line in lines] == [path.stem for path in EXPECTED]
    assert all(line.endswith("fields match") for line in lines)
