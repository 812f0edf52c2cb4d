"""A draft kept as JSON comes back equal, field by field, whatever the plan holds."""

import json
from datetime import date
from pathlib import Path

import pytest

from plans.deadlines import Deadline, DeadlineKind, Recurrence, RecurringDays
from plans.draft import DraftTask, ImportDraft, PlanInfo
from plans.draft_store import dump_draft, load_draft
from plans.importer import import_plan

DATA_DIR = Path(__file__).resolve().parents[3] / "tests" / "data"
FIXTURES = Path(__file__).resolve().parents[3] / "tests" / "fixtures" / "plans"
PLANS = [
    *sorted((DATA_DIR / "seeds").glob("[0-9][0-9][0-9]_*.txt")),
    FIXTURES / "seed-001.xlsx",
    FIXTURES / "varied-merged.docx",
]


@pytest.mark.parametrize("path", PLANS, ids=lambda path: path.name)
def test_a_plan_s_draft_survives_json(path: Path) -> None:
    draft = import_plan(path)

    kept = json.loads(json.dumps(dump_draft(draft), ensure_ascii=False))

    assert load_draft(kept) == draft


def test_what_the_schema_form_leaves_out_is_kept() -> None:
    weekly = Deadline(
        text="Thứ Sáu hằng tuần",
        kind=DeadlineKind.RECURRING,
        recurrence=Recurrence.WEEKLY,
        flags=("ambiguous_year",),
        schedule=RecurringDays(years=(2025, 2026), anchors=((3, 31), (6, 30)), weekday=4),
    )
    draft = ImportDraft(
        source="kh.txt",
        plan=PlanInfo(title="Kế hoạch", issued=date(2025, 1, 2), years=(2025, 2026)),
        tasks=(DraftTask(code="1", title="Báo cáo", deadline=weekly, problems=("odd cell",)),),
    )

    assert load_draft(json.loads(json.dumps(dump_draft(draft)))) == draft


@pytest.mark.parametrize(
    "kept",
    [{}, {"source": "a.txt", "plan": []}, {"source": "a.txt", "plan": {"title": "x"}}],
    ids=["empty", "plan not an object", "plan without its fields"],
)
def test_a_draft_kept_in_another_form_is_refused_not_guessed(kept: dict[str, object]) -> None:
    with pytest.raises((KeyError, TypeError, ValueError)):
        load_draft(kept)
