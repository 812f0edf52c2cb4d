"""Throwaway PostgreSQL databases for benches: created migrated, dropped afterwards."""

import uuid

import psycopg
from sqlalchemy.engine import make_url

from models.db import make_engine
from models.migrate import upgrade
from tests.support.databases import pg_url


def _admin() -> str:
    url = make_url(pg_url())
    return (
        f"host={url.host or '127.0.0.1'} port={url.port or 5432}"
        f" user={url.username or 'postgres'} dbname=postgres"
    )


def database_url(name: str) -> str:
    """The URL of database `name` on the server under test."""
    return make_url(pg_url()).set(database=name).render_as_string(hide_password=False)


def database_exists(name: str) -> bool:
    """Whether the server under test has a database `name` (a bench's kept data set)."""
    with psycopg.connect(_admin(), autocommit=True) as connection:
        found = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (name,)
        ).fetchone()
    return found is not None


def create_database(name: str | None = None) -> tuple[str, str]:
    """A new, migrated database on the server under test (a random name unless given):
    (name, URL)."""
    name = name or f"dondoc_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(_admin(), autocommit=True) as connection:
        connection.execute(f'CREATE DATABASE "{name}"'.encode())
    url = database_url(name)
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return name, url


def drop_database(name: str) -> None:
    """Remove a throwaway database."""
    with psycopg.connect(_admin(), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'.encode())
