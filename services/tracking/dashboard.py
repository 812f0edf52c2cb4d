"""What the chair's dashboard asks beyond the chat's queries: the extension requests waiting
for an answer, open work by officer, and one task's history from its events."""

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from models import EventKind, Occurrence, Officer, Plan, Task, TaskEvent
from services.access import access_occurrence, access_task, require_manager, visible_tasks
from services.clock import Clock, local_today
from services.tracking.extensions import pending_requests
from services.tracking.lateness import is_overdue
from services.tracking.queries import Item, counting_among, items


@dataclass(frozen=True, slots=True)
class PendingExtension:
    """An extension request waiting for the chair."""

    request_id: int
    code: str
    title: str
    officer: str
    due: date | None
    until: date
    reason: str
    at: datetime


@dataclass(frozen=True, slots=True)
class OfficerLoad:
    """One officer's open and overdue occurrences."""

    officer: str
    open: int
    overdue: int


@dataclass(frozen=True, slots=True)
class HistoryLine:
    """One event of a task's history."""

    at: datetime
    kind: EventKind
    officer: str | None
    channel: str | None
    payload: dict[str, object]


@dataclass(frozen=True, slots=True)
class TaskHistory:
    """A task and everything that happened to it, oldest first."""

    task_id: int
    code: str
    title: str
    deadline_text: str
    due: date | None
    status: str
    progress: int
    lines: tuple[HistoryLine, ...]


def pending_extensions(session: Session, actor: Officer) -> list[PendingExtension]:
    """Extension requests nobody has answered yet (chair and admins), oldest first."""
    require_manager(actor)
    rows = session.exec(
        select(TaskEvent, Task, Occurrence)
        .join(Task, col(Task.id) == TaskEvent.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .join(Occurrence, col(Occurrence.id) == TaskEvent.occurrence_id)
        .where(TaskEvent.kind == EventKind.EXTENSION_REQUESTED, visible_tasks(session, actor))
        .order_by(col(TaskEvent.id))
    ).all()
    names = _names(session, [event.officer_id for event, _, _ in rows])
    waiting = pending_requests(session, sorted({o.id for _, _, o in rows if o.id is not None}))
    pending = []
    for event, task, occurrence in rows:
        assert event.id is not None
        assert occurrence.id is not None
        if waiting.get(occurrence.id) != event.id:
            continue
        pending.append(
            PendingExtension(
                request_id=event.id,
                code=task.code,
                title=task.title,
                officer=names.get(event.officer_id or 0, "—"),
                due=occurrence.due,
                until=date.fromisoformat(str(event.payload["until"])),
                reason=str(event.payload.get("reason", "")),
                at=event.at,
            )
        )
    return pending


def load_by_officer(session: Session, clock: Clock, actor: Officer) -> list[OfficerLoad]:
    """Open and overdue occurrences per officer of the lead units (chair and admins)."""
    require_manager(actor)
    return load_among(items(session, actor), local_today(clock))


def load_among(found: Iterable[Item], today: date) -> list[OfficerLoad]:
    """Open and overdue tasks of `found` per officer of their lead units, each task by its
    occurrence that counts now (`lateness.counting_occurrence`)."""
    open_counts: Counter[str] = Counter()
    late_counts: Counter[str] = Counter()
    for item in counting_among(found):
        for name in item.officers or ("—",):
            open_counts[name] += 1
            late_counts[name] += is_overdue(item, today)
    return [
        OfficerLoad(officer=name, open=count, overdue=late_counts[name])
        for name, count in sorted(open_counts.items(), key=lambda kv: (-late_counts[kv[0]], kv[0]))
    ]


def task_history(session: Session, actor: Officer, task_id: int) -> TaskHistory:
    """Task `task_id` with its events, if `actor` may see it."""
    task = access_task(session, actor, task_id)
    events = session.exec(
        select(TaskEvent)
        .where(TaskEvent.task_id == task_id)
        .order_by(col(TaskEvent.at), col(TaskEvent.id))
    ).all()
    names = _names(session, [event.officer_id for event in events])
    assert task.id is not None
    return TaskHistory(
        task_id=task.id,
        code=task.code,
        title=task.title,
        deadline_text=task.deadline_text,
        due=task.due,
        status=task.status.value,
        progress=task.progress,
        lines=tuple(
            HistoryLine(
                at=event.at,
                kind=event.kind,
                officer=names.get(event.officer_id) if event.officer_id else None,
                channel=event.channel.value if event.channel else None,
                payload=dict(event.payload),
            )
            for event in events
        ),
    )


def task_of_occurrence(session: Session, actor: Officer, occurrence_id: int) -> int:
    """The task an occurrence `actor` may see belongs to."""
    _, task = access_occurrence(session, actor, occurrence_id)
    assert task.id is not None
    return task.id


def _names(session: Session, ids: list[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.exec(select(Officer.id, Officer.name).where(col(Officer.id).in_(wanted)))
    return {officer_id: name for officer_id, name in rows if officer_id is not None}
