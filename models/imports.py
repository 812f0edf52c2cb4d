"""A plan file previewed and not yet confirmed, kept in the database so that a restart, a second
replica or another channel's adapter confirms it all the same."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime


class PendingImport(SQLModel, table=True):
    """One previewed plan file: its bytes, the draft read from them, who previewed it, and until
    when it may be confirmed."""

    __table_args__ = (
        Index("ix_pendingimport_expires_at", "expires_at"),
        {"sqlite_autoincrement": True},  # an id is never reused: a stale button names no one
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
