"""A task given in words, as the chair writes it in chat: "giao anh Minh rà soát thủ tục hành
chính, xong trước 15/12", "giao CCVHXH báo cáo sơ kết, hạn Quý I/2026".

`read_order` finds whom (an officer by name, "anh Minh", or a unit by name or alias), what,
and by when (the last part that reads as a deadline), and says it back before anything is
stored; the chair confirms and `give_task` stores it. Nothing here commits.

The web's form and /doihan say a deadline back the same way: `preview_deadline` (a task being
given) and `preview_redate` (a task re-dated) refuse anyone but the chair and the admins before
the date is said, as `read_order` does, so the web and the chat refuse at the same step. Once
confirmed, `deadline_as_shown` and `redate_as_shown` read the phrase again and store nothing
unless it still names the date that was said (`said`): midnight may have passed in between.
"""

import re
from dataclasses import dataclass
from datetime import date
from typing import Final

from sqlmodel import Session, col, select

from locales import N_
from models import Officer, TaskStatus, Unit, UnitAlias, UnitKind
from plans.deadlines import Deadline
from plans.folding import fold
from services.access import access_task, require_manager, unit_ids_of
from services.clock import Clock, local_now
from services.errors import DomainError, TaskCancelled
from services.tracking.typed_deadlines import DeadlineNotUnderstood, DeadlinePassed, read_deadline

_GIVE: Final = re.compile(r"^\s*(?:/giao(?:@\S+)?|giao(?: viec)?|give)\b\s*(?:cho\s+)?", re.I)
_HONORIFICS: Final = ("anh ", "chi ", "em ", "co ", "chu ", "ong ", "ba ", "ban ")
_DEADLINE_WORDS: Final = re.compile(
    r"(?:^|[\s,;.-])((?:xong|hoan thanh|han|deadline|truoc|den|trong|vao|thu|quy|ngay|cuoi)\b)"
)


class OrderWhomUnknown(DomainError):
    msgid = N_(
        "Whom do you give it to? Write e.g. “giao anh Minh rà soát thủ tục hành chính, xong "
        "trước 15/12” or “giao CCVHXH …”."
    )


class OrderTitleMissing(DomainError):
    msgid = N_("What is the task? Write it after the person or unit: “giao anh Minh <việc>”.")


class DeadlineMovedSince(DomainError):
    """The phrase confirmed no longer names the date said back (midnight passed), or no date was
    said at all: nothing is stored; `deadline` is what the phrase names now."""

    msgid = N_(
        "“{phrase}” now falls on {date}, not on the date said before: nothing was stored. "
        "Please send it again."
    )

    def __init__(self, deadline: Deadline) -> None:
        super().__init__(phrase=deadline.text, date=deadline.due or "—")
        self.deadline = deadline


NO_DATE: Final = "none"
"""How `said` writes a deadline with no fixed date."""


@dataclass(frozen=True, slots=True)
class Order:
    """A task given in words, as understood: to whom, what, by when."""

    title: str
    unit_ids: tuple[int, ...]
    units: tuple[str, ...]
    officer: str | None
    phrase: str
    due: date | None


@dataclass(frozen=True, slots=True)
class NewDeadline:
    """A re-dating said back before it is stored: the task and the deadline its phrase names."""

    task_id: int
    code: str
    title: str
    deadline: Deadline


def preview_deadline(clock: Clock, actor: Officer, phrase: str) -> Deadline:
    """The deadline `phrase` names for a task the actor gives (the chair and the admins only;
    `give_task` stores it once confirmed)."""
    require_manager(actor)
    return read_deadline(phrase, now=local_now(clock))


def preview_redate(
    session: Session, clock: Clock, actor: Officer, task_id: int, phrase: str
) -> NewDeadline:
    """The deadline `phrase` names for task `task_id` (the chair and the admins only; not for a
    cancelled task); `handmade.redate` stores it once confirmed."""
    require_manager(actor)
    task = access_task(session, actor, task_id)
    if task.status is TaskStatus.CANCELLED:
        raise TaskCancelled(ref=task.code)
    assert task.id is not None
    return NewDeadline(task.id, task.code, task.title, read_deadline(phrase, now=local_now(clock)))


def said(due: date | None) -> str:
    """The date a preview said, as the web's form and the chat's token keep it until confirmed:
    the day in ISO, or `NO_DATE`."""
    return due.isoformat() if due else NO_DATE


def deadline_as_shown(clock: Clock, actor: Officer, phrase: str, shown: str | None) -> Deadline:
    """`preview_deadline`, confirmed: the deadline `phrase` names, if it is still the date that
    was said (`shown`, as `said` wrote it; None: nothing was said); `DeadlineMovedSince`
    otherwise, so no one stores a date they did not see."""
    deadline = preview_deadline(clock, actor, phrase)
    if shown != said(deadline.due):
        raise DeadlineMovedSince(deadline)
    return deadline


def redate_as_shown(
    session: Session, clock: Clock, actor: Officer, task_id: int, phrase: str, shown: str | None
) -> NewDeadline:
    """`preview_redate`, confirmed: as `deadline_as_shown`, for task `task_id`."""
    new = preview_redate(session, clock, actor, task_id, phrase)
    if shown != said(new.deadline.due):
        raise DeadlineMovedSince(new.deadline)
    return new


def is_order(text: str) -> bool:
    """Whether a message gives a task ("giao …")."""
    return bool(_GIVE.match(fold(text)))


def read_order(session: Session, clock: Clock, actor: Officer, text: str) -> Order:
    """What "giao …" asks (the chair and the admins only); refusals say what is missing."""
    require_manager(actor)
    rest = _strip_folded(" ".join(text.split())).strip(" :,-")
    officer, unit_ids, units, after = _whom(session, actor, rest)
    title, phrase = _split_deadline(after, clock)
    title = title.strip(" ,;:-.")
    if not title:
        raise OrderTitleMissing()
    due = read_deadline(phrase, now=local_now(clock)).due if phrase else None
    return Order(
        title=title[:1].upper() + title[1:],
        unit_ids=tuple(unit_ids),
        units=tuple(units),
        officer=officer.name if officer else None,
        phrase=phrase,
        due=due,
    )


def _strip_folded(text: str) -> str:
    """`text` without its "giao" head, matched on the folded form (accents aside)."""
    folded = fold(text)
    match = _GIVE.match(folded)
    return text[match.end() :] if match else text


def _whom(
    session: Session, actor: Officer, rest: str
) -> tuple[Officer | None, list[int], list[str], str]:
    """The officer or unit `rest` starts with, and what follows it."""
    words = rest.split()
    folded = [fold(w) for w in words]
    start = 1 if words and f"{folded[0]} " in _HONORIFICS else 0
    officers = session.exec(
        select(Officer).where(
            Officer.organization_id == actor.organization_id, col(Officer.active).is_(True)
        )
    ).all()
    best: tuple[int, Officer | None, Unit | None] = (0, None, None)  # (words taken, who)
    for person in officers:
        name = fold(person.name).split()
        for size in range(len(name), 0, -1):
            tail = name[-size:]
            if folded[start : start + size] == tail and start + size > best[0]:
                best = (start + size, person, None)
    units = session.exec(
        select(Unit).where(
            Unit.organization_id == actor.organization_id, Unit.kind == UnitKind.BODY
        )
    ).all()
    aliases = session.exec(
        select(UnitAlias).where(UnitAlias.organization_id == actor.organization_id)
    ).all()
    forms = [(fold(u.name).split(), u) for u in units]
    by_id = {u.id: u for u in units}
    forms += [(a.folded.split(), by_id[a.unit_id]) for a in aliases if a.unit_id in by_id]
    for form, candidate in forms:
        size = len(form)
        if folded[:size] == form and size > best[0]:
            best = (size, None, candidate)
        if folded[start : start + size] == form and start + size > best[0]:
            best = (start + size, None, candidate)
    taken, officer, unit = best
    if officer is not None:
        ids = unit_ids_of(session, officer)
        first = session.get(Unit, ids[0]) if ids else None
        if first is None or first.id is None:
            raise OrderWhomUnknown()
        return officer, [first.id], [first.name], " ".join(words[taken:])
    if unit is not None and unit.id is not None:
        return None, [unit.id], [unit.name], " ".join(words[taken:])
    raise OrderWhomUnknown()


def _split_deadline(text: str, clock: Clock) -> tuple[str, str]:
    """The title and the deadline phrase: the last comma-separated part that reads as a
    deadline, else the longest ending that starts with a deadline word."""
    text = " ".join(text.split())
    parts = re.split(r"[,;]", text)
    if len(parts) > 1 and _reads(parts[-1], clock):
        return ",".join(parts[:-1]), parts[-1].strip()
    folded = fold(text)
    for match in _DEADLINE_WORDS.finditer(folded):
        ending = text[match.start(1) :]
        if _reads(ending, clock):
            return text[: match.start(1)], ending.strip()
    return text, ""


def _reads(phrase: str, clock: Clock) -> bool:
    phrase = phrase.strip()
    if not phrase:
        return False
    try:
        read_deadline(phrase, now=local_now(clock))
    except DeadlinePassed:
        return True  # a deadline all right: the refusal comes when it is read for good
    except DeadlineNotUnderstood:
        return False
    return True
