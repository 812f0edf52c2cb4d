"""How and when reminders go out (per organization, overridable per task), and the
organization's own working-day exceptions."""

from datetime import date

from sqlalchemy import JSON, Column, Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

DEFAULT_OFFSETS = [14, 7, 3, 1, 0]


class ReminderPolicy(SQLModel, table=True):
    """Reminder rules of an organization (`task_id` NULL) or of one task that overrides them."""

    __table_args__ = (
        Index(
            "uq_reminderpolicy_organization",
            "organization_id",
            unique=True,
            postgresql_where=text("task_id IS NULL"),
            sqlite_where=text("task_id IS NULL"),
        ),
        UniqueConstraint("task_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    task_id: int | None = Field(default=None, foreign_key="task.id", ondelete="CASCADE")
    offsets_days: list[int] = Field(
        default_factory=lambda: list(DEFAULT_OFFSETS),
        sa_column=Column(JSON, nullable=False),
    )
    overdue_every_working_days: int = 2
    escalate_after_working_days: int = 3
    send_time: str = Field(default="07:30", max_length=5)
    quiet_start: str = Field(default="21:00", max_length=5)
    quiet_end: str = Field(default="07:00", max_length=5)
    weekly_summary_weekday: int = 0
    ongoing_checkin: str = Field(default="monthly", max_length=16)
    long_window_checkin: str = Field(default="yearly", max_length=16)


class CalendarDay(SQLModel, table=True):
    """An organization's own exception to the working-day calendar: an announced day off, or a
    Saturday worked in exchange."""

    __table_args__ = (UniqueConstraint("organization_id", "day"),)

    id: int | None = Field(default=None, primary_key=True)
    organization_id: int = Field(foreign_key="organization.id", ondelete="CASCADE")
    day: date
    working: bool
    reason: str = Field(max_length=300)
