"""What a report is made from: a plan, its table's columns, its tasks with each lead unit's
share, and the period, frozen at one moment ("today"). Services build it; `reports` reads it."""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from reports.period import Period


class State(StrEnum):
    """Where a task (or one unit's share of it) stands in a report."""

    DONE_ON_TIME = "done_on_time"
    DONE_LATE = "done_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    BLOCKED = "blocked"
    NOT_DUE = "not_due"
    CANCELLED = "cancelled"


DONE_STATES = frozenset((State.DONE_ON_TIME, State.DONE_LATE))


@dataclass(frozen=True, slots=True)
class PlanColumn:
    """A column of the plan's task table: what it holds and its header as printed."""

    role: str
    label: str


@dataclass(frozen=True, slots=True)
class PlanFacts:
    """The plan and the organization that issued it."""

    organization: str
    title: str | None
    number: str | None
    issued: date | None
    issuer: str | None
    columns: tuple[PlanColumn, ...] = ()
    plan_id: int | None = None
    """The stored plan's id, for links to its reports."""


@dataclass(frozen=True, slots=True)
class ShareFacts:
    """One lead unit's part of a task, with where it stands."""

    unit: str
    status: str
    """`open`, `done`, `blocked`, `awaiting_direction` or `cancelled`, as recorded."""
    done_on: date | None = None
    progress: int = 0


@dataclass(frozen=True, slots=True)
class Remarks:
    """What the "Kết quả, ghi chú" column says about a task."""

    progress_note: str | None = None
    blocker: str | None = None
    extension_until: date | None = None
    extension_pending: bool = False
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class TaskFacts:
    """One task of the report: its cells as the plan printed them and its recorded state."""

    code: str
    title: str
    status: str
    section: str | None = None
    sections: tuple[str, ...] = ()
    """Every heading the task sits under, outermost first (`section` is the last); empty when
    only `section` was kept."""
    requirement: str | None = None
    lead_text: str = ""
    coordinators_text: str = ""
    deadline_text: str = ""
    note: str | None = None
    due: date | None = None
    done_on: date | None = None
    progress: int = 0
    shares: tuple[ShareFacts, ...] = ()
    remarks: Remarks = field(default_factory=Remarks)

    def cell(self, role: str) -> str:
        """The text of this task's cell in the column holding `role`."""
        values = {
            "code": self.code,
            "title": self.title,
            "requirement": self.requirement or "",
            "lead": self.lead_text,
            "coordinators": self.coordinators_text,
            "deadline": self.deadline_text,
            "note": self.note or "",
        }
        return values.get(role, "")

    @property
    def headings(self) -> tuple[str, ...]:
        """The headings the task sits under, outermost first."""
        if self.sections:
            return self.sections
        return (self.section,) if self.section else ()


@dataclass(frozen=True, slots=True)
class Duty:
    """A standing duty the plan gives one unit ("Tổ chức thực hiện")."""

    unit: str
    duty: str


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Everything one report shows, as it stood on `today`.

    `tasks` are the rows of the plan's table; `others` the reports the plan requires; `handmade`
    the organization's tasks given by hand (in chat, on the web); `members` the active officers
    of each unit, for the on-time rate per officer.
    """

    plan: PlanFacts
    period: Period
    today: date
    locale: str = "vi"
    tasks: tuple[TaskFacts, ...] = ()
    others: tuple[TaskFacts, ...] = ()
    handmade: tuple[TaskFacts, ...] = ()
    duty_tasks: tuple[TaskFacts, ...] = ()
    """The units' standing duties tracked as tasks (a plan without a task table)."""
    duties: tuple[Duty, ...] = ()
    members: tuple[tuple[str, tuple[str, ...]], ...] = ()
    only_units: tuple[str, ...] | None = None
    """Set when the report is an officer's: only these units' rows are shown."""


def state_of(
    status: str, *, due: date | None, done_on: date | None, progress: int, today: date
) -> State:
    """A task's or share's state on `today` from what is recorded."""
    if status == "cancelled":
        return State.CANCELLED
    if status == "done":
        is_late = due is not None and done_on is not None and done_on > due
        return State.DONE_LATE if is_late else State.DONE_ON_TIME
    if status in ("blocked", "awaiting_direction"):
        return State.BLOCKED
    if due is not None and due < today:
        return State.OVERDUE
    if progress > 0 or due is None:
        return State.IN_PROGRESS  # started, or ongoing ("Thường xuyên")
    return State.NOT_DUE


def task_state(task: TaskFacts, today: date) -> State:
    """The state of a whole task."""
    return state_of(
        task.status, due=task.due, done_on=task.done_on, progress=task.progress, today=today
    )


def share_state(task: TaskFacts, share: ShareFacts, today: date) -> State:
    """The state of one unit's share of `task`."""
    return state_of(
        share.status, due=task.due, done_on=share.done_on, progress=share.progress, today=today
    )
