"""Cold start of the CLI: the median wall time of 10 fresh `dondoc --help` processes.

Goal: <= 0.5 s. Heavy libraries (telegram, sqlmodel, dateparser, pdf/docx, matplotlib) must be
imported inside the commands that need them, never by `dondoc --help`.
"""

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 10
GOAL_SECONDS = 0.5
HEAVY = (
    "telegram",
    "sqlmodel",
    "sqlalchemy",
    "dateparser",
    "pdfplumber",
    "docx",
    "openpyxl",
    "matplotlib",
)


def cold_run(command: list[str]) -> float:
    """Seconds one fresh process takes."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def heavy_modules_loaded(args: tuple[str, ...] = ("--help",)) -> list[str]:
    """Which heavy libraries `dondoc ARGS` imports (should be none for any help)."""
    probe = (
        "import sys; from dondoc.cli import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit:\n    pass\n"
        f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    line = next(line for line in out.splitlines() if line.startswith("HEAVY:"))
    return [name for name in line.removeprefix("HEAVY:").split(",") if name]


def main() -> None:
    """Print the figures."""
    dondoc = Path(sys.executable).with_name("dondoc")
    command = [str(dondoc), "--help"] if dondoc.exists() else [sys.executable, "-m", "dondoc"]
    cold_run(command)  # warm the OS file cache, as a second start on a machine would be
    times = [cold_run(command) for _ in range(RUNS)]
    median = statistics.median(times)
    print(
        f"dondoc --help: median {median * 1000:.0f} ms over {RUNS} cold runs "
        f"(min {min(times) * 1000:.0f}, max {max(times) * 1000:.0f}); goal <= "
        f"{GOAL_SECONDS * 1000:.0f} ms: {'met' if median <= GOAL_SECONDS else 'MISSED'}"
    )
    print(f"heavy libraries imported by --help: {', '.join(heavy_modules_loaded()) or 'none'}")
    for args in (("report", "--help"), ("import", "--help"), ("simulate", "--help")):
        loaded = ", ".join(heavy_modules_loaded(args)) or "none"
        print(f"heavy libraries imported by {' '.join(args)}: {loaded}")


if __name__ == "__main__":
    main()
