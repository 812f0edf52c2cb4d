"""A seed's task table read from .docx, .xlsx or .pdf imports to the golden file's tasks."""

import dataclasses
import json

import pytest

from plans.importer import draft_from_document, import_plan
from plans.readers import read_document
from plans.storable import unique_codes
from tests.support.golden import assert_same_fields
from tests.support.plan_fixtures import FIXTURES, read_manifest
from tests.support.plan_tables import DATA_DIR

SEEDS = ("000", "001", "002")


@pytest.mark.parametrize("kind", ["docx", "xlsx", "pdf"])
@pytest.mark.parametrize("seed", SEEDS)
def test_generated_table_imports_to_the_golden_tasks(seed: str, kind: str) -> None:
    # The fixture holds the task table only; the seed's own text supplies what the importer
    # reads around it (the plan's years, "Tổ chức thực hiện" and its unit names).
    text = read_document(next((DATA_DIR / "seeds").glob(f"{seed}_*.txt"))).text
    table = read_document(FIXTURES / f"seed-{seed}.{kind}")
    assert table.tables
    draft = draft_from_document(dataclasses.replace(table, text=text)).to_json()
    expected = json.loads((DATA_DIR / "seeds" / "expected" / f"{seed}.json").read_text("utf-8"))
    assert_same_fields(draft["tasks"], expected["tasks"])


WHOLE_FILES = ["varied-split.docx", "varied-shuffled.xlsx", "varied-merged.pdf"]


@pytest.mark.parametrize("name", WHOLE_FILES)
def test_a_plan_file_imports_whole_through_the_readers(name: str) -> None:
    draft = import_plan(FIXTURES / name).to_json()
    tasks = draft["tasks"]
    assert isinstance(tasks, list)
    # The table numbers its tasks a), b) again under each section: the codes take the section's.
    expected = unique_codes(read_manifest()[name])
    assert [(task["code"], task["title"]) for task in tasks] == [
        (row.code, row.title) for row in expected
    ]
    assert [task["deadline"]["text"] for task in tasks] == [row.deadline_text for row in expected]
