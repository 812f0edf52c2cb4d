"""`JobRunner.read`: the reads every request makes (the dashboard's) run on PostgreSQL as their
statements alone, on autocommit connections not pinged at checkout, and a connection found dead
by the read is replaced and the read run again."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, event, text
from sqlmodel import Session

from jobs.runner import JobRunner
from models.db import make_engine, reader_of
from tests.support.databases import PostgresTemplate, _admin_conninfo, pg_url


@pytest.fixture
def pg_engine(pg_template: PostgresTemplate) -> Iterator[Engine]:
    with pg_template.clone() as url:
        engine = make_engine(url)
        yield engine
        engine.dispose()


def _organizations(session: Session) -> int:
    return int(session.execute(text("SELECT count(*) FROM organization")).scalar_one())


def _sent(trace: Path) -> list[str]:
    """What the client asked the server, one line a round trip."""
    asked = []
    for line in trace.read_text().splitlines():
        fields = line.split("\t")
        if len(fields) >= 5 and fields[1] == "F" and fields[3] in ("Query", "Parse"):
            asked.append(fields[4].strip().strip('"'))
    return asked


@pytest.mark.postgresql
def test_a_read_sends_its_statement_alone(pg_engine: Engine, tmp_path: Path) -> None:
    runner = JobRunner(pg_engine, reader=reader_of(pg_engine))
    trace = tmp_path / "libpq.trace"
    with trace.open("w") as file:

        @event.listens_for(runner.reader.pool, "connect", insert=True)
        def _trace(dbapi_connection: Any, _record: object) -> None:
            dbapi_connection.pgconn.trace(file.fileno())

        try:
            runner.read_here(_organizations)  # the first connects (the dialect's questions)
            file.flush()
            before = len(_sent(trace))
            assert [runner.read_here(_organizations) for _ in range(3)] == [0, 0, 0]
        finally:
            runner.dispose()
    assert _sent(trace)[before:] == ["SELECT count(*) FROM organization"] * 3


@pytest.mark.postgresql
def test_a_read_on_a_dead_connection_is_read_again_on_a_fresh_one(pg_engine: Engine) -> None:
    runner = JobRunner(pg_engine, reader=reader_of(pg_engine))
    try:
        assert runner.read_here(_organizations) == 0  # one connection, back in the pool
        database = pg_engine.url.database
        with psycopg.connect(_admin_conninfo(pg_url()), autocommit=True) as admin:
            ended = admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                (database,),
            ).fetchall()
        assert ended  # the pooled connection's server process is gone
        assert runner.read_here(_organizations) == 0
    finally:
        runner.dispose()


def test_on_sqlite_reads_go_through_the_engine_itself(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'dondoc.db'}")
    try:
        assert reader_of(engine) is engine
        assert JobRunner(engine).reader is engine
    finally:
        engine.dispose()
