"""Opening a task again: the one use case behind the web's "Reopen" button, the chat's /mo CODE
and `dondoc tasks reopen CODE`, which only find the task and say what this returns.

`reopen_task` is the chair's or an admin's (anyone else is refused before anything is read):

- a cancelled task is uncancelled (`handmade.uncancel`): its cancelled periods and shares open
  again, reminders resume and its lead units are told. That holds even when one of its periods
  was done before it was cancelled (the chat used to try to reopen that period and refused);
- otherwise the period reopened is the last one, by due date (undated last, as every list
  orders them), in which something is done: the period itself or a lead unit's share (or, with
  a unit named, that unit's share). A quarterly task whose first quarter one unit of two has
  finished reopens that quarter's share; the last period, where nothing is done, would only say
  "nothing to reopen" (all three adapters used to fall back on it);
- without a unit named, every done share of that period opens: "open task 5 again" is about the
  whole task, also when the chair or the admin belongs to one of its lead units (the web and the
  chat used to reopen only that unit's share, the command line every share); with a unit named,
  that unit's share alone, at the progress it had before it was closed.

A reopen from chat is not offered for undo (it never was): it is the chair's correction, and
its history keeps a `reopened` event.
"""

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from models import Channel, Occurrence, Officer, Share, TaskAssignment, TaskStatus
from services.access import access_task, require_manager
from services.clock import Clock
from services.errors import NotDone
from services.tracking.handmade import uncancel
from services.tracking.tasks import reopen


@dataclass(frozen=True, slots=True)
class Reopened:
    """What reopening a task did: whether it was cancelled (then every period opened), its
    progress now, and for a period, how many of its lead units are still done."""

    task_id: int
    code: str
    title: str
    progress: int
    was_cancelled: bool
    units_done: int = 0
    units_total: int = 0


def reopen_task(
    session: Session,
    clock: Clock,
    actor: Officer,
    task_id: int,
    *,
    via: Channel,
    unit_id: int | None = None,
) -> Reopened:
    """Open task `task_id` again (the chair and the admins): uncancel it, or reopen the last
    period with something done (the named unit's share, else every done share); reminders
    resume. `NotDone` when nothing of it is done or cancelled."""
    require_manager(actor)
    task = access_task(session, actor, task_id)
    if task.status is TaskStatus.CANCELLED:
        given = uncancel(session, clock, actor, task_id, via=via)
        return Reopened(given.task_id, given.code, given.title, task.progress, was_cancelled=True)
    occurrence_id = _last_done(session, task_id, unit_id)
    if occurrence_id is None:
        raise NotDone(ref=task.code)
    ref = reopen(
        session, clock, actor, occurrence_id, via=via, unit_id=unit_id, whole=unit_id is None
    )
    return Reopened(
        task_id, ref.code, ref.title, ref.progress, was_cancelled=False,
        units_done=ref.units_done, units_total=ref.units_total,
    )  # fmt: skip


def _last_done(session: Session, task_id: int, unit_id: int | None) -> int | None:
    """The last period of the task (by due date, undated last, then by id) that is done (every
    share with it) or has a done share (of unit `unit_id`, when named)."""
    occurrences = list(session.exec(select(Occurrence).where(Occurrence.task_id == task_id)))
    shares = select(Share.occurrence_id).where(
        col(Share.occurrence_id).in_([o.id for o in occurrences]),
        col(Share.status) == TaskStatus.DONE,
    )
    if unit_id is not None:
        shares = shares.join(TaskAssignment, col(TaskAssignment.id) == Share.assignment_id).where(
            col(TaskAssignment.unit_id) == unit_id
        )
    with_done_share = set(session.exec(shares))
    done = [o for o in occurrences if o.status is TaskStatus.DONE or o.id in with_done_share]
    if not done:
        return None
    last = max(done, key=lambda o: (o.due is None, o.due or date.max, o.id or 0))
    return last.id
