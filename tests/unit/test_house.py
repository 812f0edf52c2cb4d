"""The house rules a reader relies on, checked over the repository's own Python files: modules fit
in a head (at most 500 lines, migrations aside), the time zone is named once, as the
setting's default, and each thing is done one way."""

import re
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LONGEST = 500
ZONE = "Asia/Ho_Chi_Minh"


def _sources() -> list[Path]:
    skipped = {".venv", ".git", "node_modules", "migrations"}
    return sorted(
        path
        for path in REPO.rglob("*.py")
        if not skipped.intersection(path.relative_to(REPO).parts)
    )


def test_the_sources_are_found() -> None:
    names = {str(path.relative_to(REPO)) for path in _sources()}
    assert "services/reminding/reminders.py" in names
    assert not any("/migrations/" in name for name in names)


def test_no_module_is_over_500_lines() -> None:
    long = {
        str(path.relative_to(REPO)): lines
        for path in _sources()
        if (lines := path.read_text(encoding="utf-8").count("\n")) > LONGEST
    }
    assert long == {}, "split these on a seam"


def test_the_zone_is_named_only_as_the_settings_default() -> None:
    naming = [
        str(path.relative_to(REPO))
        for path in _sources()
        if ZONE in path.read_text(encoding="utf-8")
        and path.relative_to(REPO) != Path("tests/unit/test_house.py")
    ]
    assert naming == ["dondoc/settings.py"]


_PRODUCT = ("bot", "dondoc", "jobs", "locales", "models", "plans", "reports", "services")
_CLOSED_SPELLED = re.compile(
    r"[(\[{][^()\[\]{}]*TaskStatus\.(DONE|CANCELLED)\b[^()\[\]{}]*"
    r"TaskStatus\.(?!\1)(DONE|CANCELLED)\b[^()\[\]{}]*[)\]}]"
)


def _product() -> list[Path]:
    return [path for path in _sources() if path.relative_to(REPO).parts[0] in _PRODUCT]


def _product_spelling(pattern: re.Pattern[str]) -> list[str]:
    return [
        str(path.relative_to(REPO))
        for path in _product()
        if pattern.search(path.read_text(encoding="utf-8"))
    ]


def test_done_or_cancelled_is_spelled_once() -> None:
    assert _CLOSED_SPELLED.search("status in (TaskStatus.CANCELLED, TaskStatus.DONE)")
    assert _CLOSED_SPELLED.search("not_in([\n    TaskStatus.DONE,\n    TaskStatus.CANCELLED,\n])")
    assert not _CLOSED_SPELLED.search("TaskStatus.DONE if (done) else TaskStatus.CANCELLED")
    assert _product_spelling(_CLOSED_SPELLED) == ["models/enums.py"], "use CLOSED_STATUSES"


def _defining(pattern: str) -> list[str]:
    return _product_spelling(re.compile(pattern, re.MULTILINE))


def test_text_is_folded_in_one_module() -> None:
    assert _defining(r"^def fold\(") == ["plans/folding.py"]
    assert _defining(r"normalize\(\s*[\"']NFK?D[\"']") == ["plans/folding.py"], "accents"
    assert _defining(r"^class \w+\(dict\[int, str\]\)") == ["plans/folding.py"], "tables"


def test_roman_numerals_and_quarters_are_read_in_one_module() -> None:
    assert _defining(r"[\"']iv[\"']\s*:\s*4") == ["plans/roman.py"]
    assert _defining(r"quy \(") == ["plans/roman.py"]


def test_no_two_public_classes_share_a_name() -> None:
    where: defaultdict[str, list[str]] = defaultdict(list)
    for path in _product():
        text = path.read_text(encoding="utf-8")
        for name in re.findall(r"^class ([A-Z]\w*)", text, re.MULTILINE):
            where[name].append(str(path.relative_to(REPO)))
    assert "TaskStatus" in where
    assert {name: paths for name, paths in where.items() if len(paths) > 1} == {}
