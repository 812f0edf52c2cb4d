"""Fresh, migrated databases for tests: a copy of an SQLite file, or a PostgreSQL clone of a
template, each migrated once per test process by the real Alembic revisions."""

import atexit
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine
from sqlalchemy.engine import make_url

from models.db import make_engine
from models.migrate import upgrade

DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_url() -> str:
    """Where the PostgreSQL under test lives."""
    return os.environ.get("DONDOC_TEST_PG_URL", DEFAULT_PG_URL)


def _admin_conninfo(url: str) -> str:
    parsed = make_url(url)
    parts = [
        f"host={parsed.host or '127.0.0.1'}",
        f"port={parsed.port or 5432}",
        f"dbname={parsed.database or 'postgres'}",
        f"user={parsed.username or 'postgres'}",
    ]
    if parsed.password:
        parts.append(f"password={parsed.password}")
    return " ".join(parts)


def pg_unreachable_reason() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    try:
        with psycopg.connect(_admin_conninfo(pg_url()), connect_timeout=3):
            return None
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"PostgreSQL at {make_url(pg_url()).render_as_string()} is unreachable: {first}"


class PostgresTemplate:
    """A database migrated once, cloned for each test (CREATE DATABASE … TEMPLATE …)."""

    def __init__(self) -> None:
        self.name = f"dondoc_tpl_{uuid.uuid4().hex[:10]}"
        self._admin = _admin_conninfo(pg_url())
        self._execute(f'CREATE DATABASE "{self.name}"')
        engine = make_engine(self.url(self.name))
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        self._shape = self._shape_of(self.name)
        self._spare: list[str] = []

    def url(self, database: str) -> str:
        """The URL of `database` on the server under test."""
        return make_url(pg_url()).set(database=database).render_as_string(hide_password=False)

    @contextmanager
    def clone(self) -> Iterator[str]:
        """A fresh copy of the migrated template: a clone used before and emptied since (a
        clone took ~0.3-0.9 s, emptying one takes ~0.05 s), or a new one."""
        if self._spare:
            name = self._spare.pop()
        else:
            name = f"dondoc_t_{uuid.uuid4().hex[:12]}"
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        try:
            yield self.url(name)
        finally:
            if self._emptied(name):
                self._spare.append(name)
            else:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    @contextmanager
    def empty(self) -> Iterator[str]:
        """A fresh, empty (unmigrated) database, dropped afterwards."""
        name = f"dondoc_e_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}"')
        try:
            yield self.url(name)
        finally:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def drop(self) -> None:
        """Remove the template and the clones kept for reuse."""
        for name in [*self._spare, self.name]:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._spare.clear()

    def _shape_of(self, database: str) -> tuple[frozenset[str], ...]:
        """The tables, sequences, Alembic revision and settings of `database`: a clone is reused
        only while it keeps the template's shape (a test may migrate, alter or tune its own)."""
        with psycopg.connect(_admin_conninfo(self.url(database)), autocommit=True) as connection:
            return tuple(
                frozenset(str(row[0]) for row in connection.execute(query))
                for query in (
                    b"SELECT schemaname || '.' || tablename FROM pg_tables"
                    b" WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
                    b"SELECT schemaname || '.' || sequencename FROM pg_sequences",
                    b"SELECT version_num FROM alembic_version",
                    # settings a test gave the database itself (ALTER DATABASE … SET …)
                    b"SELECT array_to_string(setconfig, ',') FROM pg_db_role_setting"
                    b" WHERE setdatabase = (SELECT oid FROM pg_database"
                    b" WHERE datname = current_database())",
                )
            )

    def _emptied(self, database: str) -> bool:
        """Empty a used clone's tables and restart its sequences; False when it cannot be
        brought back to the template's state (then it is dropped instead)."""
        try:
            self._execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                f" WHERE datname = '{database}' AND pid <> pg_backend_pid()"
            )
            tables, sequences, _, _ = self._shape
            if self._shape_of(database) != self._shape:
                return False
            conninfo = _admin_conninfo(self.url(database))
            with (
                psycopg.connect(conninfo, autocommit=True) as connection,
                connection.transaction(),
            ):
                # Foreign keys go unchecked while every table is emptied, in any order.
                connection.execute(b"SET LOCAL session_replication_role = replica")
                for table in sorted(tables - {"public.alembic_version"}):
                    connection.execute(f"DELETE FROM {_quoted(table)}".encode())
                for sequence in sorted(sequences):
                    connection.execute(f"ALTER SEQUENCE {_quoted(sequence)} RESTART".encode())
        except psycopg.Error:
            return False
        return True

    def _execute(self, statement: str) -> None:
        with psycopg.connect(self._admin, autocommit=True) as connection:
            connection.execute(statement.encode())


def _quoted(qualified: str) -> str:
    schema, _, name = qualified.partition(".")
    return f'"{schema}"."{name}"'


@contextmanager
def fresh_sqlite(tmp_path: Path, *, migrated: bool = True) -> Iterator[str]:
    """A new SQLite file; when `migrated`, a copy of one migrated by the real revisions (once
    per process: migrating took a quarter of a second a test)."""
    path = tmp_path / f"dondoc-{uuid.uuid4().hex[:8]}.db"
    if migrated:
        shutil.copyfile(_sqlite_template(), path)
    yield f"sqlite:///{path}"


_sqlite_templates: list[Path] = []


def _sqlite_template() -> Path:
    """The SQLite file this process migrated (made on first use, removed at exit)."""
    if not _sqlite_templates:
        folder = Path(tempfile.mkdtemp(prefix="dondoc-sqlite-template-"))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        path = folder / "template.db"
        engine = make_engine(f"sqlite:///{path}")
        try:
            upgrade(engine)
        finally:
            engine.dispose()
        for leftover in folder.glob("template.db-*"):  # a journal left would be lost in a copy
            raise RuntimeError(f"the SQLite template left {leftover.name} behind")
        _sqlite_templates.append(path)
    return _sqlite_templates[0]


def engine_for(url: str) -> Engine:
    """The production engine factory, for a test database."""
    return make_engine(url)


@contextmanager
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty, unmigrated database of the kind `request.param` names ("postgresql": a fresh
    one beside the session's template; else an SQLite file in `tmp_path`), disposed after."""
    if request.param == "postgresql":
        with request.getfixturevalue("pg_template").empty() as url:
            engine = make_engine(url)
            yield engine
            engine.dispose()
    else:
        engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
        yield engine
        engine.dispose()
