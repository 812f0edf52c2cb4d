"""The web chat's transcript: what each officer's page shows, kept so that a page opened later
shows the reminders that arrived while it was closed."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime


class WebMessage(SQLModel, table=True):
    """One message of an officer's web chat: from the bot (a `Reply` in its JSON form) or from
    the officer (`{"text": …}`); rendered in the officer's locale when shown."""

    __table_args__ = (Index("ix_webmessage_officer_id_id", "officer_id", "id"),)

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", ondelete="CASCADE")
    from_officer: bool = False
    payload: dict[str, object] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    created_at: datetime = Field(sa_type=UtcDateTime())
