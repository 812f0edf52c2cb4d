"""Exactly once, across crashes: dispatchers killed with SIGKILL, three side by side, and
PostgreSQL restarted under a running one. A dispatcher keeps up to `window` sends in flight; a
kill repeats at most that many messages (those sent and not yet marked)."""

import os
from pathlib import Path

import pytest

from models.db import make_engine
from tests.conftest import DATABASES
from tests.support.crash_drill import (
    concurrent_run,
    crash_run,
    pg_is_ready,
    restart_run,
)

pytestmark = pytest.mark.slow

WINDOW = 4


@pytest.mark.parametrize("database_url", DATABASES, indirect=True)
def test_killed_dispatchers_lose_nothing_and_repeat_at_most_a_window_per_crash(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    try:
        result = crash_run(
            engine,
            database_url,
            tmp_path / "delivered.txt",
            count=1000,
            kills=20,
            window=WINDOW,
        )
    finally:
        engine.dispose()
    assert result.missing(1000) == []
    assert result.sent_rows == 1000
    assert result.duplicates <= result.kills * WINDOW


@pytest.mark.postgresql
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_three_dispatchers_deliver_each_message_exactly_once(
    database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    try:
        result = concurrent_run(
            engine,
            database_url,
            tmp_path / "delivered.txt",
            count=10_000,
            workers=3,
            window=WINDOW,
        )
    finally:
        engine.dispose()
    assert result.missing(10_000) == []
    assert result.duplicates == 0
    assert result.sent_rows == 10_000


@pytest.mark.postgresql
@pytest.mark.exclusive
@pytest.mark.skipif(
    os.environ.get("CI") != "true" and os.environ.get("DONDOC_TEST_PG_RESTART") != "1",
    reason="restarts the shared PostgreSQL server: runs in CI (or with DONDOC_TEST_PG_RESTART=1)",
)
@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_dispatcher_rides_out_a_postgresql_restart(database_url: str, tmp_path: Path) -> None:
    engine = make_engine(database_url)
    try:
        result = restart_run(
            engine, database_url, tmp_path / "delivered.txt", count=1000, window=WINDOW
        )
    finally:
        engine.dispose()
        assert pg_is_ready()
    assert 0 < result.before_restart < 1000  # the server went down in the middle of the run
    assert result.missing(1000) == []
    assert result.sent_rows == 1000
    # Only the sends in flight when the server went down can go out again: once a lane finds
    # the database gone, no other lane starts a send until a claim succeeds.
    assert result.duplicates <= WINDOW
