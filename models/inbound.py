"""Updates as a chat platform delivered them, stored before they are processed.

A webhook is acknowledged as soon as its update is stored; a repeated delivery of the same
message is recognised by `(channel, update_key)` and processed once. Rows whose `processed_at`
is empty after a crash are processed at the next start; one that failed `attempts` times is
parked (`parked_at`) instead of failing again at every start.
"""

from datetime import datetime

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import Channel
from models.types import StrEnumType, UtcDateTime


class InboundUpdate(SQLModel, table=True):
    """One update received on a channel (Zalo's getUpdates or webhook)."""

    __table_args__ = (
        UniqueConstraint("channel", "update_key"),
        Index("ix_inboundupdate_channel_processed_at", "channel", "processed_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    channel: Channel = Field(sa_type=StrEnumType(Channel))
    update_key: str = Field(max_length=200)  # the platform's message id ("m:…") or a digest
    payload: dict[str, object] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
    received_at: datetime = Field(sa_type=UtcDateTime())
    processed_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    attempts: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    parked_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
