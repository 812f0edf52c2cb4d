"""The repository stands alone: none of its files (code, tests, documents) points at a folder
beside it, such as the design folder the project began from."""

import re
from pathlib import Path

THIS = Path(__file__).resolve()
REPO = THIS.parents[3]
SKIPPED = {".git", ".venv", "node_modules", "__pycache__", ".mypy_cache", ".ruff_cache"}
SUFFIXES = {".py", ".sh", ".md", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".txt", ".json"}
OUTSIDE = re.compile(r"(?<![\w/.-])(?:\.\./shared|shared/(?:spec|DESIGN\.md|STYLE\.md)|/work/)")


def _files() -> list[Path]:
    found = []
    for path in REPO.rglob("*"):
        relative = path.relative_to(REPO)
        if SKIPPED.intersection(relative.parts) or not path.is_file() or path == THIS:
            continue
        if path.suffix in SUFFIXES or path.parent.name == "scripts":
            found.append(path)
    return found


def test_no_file_points_outside_the_repository() -> None:
    files = _files()
    assert len(files) > 100
    pointing = [
        f"{path.relative_to(REPO)}:{number}: {line.strip()}"
        for path in files
        for number, line in enumerate(
            path.read_text("utf-8", errors="replace").splitlines(), start=1
        )
        if OUTSIDE.search(line)
    ]
    assert pointing == []
