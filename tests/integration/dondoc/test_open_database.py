"""Opening the database on PostgreSQL, as every command does: the round trips to the server
that one command pays before its own statements (a tenth of a millisecond each on an idle
machine, much more on a busy one, where the server's process waits for a CPU each time)."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event

import models.db
from dondoc.app import open_database
from dondoc.settings import Settings
from tests.support.databases import PostgresTemplate


@pytest.fixture
def traced(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    """Where libpq writes every message each engine `make_engine` builds sends and receives."""
    trace = tmp_path / "libpq.trace"
    made = models.db.make_engine
    with trace.open("w") as file:

        def make_engine(url: str, **options: Any) -> Engine:
            engine = made(url, **options)

            @event.listens_for(engine.pool, "connect", insert=True)
            def _trace(dbapi_connection: Any, _record: object) -> None:
                dbapi_connection.pgconn.trace(file.fileno())

            return engine

        monkeypatch.setattr(models.db, "make_engine", make_engine)
        yield trace


def _sent(trace: Path) -> list[str]:
    """What the client asked the server, one line a round trip (a query, or a statement's
    parse ... sync)."""
    asked: list[str] = []
    for line in trace.read_text().splitlines():
        fields = line.split("\t")
        if len(fields) >= 5 and fields[1] == "F" and fields[3] in ("Query", "Parse"):
            asked.append(fields[4].strip())
    return asked


@pytest.mark.postgresql
def test_opening_an_up_to_date_database_asks_where_it_stands_once(
    pg_template: PostgresTemplate, traced: Path
) -> None:
    with pg_template.clone() as url:
        engine = open_database(Settings(database_url=url))
        engine.dispose()
    asked = _sent(traced)
    assert sum("alembic_version" in statement for statement in asked) == 1
    assert not [s for s in asked if "to_regtype" in s or s == '"SELECT 1"'], asked
    # the dialect's own questions on connecting (its version, schema, isolation and string
    # quoting, in a transaction: 6) and the schema's revision (in a transaction: 3)
    assert len(asked) <= 9, asked
