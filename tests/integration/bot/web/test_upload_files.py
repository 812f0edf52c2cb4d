"""An uploaded plan is read from memory: the upload leaves no file behind, large or refused."""

import tempfile
from pathlib import Path

import pytest

from plans.isolation import read_in_child
from tests.integration.bot.web.conftest import Browser
from tests.support.plan_fixtures import FIXTURES
from tests.support.ward import Ward


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("ke-hoach.pdf", (FIXTURES / "seed-002.pdf").read_bytes() + b"\n%" + b"x" * (2 << 20)),
        ("hong.docx", b"PK\x03\x04 not a zip"),
    ],
    ids=["a plan past the spooling size", "a refused file"],
)
async def test_an_upload_leaves_no_temporary_file(
    browser: Browser,
    ward: Ward,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
) -> None:
    # The reading processes' fork server keeps its socket in a folder of its own: started first.
    read_in_child((FIXTURES / "seed-000.xlsx").read_bytes(), file_name="seed-000.xlsx")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    await browser.sign_in(ward.admin)

    answer = await browser.post(
        "/admin/import", files={"file": (name, content, "application/pdf")}
    )

    assert answer.status_code in (200, 303)
    assert list(temporary.iterdir()) == []
