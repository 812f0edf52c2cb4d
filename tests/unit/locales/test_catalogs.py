"""Every user-visible string has its Vietnamese translation, with the same placeholders."""

import string

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from locales import SUPPORTED, po_path, translate
from locales.catalogs import extract


def _catalog(locale: str) -> Catalog:
    with po_path(locale).open("rb") as po_file:
        return read_po(po_file, locale=locale, domain="dondoc")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


@pytest.fixture(scope="module")
def code_msgids() -> set[str]:
    return {m.id for m in extract() if isinstance(m.id, str) and m.id}


def test_every_msgid_in_the_code_is_in_every_catalogue(code_msgids: set[str]) -> None:
    for locale in SUPPORTED:
        known = {m.id for m in _catalog(locale) if m.id}
        missing = sorted(code_msgids - known)
        assert not missing, f"run `python -m locales.catalogs`; {locale} lacks {missing[:5]}"


def test_every_message_has_a_vietnamese_translation(code_msgids: set[str]) -> None:
    catalog = _catalog("vi")
    untranslated = sorted(
        m.id for m in catalog if m.id in code_msgids and (not m.string or m.fuzzy)
    )
    assert not untranslated, f"vi lacks (or has fuzzy) translations for {untranslated[:5]}"


def test_translations_keep_the_placeholders() -> None:
    for locale in SUPPORTED:
        for message in _catalog(locale):
            if isinstance(message.id, str) and isinstance(message.string, str) and message.string:
                assert _placeholders(message.string) == _placeholders(message.id), message.id


def test_translate_fills_params_and_falls_back_to_english() -> None:
    assert translate("vi", "There is no unit named {name}.", name="X") == (
        "Không có đơn vị nào tên X."
    )
    assert translate("en", "There is no unit named {name}.", name="X") == (
        "There is no unit named X."
    )
    assert translate("fr", "Stopped.") == "Stopped."
