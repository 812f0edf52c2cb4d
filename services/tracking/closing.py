"""Closing a whole task: the one use case behind the web's "✅ Done" on a task's page and
`dondoc tasks done CODE`, which only find the task and say what this returns.

The period closed is the one an undated act is about (`task_list.occurrence_to_act_on`: the
one that counts now), the same the chat's "việc 7 xong" closes. Without a unit named, the
chair or an admin closes every share of it ("task 5 is done" is about the whole task, as
reopening reads it); an officer, their own unit's share. With a unit named, that unit's share.
"""

from sqlmodel import Session

from models import Channel, Officer
from services.access import access_task, is_manager
from services.clock import Clock
from services.tracking.task_list import occurrence_to_act_on
from services.tracking.tasks import TaskRef, mark_done


def close_task(
    session: Session,
    clock: Clock,
    actor: Officer,
    task_id: int,
    *,
    via: Channel,
    unit_id: int | None = None,
) -> TaskRef:
    """Record task `task_id` done in the period that counts now: the named unit's share, or
    without one, every share for the chair and the admins, the actor's own for an officer."""
    task = access_task(session, actor, task_id)
    occurrence = occurrence_to_act_on(session, task)
    assert occurrence.id is not None
    whole = unit_id is None and is_manager(actor)
    return mark_done(session, clock, actor, occurrence.id, via=via, unit_id=unit_id, whole=whole)
