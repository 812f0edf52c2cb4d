"""Generated plan files through `dondoc import --dry-run --json`: every case imports whole or is
refused in one line, within the reading budget, and nothing is written.

Cases that once failed are kept in `tests/fuzz/corpus/` and replayed on every run; a failing
generated case is saved there when DONDOC_FUZZ_SAVE=1. `corpus/tasks.json` holds how many tasks
a kept file must import whole (a file once imported partially), so the replay judges it too.
"""

import hashlib
import json
import logging
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from typer.testing import CliRunner

from dondoc.cli import build_cli
from plans.readers.budget import READ_SECONDS
from tests.fuzz.conftest import fuzz_scale
from tests.fuzz.mutations import generate
from tests.fuzz.tally import TALLY

CORPUS: Final = Path(__file__).parent / "corpus"
CORPUS_TASKS: Final = CORPUS / "tasks.json"
CASES: Final = 6 * fuzz_scale()
FIRST_CASE: Final = int(os.environ.get("DONDOC_FUZZ_FIRST", "0"))
"""Where this run's cases start: runs on other processes can share a long campaign."""
ACCEPTED_SECONDS: Final = 10.0
ACCEPTED_PEAK_BYTES: Final = 300 * 1024 * 1024
REFUSED_SECONDS: Final = READ_SECONDS + 5


class Readings(logging.Handler):
    """The processor time and peak memory `plans.isolation` logs for each file it reads (the
    wall-clock time on a machine shared with others measures them, not the file)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.costs: list[tuple[float, int]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.msg.startswith("plan file read in") and isinstance(record.args, tuple):
            _, cpu, peak_kb = record.args
            assert isinstance(cpu, float)
            assert isinstance(peak_kb, int)
            self.costs.append((cpu, peak_kb * 1024))


@pytest.fixture
def readings() -> Iterator[Readings]:
    handler = Readings()
    logger = logging.getLogger("plans.isolation")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)


def import_through_cli(
    name: str, content: bytes, folder: Path, readings: Readings, expected_tasks: int | None
) -> str:
    """Run one file through the CLI and judge it; the verdict, or a failure message."""
    folder.mkdir()
    path = folder / name
    path.write_bytes(content)
    db = folder / "dondoc.db"
    before = sorted(folder.iterdir())
    readings.costs.clear()
    started = time.monotonic()
    result = CliRunner().invoke(
        build_cli("vi"),
        ["import", str(path), "--dry-run", "--json"],
        env={"DONDOC_DATABASE_URL": f"sqlite:///{db}", "DONDOC_LOCALE": "vi"},
    )
    elapsed = time.monotonic() - started
    TALLY.files += 1
    if sorted(folder.iterdir()) != before:
        TALLY.crashes += 1
        return f"{name}: wrote {sorted(set(folder.iterdir()) - set(before))}"
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        TALLY.crashes += 1
        return f"{name}: {type(result.exception).__name__}: {result.exception}"
    if result.exit_code == 0:
        tasks = json.loads(result.stdout)["tasks"]
        seconds, peak = readings.costs[-1] if readings.costs else (elapsed, 0)
        TALLY.accepted(seconds, peak)
        if seconds > ACCEPTED_SECONDS or peak > ACCEPTED_PEAK_BYTES:
            TALLY.over_budget += 1
            return f"{name}: accepted in {seconds:.1f}s of CPU at {peak / 2**20:.0f} MB"
        if expected_tasks is not None and len(tasks) < expected_tasks:
            # More is not less: a numbered heading the mutated layout makes look like a task
            # (a "1. …" section over tasks numbered 1, 2 again) is shown and can be removed.
            TALLY.partial += 1
            return f"{name}: {len(tasks)} tasks imported of {expected_tasks}"
        return "imported"
    lines = result.stderr.strip().splitlines()
    TALLY.refused += 1
    if len(lines) != 1 or result.stdout or "Traceback" in result.stderr:
        TALLY.crashes += 1
        return f"{name}: refused in {len(lines)} lines: {result.stderr[:300]!r}"
    if elapsed > REFUSED_SECONDS:
        TALLY.over_budget += 1
        return f"{name}: refused after {elapsed:.1f}s"
    return f"refused: {lines[0]}"


def corpus_tasks() -> dict[str, int]:
    """How many tasks each kept file must import, by file name."""
    counts: dict[str, int] = json.loads(CORPUS_TASKS.read_text(encoding="utf-8"))
    return counts


def keep_failing_case(name: str, content: bytes, expected_tasks: int | None) -> None:
    """Save a failing case in the corpus, with the tasks it must import when known, if asked."""
    if os.environ.get("DONDOC_FUZZ_SAVE") == "1":
        kept = f"{hashlib.sha256(content).hexdigest()[:16]}{Path(name).suffix}"
        (CORPUS / kept).write_bytes(content)
        if expected_tasks is not None:
            counts = corpus_tasks() | {kept: expected_tasks}
            text = json.dumps(dict(sorted(counts.items())), indent=2)
            CORPUS_TASKS.write_text(f"{text}\n", encoding="utf-8")


def test_generated_files_import_whole_or_are_refused_in_one_line(
    tmp_path: Path, readings: Readings
) -> None:
    failures = []
    for index in range(FIRST_CASE, FIRST_CASE + CASES):
        case = generate(index, tmp_path)
        verdict = import_through_cli(
            case.name, case.content, tmp_path / str(index), readings, case.expected_tasks
        )
        if os.environ.get("DONDOC_FUZZ_VERBOSE") == "1":
            print(index, verdict, case.mutations, flush=True)
        if verdict != "imported" and not verdict.startswith("refused: "):
            failures.append(f"{verdict} (mutations: {', '.join(case.mutations)})")
            keep_failing_case(case.name, case.content, case.expected_tasks)
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    sorted(p for p in CORPUS.iterdir() if p.is_file() and p != CORPUS_TASKS),
    ids=lambda path: path.name,
)
def test_cases_that_once_failed_import_or_are_refused(
    path: Path, tmp_path: Path, readings: Readings
) -> None:
    expected = corpus_tasks().get(path.name)
    verdict = import_through_cli(
        path.name, path.read_bytes(), tmp_path / "case", readings, expected
    )
    if expected is not None:  # once imported partially: now whole
        assert verdict == "imported", verdict
    assert verdict == "imported" or verdict.startswith("refused: "), verdict


def test_the_corpus_counts_name_kept_files() -> None:
    assert all((CORPUS / name).is_file() for name in corpus_tasks())
