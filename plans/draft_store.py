"""An `ImportDraft` as JSON and back, whole: what a pending import keeps between its preview and
its confirmation, so that what is stored is exactly what was shown.

`ImportDraft.to_json()` is the reviewable form of SCHEMA.md and leaves out what the office does
not read (a recurring deadline's days, whether a unit is already known, the table's headers);
this form keeps every field, and `load_draft(dump_draft(d)) == d`.
"""

from collections.abc import Mapping, Sequence
from datetime import date

from plans.deadlines import Deadline, DeadlineKind, Recurrence, RecurringDays
from plans.draft import (
    DraftTask,
    ImportDraft,
    JsonDict,
    Obligation,
    PlanInfo,
    Responsibility,
    TableColumn,
)
from plans.units import DraftUnit


def dump_draft(draft: ImportDraft) -> JsonDict:
    """Every field of `draft`, in JSON types."""
    return {
        "source": draft.source,
        "plan": {**draft.plan.to_json(), "years": list(draft.plan.years)},
        "units": [{**unit.to_json(), "is_known": unit.is_known} for unit in draft.units],
        "tasks": [_dump_task(task) for task in draft.tasks],
        "obligations": [
            {**item.to_json(), "deadline": _dump_deadline(item.deadline)}
            for item in draft.obligations
        ],
        "responsibilities": [item.to_json() for item in draft.responsibilities],
        "columns": [column.to_json() for column in draft.columns],
    }


def load_draft(data: Mapping[str, object]) -> ImportDraft:
    """The draft `dump_draft` wrote; `KeyError`, `TypeError` or `ValueError` for anything else
    (a draft kept by another version of dondoc)."""
    plan = _map(data["plan"])
    return ImportDraft(
        source=_text(data["source"]),
        plan=PlanInfo(
            title=_text(plan["title"]),
            number=_text(plan["number"]),
            issued=_day(plan["issued"]),
            organization=_text(plan["organization"]),
            years=tuple(int(str(year)) for year in _list(plan["years"])),
        ),
        units=tuple(
            DraftUnit(
                name=str(unit["name"]),
                aliases=_texts(unit["aliases"]),
                external=bool(unit["external"]),
                is_known=bool(unit["is_known"]),
            )
            for unit in map(_map, _list(data["units"]))
        ),
        tasks=tuple(_load_task(_map(task)) for task in _list(data["tasks"])),
        obligations=tuple(
            Obligation(
                what=str(item["what"]),
                who=_texts(item["who"]),
                to=_text(item["to"]),
                deadline=_load_deadline(_map(item["deadline"])),
            )
            for item in map(_map, _list(data["obligations"]))
        ),
        responsibilities=tuple(
            Responsibility(unit=str(item["unit"]), duties=_texts(item["duties"]))
            for item in map(_map, _list(data["responsibilities"]))
        ),
        columns=tuple(
            TableColumn(role=str(column["role"]), label=str(column["label"]))
            for column in map(_map, _list(data["columns"]))
        ),
    )


def _dump_task(task: DraftTask) -> JsonDict:
    return {
        **task.to_json(),
        "deadline": _dump_deadline(task.deadline),
        "problems": list(task.problems),
        "sections": list(task.sections),
    }


def _load_task(data: Mapping[str, object]) -> DraftTask:
    return DraftTask(
        code=str(data["code"]),
        title=str(data["title"]),
        deadline=_load_deadline(_map(data["deadline"])),
        section=_text(data["section"]),
        requirement=_text(data["requirement"]),
        lead_text=_text(data["lead_text"]),
        lead=_texts(data["lead"]),
        coordinators_text=_text(data["coordinators_text"]),
        coordinators=_texts(data["coordinators"]),
        flags=_texts(data["flags"]),
        problems=_texts(data["problems"]),
        sections=_texts(data.get("sections", [])),  # previews stored before it was kept
    )


def _dump_deadline(deadline: Deadline) -> JsonDict:
    schedule = deadline.schedule
    return {
        **deadline.to_json(),
        "flags": list(deadline.flags),
        "schedule": None
        if schedule is None
        else {
            "years": list(schedule.years),
            "anchors": [list(anchor) for anchor in schedule.anchors],
            "weekday": schedule.weekday,
        },
    }


def _load_deadline(data: Mapping[str, object]) -> Deadline:
    schedule = data["schedule"]
    recurrence = _text(data["recurrence"])
    return Deadline(
        text=str(data["text"]),
        kind=DeadlineKind(str(data["kind"])),
        due=_day(data["due"]),
        starts=_day(data["starts"]),
        recurrence=Recurrence(recurrence) if recurrence else None,
        note=_text(data["note"]),
        flags=_texts(data["flags"]),
        schedule=None if schedule is None else _load_schedule(_map(schedule)),
    )


def _load_schedule(data: Mapping[str, object]) -> RecurringDays:
    weekday = data["weekday"]
    return RecurringDays(
        years=tuple(int(str(year)) for year in _list(data["years"])),
        anchors=tuple(
            (int(str(month)), int(str(day)))
            for month, day in (_list(anchor) for anchor in _list(data["anchors"]))
        ),
        weekday=None if weekday is None else int(str(weekday)),
    )


def _map(value: object) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise TypeError(f"an object was expected, not {type(value).__name__}")
    return value


def _list(value: object) -> Sequence[object]:
    if not isinstance(value, list):
        raise TypeError(f"a list was expected, not {type(value).__name__}")
    return value


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _texts(value: object) -> tuple[str, ...]:
    return tuple(str(item) for item in _list(value))


def _day(value: object) -> date | None:
    return None if value is None else date.fromisoformat(str(value))
