"""The reviewable result of importing a plan: `ImportDraft` and its JSON form.

`ImportDraft.to_json()` is an interface: `dondoc import FILE --dry-run --json` prints it and the
golden files in `tests/data/seeds/expected/` are written in it (`SCHEMA.md` there).
"""

from dataclasses import dataclass
from datetime import date

from plans.deadlines import Deadline
from plans.units import DraftUnit

JsonDict = dict[str, object]


@dataclass(frozen=True, slots=True)
class PlanInfo:
    """What the plan says about itself."""

    title: str | None = None
    number: str | None = None
    issued: date | None = None
    organization: str | None = None
    years: tuple[int, ...] = ()

    def to_json(self) -> JsonDict:
        """SCHEMA.md's plan object."""
        return {
            "title": self.title,
            "number": self.number,
            "issued": self.issued.isoformat() if self.issued else None,
            "organization": self.organization,
            "years": list(self.years),
        }


@dataclass(frozen=True, slots=True)
class DraftTask:
    """One task row as it will be created: cells verbatim, units and deadline read."""

    code: str
    title: str
    deadline: Deadline
    section: str | None = None
    requirement: str | None = None
    lead_text: str | None = None
    lead: tuple[str, ...] = ()
    coordinators_text: str | None = None
    coordinators: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    """Why the row could not be fully read (English msgids, shown translated)."""
    sections: tuple[str, ...] = ()
    """Every heading the row sits under, outermost first (`section` is the last); not part of
    SCHEMA.md's task object."""

    def to_json(self) -> JsonDict:
        """SCHEMA.md's task object (`problems` only when there are some)."""
        data: JsonDict = {
            "code": self.code,
            "section": self.section,
            "title": self.title,
            "requirement": self.requirement,
            "lead_text": self.lead_text,
            "lead": list(self.lead),
            "coordinators_text": self.coordinators_text,
            "coordinators": list(self.coordinators),
            "deadline": dict(self.deadline.to_json()),
            "flags": list(self.flags),
        }
        if self.problems:
            data["problems"] = list(self.problems)
        return data


@dataclass(frozen=True, slots=True)
class Obligation:
    """A duty the text states outside the table, with a time rule (a periodic report)."""

    what: str
    who: tuple[str, ...]
    to: str | None
    deadline: Deadline

    def to_json(self) -> JsonDict:
        """SCHEMA.md's obligation object."""
        return {
            "what": self.what,
            "who": list(self.who),
            "to": self.to,
            "deadline": dict(self.deadline.to_json()),
        }


@dataclass(frozen=True, slots=True)
class Responsibility:
    """What "Tổ chức thực hiện" charges one unit (or "@all") with."""

    unit: str
    duties: tuple[str, ...]

    def to_json(self) -> JsonDict:
        """SCHEMA.md's responsibility object."""
        return {"unit": self.unit, "duties": list(self.duties)}


@dataclass(frozen=True, slots=True)
class TableColumn:
    """One column of the plan's task table: what it holds (`code`, `title`, `requirement`,
    `lead`, `coordinators`, `deadline`, `note`) and its header as printed."""

    role: str
    label: str

    def to_json(self) -> dict[str, str]:
        """The column as stored with the plan."""
        return {"role": self.role, "label": self.label}


@dataclass(frozen=True, slots=True)
class ImportDraft:
    """Everything an import proposes, for the admin to review before anything is stored."""

    source: str | None
    plan: PlanInfo
    units: tuple[DraftUnit, ...] = ()
    tasks: tuple[DraftTask, ...] = ()
    obligations: tuple[Obligation, ...] = ()
    responsibilities: tuple[Responsibility, ...] = ()
    columns: tuple[TableColumn, ...] = ()
    """The task table's headers in the plan's order (not part of SCHEMA.md's draft)."""

    @property
    def is_empty(self) -> bool:
        """Whether the plan gives nothing to track: no task table, no unit's standing duty and
        no reporting duty."""
        return not (self.tasks or self.obligations or any(r.duties for r in self.responsibilities))

    @property
    def duties_are_tasks(self) -> bool:
        """Whether the units' standing duties are what is tracked (a plan without a task
        table, like seed 004)."""
        return not self.tasks and any(r.duties for r in self.responsibilities)

    @property
    def tracked(self) -> int:
        """How many things importing the plan gives to follow up: tasks, reporting duties and,
        in a plan without a task table, the units' standing duties."""
        duties = sum(len(r.duties) for r in self.responsibilities) if self.duties_are_tasks else 0
        return len(self.tasks) + len(self.obligations) + duties

    def to_json(self) -> JsonDict:
        """The draft exactly as SCHEMA.md describes it."""
        return {
            "source": self.source,
            "plan": self.plan.to_json(),
            "units": [unit.to_json() for unit in self.units],
            "tasks": [task.to_json() for task in self.tasks],
            "obligations": [obligation.to_json() for obligation in self.obligations],
            "responsibilities": [item.to_json() for item in self.responsibilities],
        }
