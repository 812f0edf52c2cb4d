"""What the chair's dashboard shows, read in one go for the chair or an admin (`NotAllowed` for
anyone else): the ward's occurrences read once (through the authorising query) and counted every
way the page shows them. The web only renders it (`bot/web/dashboard.py`)."""

from dataclasses import dataclass

from sqlmodel import Session

from models import AssignmentRole, Officer, Organization
from services.access import require_manager
from services.clock import Clock, local_today
from services.people.units import UnitView, list_units
from services.reporting.overview import (
    OnTimeRates,
    PlanChoice,
    on_time_rates,
    report_choices,
)
from services.tracking.dashboard import (
    OfficerLoad,
    PendingExtension,
    load_among,
    pending_extensions,
)
from services.tracking.plans import current_plans
from services.tracking.queries import (
    Item,
    Summary,
    blocked_among,
    items_of,
    occurrence_rows,
    overdue_among,
    summary_of,
)
from services.tracking.shares import shares_of
from services.tracking.task_list import TaskRow, awaiting_lead


@dataclass(frozen=True, slots=True)
class Board:
    """Everything the dashboard shows, read in one go."""

    summary: Summary
    overdue: list[Item]
    blockers: list[Item]
    extensions: list[PendingExtension]
    officers: list[OfficerLoad]
    tasks: list[Item]
    reports: list[PlanChoice]
    rates: OnTimeRates
    awaiting: list[TaskRow]
    units: list[UnitView]
    shares: dict[int, tuple[int, int, tuple[str, ...]]]
    """Per task led by several units: how many are done, how many lead, which remain."""


def read_board(session: Session, clock: Clock, actor: Officer) -> Board:
    """The dashboard's figures: the ward's occurrences read once (through the authorising
    query) and counted every way the page shows them; a bounded number of statements, however
    many plans and wards."""
    require_manager(actor)
    today = local_today(clock)
    found = occurrence_rows(session, actor, open_only=False)  # every one of the ward's
    tasks = items_of(session, actor, found)
    plans = current_plans(session, actor.organization_id)
    return Board(
        summary=summary_of(tasks, today),
        overdue=overdue_among(tasks, today),
        blockers=blocked_among(tasks),
        extensions=pending_extensions(session, actor),
        officers=load_among(tasks, today),
        tasks=tasks,
        reports=report_choices(session, clock, actor, plans=plans),
        rates=on_time_rates(
            session, clock, actor, plans=plans, occurrences=(o for o, _, _ in found)
        ),
        awaiting=awaiting_lead(session, clock, actor),
        units=list_units(session, session.get_one(Organization, actor.organization_id)),
        shares=_shares(session, [t.task_id for t in tasks]),
    )


def _shares(session: Session, task_ids: list[int]) -> dict[int, tuple[int, int, tuple[str, ...]]]:
    """Per task led by several units: how many are done, how many there are, and which are
    still open (unit names as stored: the page says the pseudo-units in words)."""
    found: dict[int, tuple[int, int, tuple[str, ...]]] = {}
    for task_id, shares in shares_of(session, task_ids).items():
        leads = [s for s in shares if s.role is AssignmentRole.LEAD]
        if len(leads) > 1:
            behind = tuple(s.unit for s in leads if not s.is_done)
            found[task_id] = (sum(s.is_done for s in leads), len(leads), behind)
    return found
