"""Bad plan files are refused with one clear PlanFileError each, and nothing is written."""

import contextlib
import io
import random
import zipfile
import zlib
from pathlib import Path

import docx
import matplotlib
import pytest
from fpdf import FPDF

from plans.readers import MAX_FILE_BYTES, NoTaskTable, PlanFileError, read_document
from plans.readers.errors import (
    CorruptPlanFile,
    EmptyPlanFile,
    EncryptedPlanFile,
    FileProblem,
    LegacyOfficeFormat,
    LegacyVietnameseEncoding,
    PlanFileTooLarge,
    PlanRefusal,
    ScannedPlanFile,
    SuspiciousArchive,
    UnknownPlanFormat,
)
from plans.readers.legacy import is_legacy_vietnamese
from plans.readers.pdf_streams import check_pdf_streams
from plans.readers.sniff import CFB_MAGIC, check_archive
from tests.support.plan_fixtures import FIXTURES
from tests.support.plan_tables import DATA_DIR

FONT = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    """A file named `name` in `tmp_path` holding `data`."""
    path = tmp_path / name
    path.write_bytes(data)
    return path


def zipped(members: dict[str, bytes]) -> bytes:
    """A deflated zip archive of `members`."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def refusal(path: Path) -> PlanFileError:
    """The error reading `path` raises."""
    with pytest.raises(PlanFileError) as caught:
        read_document(path)
    return caught.value


@pytest.mark.parametrize("name", ["plan.docx", "plan.xlsx", "plan.pdf", "plan.txt", "plan"])
def test_empty_file_is_refused(tmp_path: Path, name: str) -> None:
    assert isinstance(refusal(write(tmp_path, name, b"")), EmptyPlanFile)


def test_blank_text_file_is_refused(tmp_path: Path) -> None:
    assert isinstance(
        refusal(write(tmp_path, "plan.txt", b"\xef\xbb\xbf \r\n\t\n")), EmptyPlanFile
    )


def test_docx_without_content_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    docx.Document().save(str(path))
    assert isinstance(refusal(path), EmptyPlanFile)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.docx", b"PK\x03\x04" + b"\x00garbage" * 100),
        ("plan.docx", zipped({"[Content_Types].xml": b"<Types", "word/document.xml": b"<w:"})),
        ("plan.xlsx", zipped({"[Content_Types].xml": b"<Types", "xl/workbook.xml": b"<x"})),
        ("plan.pdf", b"%PDF-1.7\n" + b"\x00\x01 not a pdf " * 50),
        ("plan.pdf", (FIXTURES / "varied-merged.pdf").read_bytes()[:3000]),
        ("plan.docx", bytes(range(256)) * 10),
        ("plan.xlsx", zipped({"readme.txt": b"hello"})),
    ],
    ids=[
        "docx-bad-zip",
        "docx-bad-xml",
        "xlsx-bad-xml",
        "pdf-garbage",
        "pdf-truncated",
        "docx-random-bytes",
        "xlsx-other-zip",
    ],
)
def test_corrupt_file_is_refused(tmp_path: Path, name: str, data: bytes) -> None:
    assert isinstance(refusal(write(tmp_path, name, data)), CorruptPlanFile)


@pytest.mark.parametrize("name", ["plan.docx", "plan.xlsx", "plan.docm"])
def test_password_protected_office_file_is_refused(tmp_path: Path, name: str) -> None:
    # Office saves a protected .docx/.xlsx as an OLE compound file holding the encrypted package.
    assert isinstance(
        refusal(write(tmp_path, name, CFB_MAGIC + b"\x00" * 1024)), EncryptedPlanFile
    )


def test_protected_office_file_is_recognised_whatever_its_name(tmp_path: Path) -> None:
    data = CFB_MAGIC + b"\x00" * 512 + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 512
    assert isinstance(refusal(write(tmp_path, "ke-hoach", data)), EncryptedPlanFile)


def test_old_word_file_is_refused_with_a_hint(tmp_path: Path) -> None:
    error = refusal(write(tmp_path, "plan.doc", CFB_MAGIC + b"\x00" * 1024))
    assert isinstance(error, LegacyOfficeFormat)
    assert ".docx" in str(error)


def test_password_protected_pdf_is_refused(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_font("DejaVu", fname=str(FONT))
    pdf.set_font("DejaVu", size=9)
    pdf.set_encryption(owner_password="chu-tich", user_password="mat-khau")
    pdf.add_page()
    pdf.cell(text="KẾ HOẠCH")
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    assert isinstance(refusal(path), EncryptedPlanFile)


def test_scanned_pdf_is_refused(tmp_path: Path) -> None:
    from PIL import Image

    scan = tmp_path / "scan.png"
    Image.new("L", (200, 280), color=230).save(scan)
    pdf = FPDF()
    pdf.add_page()
    pdf.image(str(scan), x=10, y=10, w=190)
    path = tmp_path / "plan.pdf"
    pdf.output(str(path))
    assert isinstance(refusal(path), ScannedPlanFile)


def test_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    path = tmp_path / "plan.docx"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written to disk
    error = refusal(path)
    assert isinstance(error, PlanFileTooLarge)
    assert error.params == {"file_name": "plan.docx", "limit_mb": 20}


@pytest.mark.parametrize(
    ("name", "part"), [("plan.docx", "word/document.xml"), ("plan.xlsx", "xl/workbook.xml")]
)
def test_zip_bomb_is_refused_before_any_library_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, part: str
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        pytest.fail("the library was handed a zip bomb")

    monkeypatch.setattr(docx, "Document", fail)
    monkeypatch.setattr("openpyxl.load_workbook", fail)
    path = tmp_path / name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        with archive.open(part, "w") as member:
            for _ in range(40):
                member.write(b"\x00" * (1 << 20))
    assert path.stat().st_size < 200_000
    assert isinstance(refusal(path), SuspiciousArchive)


def test_archive_unpacking_to_too_much_is_refused() -> None:
    with zipfile.ZipFile(FIXTURES / "seed-002.docx") as archive:
        check_archive(archive, file_name="seed-002.docx")
        with pytest.raises(SuspiciousArchive):
            check_archive(archive, file_name="seed-002.docx", max_unpacked=10_000)
        with pytest.raises(SuspiciousArchive):
            check_archive(archive, file_name="seed-002.docx", max_xml=10_000)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100),
        ("plan.zip", zipped({"a.txt": b"hello"})),
        ("plan.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.text"})),
        ("plan", b"\x00\x01\x02\x03" * 100),
    ],
    ids=["png", "zip", "odt", "binary"],
)
def test_unknown_format_is_refused(tmp_path: Path, name: str, data: bytes) -> None:
    error = refusal(write(tmp_path, name, data))
    assert isinstance(error, UnknownPlanFormat)
    assert error.problem is FileProblem.UNKNOWN_FORMAT


def test_reading_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("seed-000.docx", "seed-000.xlsx", "seed-000.pdf"):
        write(folder, name, (FIXTURES / name).read_bytes())
    write(folder, "bad.docx", CFB_MAGIC)
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    for path in sorted(folder.iterdir()):
        with contextlib.suppress(PlanFileError):
            read_document(path)
    assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == before


def test_no_task_table_is_a_plan_file_error_for_the_importer_to_raise() -> None:
    error = NoTaskTable(file_name="ke-hoach.docx")
    assert isinstance(error, PlanFileError)
    assert isinstance(error, PlanRefusal)
    assert error.problem is FileProblem.NO_TASK_TABLE
    assert str(error) == error.msgid.format(file_name="ke-hoach.docx")


def test_every_refusal_names_the_file() -> None:
    refusals = [
        EmptyPlanFile,
        CorruptPlanFile,
        EncryptedPlanFile,
        SuspiciousArchive,
        UnknownPlanFormat,
        LegacyOfficeFormat,
        ScannedPlanFile,
        LegacyVietnameseEncoding,
        NoTaskTable,
    ]
    for refusal_class in refusals:
        assert "ke-hoach.pdf" in str(refusal_class(file_name="ke-hoach.pdf"))
    assert len({refusal_class.problem for refusal_class in refusals}) == len(refusals)


@pytest.mark.parametrize("name", ["varied-merged.docx", "varied-merged.xlsx", "varied-merged.pdf"])
def test_damaged_copies_read_or_are_refused_but_never_crash(tmp_path: Path, name: str) -> None:
    original = (FIXTURES / name).read_bytes()
    chance = random.Random(name)
    path = tmp_path / name
    for _ in range(25):
        data = bytearray(original)
        start = chance.randrange(len(data))
        if chance.random() < 0.3:
            del data[start:]
        else:
            data[start : start + 64] = chance.randbytes(64)
        path.write_bytes(bytes(data))
        with contextlib.suppress(PlanFileError):
            read_document(path)


def test_macro_enabled_word_file_is_refused_as_unknown(tmp_path: Path) -> None:
    source = tmp_path / "source.docx"
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    document.save(str(source))
    path = tmp_path / "plan.docm"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as copy:
        for item in original.infolist():
            data = original.read(item)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main",
                    b"application/vnd.ms-word.document.macroEnabled.main",
                )
            copy.writestr(item, data)
    assert isinstance(refusal(path), UnknownPlanFormat)


TCVN3 = "KÕ ho¹ch c¶i c¸ch hµnh chÝnh ph­êng B¾c S¬n n¨m 2025. TriÓn khai thùc hiÖn c¸c nhiÖm vô."
VNI = "Keá hoaïch caûi caùch haønh chính phöôøng Baéc Sôn naêm 2025. Trieån khai thöïc hieän."


@pytest.mark.parametrize("text", [TCVN3, VNI], ids=["tcvn3", "vni"])
def test_text_in_an_old_vietnamese_encoding_is_refused(tmp_path: Path, text: str) -> None:
    error = refusal(write(tmp_path, "plan.txt", text.encode()))
    assert isinstance(error, LegacyVietnameseEncoding)


def test_old_encoding_in_a_word_table_is_refused(tmp_path: Path) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "STT"
    table.cell(0, 1).text = "Néi dung"
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = TCVN3
    path = tmp_path / "plan.docx"
    document.save(str(path))
    assert isinstance(refusal(path), LegacyVietnameseEncoding)


@pytest.mark.parametrize("seed", sorted((DATA_DIR / "seeds").glob("*.txt")), ids=lambda p: p.stem)
def test_unicode_vietnamese_is_not_taken_for_an_old_encoding(seed: Path) -> None:
    assert not is_legacy_vietnamese(seed.read_text("utf-8"))


def test_pdf_decompression_bomb_is_refused_before_pdfminer_opens_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*args: object, **kwargs: object) -> None:
        pytest.fail("pdfminer was handed a decompression bomb")

    monkeypatch.setattr("pdfplumber.open", fail)
    monkeypatch.setattr("plans.readers.budget.MAX_PDF_UNPACKED_BYTES", 8 * 1024 * 1024)
    bomb = zlib.compress(b"\x00" * (16 * 1024 * 1024))
    data = (
        b"%PDF-1.4\n"
        + b"1 0 obj\n<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(bomb)
        + bomb
        + b"\nendstream\nendobj\n%%EOF\n"
    )
    assert isinstance(refusal(write(tmp_path, "plan.pdf", data)), SuspiciousArchive)


def test_pdf_streams_within_the_limit_pass() -> None:
    data = (FIXTURES / "seed-002.pdf").read_bytes()
    check_pdf_streams(data, file_name="seed-002.pdf")
    with pytest.raises(SuspiciousArchive):
        check_pdf_streams(data, file_name="seed-002.pdf", max_unpacked=1000)
