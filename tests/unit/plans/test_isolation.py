"""Reading in a child: the same draft as in process, and every cap hit a refusal."""

import re
import zlib
from pathlib import Path

import pytest

from plans.importer import import_plan
from plans.isolation import draft_in_child, draft_of_file, read_in_child
from plans.readers.errors import (
    CorruptPlanFile,
    PlanFileTooLarge,
    ReadingTooLarge,
    ReadingTooSlow,
)
from plans.units import KnownUnit
from tests.support.plan_fixtures import FIXTURES
from tests.support.plan_tables import DATA_DIR

SEED = next((DATA_DIR / "seeds").glob("001_*.txt"))


def test_the_child_reads_the_same_draft_as_the_process() -> None:
    known = (KnownUnit(name="Văn phòng HĐND và UBND"),)
    in_child = draft_in_child(SEED.read_bytes(), file_name=SEED.name, known_units=known)
    assert in_child == import_plan(SEED, known_units=known)


def test_a_refusal_in_the_child_reaches_the_caller_as_itself() -> None:
    with pytest.raises(CorruptPlanFile) as caught:
        draft_in_child(b"PK\x03\x04 not a zip at all", file_name="plan.docx")
    assert caught.value.params == {"file_name": "plan.docx"}


def test_reading_past_the_deadline_is_refused() -> None:
    content = (FIXTURES / "seed-002.pdf").read_bytes()
    with pytest.raises(ReadingTooSlow):
        draft_in_child(content, file_name="seed-002.pdf", seconds=0.01)


def test_reading_past_the_memory_cap_is_refused() -> None:
    content = (FIXTURES / "seed-002.pdf").read_bytes()
    with pytest.raises(ReadingTooLarge):
        draft_in_child(content, file_name="seed-002.pdf", memory_bytes=64 * 1024 * 1024)


def test_the_reading_reports_its_cost() -> None:
    reading = read_in_child(SEED.read_bytes(), file_name=SEED.name)
    assert reading.draft.tasks
    assert 0 < reading.peak_bytes < 300 * 1024 * 1024
    assert reading.seconds > 0
    assert 0 < reading.cpu_seconds < 60


def test_a_file_over_the_size_limit_is_refused_unread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("plans.readers.budget.MAX_FILE_BYTES", 10)
    path = tmp_path / "plan.txt"
    path.write_text("Kế hoạch số 1/KH-UBND về việc gì đó", "utf-8")
    with pytest.raises(PlanFileTooLarge):
        draft_of_file(path)


def test_reading_past_the_processor_time_is_refused() -> None:
    # One page drawing 120,000 characters: within the 4 MB stream budget, seconds of parsing.
    seed = (FIXTURES / "seed-000.pdf").read_bytes()
    drawn = zlib.compress(b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n" * 120_000)
    content = re.sub(
        rb"<<\s*/Filter\s*/FlateDecode\s*/Length \d+\s*>>\s*stream\n.*?\nendstream",
        lambda _: (
            b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(drawn)
            + drawn
            + b"\nendstream"
        ),
        seed,
        count=1,
        flags=re.DOTALL,
    )
    assert content != seed
    with pytest.raises(ReadingTooSlow):
        draft_in_child(
            content, file_name="plan.pdf", cpu_seconds=1, memory_bytes=4 * 1024 * 1024 * 1024
        )
