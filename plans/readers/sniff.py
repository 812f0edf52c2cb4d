"""What a file really is, from its bytes, and whether it is safe to hand to a library."""

import re
import zipfile
import zlib
from enum import StrEnum
from pathlib import Path
from typing import Final

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

MAX_UNPACKED_BYTES: Final = 200 * 1024 * 1024
MAX_RATIO: Final = 200
"""Real documents compress 5-50x; runs of zeros in a bomb compress about 1000x."""
MAX_MEMBERS: Final = 5000
MAX_PDF_UNPACKED_BYTES = 512 * 1024 * 1024
"""All of a PDF's zlib streams together; scanned pages stored as zlib pictures can be large."""
MAX_XML_BYTES: Final = 64 * 1024 * 1024
"""A part the XML parser must hold in memory; pictures may be larger, they are not parsed."""

DAMAGED_ARCHIVE: Final = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    OSError,
    NotImplementedError,
)
"""What reading a damaged zip raises: bad headers, bad deflate data, offsets past the end."""

_STREAM_START: Final = re.compile(rb"stream\r?\n")
_CHUNK: Final = 1 << 20

_OOXML_SUFFIXES: Final = frozenset({".docx", ".docm", ".xlsx", ".xlsm"})
_KNOWN_BINARY_SUFFIXES: Final = _OOXML_SUFFIXES | {".pdf"}
_ENCRYPTION_STREAM: Final = "EncryptionInfo".encode("utf-16-le")


class FileKind(StrEnum):
    """A format a plan can be read from."""

    TEXT = "text"
    DOCX = "docx"
    XLSX = "xlsx"
    PDF = "pdf"


def detect_kind(path: Path, head: bytes) -> FileKind:
    """The format of the file at `path` whose first bytes are `head`, by content, not name."""
    name = path.name
    suffix = path.suffix.lower()
    if head.startswith(CFB_MAGIC):
        if suffix in _OOXML_SUFFIXES or _ENCRYPTION_STREAM in _read_prefix(path, 1 << 20):
            raise EncryptedPlanFile(file_name=name)
        raise LegacyOfficeFormat(file_name=name)
    if PDF_MAGIC in head[:1024]:
        return FileKind.PDF
    if head.startswith(ZIP_MAGIC):
        return _office_kind(path)
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


def check_pdf_streams(data: bytes, *, file_name: str, max_unpacked: int | None = None) -> None:
    """Refuse a PDF whose compressed streams inflate past `max_unpacked` (a decompression bomb).

    pdfminer inflates a stream whole, without a limit; here each is inflated a chunk at a time
    and only counted. Streams that are not zlib data (JPEG pictures, encrypted ones) are skipped.
    """
    limit = MAX_PDF_UNPACKED_BYTES if max_unpacked is None else max_unpacked
    total = 0
    for match in _STREAM_START.finditer(data):
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end >= 0 else len(data)]
        inflater = zlib.decompressobj()
        try:
            chunk = inflater.decompress(body, _CHUNK)
            while True:
                total += len(chunk)
                if total > limit:
                    raise SuspiciousArchive(file_name=file_name)
                if not inflater.unconsumed_tail:
                    break
                chunk = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
        except zlib.error:
            continue


def _office_kind(path: Path) -> FileKind:
    """DOCX or XLSX, from the parts the package holds (after the archive is found safe)."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
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
    if path.suffix.lower() in _OOXML_SUFFIXES:
        raise CorruptPlanFile(file_name=name)
    raise UnknownPlanFormat(file_name=name)


def _read_prefix(path: Path, size: int) -> bytes:
    """The first `size` bytes of the file."""
    with path.open("rb") as file:
        return file.read(size)
