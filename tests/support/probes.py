"""`dondoc` run in a fresh interpreter by a probe script that reports on its last stderr line."""

import json
import os
import subprocess
import sys
from typing import Any


def run_probe(probe: str, url: str, *args: str) -> tuple[dict[str, Any], list[str]]:
    """Run `probe` (Python source that runs `dondoc ARGS` and prints a JSON report as its last
    line on stderr) on the database at `url`, in Vietnamese: the report, and the stderr lines
    before it."""
    done = subprocess.run(
        [sys.executable, "-c", probe, *args],
        env={**os.environ, "DONDOC_DATABASE_URL": url, "DONDOC_LOCALE": "vi"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    *errors, last = done.stderr.strip().splitlines()
    report: dict[str, Any] = json.loads(last)
    return report, errors
