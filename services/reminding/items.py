"""What the scan writes: one `ReminderItem` per person and thing to tell them (who hears which
reason, under which idempotency key), bundled into one outbox digest per person and moment, most
urgent first (`services/reminding/reminders.py` runs the scan; `services/reminding/writes.py`
writes what is planned here, in one statement on PostgreSQL)."""

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
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
from services.tokens import LIFETIMES, occurrence_signer

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


class Telling:
    """One thing told to one or more officers (each an item of their own): its data, shared
    between them and never changed, with what the digest needs of it worked out once."""

    __slots__ = ("actionable", "kind", "rank", "told", "trace")

    def __init__(self, kind: ItemKind, told: dict[str, object]) -> None:
        self.kind = kind
        self.told = told
        """The item's data as the digest says it (with its kind)."""
        role = told.get("role")
        days = told.get("days") or 0
        assert isinstance(days, int)
        urgency = 5 if role == "coordinator" else _URGENCY[kind]
        self.rank = (urgency, -days if kind in (ItemKind.ESCALATION, ItemKind.OVERDUE) else days)
        """Where it goes in its digest: most urgent first."""
        self.actionable = kind in ACTIONABLE and role == "lead"
        """Whether its officer gets the occurrence's buttons with it."""
        self.trace = {key: told[key] for key in ("task", "days", "units") if key in told}
        """What its item row keeps of it (the digest's payload has it all)."""


Item = tuple[int, Telling, int, int | None, datetime]
"""An item: its officer, what it tells, the ward, the occurrence (None for a summary) and the
moment."""


class Items:
    """The items one scan writes, keyed so that each is written once."""

    def __init__(self) -> None:
        self.rows: dict[str, Item] = {}

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
        telling = Telling(kind, {"kind": kind.value, **data})
        self.tell(org_id, occurrence_id, moment, telling, ((officer_id, key),))

    def tell(
        self,
        org_id: int,
        occurrence_id: int | None,
        moment: datetime,
        telling: Telling,
        addressed: Iterable[tuple[int, str]],
    ) -> None:
        """`telling` to each `(officer, idempotency key)` of `addressed`."""
        rows = self.rows
        for officer_id, key in addressed:
            if key not in rows:
                rows[key] = (officer_id, telling, org_id, occurrence_id, moment)


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
    for reason in reasons:
        for officers, kind, prefix, suffix, extra in _tellings(
            reason, who, people, org, row.id, day
        ):
            if not officers:
                continue
            telling = Telling(kind, {"kind": kind.value, **base, "days": reason.days, **extra})
            addressed = [(officer, f"{prefix}{officer}{suffix}") for officer in officers]
            items.tell(org, row.id, moment, telling, addressed)


_Telling = tuple[Sequence[int], ItemKind, str, str, dict[str, object]]


def _tellings(
    reason: Reason, who: TaskPeople, people: People, org: int, occurrence: int, day: str
) -> list[_Telling]:
    """Who hears of `reason`: the officers, as which kind of item, under which idempotency key
    (`<prefix><officer><suffix>`, one per officer) and with which role data."""
    tag = reason.tag
    if reason.audience is Audience.LEAD:
        found: list[_Telling] = [
            (
                who.leads,
                reason.kind,
                f"{reason.kind.value}:{occurrence}:",
                f":{tag}",
                {"role": "lead"},
            )
        ]
        if who.is_unassigned:  # nobody to remind for some lead unit: the admins hear it
            found.append(
                (
                    people.admins_of(org),
                    ItemKind.UNASSIGNED,
                    f"unassigned:{occurrence}:",
                    f":{day}",
                    {"role": "admin", "units": list(who.missing)},
                )
            )
        return found
    if reason.audience is Audience.COORDINATOR:
        return [
            (
                who.coordinators,
                reason.kind,
                f"coordinator:{occurrence}:",
                f":{tag}",
                {"role": "coordinator", "lead": list(who.lead_units)},
            )
        ]
    return [
        (
            people.chairs_of(org),
            ItemKind.ESCALATION,
            f"escalation:{occurrence}:",
            f":{tag}",
            {"role": "chair", "lead": list(who.lead_units)},
        )
    ]


def new_rows(session: Session, items: Items) -> list[tuple[str, Item]]:
    """The items not written before (their keys unseen), with their keys. The scan holds its
    lock, so nothing else writes items between this look and the insert."""
    keys = list(items.rows)
    seen: set[str] = set()
    for condition in member_of(session, col(ReminderItem.idempotency_key), keys):
        seen.update(
            session.execute(
                sa_select(col(ReminderItem.idempotency_key)).where(condition)
            ).scalars()
        )
    return [(key, item) for key, item in items.rows.items() if key not in seen]


def _rank(keyed: tuple[str, Item]) -> tuple[int, int]:
    return keyed[1][1].rank


def bundle(
    writes: ScanWrites, new_items: Sequence[tuple[str, Item]], keys: Mapping[int, bytes]
) -> None:
    """Plan the new items' digests, one per officer and moment, most urgent first, with a
    token for each occurrence its officer leads and can act on, signed with the ward's key
    (`keys`: `services.tokens.token_keys`), added to `writes`."""
    expires = writes.now + LIFETIMES[TokenSubject.OCCURRENCE]
    signers = {org: occurrence_signer(key, org, expires) for org, key in keys.items()}
    groups: dict[tuple[int, datetime], list[tuple[str, Item]]] = defaultdict(list)
    for keyed in new_items:
        item = keyed[1]
        groups[(item[0], item[4])].append(keyed)
    digests, rows = writes.digests, writes.items
    for (officer_id, moment), group in groups.items():
        number = len(digests)
        group.sort(key=_rank)  # stable: items of one rank in the order they were found
        org = group[0][1][2]
        digests.append(
            {
                "organization_id": org,
                "officer_id": officer_id,
                "payload": {
                    "moment": moment.isoformat(),
                    "items": _payload_items(group, officer_id, signers),
                },
                "idempotency_key": f"digest:{officer_id}:{moment:%Y%m%dT%H%M%S}:"
                f"{min(key for key, _item in group)}"[:200],
                "scheduled_for": moment,
            }
        )
        # What each item said is in its digest's payload; the item row keeps who, when and why.
        rows.extend(
            {
                "digest": number,
                "occurrence_id": item[3],
                "kind": item[1].kind,
                "idempotency_key": key,
                "data": item[1].trace,
            }
            for key, item in group
        )


def _payload_items(
    group: Sequence[tuple[str, Item]],
    officer_id: int,
    signers: Mapping[int, Callable[[int, int], str]],
) -> list[dict[str, Any]]:
    """What the digest says of each item: its data, and the lead's token for what they can act
    on (one per occurrence in the digest)."""
    issued: dict[int, str] = {}
    said: list[dict[str, Any]] = []
    for _key, (_officer, telling, org, occurrence_id, _moment) in group:
        if telling.actionable and occurrence_id is not None:
            token = issued.get(occurrence_id)
            if token is None:
                token = issued[occurrence_id] = signers[org](officer_id, occurrence_id)
            said.append({**telling.told, "token": token})
        else:
            said.append(telling.told)
    return said
