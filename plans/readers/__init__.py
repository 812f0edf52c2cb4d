"""Plan file readers: every supported format becomes a `SourceDocument`.

`read_document` decides the format from the bytes (a renamed file is read for what it is),
refuses what cannot or should not be opened with a `PlanFileError`, and never writes anything.
"""

from pathlib import Path
from typing import Final

from plans.readers.errors import (
    EmptyPlanFile,
    LegacyVietnameseEncoding,
    NoTaskTable,
    PlanFileError,
    PlanFileTooLarge,
)
from plans.readers.legacy import is_legacy_vietnamese
from plans.readers.sniff import SNIFF_BYTES, FileKind, check_pdf_streams, detect_kind
from plans.readers.text import read_pasted, read_text
from plans.source import SourceDocument

MAX_FILE_BYTES: Final = 20 * 1024 * 1024

__all__ = [
    "MAX_FILE_BYTES",
    "NoTaskTable",
    "PlanFileError",
    "read_document",
    "read_pasted",
]


def read_document(path: Path) -> SourceDocument:
    """Read the plan file at `path` (.txt, .docx, .xlsx or .pdf, judged by its content)."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise PlanFileTooLarge(file_name=name, limit_mb=MAX_FILE_BYTES // (1024 * 1024))
    if size == 0:
        raise EmptyPlanFile(file_name=name)
    with path.open("rb") as file:
        head = file.read(SNIFF_BYTES)
    kind = detect_kind(path, head)
    if kind is FileKind.TEXT:
        document = read_text(path.read_bytes(), file_name=name)
    elif kind is FileKind.DOCX:
        from plans.readers.word import read_docx

        document = read_docx(path)
    elif kind is FileKind.XLSX:
        from plans.readers.excel import read_xlsx

        document = read_xlsx(path)
    else:
        from plans.readers.pdf import read_pdf

        check_pdf_streams(path.read_bytes(), file_name=name)
        document = read_pdf(path)
    if not document.text.strip() and not document.tables:
        raise EmptyPlanFile(file_name=name)
    cells = "\n".join(cell for table in document.tables for row in table for cell in row)
    if is_legacy_vietnamese(f"{document.text}\n{cells}"):
        raise LegacyVietnameseEncoding(file_name=name)
    return document
