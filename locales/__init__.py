"""The Babel catalogues (vi default, en) and the one way to read them.

Code marks user-visible English msgids with `N_` (a no-op that `pybabel extract -k N_` collects)
and renders them at the edge with `translate(locale, msgid, **params)`. Catalogues are read from
the `.po` files themselves, so what is committed is what is shown: no compiled `.mo` to go stale
(`locales.po` reads them, without Babel, whose reader costs every command a tenth of a second).
"""

from functools import cache
from gettext import NullTranslations
from pathlib import Path
from typing import Final

LOCALES_DIR: Final = Path(__file__).parent
DOMAIN: Final = "dondoc"
SUPPORTED: Final = ("vi", "en")
DEFAULT_LOCALE: Final = "vi"


def N_(msgid: str) -> str:  # noqa: N802 - the gettext convention pybabel looks for
    """Mark `msgid` for extraction; it is translated later, where it is shown."""
    return msgid


def po_path(locale: str) -> Path:
    """Where the catalogue of `locale` lives."""
    return LOCALES_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(locale: str) -> NullTranslations:
    """The catalogue of `locale` (cached), or pass-through English for an unknown one."""
    path = po_path(locale)
    if locale not in SUPPORTED or not path.exists():
        return NullTranslations()
    from locales.po import read_translations

    return read_translations(path.read_text("utf-8"))


def translate(locale: str, msgid: str, /, **params: object) -> str:
    """`msgid` in `locale`, its `{named}` placeholders filled from `params`."""
    text = translations(locale).gettext(msgid)
    return text.format(**params) if params else text


def translate_plural(locale: str, singular: str, plural: str, n: int, /, **params: object) -> str:
    """The plural form for `n` in `locale`; `n` is also available to the text as `{n}`."""
    text = translations(locale).ngettext(singular, plural, n)
    return text.format(n=n, **params)
