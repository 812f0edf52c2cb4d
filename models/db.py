"""The engine factory: SQLite as shipped (WAL, foreign keys, busy timeout) or PostgreSQL."""

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool


class DatabaseUrlError(ValueError):
    """`DONDOC_DATABASE_URL` names no database dondoc can use."""


def normalize_url(url: str) -> URL:
    """Parse `url`, choosing psycopg 3 for PostgreSQL; refuse what dondoc does not support."""
    try:
        parsed = make_url(url)
    except ArgumentError as error:
        raise DatabaseUrlError(f"malformed database URL: {url!r}") from error
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return parsed.set(drivername="sqlite")
    raise DatabaseUrlError(f"unsupported database: {backend!r} (use sqlite or postgresql)")


def make_engine(url: str, **options: Any) -> Engine:
    """Build the engine dondoc runs on, configured for safe concurrent use."""
    parsed = normalize_url(url)
    if parsed.get_backend_name() == "postgresql":
        # No HSTORE column anywhere: the dialect need not look its type up on first connecting
        # (a savepoint, a query and a release: three round trips of every process).
        return create_engine(parsed, pool_pre_ping=True, use_native_hstore=False, **options)
    in_memory = parsed.database in (None, "", ":memory:")
    if in_memory:
        options.setdefault("poolclass", StaticPool)
    engine = create_engine(
        parsed, connect_args={"check_same_thread": False, "timeout": 30}, **options
    )
    event.listen(engine, "connect", _configure_sqlite_connection)
    return engine


def reader_of(engine: Engine) -> Engine:
    """An engine for short reads of `engine`'s database that every request makes (the chairs'
    dashboard, loaded by 50 at once). On PostgreSQL a pool of its own, of autocommit connections
    not pinged at checkout: a read's statements are its only round trips (the dashboard's two
    instead of ping, BEGIN, the two and ROLLBACK), and a connection found dead by the read
    itself is for the caller to replace and read again (`JobRunner.read`). Elsewhere `engine`
    itself: SQLite has no round trips to save, and an in-memory database is one connection."""
    if engine.dialect.name != "postgresql":
        return engine
    return create_engine(engine.url, isolation_level="AUTOCOMMIT", use_native_hstore=False)


def _configure_sqlite_connection(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
