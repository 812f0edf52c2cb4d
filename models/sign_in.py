"""What web sign-in keeps in the database, so every replica and every restart agree: holds on
failed sign-ins, and the sessions signed-in browsers present.

Neither table stores what a visitor typed: a hold is keyed by a digest of the name or address,
a session by a digest of its cookie token.
"""

from datetime import datetime

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import Role
from models.types import StrEnumType, UtcDateTime


class SignInHold(SQLModel, table=True):
    """Failed sign-ins counted for one key (a name, an address, or the two together) since
    `first_at`; while `held_until` is ahead, that key may not try again."""

    __table_args__ = (
        UniqueConstraint("scope", "key"),
        Index("ix_signinhold_last_at", "last_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    scope: str = Field(max_length=16)  # "name", "address" or "pair"
    key: str = Field(max_length=64)  # sha256 hex of what is counted
    failures: int = 0
    first_at: datetime = Field(sa_type=UtcDateTime())
    last_at: datetime = Field(sa_type=UtcDateTime())
    held_until: datetime | None = Field(default=None, sa_type=UtcDateTime())


class WebSession(SQLModel, table=True):
    """A signed-in browser: valid until it expires or is deleted (signing out, a new password,
    another role, a deactivated officer)."""

    __table_args__ = (Index("ix_websession_expires_at", "expires_at"),)

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    officer_id: int = Field(foreign_key="officer.id", index=True, ondelete="CASCADE")
    role: Role = Field(sa_type=StrEnumType(Role))  # the role signed in with
    created_at: datetime = Field(sa_type=UtcDateTime())
    expires_at: datetime = Field(sa_type=UtcDateTime())
