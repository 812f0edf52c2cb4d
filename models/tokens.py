"""Button tokens: short opaque ids that name a server-side row, addressed to one person.

A button's callback data is `"<action>:<token>"`; the token alone is never trusted. The
conversation layer looks it up, checks it is addressed to whoever pressed it and still valid,
and authorises the row it names again (`services/access.py`).
"""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from models.types import StrEnumType, UtcDateTime


class TokenSubject(StrEnum):
    """What kind of row a token names."""

    OCCURRENCE = "occurrence"
    EXTENSION = "extension"
    BLOCKER = "blocker"
    IMPORT = "import"
    PAGE = "page"
    CHOICE = "choice"
    UNDO = "undo"
    GIVE = "give"
    """A task given in words, waiting for the chair's ✅ (its title, units and deadline)."""


class ActionToken(SQLModel, table=True):
    """One button's target: an occurrence, an extension request, an import draft, a page."""

    __table_args__ = (Index("ix_actiontoken_expires_at", "expires_at"),)

    id: int | None = Field(default=None, primary_key=True)
    token: str = Field(max_length=16, unique=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    officer_id: int = Field(foreign_key="officer.id", index=True, ondelete="CASCADE")
    subject: TokenSubject = Field(sa_type=StrEnumType(TokenSubject))
    occurrence_id: int | None = Field(
        default=None, foreign_key="occurrence.id", ondelete="CASCADE"
    )
    event_id: int | None = Field(default=None, foreign_key="taskevent.id", ondelete="CASCADE")
    data: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(sa_type=UtcDateTime())
    expires_at: datetime = Field(sa_type=UtcDateTime())


class TokenKey(SQLModel, table=True):
    """A ward's secret for the buttons the reminder scan signs instead of storing (a token row
    each): `services.access.sign_occurrence`. Deleting it revokes every such button of the ward
    at once; the next scan makes a new one."""

    organization_id: int = Field(
        primary_key=True, foreign_key="organization.id", ondelete="CASCADE"
    )
    key: str = Field(max_length=64)
    """32 random bytes, hex."""
    created_at: datetime = Field(sa_type=UtcDateTime())
