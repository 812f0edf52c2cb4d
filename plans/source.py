"""What a reader hands the importer: the document's running text, its tables and their rows.

Every reader (.txt extracted from a PDF, .docx, .xlsx, .pdf, pasted text) produces a
`SourceDocument`; the table path (`plans/tabular.py`) or the extracted-text path turns its task
table into `RawRow`s, and the draft builder turns those into an `ImportDraft`.
"""

from dataclasses import dataclass, field

Grid = tuple[tuple[str, ...], ...]
"""A table as read: rows of cell texts, header rows included, merged cells repeated."""


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """A plan file as read, before any interpretation of its task table."""

    text: str
    """The running text in reading order (table text left out when the tables are known)."""
    tables: tuple[Grid, ...] = ()
    """Tables found as tables (docx, xlsx, PDF ruling); empty when only text was available."""
    file_name: str | None = None
    kind: str = "text"
    """How it was read: `text`, `docx`, `xlsx` or `pdf`."""


@dataclass(frozen=True, slots=True)
class RawRow:
    """One task row of a plan's table, cells verbatim, before deadlines and units are read."""

    code: str
    title: str
    section: str | None = None
    requirement: str | None = None
    lead_text: str = ""
    coordinators_text: str = ""
    deadline_text: str = ""
    problems: tuple[str, ...] = field(default=())
    """Why the row could not be fully read (kept and flagged, never dropped)."""
    sections: tuple[str, ...] = field(default=(), compare=False)
    """Every heading the row sits under, outermost first (`section` is the last): "II …",
    "2.1 …". Rows compare without it (the golden files keep `section` only); the readers'
    tests and the report's check it."""
