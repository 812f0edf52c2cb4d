"""The rows the reminder engine reads and writes, typed.

Read: one occurrence with what its task and plan say, as the scan and the planner select them
(`reminders._fact_query`, its columns in this order and under these names), as named tuples:
the scan reads each row's fields by name a dozen times, and a tuple's field costs a fifteenth
of a SQLAlchemy row's. Written: the digests and items one scan plans (`items.bundle`), as the
plain dicts the writing statement takes."""

from datetime import date, datetime
from typing import Generic, NamedTuple, TypeAlias, TypedDict, TypeVar

from models import ItemKind, TaskKind, TaskStatus

Moment = TypeVar("Moment", bound=datetime | None, covariant=True)


class Fact(NamedTuple, Generic[Moment]):
    """One occurrence to plan: its dates and state, its task's, its plan's. Its next moment is
    known in the rows the scan found due (`DueRow`); any other row may have none (`FactRow`)."""

    id: int
    task_id: int
    due: date | None
    """When it is due (none for an ongoing task)."""
    period_start: date | None
    """Where a recurring task's period starts."""
    status: TaskStatus
    """The occurrence's own status."""
    snoozed_until: datetime | None
    next_reminder_at: Moment
    """The moment the scan next looks at it."""
    kind: TaskKind
    """A task, an obligation or a standing duty."""
    deadline_kind: str
    """How its deadline reads ("date", "ongoing" …)."""
    recurrence: str | None
    code: str
    """The task's number as printed."""
    title: str
    starts: date | None
    """When the task starts."""
    task_status: TaskStatus
    deadline_text: str
    """The deadline as printed."""
    organization_id: int
    superseded_by_id: int | None
    """The plan that replaced this one, if any."""
    imported_at: datetime
    """When the plan was imported."""
    told: str | None
    """The keys of what the scan told of it and keeps (`Occurrence.told`)."""


FactRow: TypeAlias = Fact[datetime | None]
"""An occurrence to plan."""
DueRow: TypeAlias = Fact[datetime]
"""An occurrence the scan found due: it has a moment."""


class SummaryDue(NamedTuple):
    """A ward whose weekly summary the scan found due: its policy's row, the ward."""

    policy_id: int
    organization_id: int


class DigestPayload(TypedDict):
    """What a digest says: its moment (ISO) and its items' data, most urgent first."""

    moment: str
    items: list[dict[str, object]]


class DigestRow(TypedDict):
    """A digest to write: one officer's new items at one moment."""

    organization_id: int
    officer_id: int
    payload: DigestPayload
    idempotency_key: str
    scheduled_for: datetime


class ItemRow(TypedDict):
    """An item to write, under its digest (`digest`: the digest's index in the scan's list);
    what it said is in the digest's payload, the row keeps who, when and why (`data`)."""

    digest: int
    occurrence_id: int | None
    kind: ItemKind
    idempotency_key: str
    data: dict[str, object]
