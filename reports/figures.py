"""The numbers every report agrees on: each unit's and officer's shares by state, the on-time
rate, and the plan's completion over time. One place, so the workbook, the chart, the draft and
the chat say the same."""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from reports.snapshot import (
    DONE_STATES,
    ShareFacts,
    Snapshot,
    State,
    TaskFacts,
    share_state,
    task_state,
)

NO_UNIT = "—"


@dataclass(frozen=True, slots=True)
class Tally:
    """Shares counted by state, for a unit, an officer or the whole plan."""

    name: str
    on_time: int = 0
    late: int = 0
    in_progress: int = 0
    overdue: int = 0
    blocked: int = 0
    not_due: int = 0
    due_so_far: int = 0
    """Shares done, or open past their due date: the on-time rate's denominator."""

    @property
    def assigned(self) -> int:
        """Every share not cancelled."""
        return (
            self.on_time + self.late + self.in_progress + self.overdue + self.blocked
            + self.not_due
        )  # fmt: skip

    @property
    def done(self) -> int:
        """Shares done, on time or late."""
        return self.on_time + self.late

    @property
    def on_time_rate(self) -> float | None:
        """Shares done on time among those due so far (None when none was due yet)."""
        return self.on_time / self.due_so_far if self.due_so_far else None


@dataclass(frozen=True, slots=True)
class ShareLine:
    """One unit's share of a task, with its state on the snapshot's day."""

    task: TaskFacts
    unit: str
    state: State
    done_on: date | None
    progress: int


def share_lines(snapshot: Snapshot, tasks: tuple[TaskFacts, ...]) -> Iterator[ShareLine]:
    """Each task's shares (a task with no lead unit counts once, under "—"), cancelled ones
    and other units' left out when the snapshot is one officer's."""
    return _lines(tasks, snapshot.today, snapshot.only_units)


def _lines(
    tasks: Iterable[TaskFacts], today: date, only_units: tuple[str, ...] | None
) -> Iterator[ShareLine]:
    for task in tasks:
        shares = task.shares or (
            ShareFacts(NO_UNIT, task.status, done_on=task.done_on, progress=task.progress),
        )
        for share in shares:
            if only_units is not None and share.unit not in only_units:
                continue
            state = share_state(task, share, today)
            if state is State.CANCELLED:
                continue
            yield ShareLine(task, share.unit, state, share.done_on, share.progress)


def by_unit(snapshot: Snapshot) -> list[Tally]:
    """Each unit's tally over the plan's table, in the order units first appear."""
    return unit_tallies(snapshot.tasks, snapshot.today, only_units=snapshot.only_units)


def unit_tallies(
    tasks: Iterable[TaskFacts], today: date, *, only_units: tuple[str, ...] | None = None
) -> list[Tally]:
    """Each unit's tally over `tasks` on `today` (`by_unit` without a whole snapshot)."""
    counts: dict[str, dict[str, int]] = {}
    for line in _lines(tasks, today, only_units):
        _count(counts.setdefault(line.unit, {}), line, today)
    return [_tally(name, values) for name, values in counts.items()]


def by_officer(snapshot: Snapshot) -> list[Tally]:
    """Each officer's tally: the shares of the units they belong to."""
    return officer_tallies(by_unit(snapshot), snapshot.members)


def officer_tallies(
    units: Iterable[Tally], members: Iterable[tuple[str, tuple[str, ...]]]
) -> list[Tally]:
    """Each officer's tally from their units' (`members`: each unit's officers), by name."""
    by_name = {tally.name: tally for tally in units}
    officers: dict[str, list[Tally]] = {}
    for unit, names in members:
        for name in names:
            if unit in by_name:
                officers.setdefault(name, []).append(by_name[unit])
    return [combine(name, tallies) for name, tallies in sorted(officers.items())]


def total(snapshot: Snapshot) -> Tally:
    """The plan's tally, task by task (a task counts once, whatever its units)."""
    values: dict[str, int] = {}
    for task in snapshot.tasks:
        if snapshot.only_units is not None and not any(
            share.unit in snapshot.only_units for share in task.shares
        ):
            continue
        state = task_state(task, snapshot.today)
        if state is State.CANCELLED:
            continue
        _count(values, ShareLine(task, "", state, task.done_on, task.progress), snapshot.today)
    return _tally("", values)


def completion(snapshot: Snapshot) -> tuple[list[tuple[date, float]], list[tuple[date, float]]]:
    """The plan's completion over time, in percent of its tasks: done by each day it changed,
    and planned (due) by each day; both cumulative, undated tasks never planned."""
    tasks = [
        task for task in snapshot.tasks if task_state(task, snapshot.today) is not State.CANCELLED
    ]
    if not tasks:
        return [], []
    done_days = sorted(task.done_on for task in tasks if task.status == "done" and task.done_on)
    due_days = sorted(task.due for task in tasks if task.due is not None)
    return _cumulative(done_days, len(tasks)), _cumulative(due_days, len(tasks))


def _cumulative(days: list[date], whole: int) -> list[tuple[date, float]]:
    points: list[tuple[date, float]] = []
    for count, day in enumerate(days, start=1):
        if points and points[-1][0] == day:
            points.pop()
        points.append((day, 100 * count / whole))
    return points


def _count(values: dict[str, int], line: ShareLine, today: date) -> None:
    key = {
        State.DONE_ON_TIME: "on_time",
        State.DONE_LATE: "late",
        State.IN_PROGRESS: "in_progress",
        State.OVERDUE: "overdue",
        State.BLOCKED: "blocked",
        State.NOT_DUE: "not_due",
    }[line.state]
    values[key] = values.get(key, 0) + 1
    is_due = line.task.due is not None and line.task.due < today
    if line.state in DONE_STATES or is_due:
        values["due_so_far"] = values.get("due_so_far", 0) + 1


def _tally(name: str, values: dict[str, int]) -> Tally:
    return Tally(name, **values)


def combine(name: str, tallies: Iterable[Tally]) -> Tally:
    """One tally adding up several (a unit over several plans, an officer over their units)."""
    parts = list(tallies)
    return Tally(
        name,
        on_time=sum(t.on_time for t in parts),
        late=sum(t.late for t in parts),
        in_progress=sum(t.in_progress for t in parts),
        overdue=sum(t.overdue for t in parts),
        blocked=sum(t.blocked for t in parts),
        not_due=sum(t.not_due for t in parts),
        due_so_far=sum(t.due_so_far for t in parts),
    )
