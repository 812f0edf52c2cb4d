"""docs/architecture.md names, file by file, what the two main paths run through; the count is
the house's measure of how many modules a newcomer must read to follow one (issue #13). The
lists must stay true: a change that adds a file to a path says so in the doc."""

import re
from pathlib import Path

from tests.support.paths import REPO, measure

_LIST_ITEM = re.compile(
    r"^- (a reminder going out|a reply coming in) \((\d+)\): (.*?)(?=^- |^$)", re.M | re.S
)


def _documented() -> dict[str, tuple[int, set[str]]]:
    """Each path's count and files as the doc's "Now, file by file" list writes them: a name
    ending in "/" is the folder of the names after it; a name with a "/" is a whole path."""
    text = (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("Now, file by file:", 1)[1]
    found: dict[str, tuple[int, set[str]]] = {}
    for title, count, body in _LIST_ITEM.findall(section):
        folder, files = "", set()
        for name in re.findall(r"`([^`]+)`", body):
            if name.endswith("/"):
                folder = name
            elif "/" in name:
                files.add(name)
            else:
                files.add(folder + name)
        found[title] = (int(count), files)
    return found


def test_the_architecture_doc_names_every_file_each_path_runs_through() -> None:
    documented = _documented()
    measured = measure()
    assert set(documented) == set(measured) == {"a reminder going out", "a reply coming in"}
    for title, files in measured.items():
        count, named = documented[title]
        assert files == named, (title, sorted(files - named), sorted(named - files))
        assert len(files) == count, title
        assert all((Path(REPO) / name).is_file() for name in files)


def test_both_paths_are_shorter_than_before_the_house_keeping() -> None:
    """18 and 20 files at 100f3a6, measured by the same harness (docs/architecture.md)."""
    measured = measure()
    assert len(measured["a reminder going out"]) < 18
    assert len(measured["a reply coming in"]) < 20
