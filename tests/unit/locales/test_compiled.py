"""The compiled catalogues: each `.mo` committed is its `.po` compiled, and a command shows what
the `.po` says even when the `.mo` beside it is stale, missing or broken."""

from pathlib import Path

import pytest

import locales
from locales import SUPPORTED, compile_catalogue, load_catalogue, mo_path, po_path

CATALOG = """msgid ""
msgstr ""
"Language: vi\\n"
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Nothing was stored."
msgstr "{said}"
"""


def _po(folder: Path, said: str) -> Path:
    path = folder / "dondoc.po"
    path.write_text(CATALOG.format(said=said), "utf-8")
    return path


@pytest.mark.parametrize("locale", SUPPORTED)
def test_the_committed_mo_is_its_po_compiled(locale: str) -> None:
    committed = mo_path(locale).read_bytes()
    assert committed == compile_catalogue(po_path(locale).read_bytes()), (
        f"{mo_path(locale)} is not {po_path(locale).name} compiled: "
        "run `python -m locales.catalogs`"
    )


def test_a_mo_compiled_from_the_po_as_it_is_is_what_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = _po(tmp_path, "Chưa lưu gì.")
    mo = tmp_path / "dondoc.mo"
    mo.write_bytes(compile_catalogue(po.read_bytes()))

    def not_read(text: str) -> None:
        raise AssertionError("the .po was read")

    monkeypatch.setattr(locales, "read_translations", not_read)
    assert load_catalogue(po, mo).gettext("Nothing was stored.") == "Chưa lưu gì."


def test_a_po_edited_since_its_mo_was_compiled_is_what_is_shown(tmp_path: Path) -> None:
    mo = tmp_path / "dondoc.mo"
    mo.write_bytes(compile_catalogue(_po(tmp_path, "Chưa lưu gì.").read_bytes()))
    po = _po(tmp_path, "Không có gì được lưu.")
    assert load_catalogue(po, mo).gettext("Nothing was stored.") == "Không có gì được lưu."


@pytest.mark.parametrize("content", [None, b"", b"not a catalogue at all"])
def test_without_a_good_mo_the_po_is_read(tmp_path: Path, content: bytes | None) -> None:
    po = _po(tmp_path, "Chưa lưu gì.")
    mo = tmp_path / "dondoc.mo"
    if content is not None:
        mo.write_bytes(content)
    assert load_catalogue(po, mo).gettext("Nothing was stored.") == "Chưa lưu gì."


def test_the_compiled_catalogue_says_what_the_po_says() -> None:
    for locale in SUPPORTED:
        compiled = load_catalogue(po_path(locale), mo_path(locale))
        read = locales.read_translations(po_path(locale).read_text("utf-8"))
        assert compiled.info().get(locales.SOURCE_DIGEST.lower())  # it was the .mo
        ours = {k: v for k, v in compiled._catalog.items() if k}  # type: ignore[attr-defined]
        theirs = {k: v for k, v in read._catalog.items() if k}  # type: ignore[attr-defined]
        assert ours == theirs
