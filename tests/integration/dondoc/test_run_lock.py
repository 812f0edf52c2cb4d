"""Two `dondoc run` on one SQLite file: the second says in one line that another holds it."""

import os
import secrets
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dondoc.instance_lock import DatabaseHeld, hold_database
from tests.support.ports import free_port


def start_run(db: Path) -> subprocess.Popen[str]:
    """`dondoc run` on `db` with a port of its own, in English."""
    env = {
        **os.environ,
        "DONDOC_DATABASE_URL": f"sqlite:///{db}",
        "DONDOC_WEB_PORT": str(free_port()),
        "DONDOC_LOCALE": "en",
        "DONDOC_SECRET_KEY": secrets.token_urlsafe(32),
    }
    return subprocess.Popen(
        [sys.executable, "-m", "dondoc", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_a_second_holder_of_a_sqlite_file_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "dondoc.db"
    first = hold_database(str(db))
    try:
        with pytest.raises(DatabaseHeld) as caught:
            hold_database(str(db))
        assert caught.value.pid == str(os.getpid())
    finally:
        first.release()
    hold_database(str(db)).release()  # released: free again


def test_two_runs_started_together_on_an_empty_file(tmp_path: Path) -> None:
    db = tmp_path / "dondoc.db"
    runs = [start_run(db), start_run(db)]
    try:
        deadline = time.monotonic() + 60
        while all(run.poll() is None for run in runs) and time.monotonic() < deadline:
            time.sleep(0.1)
        ended = [run for run in runs if run.poll() is not None]
        assert len(ended) == 1, "exactly one of the two runs stops"
        _, err = ended[0].communicate(timeout=5)
        assert ended[0].returncode == 2
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        assert lines[0].startswith("Another dondoc (process ")
        assert str(db) in lines[0]
    finally:
        for run in runs:
            run.terminate()
            run.communicate(timeout=30)
