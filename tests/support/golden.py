"""Comparing an import with its golden file field by field, as seeds/expected/SCHEMA.md says.

Strings are compared after NFC, with extraction markup (`<p>`, `</p>`, `<br>`) removed, a word
split after a line-end hyphen joined, and every run of whitespace collapsed to one space.
`python -m tests.support.golden` prints, for every seed, the fields matched and each difference.
"""

import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

_MARKUP = re.compile(r"</?p\s*>|<br\s*/?>", re.IGNORECASE)
_HYPHEN_BREAK = re.compile(r"(?<=\S-)[ \t]*\n\s*")
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """A string as the golden comparison sees it."""
    text = unicodedata.normalize("NFC", text)
    text = _MARKUP.sub(" ", text)
    text = _HYPHEN_BREAK.sub("", text)
    return _SPACES.sub(" ", text).strip()


@dataclass(frozen=True, slots=True)
class Difference:
    """One field that differs: its path (`tasks[3].deadline.due`) and both values."""

    path: str
    expected: object
    actual: object

    def describe(self) -> str:
        """One line for a failure message or a report."""
        return f"{self.path}: expected {self.expected!r}, got {self.actual!r}"


_MISSING = object()


def _same_scalar(actual: object, expected: object) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        return normalise(actual) == normalise(expected)
    return type(actual) is type(expected) and actual == expected


def field_differences(actual: object, expected: object, path: str = "") -> list[Difference]:
    """Every differing field of `actual` against `expected`, in document order."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        found: list[Difference] = []
        for key in [*expected, *(k for k in actual if k not in expected)]:
            sub = f"{path}.{key}" if path else str(key)
            got, want = actual.get(key, _MISSING), expected.get(key, _MISSING)
            if got is _MISSING or want is _MISSING:
                found.append(Difference(sub, _shown(want), _shown(got)))
            else:
                found.extend(field_differences(got, want, sub))
        return found
    if isinstance(expected, list) and isinstance(actual, list):
        found = []
        for index in range(max(len(expected), len(actual))):
            sub = f"{path}[{index}]"
            if index >= len(actual):
                found.append(Difference(sub, expected[index], "<missing>"))
            elif index >= len(expected):
                found.append(Difference(sub, "<missing>", actual[index]))
            else:
                found.extend(field_differences(actual[index], expected[index], sub))
        return found
    if _same_scalar(actual, expected):
        return []
    return [Difference(path or "<root>", expected, actual)]


def _shown(value: object) -> object:
    return "<missing>" if value is _MISSING else value


def count_fields(expected: object) -> int:
    """How many scalar fields `expected` holds (a measure for "fields matched / total")."""
    if isinstance(expected, dict):
        return sum(count_fields(value) for value in expected.values())
    if isinstance(expected, list):
        return sum(count_fields(value) for value in expected) or 1
    return 1


def assert_same_fields(actual: object, expected: object) -> None:
    """Fail naming the first differing field and both of its values, then every difference."""
    differences = field_differences(actual, expected)
    if differences:
        raise AssertionError(differences[0].describe() + "\n" + diff_report(actual, expected))


def diff_report(actual: object, expected: object) -> str:
    """Every difference, one per line and grouped by task, for a human reading a failed import."""
    differences = field_differences(actual, expected)
    total = count_fields(expected)
    if not differences:
        return f"all {total} fields match"
    lines = [f"{total - len(differences)} of {total} fields match; {len(differences)} differ:"]
    group = None
    for difference in differences:
        head = difference.path.split(".", 1)[0]
        if head != group:
            group = head
            lines.append(f"  {head}:")
        lines.append("    " + difference.describe())
    return "\n".join(lines)


def seed_reports(shared: Path) -> list[str]:
    """For every golden file under `shared`, how its seed imports: fields matched, differences."""
    from plans.importer import import_plan

    lines: list[str] = []
    for expected_path in sorted((shared / "seeds" / "expected").glob("[0-9][0-9][0-9].json")):
        seed = next((shared / "seeds").glob(f"{expected_path.stem}_*.txt"))
        expected = json.loads(expected_path.read_text("utf-8"))
        actual = import_plan(seed).to_json()
        tasks = f"tasks {len(_list(actual, 'tasks'))}/{len(_list(expected, 'tasks'))}"
        lines.append(f"{expected_path.stem}: {tasks}; {diff_report(actual, expected)}")
    return lines


def _list(data: object, key: str) -> list[object]:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, list) else []


if __name__ == "__main__":
    data_dir = Path(__file__).resolve().parents[2] / "tests" / "data"
    sys.stdout.write("\n".join(seed_reports(data_dir)) + "\n")
