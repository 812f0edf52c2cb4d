"""What the scan writes: one `ReminderItem` per person and thing to tell them (who hears which
reason, under which idempotency key), bundled into one outbox digest per person and moment, most
urgent first (`services/reminding/reminders.py` runs the scan; `services/reminding/writes.py`
writes what is planned here, in one statement on PostgreSQL)."""

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any, Final
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import ItemKind, ReminderItem, TokenSubject
from services.messages import shorten
from services.reminding.batches import member_of
from services.reminding.fact_rows import FactRow
from services.reminding.recipients import People, TaskPeople
from services.reminding.reminder_schedule import (
    Audience,
    Reason,
)
from services.reminding.writes import ScanWrites
from services.tokens import LIFETIMES, sign_occurrence

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

    def __init__(self) -> None:
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
        self.add_told(
            org_id, officer_id, occurrence_id, kind, moment, key, {"kind": kind.value, **data}
        )

    def add_told(
        self,
        org_id: int,
        officer_id: int,
        occurrence_id: int | None,
        kind: ItemKind,
        moment: datetime,
        key: str,
        told: dict[str, object],
    ) -> None:
        """`add`, with `told` the item's data already carrying its kind (shared between the
        officers told the same, never changed)."""
        if key not in self.rows:
            self.rows[key] = {
                "organization_id": org_id,
                "officer_id": officer_id,
                "occurrence_id": occurrence_id,
                "kind": kind,
                "moment": moment,
                "idempotency_key": key,
                "data": told,
            }


def _task_data(row: FactRow) -> dict[str, object]:
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
    row: FactRow,
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
    day = moment.astimezone(zone).date().isoformat() if who.is_unassigned else ""
    add = items.add_told
    for reason in reasons:
        for officers, kind, key_of, extra in _tellings(reason, who, people, org, row.id, day):
            if not officers:
                continue
            # the same for each officer: shared, never changed
            told = {"kind": kind.value, **base, "days": reason.days, **extra}
            for officer in officers:
                add(org, officer, row.id, kind, moment, key_of(officer), told)


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


def _urgency(item: dict[str, Any]) -> tuple[int, int]:
    kind: ItemKind = item["kind"]
    rank = 5 if item["data"].get("role") == "coordinator" else _URGENCY[kind]
    days = int(item["data"].get("days") or 0)
    return (rank, -days if kind in (ItemKind.ESCALATION, ItemKind.OVERDUE) else days)


def bundle(
    writes: ScanWrites, new_items: Sequence[dict[str, Any]], keys: Mapping[int, bytes]
) -> None:
    """Plan the new items' digests, one per officer and moment, most urgent first, with a
    token for each occurrence its officer leads and can act on, signed with the ward's key
    (`keys`: `services.tokens.token_keys`), added to `writes`."""
    expires = writes.now + LIFETIMES[TokenSubject.OCCURRENCE]
    groups: dict[tuple[int, datetime], list[dict[str, Any]]] = defaultdict(list)
    for item in new_items:
        groups[(item["officer_id"], item["moment"])].append(item)
    for (officer_id, moment), group in groups.items():
        number = len(writes.digests)
        payload_items = _payload_items(sorted(group, key=_urgency), officer_id, keys, expires)
        first = min(item["idempotency_key"] for item in group)
        writes.digests.append(
            {
                "organization_id": group[0]["organization_id"],
                "officer_id": officer_id,
                "payload": {"moment": moment.isoformat(), "items": payload_items},
                "idempotency_key": f"digest:{officer_id}:{moment:%Y%m%dT%H%M%S}:{first}"[:200],
                "scheduled_for": moment,
            }
        )
        # What each item said is in its digest's payload; the item row keeps who, when and why.
        writes.items.extend(
            {
                "digest": number,
                "occurrence_id": item["occurrence_id"],
                "kind": item["kind"],
                "idempotency_key": item["idempotency_key"],
                "data": _item_trace(item["data"]),
            }
            for item in group
        )


def _payload_items(
    group: Sequence[dict[str, Any]],
    officer_id: int,
    keys: Mapping[int, bytes],
    expires: datetime,
) -> list[dict[str, Any]]:
    """What the digest says of each item: its data, and the lead's token for what they can act
    on (one per occurrence in the digest)."""
    issued: dict[int, str] = {}
    said: list[dict[str, Any]] = []
    for item in group:
        data = item["data"]
        if item["kind"] in ACTIONABLE and data.get("role") == "lead":
            occurrence_id = item["occurrence_id"]
            token = issued.get(occurrence_id)
            if token is None:
                org = item["organization_id"]
                token = sign_occurrence(keys[org], org, officer_id, occurrence_id, expires)
                issued[occurrence_id] = token
            data = {**data, "token": token}
        said.append(data)
    return said


def _item_trace(data: dict[str, Any]) -> dict[str, Any]:
    """What an item row keeps of what it said (the digest payload has it all)."""
    return {key: data[key] for key in ("task", "days", "units") if key in data}
