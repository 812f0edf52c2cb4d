"""Plan file readers: every supported format becomes a `SourceDocument`.

`read_content` decides the format from the bytes (a renamed file is read for what it is),
refuses what cannot or should not be opened with a `PlanFileError`, stops at the limits of
`plans/readers/budget.py`, and never writes anything (not even a temporary file).
"""

from pathlib import Path

from plans.readers.budget import MAX_FILE_BYTES, MAX_TEXT_CHARS
from plans.readers.errors import (
    EmptyPlanFile,
    LegacyVietnameseEncoding,
    NoTaskTable,
    PlanFileError,
    PlanFileTooLarge,
    TextTooLong,
)
from plans.readers.legacy import is_legacy_vietnamese
from plans.readers.sniff import FileKind, detect_kind
from plans.readers.text import read_pasted, read_text
from plans.source import SourceDocument

__all__ = [
    "MAX_FILE_BYTES",
    "NoTaskTable",
    "PlanFileError",
    "read_content",
    "read_document",
    "read_pasted",
]


def read_document(path: Path) -> SourceDocument:
    """Read the plan file at `path` (.txt, .docx, .xlsx or .pdf, judged by its content)."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PlanFileTooLarge(file_name=path.name, limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    return read_content(path.read_bytes(), file_name=path.name)


def read_content(content: bytes, *, file_name: str) -> SourceDocument:
    """Read a plan file's bytes; `file_name` names it in refusals and in the draft."""
    name = file_name
    if len(content) > MAX_FILE_BYTES:
        raise PlanFileTooLarge(file_name=name, limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    if not content:
        raise EmptyPlanFile(file_name=name)
    kind = detect_kind(content, file_name=name)
    if kind is FileKind.TEXT:
        document = read_text(content, file_name=name)
    elif kind is FileKind.DOCX:
        from plans.readers.word import read_docx

        document = read_docx(content, file_name=name)
    elif kind is FileKind.XLSX:
        from plans.readers.excel import read_xlsx

        document = read_xlsx(content, file_name=name)
    else:
        from plans.readers.pdf import read_pdf
        from plans.readers.pdf_streams import check_pdf_streams

        check_pdf_streams(content, file_name=name)
        document = read_pdf(content, file_name=name)
    if not document.text.strip() and not document.tables:
        raise EmptyPlanFile(file_name=name)
    characters = len(document.text) + sum(
        len(cell) for table in document.tables for row in table for cell in row
    )
    if characters > MAX_TEXT_CHARS:
        raise TextTooLong(file_name=name, limit=MAX_TEXT_CHARS)
    cells = "\n".join(cell for table in document.tables for row in table for cell in row)
    if is_legacy_vietnamese(f"{document.text}\n{cells}"):
        raise LegacyVietnameseEncoding(file_name=name)
    return document
