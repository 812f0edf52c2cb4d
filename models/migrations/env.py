"""Alembic environment: runs on the engine the caller put in the configuration."""

from typing import Any, Literal

from alembic import context
from alembic.autogenerate.api import AutogenContext
from sqlalchemy import String
from sqlmodel import SQLModel
from sqlmodel.sql.sqltypes import AutoString

import models  # noqa: F401 - registers every table
from models.types import StrEnumType, UtcDateTime

target_metadata = SQLModel.metadata


def include_name(name: str | None, type_: str, _parent_names: Any) -> bool:
    """Only dondoc's own tables: never touch tables other tools keep in the same database."""
    if type_ == "table":
        return name in target_metadata.tables
    return True


def render_item(type_: str, obj: Any, autogen_context: AutogenContext) -> str | Literal[False]:
    """Render dondoc's column types as the plain SQL types they store, so that revisions
    import nothing but sqlalchemy."""
    if type_ != "type":
        return False
    if isinstance(obj, StrEnumType | AutoString | String) and not isinstance(obj, UtcDateTime):
        length = obj.length
        return "sa.String()" if length is None else f"sa.String(length={length})"
    if isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations() -> None:
    """Run the migrations online, on the configured engine."""
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=connection.dialect.name == "sqlite",
            include_name=include_name,
            compare_type=True,
            render_item=render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations()
