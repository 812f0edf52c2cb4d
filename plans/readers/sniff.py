"""What a file really is, from its bytes, and whether it is safe to hand to a library."""

import zipfile
import zlib
from enum import StrEnum
from io import BytesIO
from pathlib import PurePath
from typing import Final

from plans.readers.budget import MAX_UNPACKED_BYTES, MAX_XML_BYTES
from plans.readers.errors import (
    CorruptPlanFile,
    EncryptedPlanFile,
    LegacyOfficeFormat,
    SuspiciousArchive,
    UnknownPlanFormat,
)
from plans.readers.text import looks_like_text

CFB_MAGIC: Final = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
"""OLE compound file: a password-protected .docx/.xlsx, or an old .doc/.xls."""
ZIP_MAGIC: Final = b"PK\x03\x04"
PDF_MAGIC: Final = b"%PDF-"
SNIFF_BYTES: Final = 8192

MAX_RATIO: Final = 200
"""Real documents compress 5-50x; runs of zeros in a bomb compress about 1000x."""
MAX_MEMBERS: Final = 5000

DAMAGED_ARCHIVE: Final = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
)
"""What reading a damaged zip raises: bad headers, bad deflate data, offsets past the end."""

_OOXML_SUFFIXES: Final = frozenset({".docx", ".docm", ".xlsx", ".xlsm"})
_KNOWN_BINARY_SUFFIXES: Final = _OOXML_SUFFIXES | {".pdf"}
_ENCRYPTION_STREAM: Final = "EncryptionInfo".encode("utf-16-le")


class FileKind(StrEnum):
    """A format a plan can be read from."""

    TEXT = "text"
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"


def detect_kind(content: bytes, *, file_name: str) -> FileKind:
    """The format of a file named `file_name` holding `content`, by content, not name."""
    name = file_name
    suffix = PurePath(file_name).suffix.lower()
    head = content[:SNIFF_BYTES]
    if head.startswith(CFB_MAGIC):
        if suffix in _OOXML_SUFFIXES or _ENCRYPTION_STREAM in content[: 1 << 20]:
            raise EncryptedPlanFile(file_name=name)
        raise LegacyOfficeFormat(file_name=name)
    if PDF_MAGIC in head[:1024]:
        return FileKind.PDF
    if head.startswith(ZIP_MAGIC):
        return _office_kind(content, name)
    if looks_like_text(head):
        return FileKind.TEXT
    if suffix in _KNOWN_BINARY_SUFFIXES:
        raise CorruptPlanFile(file_name=name)
    raise UnknownPlanFormat(file_name=name)


def check_archive(
    archive: zipfile.ZipFile,
    *,
    file_name: str,
    max_unpacked: int = MAX_UNPACKED_BYTES,
    max_ratio: int = MAX_RATIO,
    max_xml: int = MAX_XML_BYTES,
) -> None:
    """Refuse a zip whose declared sizes could exhaust memory, before any library inflates it.

    zipfile stops inflating a member at its declared size and then fails its CRC, so a member
    that lies about its size cannot unpack to more than this check has allowed.
    """
    members = archive.infolist()
    if len(members) > MAX_MEMBERS:
        raise SuspiciousArchive(file_name=file_name)
    total = 0
    for member in members:
        if member.flag_bits & 0x1:
            raise EncryptedPlanFile(file_name=file_name)
        total += member.file_size
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > max_ratio and member.file_size > 1024 * 1024:
            raise SuspiciousArchive(file_name=file_name)
        if member.filename.endswith((".xml", ".rels")) and member.file_size > max_xml:
            raise SuspiciousArchive(file_name=file_name)
    if total > max_unpacked:
        raise SuspiciousArchive(file_name=file_name)


def _office_kind(content: bytes, name: str) -> FileKind:
    """DOCX or XLSX, from the parts the package holds (after the archive is found safe)."""
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            check_archive(archive, file_name=name)
            names = set(archive.namelist())
            types = b""
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")
            if b"wordprocessingml.document.main" in types:
                return FileKind.DOCX
            if b"spreadsheetml.sheet.main" in types or b"ms-excel.sheet.macroEnabled" in types:
                return FileKind.XLSX
            if "word/document.xml" in names:
                if b"ms-word.document.macroEnabled" in types or b"template.main" in types:
                    # A macro-enabled document or a template: python-docx opens neither.
                    raise UnknownPlanFormat(file_name=name)
                return FileKind.DOCX
            if "xl/workbook.xml" in names:
                return FileKind.XLSX
    except DAMAGED_ARCHIVE:
        raise CorruptPlanFile(file_name=name) from None
    if PurePath(name).suffix.lower() in _OOXML_SUFFIXES:
        raise CorruptPlanFile(file_name=name)
    raise UnknownPlanFormat(file_name=name)
