"""Every reader stops at the budget of `plans/readers/budget.py`, and real plans stay within it."""

import copy
import io
import threading
import zlib
from pathlib import Path

import docx
import pytest
from openpyxl import Workbook

from plans.readers import read_content
from plans.readers.errors import (
    PlanFileError,
    SuspiciousArchive,
    TableTooLarge,
    TextTooLong,
    TooManyPages,
)
from plans.readers.pdf_streams import check_pdf_streams, inflated_size
from tests.support.plan_fixtures import FIXTURES
from tests.support.plan_rendering import WRITERS, write_pdf, write_picture
from tests.support.plan_tables import plan_of_size, seed_tables


def pdf_with_stream(dictionary: bytes, body: bytes) -> bytes:
    """A minimal PDF holding one stream object."""
    return (
        b"%%PDF-1.4\n1 0 obj\n<< /Length %d " % len(body)
        + dictionary
        + b" >>\nstream\n"
        + body
        + b"\nendstream\nendobj\n%%EOF\n"
    )


def refusal_of(content: bytes, name: str) -> PlanFileError:
    """The refusal reading `content` as a file named `name` raises."""
    with pytest.raises(PlanFileError) as caught:
        read_content(content, file_name=name)
    return caught.value


def rendered(kind: str, tasks: int, tmp_path: Path) -> bytes:
    """A generated plan of `tasks` tasks as a .docx, .xlsx or .pdf."""
    path = tmp_path / f"plan.{kind}"
    WRITERS[kind](plan_of_size(tasks), path)
    return path.read_bytes()


def repeated_word_rows(times: int) -> bytes:
    """The seed-002 .docx fixture with its task table's rows repeated `times` times over."""
    document = docx.Document(str(FIXTURES / "seed-002.docx"))
    table = max(document.tables, key=lambda table: len(table.rows))._tbl
    rows = table.tr_lst[1:]
    for _ in range(times - 1):
        for row in rows:
            table.append(copy.deepcopy(row))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_a_stream_followed_by_its_end_of_line_is_counted_to_its_end() -> None:
    # More than one chunk of output, then the usual end of line before `endstream`: this used
    # to loop for ever.
    body = zlib.compress(bytes(range(256)) * 8192)  # 2 MiB inflated
    data = pdf_with_stream(b"/Filter /FlateDecode", body)
    done = threading.Event()

    def count() -> None:
        check_pdf_streams(data, file_name="plan.pdf")
        done.set()

    threading.Thread(target=count, daemon=True).start()
    assert done.wait(10), "check_pdf_streams did not return"
    assert inflated_size(body + b"\n", [b"FlateDecode"], 1 << 30) == 256 * 8192


def test_a_plan_with_a_photo_a_logo_and_scanned_pages_imports(tmp_path: Path) -> None:
    photo = write_picture(tmp_path / "photo.png", width=800, height=800)
    scan = write_picture(tmp_path / "scan.png", width=1240, height=1754, mode="L")
    path = tmp_path / "plan.pdf"
    write_pdf(seed_tables()[0], path, logo=photo, scans=[photo, scan, scan])
    document = read_content(path.read_bytes(), file_name=path.name)
    assert document.tables


@pytest.mark.parametrize(
    ("filters", "encode"),
    [
        (b"/Filter /RunLengthDecode", lambda raw: b"\x81\x00" * (len(raw) // 128) + b"\x80"),
        (b"/Filter /ASCIIHexDecode", lambda raw: raw.hex().encode() + b">"),
        (
            b"/Filter [/ASCIIHexDecode /FlateDecode]",
            lambda raw: zlib.compress(raw).hex().encode() + b">",
        ),
        (b"/Filter /Fl", zlib.compress),
    ],
    ids=["run-length", "hex", "hex-then-flate", "short-name"],
)
def test_every_filter_is_counted(filters: bytes, encode: object) -> None:
    assert callable(encode)
    raw = b"\x00" * (9 * 1024 * 1024)  # past one parsed stream's 8 MiB
    data = pdf_with_stream(filters, encode(raw))
    with pytest.raises(SuspiciousArchive):
        check_pdf_streams(data, file_name="plan.pdf")


def test_a_large_picture_passes_where_a_page_stream_would_not() -> None:
    body = zlib.compress(b"\x80" * (20 * 1024 * 1024))
    check_pdf_streams(
        pdf_with_stream(b"/Subtype /Image /Filter /FlateDecode", body), file_name="a"
    )
    with pytest.raises(SuspiciousArchive):
        check_pdf_streams(pdf_with_stream(b"/Filter /FlateDecode", body), file_name="a")


def test_a_pdf_with_more_pages_than_the_budget_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("plans.readers.pdf.MAX_PAGES", 1)
    error = refusal_of((FIXTURES / "seed-002.pdf").read_bytes(), "plan.pdf")
    assert isinstance(error, TooManyPages)
    assert error.params["limit"] == 1


def test_a_word_cell_spanning_a_thousand_columns_is_refused() -> None:
    document = docx.Document()
    table = document.add_table(rows=3, cols=2)
    span = table.rows[0].cells[0]._tc.get_or_add_tcPr()
    grid_span = span.makeelement(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}gridSpan",
        {"{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val": "1000"},
    )
    span.append(grid_span)
    buffer = io.BytesIO()
    document.save(buffer)
    assert isinstance(refusal_of(buffer.getvalue(), "plan.docx"), TableTooLarge)


def test_tables_nested_deeper_than_the_budget_are_refused() -> None:
    document = docx.Document()
    cell = document.add_table(rows=1, cols=1).cell(0, 0)
    for _ in range(10):
        cell = cell.add_table(rows=1, cols=1).cell(0, 0)
    cell.text = "STT"
    buffer = io.BytesIO()
    document.save(buffer)
    assert isinstance(refusal_of(buffer.getvalue(), "plan.docx"), TableTooLarge)


def test_word_tables_past_the_cell_budget_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("plans.readers.word.MAX_TABLE_CELLS", 200)
    content = (FIXTURES / "seed-002.docx").read_bytes()
    assert isinstance(refusal_of(content, "plan.docx"), TableTooLarge)


def test_a_sheet_filled_past_the_row_budget_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("plans.readers.excel.MAX_ROWS", 50)
    assert isinstance(refusal_of(rendered("xlsx", 100, tmp_path), "plan.xlsx"), TableTooLarge)


def test_empty_formatted_rows_below_a_sheet_do_not_count() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in (("STT", "Nội dung", "Chủ trì", "Thời gian"), ("1", "Việc", "Văn phòng", "Quý II")):
        sheet.append(row)
    sheet.cell(row=30_000, column=1).number_format = "0.00"
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_content(buffer.getvalue(), file_name="plan.xlsx").tables


def test_merged_ranges_past_the_budget_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(("STT", "Nội dung", "Chủ trì", "Thời gian"))
    for row in range(2, 60):
        sheet.append((str(row - 1), "Việc", "Văn phòng", "Quý II"))
        sheet.merge_cells(start_row=row, start_column=3, end_row=row, end_column=4)
    buffer = io.BytesIO()
    workbook.save(buffer)
    monkeypatch.setattr("plans.readers.excel.MAX_MERGED_RANGES", 20)
    assert isinstance(refusal_of(buffer.getvalue(), "plan.xlsx"), TableTooLarge)
    monkeypatch.setattr("plans.readers.excel.MAX_MERGED_RANGES", 100)
    monkeypatch.setattr("plans.readers.excel.MAX_TABLE_CELLS", 50)
    assert isinstance(refusal_of(buffer.getvalue(), "plan.xlsx"), TableTooLarge)


def test_text_past_the_budget_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("plans.readers.MAX_TEXT_CHARS", 1000)
    error = refusal_of(("Kế hoạch số 1/KH-UBND\n" * 100).encode(), "plan.txt")
    assert isinstance(error, TextTooLong)


def test_a_sheet_five_times_the_seeds_reads_within_the_budget(tmp_path: Path) -> None:
    document = read_content(rendered("xlsx", 250, tmp_path), file_name="plan.xlsx")
    assert sum(len(table) for table in document.tables) > 250


def test_a_word_table_five_times_the_seeds_reads_within_the_budget() -> None:
    document = read_content(repeated_word_rows(5), file_name="plan.docx")
    assert max(len(table) for table in document.tables) > 250
