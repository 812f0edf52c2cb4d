"""The append-only history of every task."""

from datetime import datetime

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from models.enums import Channel, EventKind
from models.types import StrEnumType, UtcDateTime


class TaskEvent(SQLModel, table=True):
    """Something that happened to a task: who, when, through which channel, with what."""

    __table_args__ = (Index("ix_taskevent_task_at", "task_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    occurrence_id: int | None = Field(default=None, foreign_key="occurrence.id", index=True)
    officer_id: int | None = Field(default=None, foreign_key="officer.id", index=True)
    # The share acted on (a lead `TaskAssignment`), kept as a plain number: the history
    # outlives a share a revised plan removes; the payload names its unit.
    assignment_id: int | None = Field(default=None, index=True)
    kind: EventKind = Field(sa_type=StrEnumType(EventKind))
    channel: Channel | None = Field(default=None, sa_type=StrEnumType(Channel))
    at: datetime = Field(sa_type=UtcDateTime())
    payload: dict[str, object] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False)
    )
