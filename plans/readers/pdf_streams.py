"""A PDF's streams inflated through every filter and counted, before pdfminer inflates any.

pdfminer inflates a stream whole and without a limit (Flate, LZW, RunLength, ASCII85/Hex, in
any chain). Here each stream's filters are read from its dictionary and applied a chunk at a
time, counting the output against the budget; nothing is kept but the count. Picture codecs
(JPEG, JPEG 2000, JBIG2, CCITT) end a chain: pdfminer hands those pictures on undecoded.
"""

import re
import zlib
from collections.abc import Callable, Iterator
from io import BytesIO
from typing import Final

from pdfminer.ascii85 import ascii85decode, asciihexdecode
from pdfminer.lzw import CorruptDataError, LZWDecoder

from plans.readers import budget
from plans.readers.errors import SuspiciousArchive

_STREAM_START: Final = re.compile(rb"stream\r?\n")
_FILTER: Final = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[^\s/\[\]<>()]+)")
_NAME: Final = re.compile(rb"/([^\s/\[\]<>()]+)")
_IMAGE: Final = re.compile(rb"/Subtype\s*/Image\b")
_FONT: Final = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)\b")
_DICTIONARY_WINDOW: Final = 64 * 1024
"""How far before `stream` its dictionary is looked for (a dictionary is far shorter)."""
_CHUNK: Final = 1 << 20


class _OverBudget(Exception):
    """A stream inflated past its limit."""


def check_pdf_streams(
    data: bytes,
    *,
    file_name: str,
    max_unpacked: int | None = None,
) -> None:
    """Refuse a PDF whose streams inflate past a stream's or the document's budget."""
    total_limit = budget.MAX_PDF_UNPACKED_BYTES if max_unpacked is None else max_unpacked
    total = 0
    parsed = 0
    for match in _STREAM_START.finditer(data):
        end = data.find(b"endstream", match.end())
        body = data[match.end() : end if end >= 0 else len(data)]
        dictionary = _dictionary_before(data, match.start())
        if _IMAGE.search(dictionary):
            limit, is_parsed = budget.MAX_IMAGE_STREAM_BYTES, False
        elif _FONT.search(dictionary):
            limit, is_parsed = budget.MAX_FONT_STREAM_BYTES, False
        else:
            limit, is_parsed = budget.MAX_PAGE_STREAM_BYTES, True
        try:
            size = inflated_size(body, _filters(dictionary), min(limit, total_limit - total))
        except _OverBudget:
            raise SuspiciousArchive(file_name=file_name) from None
        total += size
        parsed += size if is_parsed else 0
        if total > total_limit or parsed > budget.MAX_PARSED_STREAM_BYTES:
            raise SuspiciousArchive(file_name=file_name)


def inflated_size(body: bytes, filters: list[bytes], limit: int) -> int:
    """The size of `body` after `filters`; `_OverBudget` as soon as it passes `limit`.

    A stream without a readable /Filter is tried as zlib data, as the one filter nearly
    every PDF writer uses.
    """
    data = body
    chain = filters or [b"FlateDecode"]
    for index, name in enumerate(chain):
        decoder = _DECODERS.get(name)
        if decoder is None:
            return len(data)  # a picture codec, encryption, or nothing pdfminer would decode
        is_last = index == len(chain) - 1
        size = 0
        parts: list[bytes] = []
        try:
            for chunk in decoder(data):
                size += len(chunk)
                if size > limit:
                    raise _OverBudget
                if not is_last:
                    parts.append(chunk)
        except (zlib.error, CorruptDataError, ValueError, IndexError, EOFError):
            if not filters:
                return max(size, len(body))  # not zlib after all: stored as it is
        if is_last:
            return size
        data = b"".join(parts)
    return len(data)


def _dictionary_before(data: bytes, stream_at: int) -> bytes:
    """The stream's dictionary: the bytes since the `obj` keyword that opens it."""
    start = max(0, stream_at - _DICTIONARY_WINDOW)
    opened = data.rfind(b"obj", start, stream_at)
    return data[(opened if opened >= 0 else start) : stream_at]


def _filters(dictionary: bytes) -> list[bytes]:
    """The /Filter names of a stream dictionary, in the order they are applied."""
    found = _FILTER.search(dictionary)
    return _NAME.findall(found[1]) if found else []


def _flate(data: bytes) -> Iterator[bytes]:
    """Inflate zlib data a chunk at a time.

    The loop ends at the end of the zlib stream even when bytes follow it (the end of line
    before `endstream`), and whenever a call makes no progress.
    """
    inflater = zlib.decompressobj()
    pending = data
    while True:
        chunk = inflater.decompress(pending, _CHUNK)
        yield chunk
        tail = inflater.unconsumed_tail
        if inflater.eof or not tail or (not chunk and len(tail) >= len(pending)):
            return
        pending = tail


def _lzw(data: bytes) -> Iterator[bytes]:
    yield from LZWDecoder(BytesIO(data)).run()


def _run_length(data: bytes) -> Iterator[bytes]:
    """RunLengthDecode (PDF 1.7, 7.4.5): a length byte, then literal bytes or one repeated."""
    out = bytearray()
    index = 0
    size = len(data)
    while index < size:
        length = data[index]
        if length == 128:
            break
        if length < 128:
            out += data[index + 1 : index + 2 + length]
            index += length + 2
        else:
            out += data[index + 1 : index + 2] * (257 - length)
            index += 2
        if len(out) >= _CHUNK:
            yield bytes(out)
            out.clear()
    yield bytes(out)


def _ascii_hex(data: bytes) -> Iterator[bytes]:
    yield asciihexdecode(data)


def _ascii85(data: bytes) -> Iterator[bytes]:
    yield ascii85decode(data)


_DECODERS: Final[dict[bytes, Callable[[bytes], Iterator[bytes]]]] = {
    b"FlateDecode": _flate,
    b"Fl": _flate,
    b"LZWDecode": _lzw,
    b"LZW": _lzw,
    b"RunLengthDecode": _run_length,
    b"RL": _run_length,
    b"ASCIIHexDecode": _ascii_hex,
    b"AHx": _ascii_hex,
    b"ASCII85Decode": _ascii85,
    b"A85": _ascii85,
}
