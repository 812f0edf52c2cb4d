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

    def url(self, database: str) -> str:
        """The URL of `database` on the server under test."""
        return make_url(pg_url()).set(database=database).render_as_string(hide_password=False)

    @contextmanager
    def clone(self) -> Iterator[str]:
        """A fresh copy of the migrated template, dropped afterwards."""
        name = f"dondoc_t_{uuid.uuid4().hex[:12]}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        try:
            yield self.url(name)
        finally:
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
        """Remove the template."""
        self._execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def _execute(self, statement: str) -> None:
        with psycopg.connect(self._admin, autocommit=True) as connection:
            connection.execute(statement.encode())


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
