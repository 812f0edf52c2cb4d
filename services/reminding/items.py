"""What the scan writes: one `ReminderItem` per person and thing to tell them (who hears which
reason, under which idempotency key), bundled into one outbox digest per person and moment, most
urgent first (`services/reminding/reminders.py` runs the scan)."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import Table
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import (
    ActionToken,
    ItemKind,
    Outbox,
    OutboxKind,
    OutboxState,
    ReminderItem,
    TokenSubject,
)
from services.messages import shorten
from services.reminding.batches import insert_ignoring, member_of
from services.reminding.recipients import People, TaskPeople
from services.reminding.reminder_schedule import (
    Audience,
    Reason,
)
from services.tokens import LIFETIMES, new_token

TITLE_LIMIT: Final = 120
ACTIONABLE: Final = frozenset(
    {ItemKind.REMINDER, ItemKind.OVERDUE, ItemKind.CHECKIN, ItemKind.OBLIGATION}
)
_URGENCY: Final = {
    ItemKind.ESCALATION: 0,
    ItemKind.OVERDUE: 1,
    ItemKind.REMINDER: 2,
    ItemKind.OBLIGATION: 2,
    ItemKind.UNASSIGNED: 3,
    ItemKind.CHECKIN: 4,
    ItemKind.SUMMARY: 6,
}


class Items:
    """The items one scan writes, keyed so that each is written once."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.rows: dict[str, dict[str, Any]] = {}

    def add(
        self,
        *,
        org_id: int,
        officer_id: int,
        occurrence_id: int | None,
        kind: ItemKind,
        moment: datetime,
        key: str,
        data: dict[str, object],
    ) -> None:
        self.rows.setdefault(
            key,
            {
                "organization_id": org_id,
                "officer_id": officer_id,
                "occurrence_id": occurrence_id,
                "kind": kind,
                "moment": moment,
                "idempotency_key": key,
                "data": {"kind": kind.value, **data},
                "created_at": self.now,
            },
        )


def _task_data(row: Any) -> dict[str, object]:
    title = shorten(str(row.title), TITLE_LIMIT)
    return {
        "task": row.code,
        "title": title,
        "due": row.due.isoformat() if row.due else None,
        "deadline": row.deadline_text,
        "ongoing": row.deadline_kind == "ongoing",
    }


def add_reasons(
    items: Items,
    row: Any,
    reasons: Sequence[Reason],
    moment: datetime,
    people: People,
    zone: ZoneInfo,
    closed: frozenset[int] = frozenset(),
) -> None:
    """Add the items `reasons` give for one occurrence at `moment`, one per person told."""
    org = row.organization_id
    who = people.of_task(row.task_id, closed=closed)
    base = _task_data(row)
    day = moment.astimezone(zone).date().isoformat()
    for reason in reasons:
        data = {**base, "days": reason.days}
        for officers, kind, key_of, extra in _tellings(reason, who, people, org, row.id, day):
            for officer in officers:
                items.add(
                    org_id=org,
                    officer_id=officer,
                    occurrence_id=row.id,
                    kind=kind,
                    moment=moment,
                    key=key_of(officer),
                    data={**data, **extra},
                )


_Telling = tuple[Sequence[int], ItemKind, Callable[[int], str], dict[str, object]]


def _tellings(
    reason: Reason, who: TaskPeople, people: People, org: int, occurrence: int, day: str
) -> list[_Telling]:
    """Who hears of `reason`: the officers, as which kind of item, under which idempotency key
    (one per officer) and with which role data."""
    tag = reason.tag
    if reason.audience is Audience.LEAD:
        found: list[_Telling] = [
            (
                who.leads,
                reason.kind,
                lambda officer: f"{reason.kind.value}:{occurrence}:{officer}:{tag}",
                {"role": "lead"},
            )
        ]
        if who.is_unassigned:  # nobody to remind for some lead unit: the admins hear it
            found.append(
                (
                    people.admins_of(org),
                    ItemKind.UNASSIGNED,
                    lambda officer: f"unassigned:{occurrence}:{officer}:{day}",
                    {"role": "admin", "units": list(who.missing)},
                )
            )
        return found
    if reason.audience is Audience.COORDINATOR:
        return [
            (
                who.coordinators,
                reason.kind,
                lambda officer: f"coordinator:{occurrence}:{officer}:{tag}",
                {"role": "coordinator", "lead": list(who.lead_units)},
            )
        ]
    return [
        (
            people.chairs_of(org),
            ItemKind.ESCALATION,
            lambda officer: f"escalation:{occurrence}:{officer}:{tag}",
            {"role": "chair", "lead": list(who.lead_units)},
        )
    ]


def table_of(model: Any) -> Table:
    """The SQLAlchemy table of a SQLModel table class (for bulk inserts and updates)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def new_rows(session: Session, items: Items) -> list[dict[str, Any]]:
    """The items not written before (their keys unseen). The scan holds its lock, so nothing
    else writes items between this look and the insert."""
    keys = list(items.rows)
    seen: set[str] = set()
    for condition in member_of(session, col(ReminderItem.idempotency_key), keys):
        seen.update(
            session.execute(
                sa_select(col(ReminderItem.idempotency_key)).where(condition)
            ).scalars()
        )
    return [row for key, row in items.rows.items() if key not in seen]


def _urgency(item: dict[str, Any]) -> tuple[int, int, str]:
    kind = ItemKind(str(item["kind"]))
    rank = _URGENCY[kind]
    if item.get("role") == "coordinator":
        rank = 5
    days = int(item.get("days") or 0)
    return (rank, -days if kind in (ItemKind.ESCALATION, ItemKind.OVERDUE) else days, "")


def bundle(session: Session, now: datetime, new_items: Sequence[dict[str, Any]]) -> int:
    """Write the new items, one digest per officer and moment; returns how many digests."""
    groups: dict[tuple[int, datetime], list[dict[str, Any]]] = defaultdict(list)
    for item in new_items:
        groups[(item["officer_id"], item["moment"])].append(item)
    if not groups:
        return 0
    tokens: list[dict[str, Any]] = []
    digests: list[dict[str, Any]] = []
    token_life = LIFETIMES[TokenSubject.OCCURRENCE]
    for (officer_id, moment), group in groups.items():
        payload_items: list[dict[str, Any]] = []
        issued: dict[int, str] = {}
        for item in group:
            data = dict(item["data"])
            if data.get("role") == "lead" and ItemKind(data["kind"]) in ACTIONABLE:
                occurrence_id = item["occurrence_id"]
                token = issued.get(occurrence_id)
                if token is None:
                    token = issued[occurrence_id] = new_token()
                    tokens.append(
                        {
                            "token": token,
                            "organization_id": item["organization_id"],
                            "officer_id": officer_id,
                            "subject": TokenSubject.OCCURRENCE,
                            "occurrence_id": occurrence_id,
                            "data": {},
                            "created_at": now,
                            "expires_at": now + token_life,
                        }
                    )
                data["token"] = token
            payload_items.append(data)
        payload_items.sort(key=_urgency)
        first = min(item["idempotency_key"] for item in group)
        digests.append(
            {
                "organization_id": group[0]["organization_id"],
                "officer_id": officer_id,
                "kind": OutboxKind.DIGEST,
                "payload": {"moment": moment.isoformat(), "items": payload_items},
                "idempotency_key": f"digest:{officer_id}:{moment:%Y%m%dT%H%M%S}:{first}"[:200],
                "scheduled_for": moment,
                "state": OutboxState.PENDING,
                "attempts": 0,
                "created_at": now,
            }
        )
    insert_ignoring(session, table_of(ActionToken), tokens, key="token")
    written = insert_ignoring(
        session, table_of(Outbox), digests, returning=("id", "idempotency_key")
    )
    outbox_ids = {key: outbox_id for outbox_id, key in written}
    # What each item said is in its digest's payload; the item row keeps who, when and why.
    rows = []
    for digest, group in zip(digests, groups.values(), strict=True):
        outbox_id = outbox_ids.get(digest["idempotency_key"])
        for item in group:
            rows.append({**item, "data": _item_trace(item["data"]), "outbox_id": outbox_id})
    insert_ignoring(session, table_of(ReminderItem), rows)
    return len(outbox_ids)


def _item_trace(data: dict[str, Any]) -> dict[str, Any]:
    """What an item row keeps of what it said (the digest payload has it all)."""
    return {key: data[key] for key in ("task", "days", "units") if key in data}
