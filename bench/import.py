"""Reading a 100-task plan: median time to read + build rows, and the full draft, per format.

Goal: <= 0.5 s for the .docx. Run as `python bench/import.py` from the repository root.
"""

import functools
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from plans.readers import read_document  # noqa: E402
from plans.tabular import find_task_table, rows_from_grid  # noqa: E402
from tests.support.plan_rendering import FORMATS, WRITERS  # noqa: E402
from tests.support.plan_tables import plan_of_size  # noqa: E402

TASKS = 100
RUNS = 7
GOAL_SECONDS = 0.5
LAZY = ("docx", "openpyxl", "pdfplumber", "fpdf")


def median_seconds(action: Callable[[], object], runs: int = RUNS) -> float:
    """The median wall time of `runs` calls of `action` (after one warm-up call)."""
    action()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def read_rows(path: Path) -> int:
    """Read `path` and build its task rows; how many there are."""
    grid = find_task_table(read_document(path).tables)
    return len(rows_from_grid(grid)) if grid is not None else 0


def draft_tasks(path: Path) -> int:
    """Import `path` to a full draft; how many tasks it holds."""
    from plans.importer import import_plan

    return len(import_plan(path).tasks)


def libraries_loaded_by_import() -> str:
    """Which format libraries `import plans.readers` loads in a fresh process (should be none)."""
    probe = (
        "import sys, plans.readers\n"
        f"print(','.join(m for m in {LAZY!r} if m in sys.modules) or 'none')"
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO_ROOT
    )
    return result.stdout.strip()


def main() -> None:
    """Build the plan in every format in a temporary folder and print the figures."""
    try:
        import plans.importer  # noqa: F401
    except ImportError:
        has_importer = False
    else:
        has_importer = True
    out = sys.stdout
    out.write(f"plan of {TASKS} tasks, median of {RUNS} runs\n")
    out.write(f"{'format':<6} {'size':>9} {'read+rows':>10} {'draft':>10}\n")
    table = plan_of_size(TASKS)
    with tempfile.TemporaryDirectory() as folder:
        for kind in FORMATS:
            path = Path(folder) / f"plan.{kind}"
            WRITERS[kind](table, path)
            count = read_rows(path)
            assert count == TASKS, f"{kind}: {count} rows read"
            rows = median_seconds(functools.partial(read_rows, path))
            draft = "-"
            if has_importer:
                assert draft_tasks(path) == TASKS
                draft = f"{median_seconds(functools.partial(draft_tasks, path)):.3f} s"
            size = f"{path.stat().st_size / 1024:.0f} KB"
            out.write(f"{kind:<6} {size:>9} {rows:>8.3f} s {draft:>10}")
            out.write(f"   (goal <= {GOAL_SECONDS} s)\n" if kind == "docx" else "\n")
    out.write(
        f"format libraries loaded by `import plans.readers`: {libraries_loaded_by_import()}\n"
    )


if __name__ == "__main__":
    main()
