"""A plan file previewed and not yet confirmed, kept in the database so that a restart, a second
replica or another channel's adapter confirms it all the same."""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateTable
from sqlalchemy.sql.compiler import DDLCompiler
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime


class PendingImport(SQLModel, table=True):
    """One previewed plan file: its bytes, the draft read from them, who previewed it, and until
    when it may be confirmed."""

    __table_args__ = (
        Index("ix_pendingimport_expires_at", "expires_at"),
        # An id is never reused: a stale button names no one. Said in `info`, not as
        # `sqlite_autoincrement`: naming it loads SQLite's dialect (~5 ms) in every command,
        # PostgreSQL's too (`_create_table_on_sqlite`; the migrations spell it out).
        {"info": {"autoincrement": True}},
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    officer_id: int | None = Field(
        default=None, foreign_key="officer.id", index=True, ondelete="CASCADE"
    )  # None: the office at the command line, acting as no one in particular
    file_name: str = Field(max_length=300)  # as `Plan.source_name`
    sha256: str = Field(max_length=64)
    content: bytes = Field(sa_type=LargeBinary())
    draft: dict[str, object] = Field(sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UtcDateTime())
    expires_at: datetime = Field(sa_type=UtcDateTime())


@compiles(CreateTable, "sqlite")
def _create_table_on_sqlite(create: CreateTable, compiler: DDLCompiler, **kw: Any) -> str:
    """`CREATE TABLE` on SQLite, its integer key AUTOINCREMENT when the table says so in
    `info["autoincrement"]` (the dialect is loaded by then)."""
    table = create.element
    if table.info.get("autoincrement"):
        table.dialect_options["sqlite"]["autoincrement"] = True
    return str(compiler.visit_create_table(create, **kw))  # type: ignore[no-untyped-call]
