"""The rule every list follows for which occurrence of a task counts now."""

from dataclasses import dataclass
from datetime import date

from models import TaskStatus
from services.tracking.lateness import counting_occurrence, is_overdue


@dataclass(frozen=True)
class Period:
    due: date | None
    status: TaskStatus = TaskStatus.OPEN


TODAY = date(2025, 7, 10)


def test_the_oldest_open_occurrence_past_due_counts_and_makes_the_task_overdue() -> None:
    periods = [
        Period(date(2025, 12, 31)),
        Period(date(2022, 12, 31), TaskStatus.DONE),
        Period(date(2024, 12, 31)),
        Period(date(2023, 12, 31), TaskStatus.BLOCKED),
    ]
    counted = counting_occurrence(periods)
    assert counted is periods[3]  # blocked is still open
    assert is_overdue(counted, TODAY)


def test_else_the_next_open_occurrence_counts_an_undated_one_last() -> None:
    periods = [
        Period(None),
        Period(date(2025, 6, 30), TaskStatus.DONE),
        Period(date(2025, 9, 30)),
        Period(date(2025, 12, 31)),
    ]
    counted = counting_occurrence(periods)
    assert counted is periods[2]
    assert not is_overdue(counted, TODAY)
    assert counting_occurrence([Period(None)]) == Period(None)


def test_a_task_with_nothing_open_has_no_occurrence_counting() -> None:
    closed = [Period(date(2025, 3, 31), TaskStatus.DONE), Period(None, TaskStatus.CANCELLED)]
    assert counting_occurrence(closed) is None
    assert not is_overdue(None, TODAY)
    assert not is_overdue(Period(date(2025, 7, 9), TaskStatus.DONE), TODAY)
    assert not is_overdue(Period(date(2025, 7, 10)), TODAY)  # due today: not late yet
