"""What the scan tells and to whom: one item per person and thing to tell them (who hears
which reason, under which idempotency key), bundled into one outbox digest per person and
moment, most urgent first, its buttons signed, not stored (`services.access.occurrence_signer`).
`services/reminding/batches.py` writes it all at once (`write`); `services/reminding/reminders.py`
runs the scan.

What was told of an occurrence is kept on the occurrence itself (`Occurrence.told`: the keys,
space-separated), on the row the scan moves to its next moment anyway: the scan reads them with
the due rows and leaves out what they name, and writes the new ones with the next moment, so a
thousand things told write no row of their own and checking them reads nothing more. Only the
weekly summaries, told of no occurrence, are `ReminderItem` rows (checked by one look-up).

A key is kept while what it names could be due again (`told_after`): an escalation's while the
due date it names stays, a snooze's while that snooze stays, any other (a day's reminder,
overdue notice, check-in, coordinator's or admin's notice) through the day it names. A moment
once passed never comes back (each next moment is after now), so within those bounds nothing is
told twice; past them a repeat is told again: a due date changed and changed back escalates
again, once.
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import datetime
from functools import lru_cache
from typing import Final, NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import (
    ItemKind,
    ReminderItem,
    TokenSubject,
)
from services.access import LIFETIMES, occurrence_signer
from services.messages import shorten
from services.reminding.batches import (
    ScanWrites,
    rows_among,
)
from services.reminding.recipients import People, TaskPeople
from services.reminding.reminder_schedule import (
    Audience,
    Reason,
)
from services.reminding.rows import FactRow

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

    def __init__(
        self,
        kind: ItemKind,
        told: dict[str, object],
        rank: tuple[int, int],
        actionable: bool,
        trace: dict[str, object],
    ) -> None:
        self.kind = kind
        self.told = told
        """The item's data as the digest says it (with its kind)."""
        self.rank = rank
        """Where it goes in its digest: most urgent first."""
        self.actionable = actionable
        """Whether its officer gets the occurrence's buttons with it."""
        self.trace = trace
        """What its item row keeps of it (the digest's payload has it all)."""


def _rank(kind: ItemKind, role: object, days: int) -> tuple[int, int]:
    urgency = 5 if role == "coordinator" else _URGENCY[kind]
    return (urgency, -days if kind in (ItemKind.ESCALATION, ItemKind.OVERDUE) else days)


def telling(kind: ItemKind, told: dict[str, object]) -> Telling:
    """What `told` (with its kind) says, as a `Telling`."""
    role, days = told.get("role"), told.get("days") or 0
    assert isinstance(days, int)
    trace: dict[str, object] = {k: told[k] for k in ("task", "days", "units") if k in told}
    return Telling(
        kind, told, _rank(kind, role, days), kind in ACTIONABLE and role == "lead", trace
    )


Item = tuple[int, Telling, int, int | None, datetime]
"""An item: its officer, what it tells, the ward, the occurrence (None for a summary) and the
moment."""


class _Template(NamedTuple):
    """What one reason tells one audience of a task, whatever the occurrence: the officers, as
    which kind of item, under which idempotency key (`<head><occurrence>:<officer><suffix>`),
    with which data (after the task's), rank and trace (after the task's code)."""

    officers: Sequence[int]
    kind: ItemKind
    kind_value: str
    head: str
    suffix: str
    said: dict[str, object]
    rank: tuple[int, int]
    actionable: bool
    trace: dict[str, object]


class Items:
    """The items one scan writes, keyed so that each is written once."""

    def __init__(self) -> None:
        self.rows: dict[str, Item] = {}
        self._templates: dict[
            tuple[int, int, int, datetime], tuple[Sequence[Reason], TaskPeople, list[_Template]]
        ] = {}

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
        told = telling(kind, {"kind": kind.value, **data})
        self.tell(org_id, occurrence_id, moment, told, ((officer_id, key),))

    def tell(
        self,
        org_id: int,
        occurrence_id: int | None,
        moment: datetime,
        told: Telling,
        addressed: Iterable[tuple[int, str]],
        before: Collection[str] = (),
    ) -> list[str]:
        """`told` to each `(officer, idempotency key)` of `addressed`, but under the keys told
        `before`; the keys it was told under."""
        rows, added = self.rows, []
        for officer_id, key in addressed:
            if key not in rows and key not in before:
                rows[key] = (officer_id, told, org_id, occurrence_id, moment)
                added.append(key)
        return added

    def templates(
        self,
        reasons: Sequence[Reason],
        who: TaskPeople,
        people: People,
        org: int,
        moment: datetime,
        zone: ZoneInfo,
    ) -> list[_Template]:
        """Who hears of each of `reasons` at `moment` (`_templates`), worked out once for the
        tasks with the same people and reasons (the reasons of one schedule and moment are one
        list; the people of tasks assigned alike are one object; both are kept with what was
        worked out, so their identities stand for them)."""
        key = (id(reasons), id(who), org, moment)
        found = self._templates.get(key)
        if found is None:
            worked = [t for r in reasons for t in _templates(r, who, people, org, moment, zone)]
            found = self._templates[key] = (reasons, who, worked)
        return found[2]


def add_reasons(
    items: Items,
    row: FactRow,
    reasons: Sequence[Reason],
    moment: datetime,
    people: People,
    zone: ZoneInfo,
    closed: frozenset[int] = frozenset(),
    told: Collection[str] = (),
) -> list[str]:
    """Add the items `reasons` give for one occurrence at `moment`, one per person told, but
    those whose keys it was `told` before (`Occurrence.told`); the keys of those added."""
    if not reasons:
        return []
    org, occurrence = row.organization_id, row.id
    who = people.of_task(row.task_id, closed=closed)
    templates = items.templates(reasons, who, people, org, moment, zone)
    if not templates:
        return []
    code, due, deadline = row.code, row.due, row.deadline_text
    title = shorten(str(row.title), TITLE_LIMIT)
    ongoing = row.deadline_kind == "ongoing"
    added: list[str] = []
    for template in templates:
        # what the digest says of it: the task's data, then the reason's (in this order)
        said: dict[str, object] = {
            "kind": template.kind_value,
            "task": code,
            "title": title,
            "due": due.isoformat() if due else None,
            "deadline": deadline,
            "ongoing": ongoing,
        }
        said.update(template.said)
        # no item row: the digest's payload says it all
        telling = Telling(template.kind, said, template.rank, template.actionable, _NO_TRACE)
        prefix, suffix = f"{template.head}{occurrence}:", template.suffix
        addressed = [(officer, f"{prefix}{officer}{suffix}") for officer in template.officers]
        added += items.tell(org, occurrence, moment, telling, addressed, told)
    return added


_NO_TRACE: Final[dict[str, object]] = {}


@lru_cache(maxsize=64)
def _day(moment: datetime, zone: ZoneInfo) -> str:
    """The day of `moment` where the ward is (ISO): a scan's moments are few."""
    return moment.astimezone(zone).date().isoformat()


def told_after(
    row: FactRow, moment: datetime, zone: ZoneInfo, told: Sequence[str], added: Sequence[str]
) -> str | None:
    """The keys `told` and `added` (`add_reasons`) that the occurrence keeps once told of at
    `moment`: those that could still be due again (see the module's docstring), as
    `Occurrence.told` keeps them."""
    if not told:  # the most common: an occurrence told of for the first time today
        return " ".join(added) or None
    day = _day(moment, zone)
    kept = []
    for key in told:
        kind, _occurrence, _officer, tag = key.split(":", 3)
        if tag.startswith("snooze:"):
            current = row.snoozed_until is not None and tag[7:] == row.snoozed_until.isoformat()
        elif kind == "escalation":
            current = row.due is not None and tag == row.due.isoformat()
        else:
            current = tag >= day
        if current:
            kept.append(key)
    kept.extend(added)
    return " ".join(kept) or None


def _templates(
    reason: Reason, who: TaskPeople, people: People, org: int, moment: datetime, zone: ZoneInfo
) -> list[_Template]:
    """Who hears of `reason`, those heard by nobody left out."""
    tag = reason.tag
    found: list[tuple[Sequence[int], ItemKind, str, str, dict[str, object]]]
    if reason.audience is Audience.LEAD:
        found = [(who.leads, reason.kind, f"{reason.kind.value}:", f":{tag}", {"role": "lead"})]
        if who.is_unassigned:  # nobody to remind for some lead unit: the admins hear it
            day = moment.astimezone(zone).date().isoformat()
            found.append(
                (
                    people.admins_of(org),
                    ItemKind.UNASSIGNED,
                    "unassigned:",
                    f":{day}",
                    {"role": "admin", "units": list(who.missing)},
                )
            )
    elif reason.audience is Audience.COORDINATOR:
        extra: dict[str, object] = {"role": "coordinator", "lead": list(who.lead_units)}
        found = [(who.coordinators, reason.kind, "coordinator:", f":{tag}", extra)]
    else:
        extra = {"role": "chair", "lead": list(who.lead_units)}
        found = [(people.chairs_of(org), ItemKind.ESCALATION, "escalation:", f":{tag}", extra)]
    days = reason.days
    return [
        _Template(
            officers,
            kind,
            kind.value,
            head,
            suffix,
            {"days": days, **extra},
            _rank(kind, extra["role"], days),
            kind in ACTIONABLE and extra["role"] == "lead",
            {"days": days, **({"units": extra["units"]} if "units" in extra else {})},
        )
        for officers, kind, head, suffix, extra in found
        if officers
    ]


def new_rows(session: Session, items: Items) -> list[tuple[str, Item]]:
    """The items not told before, with their keys: those of an occurrence are (`add_reasons`
    left out what it was told), a summary's if its key is unseen. The scan holds its lock, so
    nothing else writes items between this look and the insert."""
    keys = [key for key, item in items.rows.items() if item[3] is None]
    column = col(ReminderItem.idempotency_key)
    seen = {row[0] for row in rows_among(session, _KEYS, column, keys)}
    return [(key, item) for key, item in items.rows.items() if key not in seen]


_KEYS: Final = sa_select(col(ReminderItem.idempotency_key))


def _rank_of(keyed: tuple[str, Item]) -> tuple[tuple[int, int], int]:
    """Most urgent first; of one rank, the older occurrence (the plan's order) first, whatever
    order the database returned them in."""
    item = keyed[1]
    return item[1].rank, item[3] or 0


def bundle(
    writes: ScanWrites, new_items: Sequence[tuple[str, Item]], keys: Mapping[int, bytes]
) -> None:
    """Plan the new items' digests, one per officer and moment, most urgent first, with a
    token for each occurrence its officer leads and can act on, signed with the ward's key
    (`keys`: `services.access.token_keys`), added to `writes`."""
    expires = writes.now + LIFETIMES[TokenSubject.OCCURRENCE]
    signers = {org: occurrence_signer(key, org, expires) for org, key in keys.items()}
    groups: dict[tuple[int, datetime], list[tuple[str, Item]]] = defaultdict(list)
    for keyed in new_items:
        item = keyed[1]
        groups[(item[0], item[4])].append(keyed)
    digests, rows = writes.digests, writes.items
    for (officer_id, moment), group in groups.items():
        number = len(digests)
        group.sort(key=_rank_of)
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
        # What each item said is in its digest's payload; a summary's item row keeps who, when
        # and why (an occurrence keeps the keys of what it was told of: `add_reasons`).
        rows.extend(
            {
                "digest": number,
                "occurrence_id": None,
                "kind": item[1].kind,
                "idempotency_key": key,
                "data": item[1].trace,
            }
            for key, item in group
            if item[3] is None
        )


def _payload_items(
    group: Sequence[tuple[str, Item]],
    officer_id: int,
    signers: Mapping[int, Callable[[int, int], str]],
) -> list[dict[str, object]]:
    """What the digest says of each item: its data, and the lead's token for what they can act
    on (one per occurrence in the digest)."""
    issued: dict[int, str] = {}
    said: list[dict[str, object]] = []
    for _key, (_officer, telling, org, occurrence_id, _moment) in group:
        if telling.actionable and occurrence_id is not None:
            token = issued.get(occurrence_id)
            if token is None:
                token = issued[occurrence_id] = signers[org](officer_id, occurrence_id)
            said.append({**telling.told, "token": token})
        else:
            said.append(telling.told)
    return said
