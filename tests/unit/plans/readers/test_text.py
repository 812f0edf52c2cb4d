"""Text plans: .txt in UTF-8 (with or without BOM) or UTF-16 with BOM, and pasted text."""

import codecs
from pathlib import Path

import pytest

from plans.readers import read_document, read_pasted
from plans.readers.errors import EmptyPastedText, UnknownPlanFormat
from tests.support.plan_tables import DATA_DIR

PLAN = "KẾ HOẠCH\r\nCải cách hành chính năm 2025\r\n1\tXây dựng kế hoạch\tCCVHXH\tQuý I/2025\r\n"
READ = "KẾ HOẠCH\nCải cách hành chính năm 2025\n1\tXây dựng kế hoạch\tCCVHXH\tQuý I/2025\n"


@pytest.mark.parametrize(
    "data",
    [
        PLAN.encode("utf-8"),
        codecs.BOM_UTF8 + PLAN.encode("utf-8"),
        codecs.BOM_UTF16_LE + PLAN.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + PLAN.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_text_file_is_read_in_its_encoding(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    document = read_document(path)
    assert (document.text, document.tables, document.kind) == (READ, (), "text")
    assert document.file_name == "plan.txt"


def test_decomposed_accents_are_composed(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes("Kế hoạch".encode().replace("ế".encode(), "ê\u0301".encode()))
    assert read_document(path).text == "Kế hoạch"


def test_seed_text_is_read_whole() -> None:
    seed = next((DATA_DIR / "seeds").glob("002_*.txt"))
    document = read_document(seed)
    assert document.text == seed.read_text("utf-8").replace("\r\n", "\n")
    assert document.tables == ()


def test_text_in_another_encoding_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes("Kế hoạch".encode("utf-16-le"))
    with pytest.raises(UnknownPlanFormat):
        read_document(path)


def test_pasted_text_is_a_text_document() -> None:
    document = read_pasted(PLAN)
    assert (document.text, document.kind, document.file_name) == (READ, "text", None)


def test_empty_paste_is_refused() -> None:
    with pytest.raises(EmptyPastedText):
        read_pasted(" \n\t ")
