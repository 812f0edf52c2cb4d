"""The reports a plan requires (its obligations): a few working days before one is due, the
officers of the units that owe it get the report's draft to complete and send.

- `queue_report_drafts(session, clock)` (a fixed job, several times a day) finds the open
  occurrences of obligations due within the organization's `report_draft_working_days`
  (default 3; 0 turns it off) and queues, for each officer of each lead unit still behind, one
  outbox row of kind `report`, idempotent per occurrence and officer. Its payload is the
  `Reply` with a `report` key: `{"plan_id", "period", "kind": "docx"}`.
- `report_attachment(session, clock, spec)` builds that file when the row is sent (outbox rows
  keep no bytes): the whole plan's draft, since the unit that owes the report writes it for the
  plan.
"""

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from locales import N_
from models import (
    CLOSED_STATUSES,
    AssignmentRole,
    Occurrence,
    Officer,
    OfficerUnit,
    Outbox,
    OutboxKind,
    Plan,
    ReminderPolicy,
    Role,
    Share,
    Task,
    TaskAssignment,
    TaskKind,
    TaskStatus,
)
from models.policy import DEFAULT_REPORT_DRAFT_DAYS
from reports.files import Kind, build_file
from reports.period import Period, PeriodKind, parse_period, period_of
from services.access import managers_of
from services.clock import Clock, local_today
from services.messages import Attachment, Text
from services.reminding.outbox import notify
from services.reminding.policies import calendar_for
from services.reporting.snapshots import snapshot_of

logger = logging.getLogger(__name__)

LOOKAHEAD_DAYS = 21
"""Calendar days ahead looked at: more than any number of working days a policy asks for."""
_EARLY_DAYS = 20
"""A report due in the first days of a period reports on the period before."""


@dataclass(frozen=True, slots=True)
class DraftSpec:
    """Which report file an outbox row carries: a plan, a period, a kind."""

    plan_id: int
    period: str
    kind: str = Kind.DRAFT.value

    def to_json(self) -> dict[str, object]:
        """The form kept in the outbox payload."""
        return {"plan_id": self.plan_id, "period": self.period, "kind": self.kind}

    @classmethod
    def from_payload(cls, payload: Mapping[str, object]) -> "DraftSpec | None":
        """The spec an outbox payload carries, if any."""
        data = payload.get("report")
        if not isinstance(data, Mapping):
            return None
        plan_id = data.get("plan_id")
        assert isinstance(plan_id, int)
        return cls(plan_id, str(data.get("period")), str(data.get("kind", Kind.DRAFT.value)))


def report_period(recurrence: str | None, due: date) -> Period:
    """The period a report due on `due` covers: the quarter (half year, year) it falls in, or
    the one before when it is due in that period's first days ("trước ngày 15/01" is last
    year's report)."""
    kind = {
        "half_yearly": PeriodKind.HALF,
        "yearly": PeriodKind.YEAR,
    }.get(recurrence or "", PeriodKind.QUARTER)
    covering = period_of(kind, due)
    if due.month == covering.start.month and due.day <= _EARLY_DAYS:
        return covering.preceding()
    return covering


def queue_report_drafts(session: Session, clock: Clock) -> int:
    """Queue the drafts of the reports due within each organization's window; how many rows
    were queued."""
    today = local_today(clock)
    rows = session.exec(
        select(Occurrence, Task, Plan)
        .join(Task, col(Task.id) == Occurrence.task_id)
        .join(Plan, col(Plan.id) == Task.plan_id)
        .where(
            Task.kind == TaskKind.OBLIGATION,
            col(Plan.superseded_by_id).is_(None),
            col(Occurrence.status).not_in(CLOSED_STATUSES),
            col(Occurrence.due) >= today,
            col(Occurrence.due) <= today + timedelta(days=LOOKAHEAD_DAYS),
        )
        .order_by(col(Occurrence.due), col(Occurrence.id))
    ).all()
    queued = 0
    windows: dict[int, int] = {}
    for occurrence, task, plan in rows:
        assert occurrence.due is not None
        org_id = plan.organization_id
        if org_id not in windows:
            windows[org_id] = _window(session, org_id)
        window = windows[org_id]
        calendar = calendar_for(session, org_id)
        if window <= 0 or calendar.working_days_between(today, occurrence.due) > window:
            continue
        assert plan.id is not None
        period = report_period(task.recurrence, occurrence.due)
        spec = DraftSpec(plan.id, period.code)
        for officer in _owers(session, occurrence, task, org_id):
            queued += _queue(session, clock, officer, occurrence, task, plan, period, spec)
    session.commit()
    if queued:
        logger.info("report drafts: %d queued", queued)
    return queued


def report_attachment(session: Session, clock: Clock, spec: DraftSpec) -> Attachment | None:
    """The file an outbox row's `report` spec names, built now from the plan as it stands
    (None when the plan is gone)."""
    plan = session.get(Plan, spec.plan_id)
    if plan is None:
        return None
    office = Officer(
        organization_id=plan.organization_id,
        name="dondoc",
        role=Role.ADMIN,
        created_at=clock.now(),
    )  # the job writes for the office: the whole plan
    snapshot = snapshot_of(session, clock, office, plan, period=parse_period(spec.period))
    built = build_file(Kind(spec.kind), snapshot)
    link = f"/reports/{spec.plan_id}/{spec.kind}?period={spec.period}"  # for Zalo, on the web
    return Attachment(built.name, built.content, built.media_type, link=link)


def _window(session: Session, org_id: int) -> int:
    """The organization's `report_draft_days` (its policy row may not exist yet)."""
    policy = session.exec(
        select(ReminderPolicy).where(
            ReminderPolicy.organization_id == org_id, col(ReminderPolicy.task_id).is_(None)
        )
    ).first()
    return DEFAULT_REPORT_DRAFT_DAYS if policy is None else policy.report_draft_working_days


def _owers(session: Session, occurrence: Occurrence, task: Task, org_id: int) -> list[Officer]:
    """The active officers of the lead units whose share of `occurrence` is still open (the
    chair and the admins when no unit can be reached)."""
    done = set(
        session.exec(
            select(Share.assignment_id).where(
                Share.occurrence_id == occurrence.id, Share.status == TaskStatus.DONE
            )
        )
    )
    units = [
        assignment.unit_id
        for assignment in session.exec(
            select(TaskAssignment).where(
                TaskAssignment.task_id == task.id, TaskAssignment.role == AssignmentRole.LEAD
            )
        )
        if assignment.id not in done and assignment.unit_id is not None
    ]
    officers = list(
        session.exec(
            select(Officer)
            .join(OfficerUnit, col(OfficerUnit.officer_id) == Officer.id)
            .where(col(OfficerUnit.unit_id).in_(units), col(Officer.active).is_(True))
            .order_by(col(Officer.id))
            .distinct()
        )
    )
    return officers or managers_of(session, org_id)


def _queue(
    session: Session,
    clock: Clock,
    officer: Officer,
    occurrence: Occurrence,
    task: Task,
    plan: Plan,
    period: Period,
    spec: DraftSpec,
) -> int:
    assert officer.id is not None
    key = f"report:draft:{occurrence.id}:{officer.id}"
    if session.exec(select(Outbox.id).where(Outbox.idempotency_key == key)).first() is not None:
        return 0
    assert occurrence.due is not None
    text = Text(
        N_(
            "📝 The report “{title}” is due on {date}. Here is a draft of the report on "
            "{plan} for {period}, filled in from what dondoc knows: complete it, have it "
            "signed and send it."
        ),
        {
            "title": task.title,
            "date": occurrence.due,
            "plan": plan.number or plan.title or "",
            "period": period.label(officer.locale),
        },
    )
    notify(
        session,
        clock.now(),
        officer,
        key=f"draft:{occurrence.id}",  # the row's key is `key` above
        lines=[text],
        kind=OutboxKind.REPORT,
        report=spec.to_json(),
    )
    return 1
