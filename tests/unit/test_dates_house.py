"""A house rule: dates and times are written in the reader's language, by `locales` (issue #13).
Outside `locales/` (the formatters) and `reports/` (files in the plan's own Vietnamese format, on
purpose), no code writes one by hand with `strftime`, and none calls a formatter without saying
in which locale: a message takes the day or moment as a param and `translate` writes it for
whoever reads it; the command line passes `cli.locale`."""

import ast

from tests.unit.test_house import REPO, _sources

_OWN_FORMAT = ("locales", "reports")
_EXEMPT = {
    "plans/readers/excel.py": "a spreadsheet's dates as the plan's text, for the deadline reader",
}
_FORMATTERS = {"format_day", "format_moment", "format_clock"}


def _by_hand(tree: ast.AST) -> list[tuple[int, str]]:
    """Where `tree` writes a date itself: a `strftime` call, or a formatter called without a
    `locale` keyword."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        called = node.func
        name = called.attr if isinstance(called, ast.Attribute) else getattr(called, "id", "")
        if name == "strftime":
            found.append((node.lineno, "strftime"))
        elif name in _FORMATTERS and not any(k.arg in ("locale", None) for k in node.keywords):
            found.append((node.lineno, name))
    return found


def test_the_rule_sees_dates_written_by_hand() -> None:
    tree = ast.parse(
        "a = due.strftime('%d/%m')\n"
        "b = format_day(due)\n"
        "c = locales.format_moment(at, zone)\n"
        "d = format_day(due, locale=cli.locale)\n"
        "e = format_moment(at, zone, **where)\n"
    )
    assert _by_hand(tree) == [(1, "strftime"), (2, "format_day"), (3, "format_moment")]


def test_dates_are_written_in_the_reader_s_locale() -> None:
    found = []
    for path in _sources():
        name = str(path.relative_to(REPO))
        if path.relative_to(REPO).parts[0] in (*_OWN_FORMAT, "tests") or name in _EXEMPT:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found += [f"{name}:{line} {what}" for line, what in _by_hand(tree)]
    assert found == [], "give the date as a message param, or pass the reader's locale"
