"""Changing the rules reminders follow, as the office's admins do it: a day off or a working day
in the organization's calendar, the reminder policy (or one task's own). Each use case takes the
person acting, refuses anyone but an active admin of their organization, and re-plans the
reminders at once, so that the web, the chat and the command line (acting as the office) leave
the engine in the same state. One commit each.

These live above the engine (`reminders` reads policies and calendars; these write them and
re-plan), so no module below imports the engine back.
"""

from collections.abc import Mapping
from dataclasses import replace
from datetime import date

from sqlmodel import Session, select

from models import CalendarDay, Officer, Plan, ReminderPolicy, Task
from services.access import require_admin
from services.clock import Clock
from services.errors import TaskNotFound
from services.reminding.policies import (
    EmptyReason,
    Policy,
    organization_policy_row,
    policy_of,
    store_policy,
    validate,
)
from services.reminding.reminders import reschedule_organization


def set_day(
    session: Session, clock: Clock, actor: Officer, day: date, *, working: bool, reason: str
) -> CalendarDay:
    """Declare `day` a day off (or a working day) for the actor's organization, and re-plan its
    reminders; a later call for the same day wins."""
    require_admin(actor)
    reason = " ".join(reason.split())
    if not reason:
        raise EmptyReason()
    org_id = actor.organization_id
    row = session.exec(
        select(CalendarDay).where(CalendarDay.organization_id == org_id, CalendarDay.day == day)
    ).first()
    if row is None:
        row = CalendarDay(organization_id=org_id, day=day, working=working, reason=reason)
    else:
        row.working = working
        row.reason = reason
    session.add(row)
    session.flush()
    reschedule_organization(session, clock, org_id)
    session.commit()
    session.refresh(row)
    return row


def set_policy(
    session: Session,
    clock: Clock,
    actor: Officer,
    changes: Mapping[str, object],
    *,
    task: Task | None = None,
    reset: bool = False,
) -> Policy:
    """Change the organization's policy (or one task's override), then re-plan the reminders
    it governs. `reset` drops a task's override."""
    require_admin(actor)
    org_id = actor.organization_id
    if task is not None:
        plan = session.get(Plan, task.plan_id)
        if plan is None or plan.organization_id != org_id:
            raise TaskNotFound(ref=task.code)
    org_row = organization_policy_row(session, org_id)
    row = org_row
    if task is not None:
        override = session.exec(
            select(ReminderPolicy).where(ReminderPolicy.task_id == task.id)
        ).first()
        if reset:
            if override is not None:
                session.delete(override)
            policy = policy_of(org_row)
            session.flush()
            reschedule_organization(session, clock, org_id, task_id=task.id)
            session.commit()
            return policy
        if override is None:
            override = ReminderPolicy(organization_id=org_id, task_id=task.id)
            store_policy(policy_of(org_row), override)
            session.add(override)
        row = override
    policy = validate(replace(policy_of(row), **changes))  # type: ignore[arg-type]
    store_policy(policy, row)
    if task is None:
        org_row.next_summary_at = None  # re-planned on the new rules just below
    session.flush()
    reschedule_organization(session, clock, org_id, task_id=task.id if task is not None else None)
    session.commit()
    return policy
