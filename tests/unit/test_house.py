"""The house rules a reader relies on, checked over the repository's own Python files: modules fit
in a head (at most 500 lines, migrations aside), and the time zone is named once, as the
setting's default."""

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
