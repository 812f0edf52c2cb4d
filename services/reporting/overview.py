"""What the dashboard and the chair's summary show of reports: the plans a report can be made
of, with their periods, and each unit's and officer's on-time rate across the current plans."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session

from models import Occurrence, Officer, Plan, TaskKind
from reports.figures import Tally, combine, officer_tallies, unit_tallies
from reports.period import Period, PeriodKind, quarter_of
from services.access import require_manager
from services.clock import Clock, local_today
from services.reporting.snapshots import members_of, plan_facts
from services.tracking.plans import current_plans


@dataclass(frozen=True, slots=True)
class PlanChoice:
    """A plan a report can be made of, and the periods to offer (this quarter first)."""

    plan_id: int
    name: str
    periods: tuple[Period, ...]
    default: Period


@dataclass(frozen=True, slots=True)
class OnTimeRates:
    """Each unit's and each officer's shares and on-time rate over the current plans."""

    units: tuple[Tally, ...]
    officers: tuple[Tally, ...]


def report_choices(
    session: Session, clock: Clock, actor: Officer, *, plans: list[Plan] | None = None
) -> list[PlanChoice]:
    """Each current plan (`plans`, when the caller has read them) with the quarters, halves
    and years of its years to report on."""
    today = local_today(clock)
    choices = []
    for plan in current_plans(session, actor.organization_id) if plans is None else plans:
        assert plan.id is not None
        years = sorted({*plan.years, today.year}) if plan.years else [today.year]
        periods = [
            Period(kind, year, index)
            for year in years
            for kind, count in (
                (PeriodKind.QUARTER, 4),
                (PeriodKind.HALF, 2),
                (PeriodKind.YEAR, 1),
            )
            for index in range(1, count + 1)
        ]
        current = quarter_of(today)
        default = current if current in periods else periods[-1]
        choices.append(
            PlanChoice(
                plan_id=plan.id,
                name=plan.number or plan.title or plan.source_name,
                periods=tuple(periods),
                default=default,
            )
        )
    return choices


def on_time_rates(
    session: Session,
    clock: Clock,
    actor: Officer,
    *,
    plans: list[Plan] | None = None,
    occurrences: Iterable[Occurrence] | None = None,
) -> OnTimeRates:
    """Each unit's and officer's tally over every current plan (`plans`, when the caller has
    read them), this quarter, as each plan's report counts it (the chair and the admins).
    The plans' tasks are read together: the statements do not grow with the plans; their
    occurrences are `occurrences` when the caller has read every one of the organization's."""
    require_manager(actor)
    plans = current_plans(session, actor.organization_id) if plans is None else plans
    today = local_today(clock)
    ids = [plan.id for plan in plans if plan.id is not None]
    facts = plan_facts(
        session,
        ids,
        quarter_of(today),
        clock.zone,
        today=today,
        remarks=False,
        occurrences=occurrences,
    )
    members = members_of(session, actor.organization_id)
    units: dict[str, list[Tally]] = defaultdict(list)
    officers: dict[str, list[Tally]] = defaultdict(list)
    for plan_id in ids:
        table = [fact for task, fact in facts[plan_id] if task.kind is TaskKind.TASK]
        duties = [fact for task, fact in facts[plan_id] if task.kind is TaskKind.DUTY]
        by_unit = unit_tallies(table or duties, today)  # a plan without a table: its duties
        for tally in by_unit:
            units[tally.name].append(tally)
        for tally in officer_tallies(by_unit, members):
            officers[tally.name].append(tally)
    return OnTimeRates(
        units=tuple(combine(name, parts) for name, parts in units.items()),
        officers=tuple(combine(name, parts) for name, parts in sorted(officers.items())),
    )
