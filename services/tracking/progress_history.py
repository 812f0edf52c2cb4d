"""The progress a task had before it was closed, read back from its history.

Closing a share sets its progress to 100 %; reopening it must not leave it at 100 % (it is not
done) nor drop it to 0 % (a task closed by mistake at 30 % is still at 30 %). The history knows:
the last progress event of that share (or of the occurrence, for a task with no lead unit) before
its last done event, not counting a progress taken back by an undo. Without one, the progress is
kept as it was (`settle` turns the 100 % of an open share into 0 %).
"""

from collections.abc import Sequence

from sqlmodel import Session, col, select

from models import EventKind, Occurrence, Task, TaskEvent
from services.tracking.shares import Part


def restore_progress(
    session: Session, occurrence: Occurrence, task: Task, reopened: Sequence[Part]
) -> None:
    """Give each reopened share (or the task, when it has no share) the progress it had before
    it was closed; call before `settle`."""
    history = list(
        session.exec(
            select(TaskEvent)
            .where(
                TaskEvent.occurrence_id == occurrence.id,
                col(TaskEvent.kind).in_((EventKind.DONE, EventKind.PROGRESS, EventKind.UNDONE)),
            )
            .order_by(col(TaskEvent.id))
        )
    )
    undone = {_as_int(i) for e in history if e.kind is EventKind.UNDONE for i in _undid(e)}
    kept = [e for e in history if e.kind is not EventKind.UNDONE and e.id not in undone]
    if not reopened:
        before = _before_done(kept, None)
        if before is not None and task.progress == 100:
            task.progress = before
        return
    for part in reopened:
        before = _before_done(kept, part.assignment.id)
        if before is not None and part.assignment.progress == 100:
            part.assignment.progress = before
            session.add(part.assignment)


def _before_done(history: list[TaskEvent], assignment_id: int | None) -> int | None:
    """The percent of the last progress event of the share before its last done event."""
    mine = [e for e in history if e.assignment_id == assignment_id]
    done = [i for i, e in enumerate(mine) if e.kind is EventKind.DONE]
    if not done:
        return None
    for event in reversed(mine[: done[-1]]):
        if event.kind is EventKind.PROGRESS:
            percent = event.payload.get("percent")
            if isinstance(percent, int) and 0 <= percent < 100:
                return percent
    return None


def _undid(event: TaskEvent) -> list[object]:
    undid = event.payload.get("undid")
    return undid if isinstance(undid, list) else [undid]


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None
