"""The plans in force and one of them by name: what lists, questions, reports and imports read
of the plans. A plan is in force until a revision replaces it (`Plan.superseded_by_id` then
names the new one); queries joining `Plan` to more than it say so in place."""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, and_
from sqlmodel import Session, col, select

from models import Officer, Plan
from plans.folding import fold
from services.errors import PlanAmbiguous, PlanNotFound


def in_force(organization_id: int) -> ColumnElement[bool]:
    """The condition on `Plan` of the organization's plans in force."""
    return and_(col(Plan.organization_id) == organization_id, col(Plan.superseded_by_id).is_(None))


def current_plans(
    session: Session, organization_id: int, *, with_manual: bool = False
) -> list[Plan]:
    """The organization's plans in force, oldest first; the plan of the tasks given by hand
    (no document: no one names it) only `with_manual`."""
    query = select(Plan).where(in_force(organization_id))
    if not with_manual:
        query = query.where(col(Plan.manual).is_(False))
    return list(session.exec(query.order_by(col(Plan.id))))


def find_plan(session: Session, actor: Officer, ref: str | None) -> Plan:
    """The current plan of the actor's organization that `ref` names: its number (whole or
    its leading figures, "73"), or words of its title; the only plan when `ref` is empty."""
    plans = current_plans(session, actor.organization_id)
    text = (ref or "").strip()
    if not text:
        found = plans
    else:
        key = fold(text)
        found = numbered(plans, key)
        if not found:
            words = key.split()
            found = [
                plan for plan in plans if all(word in fold(plan.title or "") for word in words)
            ]
    if len(found) == 1:
        return found[0]
    if not found:
        raise PlanNotFound(ref=text or "—")
    names = "; ".join(plan.number or plan.title or str(plan.id) for plan in found[:5])
    raise PlanAmbiguous(ref=text or "—", plans=names)


def numbered(plans: Iterable[Plan], key: str) -> list[Plan]:
    """Those of `plans` whose number is `key` (folded): whole, or its leading figures ("73"
    for "73/KH-UBND")."""
    return [plan for plan in plans if plan.number and _number_is(fold(plan.number), key)]


def _number_is(folded: str, key: str) -> bool:
    return folded == key or folded.split("/")[0] == key
