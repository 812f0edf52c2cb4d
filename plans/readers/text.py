"""Plain text plans: .txt files (UTF-8, or UTF-8/UTF-16 with a BOM) and pasted text."""

import codecs
import unicodedata

from plans.readers.errors import EmptyPastedText, EmptyPlanFile, UnknownPlanFormat
from plans.source import SourceDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def normalise(text: str) -> str:
    """NFC, Unix line ends and no NUL or BOM characters: the form every reader hands on."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "").replace("\ufeff", "")
    return unicodedata.normalize("NFC", text)


def decode(data: bytes, *, file_name: str) -> str:
    """The text of `data`: a BOM decides the encoding, otherwise it must be UTF-8."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                raise UnknownPlanFormat(file_name=file_name) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise UnknownPlanFormat(file_name=file_name) from None


def looks_like_text(head: bytes) -> bool:
    """Whether the first bytes of a file read as text (a BOM, or UTF-8 without NUL bytes)."""
    if any(head.startswith(bom) for bom, _ in _BOMS):
        return True
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut off at the end of the sample is still text.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def read_text(data: bytes, *, file_name: str) -> SourceDocument:
    """A .txt plan (the seeds' form: text extracted from a PDF)."""
    text = normalise(decode(data, file_name=file_name))
    if not text.strip():
        raise EmptyPlanFile(file_name=file_name)
    return SourceDocument(text=text, file_name=file_name, kind="text")


def read_pasted(text: str) -> SourceDocument:
    """A plan pasted into a chat as text."""
    text = normalise(text)
    if not text.strip():
        raise EmptyPastedText
    return SourceDocument(text=text, kind="text")
