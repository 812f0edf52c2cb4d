"""Keeping the catalogues in step with the code: extract every marked msgid, merge it into the
vi and en `.po` files (translations kept, new ones empty, obsolete ones dropped), and compile
each to the `.mo` beside it that commands load (`locales.load_catalogue`).

Run `python -m locales.catalogs` after adding or changing a user-visible string, then translate
the new `vi` entries; a test fails while any is missing.
"""

from collections.abc import Iterator
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po, write_po

from locales import SUPPORTED, po_path, write_compiled

ROOT = Path(__file__).resolve().parent.parent
SOURCE_PACKAGES = ("bot", "jobs", "models", "plans", "services", "reports", "dondoc")
KEYWORDS = {**DEFAULT_KEYWORDS, "N_": None}


def extract() -> Catalog:
    """Every msgid marked in the source packages, with where it is used."""
    catalog = Catalog(domain="dondoc", project="dondoc", charset="utf-8")
    for package in SOURCE_PACKAGES:
        folder = ROOT / package
        if not folder.is_dir():
            continue
        for filename, lineno, message, comments, context in _extract(folder):
            catalog.add(
                message,
                None,
                [(f"{package}/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def _extract(
    folder: Path,
) -> Iterator[tuple[str, int, str | tuple[str, ...], list[str], str | None]]:
    method_map = [
        ("**/migrations/**", "ignore"),
        ("**.py", "python"),
        ("**/templates/**.html", "jinja2.ext:babel_extract"),
        ("**.html", "ignore"),
    ]
    yield from extract_from_dir(
        str(folder), method_map=method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
    )


def update() -> dict[str, int]:
    """Merge the extracted template into every catalogue and compile it; return how many entries
    lack a translation, by locale."""
    template = extract()
    missing: dict[str, int] = {}
    for locale in SUPPORTED:
        path = po_path(locale)
        with path.open("rb") as po_file:
            catalog = read_po(po_file, locale=locale, domain="dondoc")
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        with path.open("wb") as po_file:
            write_po(
                po_file,
                catalog,
                width=99,
                sort_output=True,
                omit_header=False,
                include_lineno=False,
            )
        missing[locale] = sum(1 for m in catalog if m.id and not m.string)
        write_compiled(locale)
    return missing


if __name__ == "__main__":
    for name, count in update().items():
        print(f"{name}: {count} untranslated")  # noqa: T201
