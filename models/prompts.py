"""The numbered choices of the last prompt sent to a chat, on channels without buttons (Zalo).

The answer "1" means the first choice of the last message that offered choices in that chat,
until `expires_at`; a newer prompt replaces it.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import Channel
from models.types import StrEnumType, UtcDateTime


class NumberedPrompt(SQLModel, table=True):
    """The choices last offered in one chat: `[{n, action, token, label}, …]`."""

    __table_args__ = (UniqueConstraint("channel", "chat_id"),)

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = Field(sa_type=StrEnumType(Channel))
    chat_id: str = Field(max_length=100)
    message_id: str | None = Field(default=None, max_length=100)
    choices: list[dict[str, object]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    sent_at: datetime = Field(sa_type=UtcDateTime())
    expires_at: datetime = Field(sa_type=UtcDateTime())
