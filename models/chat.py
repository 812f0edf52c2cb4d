"""Chat identities, invites that bind them, and the per-chat conversation state."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import Channel
from models.types import StrEnumType, UtcDateTime


class ChannelIdentity(SQLModel, table=True):
    """A chat account bound to an officer: unique per channel."""

    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: int | None = Field(default=None, primary_key=True)
    officer_id: int = Field(foreign_key="officer.id", index=True, ondelete="CASCADE")
    channel: Channel = Field(sa_type=StrEnumType(Channel))
    external_id: str = Field(max_length=100)
    chat_id: str = Field(max_length=100)
    reachable: bool = Field(default=True, sa_column_kwargs={"server_default": "1"})
    bound_at: datetime = Field(sa_type=UtcDateTime())


class Invite(SQLModel, table=True):
    """A one-time, expiring token (deep link) and short code that binds a chat to an officer."""

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    officer_id: int = Field(foreign_key="officer.id", index=True, ondelete="CASCADE")
    token: str = Field(max_length=64, unique=True)
    code: str = Field(max_length=16, unique=True)
    created_at: datetime = Field(sa_type=UtcDateTime())
    expires_at: datetime = Field(sa_type=UtcDateTime())
    used_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class ChatState(SQLModel, table=True):
    """The flow in progress in one chat (a blocker's reason, a Zalo numbered prompt), with its
    expiry, so that a restart loses nothing."""

    __table_args__ = (UniqueConstraint("channel", "chat_id", "user_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = Field(sa_type=StrEnumType(Channel))
    chat_id: str = Field(max_length=100)
    user_id: str = Field(max_length=100)
    flow: str = Field(max_length=64)
    data: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    expires_at: datetime = Field(sa_type=UtcDateTime())
    updated_at: datetime = Field(sa_type=UtcDateTime())


Index("ix_chatstate_expires_at", ChatState.expires_at)  # type: ignore[arg-type]
