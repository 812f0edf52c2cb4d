"""The rows the reminder engine reads: one occurrence with what its task and plan say, as the
scan and the planner select them (`reminders._fact_query`), read by name. Typing only: the rows
are `reminders._Fact` named tuples, whose fields read fast."""

from datetime import date, datetime
from typing import Protocol

from models import TaskKind, TaskStatus


class FactRow(Protocol):
    """One occurrence to plan: its dates and state, its task's, its plan's."""

    def __getitem__(self, index: int) -> object:
        """A column by position (the schedule cache's key reads several at once)."""

    @property
    def id(self) -> int:
        """The occurrence."""

    @property
    def task_id(self) -> int:
        """Its task."""

    @property
    def due(self) -> date | None:
        """When it is due (none for an ongoing task)."""

    @property
    def period_start(self) -> date | None:
        """Where a recurring task's period starts."""

    @property
    def status(self) -> TaskStatus:
        """The occurrence's own status."""

    @property
    def snoozed_until(self) -> datetime | None:
        """Until when reminders are held."""

    @property
    def next_reminder_at(self) -> datetime | None:
        """The moment the scan next looks at it."""

    @property
    def kind(self) -> TaskKind:
        """A task, an obligation or a standing duty."""

    @property
    def deadline_kind(self) -> str:
        """How its deadline reads ("date", "ongoing" …)."""

    @property
    def recurrence(self) -> str | None:
        """How often it comes back."""

    @property
    def code(self) -> str:
        """The task's number as printed."""

    @property
    def title(self) -> str:
        """The task's title."""

    @property
    def starts(self) -> date | None:
        """When the task starts."""

    @property
    def task_status(self) -> TaskStatus:
        """The task's status."""

    @property
    def deadline_text(self) -> str:
        """The deadline as printed."""

    @property
    def organization_id(self) -> int:
        """The ward."""

    @property
    def superseded_by_id(self) -> int | None:
        """The plan that replaced this one, if any."""

    @property
    def imported_at(self) -> datetime:
        """When the plan was imported."""


class DueRow(FactRow, Protocol):
    """A row the scan found due: it has a moment."""

    @property
    def next_reminder_at(self) -> datetime:
        """The moment it fell due."""
