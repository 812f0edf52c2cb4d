"""Structure-aware mutations of the seed plans, rendered as .docx, .xlsx and .pdf.

A case starts from one of the fixtures' task tables and changes what real and hostile plans
change: its rows (numbering restarted or repeated, rows shuffled or repeated, cells emptied or
made very long, deadlines of any kind, old encodings, control characters), then, for some cases,
the file itself (a cell spanning a thousand columns, tables nested deep, rows repeated past the
budget, XML entities, merged ranges over the whole sheet, PDF streams that inflate through any
filter, bytes flipped or cut). `expected_tasks` is set when the file must import whole.
"""

import io
import random
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Final

from tests.support.plan_rendering import WRITERS, write_pdf, write_picture
from tests.support.plan_tables import PlanTable, all_tables

FORMATS: Final = ("docx", "xlsx", "pdf")
MAX_ROWS_RENDERED: Final = 60
"""python-docx draws a table in time quadratic in its rows: larger tables come from file-level
repetition instead."""
DEADLINES: Final = (
    "Quý II/2025",
    "Trước ngày 31/12/2025",
    "Thường xuyên",
    "Hằng tháng",
    "Trong năm 9999",
    "năm 2100",
    "Quý V/2025",
    "31/02/2025 (ngày không có)",
    "Trước ngày 99/99/9999",
    "Tháng 13/2025",
    "",
    "Trước ngày " * 200,
    "20/7 " * 300,
)
ODD_CODES: Final = ("x", "1.2.3.4.5.6.7.8.9.10.11.12.13", "IVXLC", "0", "-", "a)", "999999999")
TCVN3: Final = "KÕ ho¹ch tæ chøc thùc hiÖn nhiÖm vô"


@dataclass(frozen=True, slots=True)
class Case:
    """One generated file and what it must do."""

    name: str
    content: bytes
    mutations: tuple[str, ...]
    expected_tasks: int | None
    """How many tasks it must import to when it imports (None: not known in advance)."""


def generate(index: int, folder: Path) -> Case:
    """The case numbered `index` (the same every run), rendered in `folder`."""
    rng = random.Random(index)
    table = rng.choice(all_tables())
    kind = FORMATS[index % len(FORMATS)]
    done: list[str] = []
    keeps_count = True
    for _ in range(rng.randint(1, 3)):
        name, change_rows, keeps = rng.choice(_ROW_MUTATIONS)
        table = change_rows(table, rng)
        done.append(name)
        keeps_count = keeps_count and keeps
    table = replace(table, rows=table.rows[:MAX_ROWS_RENDERED], continued=frozenset())
    path = folder / f"case-{index}.{kind}"
    try:
        _render(table, kind, path, rng, done)
    except ValueError:
        # fpdf2 cannot draw a row taller than a page: such a cell is cut to what it can draw.
        rows = tuple(
            replace(row, title=row.title[:300], deadline_text=row.deadline_text[:100])
            for row in table.rows
        )
        table = replace(table, rows=rows)
        _render(table, kind, path, rng, done)
        done.append("cells cut to render")
    content = path.read_bytes()
    path.unlink()
    if rng.random() < 0.5:
        file_change, change_file = rng.choice(_FILE_MUTATIONS[kind])
        content = change_file(content, rng)
        done.append(file_change)
        keeps_count = False
    expected = len(table.rows) if keeps_count and table.rows else None
    return Case(f"case-{index}.{kind}", content, tuple(done), expected)


def _render(table: PlanTable, kind: str, path: Path, rng: random.Random, done: list[str]) -> None:
    if kind == "pdf" and rng.random() < 0.15:
        picture = write_picture(path.with_suffix(".png"), width=200, height=160)
        write_pdf(table, path, logo=picture, scans=[picture] * rng.randint(0, 2))
        picture.unlink()
        done.append("pictures")
    else:
        WRITERS[kind](table, path)


# --- rows ----------------------------------------------------------------------------------

RowMutation = Callable[[PlanTable, random.Random], PlanTable]


def _restart_numbering(table: PlanTable, rng: random.Random) -> PlanTable:
    numbers: dict[str | None, int] = {}
    rows = []
    for row in table.rows:
        numbers[row.section] = numbers.get(row.section, 0) + 1
        rows.append(replace(row, code=str(numbers[row.section])))
    return replace(table, rows=tuple(rows))


def _repeat_codes(table: PlanTable, rng: random.Random) -> PlanTable:
    rows = [replace(row, code=rng.choice(table.rows).code) for row in table.rows]
    return replace(table, rows=tuple(rows))


def _shuffle(table: PlanTable, rng: random.Random) -> PlanTable:
    rows = list(table.rows)
    rng.shuffle(rows)
    return replace(table, rows=tuple(rows))


def _repeat_rows(table: PlanTable, rng: random.Random) -> PlanTable:
    times = rng.randint(2, 5)
    rows = [
        replace(row, code=f"{row.code}.{copy}", title=f"{row.title} ({copy})")
        for copy in range(1, times + 1)
        for row in table.rows
    ]
    return replace(table, rows=tuple(rows))


def _long_cells(table: PlanTable, rng: random.Random) -> PlanTable:
    rows = [
        replace(row, title=row.title * rng.choice((10, 50, 200))) if rng.random() < 0.3 else row
        for row in table.rows
    ]
    return replace(table, rows=tuple(rows))


def _any_deadline(table: PlanTable, rng: random.Random) -> PlanTable:
    rows = [
        replace(row, deadline_text=rng.choice(DEADLINES)) if rng.random() < 0.4 else row
        for row in table.rows
    ]
    return replace(table, rows=tuple(rows))


def _odd_codes(table: PlanTable, rng: random.Random) -> PlanTable:
    rows = [
        replace(row, code=rng.choice(ODD_CODES)) if rng.random() < 0.3 else row
        for row in table.rows
    ]
    return replace(table, rows=tuple(rows))


def _empty_cells(table: PlanTable, rng: random.Random) -> PlanTable:
    field_name = rng.choice(("title", "lead_text", "deadline_text", "code"))
    rows = [
        replace(row, **{field_name: ""}) if rng.random() < 0.3 else row  # type: ignore[arg-type]
        for row in table.rows
    ]
    return replace(table, rows=tuple(rows))


def _strange_text(table: PlanTable, rng: random.Random) -> PlanTable:
    junk = rng.choice(
        (TCVN3, "\t\u00a0\u2028\u0301", "💥🧨" * 30, "\u202e\u200b\ufeff", "<w:t>&amp;")
    )
    rows = [
        replace(row, title=f"{row.title} {junk}") if rng.random() < 0.5 else row
        for row in table.rows
    ]
    return replace(table, rows=tuple(rows))


def _drop_rows(table: PlanTable, rng: random.Random) -> PlanTable:
    keep = rng.randint(0, len(table.rows))
    return replace(table, rows=table.rows[:keep])


_ROW_MUTATIONS: Final[tuple[tuple[str, RowMutation, bool], ...]] = (
    ("restart numbering", _restart_numbering, True),
    ("repeat codes", _repeat_codes, True),
    ("shuffle rows", _shuffle, True),
    ("repeat rows", _repeat_rows, True),
    ("long cells", _long_cells, True),
    ("any deadline", _any_deadline, True),  # a year beyond the calendar is a flag, not a refusal
    ("odd codes", _odd_codes, False),  # an odd code may read as a continuation row
    ("empty cells", _empty_cells, False),
    ("strange text", _strange_text, False),
    ("drop rows", _drop_rows, True),
)


# --- files ---------------------------------------------------------------------------------

FileMutation = Callable[[bytes, random.Random], bytes]
_W: Final = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _rewrite_member(content: bytes, member: str, change: Callable[[bytes], bytes]) -> bytes:
    """The archive with `member` changed (left as it is when the archive has no such part)."""
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            target.writestr(info.filename, change(data) if info.filename == member else data)
    return out.getvalue()


def _word(change: Callable[[bytes, random.Random], bytes]) -> FileMutation:
    return lambda content, rng: _rewrite_member(
        content, "word/document.xml", lambda xml: change(xml, rng)
    )


def _wide_span(xml: bytes, rng: random.Random) -> bytes:
    span = rng.choice((60, 200, 1000, 99999, -5))
    return xml.replace(b"<w:tcPr>", b'<w:tcPr><w:gridSpan w:val="%d"/>' % span, rng.randint(1, 50))


def _grid_before(xml: bytes, rng: random.Random) -> bytes:
    before = b'<w:trPr><w:gridBefore w:val="%d"/></w:trPr>' % rng.choice((5, 90, 1000))
    return re.sub(rb"(<w:tr\b[^>]*>)", rb"\1" + before.replace(b"\\", b"\\\\"), xml, count=20)


def _nested(xml: bytes, rng: random.Random) -> bytes:
    depth = rng.choice((3, 9, 40))
    inner = b"<w:p><w:r><w:t>STT</w:t></w:r></w:p>"
    for _ in range(depth):
        inner = b"<w:tbl><w:tr><w:tc>" + inner + b"</w:tc></w:tr></w:tbl><w:p/>"
    return xml.replace(b"</w:tc>", inner + b"</w:tc>", 1)


def _many_rows(xml: bytes, rng: random.Random) -> bytes:
    rows = re.findall(rb"<w:tr\b.*?</w:tr>", xml, flags=re.DOTALL)
    if not rows:
        return xml
    extra = rows[-1] * rng.choice((100, 2000, 40000))
    return xml.replace(rows[-1], rows[-1] + extra, 1)


def _entities(xml: bytes, rng: random.Random) -> bytes:
    lol = (
        b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
        b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    )
    body = xml.split(b"?>", 1)
    return body[0] + b"?>" + lol + body[1].replace(b"<w:t>", b"<w:t>&c;&x;", 3)


def _sheet(change: Callable[[bytes, random.Random], bytes]) -> FileMutation:
    return lambda content, rng: _rewrite_member(
        content, "xl/worksheets/sheet1.xml", lambda xml: change(xml, rng)
    )


def _whole_sheet_merges(xml: bytes, rng: random.Random) -> bytes:
    count = rng.choice((10, 500, 19000))
    merges = b"".join(
        b'<mergeCell ref="A%d:%s%d"/>' % (row, rng.choice((b"B", b"Z", b"CV")), row + 20000)
        for row in range(1, count + 1)
    )
    block = b'<mergeCells count="%d">%s</mergeCells>' % (count, merges)
    if b"<mergeCells" in xml:
        return re.sub(rb"<mergeCells.*?</mergeCells>", block, xml, flags=re.DOTALL)
    return xml.replace(b"</sheetData>", b"</sheetData>" + block, 1)


def _many_sheet_rows(xml: bytes, rng: random.Random) -> bytes:
    count = rng.choice((100, 5000, 30000))
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>%d</t></is></c></row>' % (n, n, n)
        for n in range(1000, 1000 + count)
    )
    return xml.replace(b"</sheetData>", rows + b"</sheetData>", 1)


def _zip_bomb(content: bytes, rng: random.Random) -> bytes:
    out = io.BytesIO(content)
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/media/zeros.bin", b"\x00" * rng.choice((1 << 20, 64 << 20)))
    return out.getvalue()


def _flip_bytes(content: bytes, rng: random.Random) -> bytes:
    data = bytearray(content)
    for _ in range(rng.randint(1, 20)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return bytes(data)


def _cut(content: bytes, rng: random.Random) -> bytes:
    return content[: rng.randrange(1, len(content))]


def _pdf_stream(content: bytes, rng: random.Random) -> bytes:
    """A stream object appended before the end: a bomb, or merely large, through any filter."""
    size = rng.choice((2 << 20, 9 << 20, 40 << 20))
    raw = bytes(range(256)) * (size // 256)
    filters, body = rng.choice(
        (
            (b"/FlateDecode", zlib.compress(raw)),
            (b"/RunLengthDecode", b"\x81\x41" * (size // 128) + b"\x80"),
            (b"[/ASCIIHexDecode /FlateDecode]", zlib.compress(raw).hex().encode() + b">"),
        )
    )
    picture = b" /Subtype /Image" if rng.random() < 0.3 else b""
    stream = (
        b"\n99 0 obj\n<< /Length %d /Filter %s%s >>\nstream\n" % (len(body), filters, picture)
        + body
        + b"\nendstream\nendobj\n"
    )
    at = content.rfind(b"xref")
    at = at if at > 0 else len(content)
    return content[:at] + stream + content[at:]


def _pdf_page_content(content: bytes, rng: random.Random) -> bytes:
    """Every page's content stream replaced by many tiny text-drawing operators."""
    ops = b"BT /F1 1 Tf 10 10 Td (a) Tj ET\n" * rng.choice((1000, 100000, 300000))
    body = zlib.compress(ops)
    return re.sub(
        rb"<<\s*/Filter\s*/FlateDecode\s*/Length \d+\s*>>\s*stream\n.*?\nendstream",
        lambda _: (
            b"<< /Filter /FlateDecode /Length %d >>\nstream\n" % len(body) + body + b"\nendstream"
        ),
        content,
        count=2,
        flags=re.DOTALL,
    )


_FILE_MUTATIONS: Final[dict[str, tuple[tuple[str, FileMutation], ...]]] = {
    "docx": (
        ("wide span", _word(_wide_span)),
        ("grid before", _word(_grid_before)),
        ("nested tables", _word(_nested)),
        ("many rows", _word(_many_rows)),
        ("xml entities", _word(_entities)),
        ("zip bomb", _zip_bomb),
        ("flipped bytes", _flip_bytes),
        ("cut", _cut),
    ),
    "xlsx": (
        ("whole-sheet merges", _sheet(_whole_sheet_merges)),
        ("many sheet rows", _sheet(_many_sheet_rows)),
        ("zip bomb", _zip_bomb),
        ("flipped bytes", _flip_bytes),
        ("cut", _cut),
    ),
    "pdf": (
        ("stream through filters", _pdf_stream),
        ("page content", _pdf_page_content),
        ("flipped bytes", _flip_bytes),
        ("cut", _cut),
    ),
}
