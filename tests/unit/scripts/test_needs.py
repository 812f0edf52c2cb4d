"""A test that needs Chromium or PostgreSQL skips with one line saying how to enable it, and
fails instead under CI=true (tests.support.needs)."""

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
NEEDING = """
from tests.support.needs import missing

def test_needing_a_browser():
    missing("Chromium is missing", enable="run scripts/system-deps to enable it")
"""


def _run(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / "test_needing.py").write_text(NEEDING, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env |= {"PYTHONPATH": str(REPO), **environment}
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_outside_ci_it_skips_saying_how_to_enable_it(tmp_path: Path) -> None:
    run = _run(tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "1 skipped" in run.stdout
    said = [line for line in run.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(said) == 1
    assert "Chromium is missing: run scripts/system-deps to enable it" in said[0]


def test_under_ci_it_fails(tmp_path: Path) -> None:
    run = _run(tmp_path, CI="true")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "1 failed" in run.stdout
    assert "Chromium is missing: run scripts/system-deps to enable it" in run.stdout
