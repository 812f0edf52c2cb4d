"""Advisory locks: one replica at a time for the scan and the time-of-day jobs."""

from sqlalchemy import text
from sqlmodel import Session


def try_advisory_lock(session: Session, key: int) -> bool:
    """Take a transaction-scoped PostgreSQL advisory lock, without waiting; whether we hold
    it. SQLite runs a single worker: always true there."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    held = session.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), {"key": key})
    return bool(held.scalar())


def advisory_lock(session: Session, key: int) -> None:
    """Take a transaction-scoped PostgreSQL advisory lock, waiting for it (for work that is
    short and must not run twice at once across replicas). SQLite: nothing to take."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
