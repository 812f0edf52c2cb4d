"""Imported plans, their tasks, who leads and coordinates them, and their occurrences."""

from datetime import date, datetime

from sqlalchemy import JSON, CheckConstraint, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from models.enums import AssignmentRole, TaskKind, TaskStatus
from models.types import StrEnumType, UtcDateTime


class Plan(SQLModel, table=True):
    """A plan (kế hoạch) as confirmed by the office; re-importing the same file is idempotent.

    `manual` marks the one plan per organization that holds the tasks given by hand (in chat, on
    the web, on the command line): it is no document, and people read it as "no plan".
    """

    __table_args__ = (UniqueConstraint("organization_id", "sha256"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", index=True, ondelete="CASCADE")
    title: str | None = Field(default=None, max_length=500)
    number: str | None = Field(default=None, max_length=64)
    issued: date | None = None
    issuer: str | None = Field(default=None, max_length=300)
    years: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source_name: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    imported_at: datetime = Field(sa_type=UtcDateTime())
    superseded_by_id: int | None = Field(default=None, foreign_key="plan.id")
    columns: list[dict[str, str]] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default="[]"),
    )
    """The task table's headers as printed, in order: `{"role": "lead", "label": "Chủ trì"}`."""
    manual: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class Task(SQLModel, table=True):
    """One row of a plan's task table (or a duty its text states), as confirmed by the office."""

    __table_args__ = (
        UniqueConstraint("plan_id", "code"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    kind: TaskKind = Field(
        default=TaskKind.TASK,
        sa_type=StrEnumType(TaskKind),
        sa_column_kwargs={"server_default": TaskKind.TASK.value},
    )
    code: str = Field(max_length=32)
    position: int = 0
    section: str | None = Field(default=None, max_length=500)
    title: str
    requirement: str | None = None
    lead_text: str = Field(default="", max_length=500)
    coordinators_text: str = Field(default="", max_length=500)
    deadline_text: str = Field(default="", max_length=300)
    deadline_kind: str = Field(default="unrecognised", max_length=32)
    due: date | None = None
    starts: date | None = None
    recurrence: str | None = Field(default=None, max_length=16)
    note: str | None = Field(default=None, max_length=500)
    status: TaskStatus = Field(
        default=TaskStatus.OPEN, sa_type=StrEnumType(TaskStatus), index=True
    )
    progress: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    sections: list[str] = Field(
        default_factory=list,
        sa_column=Column(JSON, nullable=False, server_default="[]"),
    )
    """Every heading of the plan's table the task sits under, outermost first (`section` is the
    last): reports print them as the plan does."""


class TaskAssignment(SQLModel, table=True):
    """A unit (or one officer) leading or coordinating a task.

    A lead assignment is a **share**: the unit's own part of the task, with its own status,
    progress and completion time (over every occurrence, for a recurring task: see `Share`). The
    task is done when every lead share is; coordinators never hold it open. `expanded` marks the
    shares "all units" was expanded into, so a unit added later gets one too.
    """

    __table_args__ = (
        UniqueConstraint("task_id", "unit_id", "role"),
        CheckConstraint(
            "(unit_id IS NOT NULL) OR (officer_id IS NOT NULL)", name="unit_or_officer"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", index=True, ondelete="CASCADE")
    unit_id: int | None = Field(default=None, foreign_key="unit.id", index=True)
    officer_id: int | None = Field(default=None, foreign_key="officer.id", index=True)
    role: AssignmentRole = Field(sa_type=StrEnumType(AssignmentRole))
    status: TaskStatus = Field(
        default=TaskStatus.OPEN,
        sa_type=StrEnumType(TaskStatus),
        sa_column_kwargs={"server_default": TaskStatus.OPEN.value},
    )
    progress: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    expanded: bool = Field(default=False, sa_column_kwargs={"server_default": "0"})


class Share(SQLModel, table=True):
    """One lead unit's part of one occurrence: "Hằng quý" led by all units is done for Q2 by
    the units that reported, and still open for the others."""

    __table_args__ = (UniqueConstraint("occurrence_id", "assignment_id"),)

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="occurrence.id", index=True, ondelete="CASCADE")
    assignment_id: int = Field(foreign_key="taskassignment.id", index=True, ondelete="CASCADE")
    status: TaskStatus = Field(default=TaskStatus.OPEN, sa_type=StrEnumType(TaskStatus))
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime())


class Occurrence(SQLModel, table=True):
    """One period of a task: the only one of a fixed task, one per quarter of a "Hằng quý" one.

    `next_reminder_at` is the precomputed moment the scan must look at it next (NULL: never).
    """

    __table_args__ = (
        UniqueConstraint("task_id", "due"),
        Index("ix_occurrence_next_reminder_at", "next_reminder_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    task_id: int = Field(foreign_key="task.id", ondelete="CASCADE")
    """Found by the unique (task_id, due) index (no index of its own: the scan moves a thousand
    occurrences a minute, each move writing every index)."""
    period_start: date | None = None
    due: date | None = None
    status: TaskStatus = Field(default=TaskStatus.OPEN, sa_type=StrEnumType(TaskStatus))
    snoozed_until: datetime | None = Field(default=None, sa_type=UtcDateTime())
    done_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    next_reminder_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    told: str | None = None
    """The idempotency keys (space-separated) of what the scan told of it that it could be due
    to tell again: kept on the row the scan moves anyway, so telling a thousand things writes
    no row of its own and checking them reads nothing more (`services/reminding/items.py`)."""


class PlanResponsibility(SQLModel, table=True):
    """A duty the plan's "Tổ chức thực hiện" section charges a unit with."""

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan.id", index=True, ondelete="CASCADE")
    unit_id: int = Field(foreign_key="unit.id", index=True)
    position: int = 0
    duty: str
