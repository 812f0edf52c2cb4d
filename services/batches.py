"""Asking about many rows at once: `column IN (…)` in chunks SQLite accepts, or one
`column = ANY(array)` on PostgreSQL (one short statement, one plan, one round trip)."""

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Session

SQLITE_CHUNK = 900


def member_of(
    session: Session, column: Any, values: Sequence[Any]
) -> Iterator[ColumnElement[bool]]:
    """Conditions that together select the rows whose `column` is one of `values`."""
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        item = Integer() if isinstance(values[0], int) else String()
        yield column == any_(bindparam(None, list(values), type_=ARRAY(item)))
        return
    for start in range(0, len(values), SQLITE_CHUNK):
        yield column.in_(values[start : start + SQLITE_CHUNK])
