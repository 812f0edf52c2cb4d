"""dondoc's own `.po` reader says what Babel's reader and `.mo` writer say."""

import io
from gettext import GNUTranslations

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from locales import SUPPORTED, po_path, read_translations, translate

ODD_CATALOG = r"""# a catalogue with every form dondoc's reader knows
msgid ""
msgstr ""
"Language: xx\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"
"Content-Type: text/plain; charset=utf-8\n"

#, python-brace-format
msgid "{n} task"
msgid_plural "{n} tasks"
msgstr[0] "{n} việc"
msgstr[1] ""

msgctxt "button"
msgid "Done"
msgstr "Xong"

msgid "Done"
msgstr "Đã xong"

#, fuzzy
msgid "Guessed"
msgstr "Đoán"

msgid "Untranslated"
msgstr ""

#| msgid "Old"
msgid ""
"Two "
"lines\n"
"with \"quotes\", a \\ and a\ttab"
msgstr ""
"Hai "
"dòng\n"
"có \"ngoặc\", một \\ và một\ttab"

#~ msgid "Obsolete"
#~ msgstr "Cũ"
"""


def _babel(text: str, locale: str) -> GNUTranslations:
    catalog: Catalog = read_po(io.BytesIO(text.encode("utf-8")), locale=locale, domain="dondoc")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return GNUTranslations(buffer)


def _messages(translations: GNUTranslations) -> dict[object, str]:
    catalog: dict[object, str] = translations._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in catalog.items() if key != ""}


@pytest.mark.parametrize("locale", SUPPORTED)
def test_the_shipped_catalogues_read_as_babel_reads_them(locale: str) -> None:
    text = po_path(locale).read_text("utf-8")
    ours, babels = read_translations(text), _babel(text, locale)
    assert _messages(ours) == _messages(babels)
    assert [ours.ngettext("a", "b", n) for n in range(4)] == [
        babels.ngettext("a", "b", n) for n in range(4)
    ]


def test_the_command_line_reads_the_vietnamese_catalogue() -> None:
    assert translate("vi", "Created the organization {name}.", name="X") == "Đã tạo tổ chức X."


def test_every_form_reads_as_babel_reads_it() -> None:
    ours, babels = read_translations(ODD_CATALOG), _babel(ODD_CATALOG, "en")
    assert _messages(ours) == _messages(babels)
    assert ours.ngettext("{n} task", "{n} tasks", 1) == "{n} việc"
    assert ours.ngettext("{n} task", "{n} tasks", 2) == "{n} tasks"  # empty form: the msgid
    assert ours.pgettext("button", "Done") == "Xong"
    assert ours.gettext("Done") == "Đã xong"
    assert ours.gettext("Guessed") == "Guessed"  # fuzzy: not shown
    assert ours.gettext("Untranslated") == "Untranslated"
    assert ours.gettext("Obsolete") == "Obsolete"
    assert ours.gettext('Two lines\nwith "quotes", a \\ and a\ttab') == (
        'Hai dòng\ncó "ngoặc", một \\ và một\ttab'
    )


def test_a_line_that_is_not_po_is_refused() -> None:
    with pytest.raises(ValueError, match=r"not a \.po line"):
        read_translations('msgid "a"\nmsgstr "b"\nnonsense "c"\n')
