"""A plan file or document in, an `ImportDraft` out: nothing is stored here.

The draft is built in reading order so that units come out as the plan names them: the units of
"Tổ chức thực hiện" first (their headings fix the canonical names), then the leads of the task
table, then its coordinators, then the recipients of the reports the text requires.
"""

import dataclasses
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from plans.deadlines import Deadline, DeadlineKind, Recurrence, parse_deadline
from plans.draft import (
    DraftTask,
    ImportDraft,
    Obligation,
    PlanInfo,
    Responsibility,
    TableColumn,
)
from plans.extracted import rows_from_text
from plans.folding import word_key
from plans.headers import columns_from_grid, columns_from_text
from plans.metadata import (
    Charge,
    read_charges,
    read_header,
    read_report_rules,
    unit_name,
)
from plans.source import RawRow, SourceDocument
from plans.storable import flag_dates_beyond_calendar, unique_codes
from plans.units import ALL, KnownUnit, UnitBook, initials, looks_external, resolve, tidy

_DeadlineOf = Callable[[str], Deadline]


def import_plan(path: Path, *, known_units: Sequence[KnownUnit] = ()) -> ImportDraft:
    """Read the plan file at `path` and propose what importing it would create."""
    from plans.readers import read_document

    return draft_from_document(read_document(path), known_units=known_units)


def draft_from_document(
    doc: SourceDocument, *, known_units: Sequence[KnownUnit] = ()
) -> ImportDraft:
    """The draft of a document already read: plan, units, tasks, obligations, responsibilities."""
    header = read_header(doc.text)
    book = UnitBook(known_units)
    charges = read_charges(doc.text)
    charged = _define_charged_units(charges, book)

    def deadline_of(text: str) -> Deadline:
        return parse_deadline(text, plan_years=header.years, issued=header.issued)

    rows, columns = _task_rows(doc, book, deadline_of)
    rows = unique_codes(rows)
    _prefer_table_forms(charged, rows, book)
    leads = [resolve(row.lead_text, book) for row in rows]
    coordinators = [resolve(row.coordinators_text, book) for row in rows]
    tasks = flag_dates_beyond_calendar(
        [
            _task(row, lead, coordinator, deadline_of(row.deadline_text))
            for row, lead, coordinator in zip(rows, leads, coordinators, strict=True)
        ]
    )
    obligations = _obligations(charges, charged, book, deadline_of)
    responsibilities = tuple(
        Responsibility(unit, charge.duties)
        for charge, units in zip(charges, charged, strict=True)
        for unit in units
    )
    _mark_outside_bodies(book, charged)
    _add_initialisms(book, doc.text)
    used = {name for task in tasks for name in (*task.lead, *task.coordinators)}
    used |= {item.unit for item in responsibilities}
    used |= {name for item in obligations for name in (*item.who, item.to or "")}
    units = tuple(unit for unit in book.units() if not unit.is_known or unit.name in used)
    plan = PlanInfo(header.title, header.number, header.issued, header.organization, header.years)
    return ImportDraft(
        doc.file_name, plan, units, tasks, obligations, responsibilities, columns=columns
    )


def _define_charged_units(charges: Sequence[Charge], book: UnitBook) -> list[list[str]]:
    """Each charge's units by canonical name (or `ALL`), defining them in the book."""
    charged: list[list[str]] = []
    for charge in charges:
        names: list[str] = []
        for printed in charge.units:
            if printed == ALL:
                names.append(ALL)
                continue
            unit = unit_name(printed)
            names.append(
                book.define(
                    unit.name,
                    heading_forms=unit.heading_forms,
                    role_forms=unit.role_forms,
                    external=looks_external(unit.name),
                )
            )
        charged.append(names)
    return charged


def _task_rows(
    doc: SourceDocument, book: UnitBook, deadline_of: _DeadlineOf
) -> tuple[list[RawRow], tuple[TableColumn, ...]]:
    """The task rows and the table's own column headers (from a ruled table or the text)."""
    if doc.tables:
        from plans.tabular import find_task_table, rows_from_grid

        grid = find_task_table(doc.tables)
        rows = rows_from_grid(grid) if grid is not None else []
        if rows:
            assert grid is not None
            return rows, columns_from_grid(grid)

    def reads(text: str) -> bool:
        return deadline_of(text).kind is not DeadlineKind.UNRECOGNISED

    rows = rows_from_text(doc.text, units=book, reads_deadline=reads)
    return rows, columns_from_text(doc.text) if rows else ()


def _prefer_table_forms(charged: list[list[str]], rows: Sequence[RawRow], book: UnitBook) -> None:
    """Keep a heading's level word ("… UBND phường") when the table never prints it without."""
    cells = [word_key(text) for row in rows for text in (row.lead_text, row.coordinators_text)]
    for names in charged:
        for name in names:
            if name == ALL or book.is_known(name):
                continue
            key = word_key(name)
            bare = re.compile(rf"\b{re.escape(key)}\b(?! (phuong|xa|thi tran)\b)")
            with_level = re.compile(rf"\b{re.escape(key)} (phuong|xa|thi tran)\b")
            found = next((m for cell in cells for m in [with_level.search(cell)] if m), None)
            if found and not any(bare.search(cell) for cell in cells):
                book.rename(name, f"{name} {_level_word(found[1])}")
                names[names.index(name)] = f"{name} {_level_word(found[1])}"


def _level_word(folded: str) -> str:
    return {"phuong": "phường", "xa": "xã", "thi tran": "thị trấn"}[folded]


def _task(row: RawRow, lead: list[str], coordinators: list[str], deadline: Deadline) -> DraftTask:
    return DraftTask(
        code=row.code,
        title=row.title,
        deadline=deadline,
        section=row.section,
        sections=row.sections,
        requirement=row.requirement,
        lead_text=row.lead_text or None,
        lead=tuple(lead),
        coordinators_text=row.coordinators_text or None,
        coordinators=tuple(coordinators),
        flags=tuple(str(flag) for flag in deadline.flags),
        problems=row.problems,
    )


def _obligations(
    charges: Sequence[Charge],
    charged: list[list[str]],
    book: UnitBook,
    deadline_of: _DeadlineOf,
) -> tuple[Obligation, ...]:
    who_of = {
        duty: names
        for charge, names in zip(charges, charged, strict=True)
        for duty in charge.duties
    }
    found: list[Obligation] = []

    def is_periodic(text: str) -> bool:
        return deadline_of(text).kind is DeadlineKind.RECURRING

    for rule in read_report_rules(charges, is_periodic=is_periodic):
        deadline = deadline_of(rule.rule)
        if deadline.kind is not DeadlineKind.RECURRING:
            continue
        if rule.recurrence is not None and rule.recurrence != deadline.recurrence:
            deadline = dataclasses.replace(deadline, recurrence=Recurrence(rule.recurrence))
        to = book.mention(rule.to) if rule.to else None
        found.append(Obligation(rule.what, tuple(who_of.get(rule.duty, [ALL])), to, deadline))
    return tuple(found)


def _mark_outside_bodies(book: UnitBook, charged: list[list[str]]) -> None:
    """A "Phòng …" the ward does not have among its own units is a department above it."""
    own = {name for names in charged for name in names}
    ward_has_rooms = any(name.casefold().startswith("phòng ") for name in own)
    for name, _external in book.entries():
        if book.is_known(name) or name in own or ward_has_rooms:
            continue
        if name.casefold().startswith("phòng "):
            book.set_external(name, external=True)


def _add_initialisms(book: UnitBook, text: str) -> None:
    """The plan's own initialism of a unit ("TTPVHCC") is another printed form of it."""
    words = set(re.findall(r"\b[A-ZĐ]{3,}\b", tidy(text)))
    for name, _external in book.entries():
        short = initials(name)
        if len(short) >= 3 and short in words:
            book.add_alias(name, short)
