"""How and when reminders go out (per organization, overridable per task), and the
organization's own working-day exceptions."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateIndex
from sqlalchemy.sql.compiler import DDLCompiler
from sqlmodel import Field, SQLModel

from models.types import UtcDateTime

DEFAULT_OFFSETS = [14, 7, 3, 1, 0]
DEFAULT_COORDINATOR_OFFSETS = [7]
DEFAULT_REPORT_DRAFT_DAYS = 3
_ONE_PER_ORGANIZATION = "task_id IS NULL"


def _organization_rows_index() -> Index:
    """At most one organization-wide policy per organization: a unique index on the rows whose
    `task_id` is NULL, on SQLite and PostgreSQL alike. The `where` is in `info`, not named for
    either dialect up front: naming `postgresql_where` or `sqlite_where` makes SQLAlchemy load
    that dialect (PostgreSQL's ~30 ms, SQLite's ~5 ms) to check the argument, in every command
    whatever its database; it is added when the index is created (`_create_partial_index`).
    The migrations spell both out."""
    return Index(
        "uq_reminderpolicy_organization",
        "organization_id",
        unique=True,
        info={"where": _ONE_PER_ORGANIZATION},
    )


@compiles(CreateIndex, "postgresql")
@compiles(CreateIndex, "sqlite")
def _create_partial_index(create: CreateIndex, compiler: DDLCompiler, **kw: Any) -> str:
    """`CREATE INDEX`, partial when the index says so in `info["where"]` (the database's
    dialect is loaded by then)."""
    index = create.element
    where = index.info.get("where")
    options = index.dialect_options[compiler.dialect.name]
    if where is not None and options["where"] is None:
        options["where"] = text(where)
    return str(compiler.visit_create_index(create, **kw))  # type: ignore[no-untyped-call]


class ReminderPolicy(SQLModel, table=True):
    """Reminder rules of an organization (`task_id` NULL) or of one task that overrides them."""

    __table_args__ = (
        _organization_rows_index(),
        UniqueConstraint("task_id"),
        Index("ix_reminderpolicy_next_summary_at", "next_summary_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE")
    offsets_days: list[int] = Field(
        default_factory=lambda: list(DEFAULT_OFFSETS),
        sa_column=Column(JSON, nullable=False),
    )
    coordinator_offsets_days: list[int] = Field(
        default_factory=lambda: list(DEFAULT_COORDINATOR_OFFSETS),
        sa_column=Column(JSON, nullable=False, server_default="[7]"),
    )
    overdue_every_working_days: int = 2
    overdue_slow_after_working_days: int = Field(
        default=10, sa_column_kwargs={"server_default": "10"}
    )
    overdue_slow_every_working_days: int = Field(
        default=5, sa_column_kwargs={"server_default": "5"}
    )
    overdue_rare_after_working_days: int = Field(
        default=60, sa_column_kwargs={"server_default": "60"}
    )
    overdue_rare_every_working_days: int = Field(
        default=20, sa_column_kwargs={"server_default": "20"}
    )
    escalate_after_working_days: int = 3
    send_time: str = Field(default="07:30", max_length=5)
    quiet_start: str = Field(default="21:00", max_length=5)
    quiet_end: str = Field(default="07:00", max_length=5)
    weekly_summary_weekday: int = 0
    ongoing_checkin: str = Field(default="monthly", max_length=16)
    long_window_checkin: str = Field(default="yearly", max_length=16)
    duty_checkin: str = Field(
        default="quarterly", max_length=16, sa_column_kwargs={"server_default": "quarterly"}
    )
    """Standing duties' check-in before each quarter's report (`quarterly`, or `off`)."""
    next_summary_at: datetime | None = Field(default=None, sa_type=UtcDateTime())
    """When the scan next sends the weekly summaries (organization rows only)."""
    report_draft_working_days: int = Field(
        default=DEFAULT_REPORT_DRAFT_DAYS,
        sa_column_kwargs={"server_default": str(DEFAULT_REPORT_DRAFT_DAYS)},
    )
    """Working days before a required report is due when its unit gets the draft (0: never)."""


class CalendarDay(SQLModel, table=True):
    """An organization's own exception to the working-day calendar: an announced day off, or a
    Saturday worked in exchange."""

    __table_args__ = (UniqueConstraint("organization_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    day: date
    working: bool
    reason: str = Field(max_length=300)
