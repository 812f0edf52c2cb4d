"""Fixtures shared by every test: databases (SQLite and PostgreSQL), a clock, a ward."""

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from tests.fuzz.tally import TALLY
from tests.support.clock import HCM, FakeClock
from tests.support.databases import (
    PostgresTemplate,
    engine_for,
    fresh_sqlite,
    pg_unreachable_reason,
)
from tests.support.needs import missing

REPO_ROOT = Path(__file__).resolve().parents[1]
DATA_DIR = REPO_ROOT / "tests" / "data"

DATABASES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    """A pytest-xdist worker is done: count in the fuzz figures it ran (`tests/fuzz/`)."""
    output = getattr(node, "workeroutput", {})
    if "fuzz_tally" in output:
        TALLY.add(output["fuzz_tally"])


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The fuzz run's figures, when fuzz cases ran (in this process or in the workers)."""
    if TALLY.texts or TALLY.files:
        terminalreporter.write_line(TALLY.summary())


@pytest.fixture(scope="session")
def pg_template() -> Iterator[PostgresTemplate]:
    """The migrated PostgreSQL template for this run; under CI=true an unreachable server fails."""
    reason = pg_unreachable_reason()
    if reason is not None:
        missing(
            reason, enable="start it, or name another in DONDOC_TEST_PG_URL, to run these tests"
        )
    template = PostgresTemplate()
    yield template
    template.drop()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of a fresh, migrated database of the kind the test is parametrised with."""
    kind = getattr(request, "param", "sqlite")
    if kind == "postgresql":
        template: PostgresTemplate = request.getfixturevalue("pg_template")
        with template.clone() as url:
            yield url
    else:
        with fresh_sqlite(tmp_path) as url:
            yield url


@pytest.fixture(params=DATABASES)
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """Every storage test runs twice: on SQLite as shipped, and on PostgreSQL."""
    if request.param == "postgresql":
        template: PostgresTemplate = request.getfixturevalue("pg_template")
        with template.clone() as url:
            built = engine_for(url)
            yield built
            built.dispose()
    else:
        with fresh_sqlite(tmp_path) as url:
            built = engine_for(url)
            yield built
            built.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session on the test's fresh database."""
    with Session(engine, expire_on_commit=False) as opened:
        yield opened


@pytest.fixture
def clock() -> FakeClock:
    """A Monday, 08:00 in Việt Nam."""
    return FakeClock(datetime(2025, 3, 3, 8, 0, tzinfo=HCM))


@pytest.fixture
def data_dir() -> Path:
    """The repository's test data: the seed plans (public documents) and their golden files."""
    return DATA_DIR
