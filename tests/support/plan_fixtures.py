"""The committed plan fixtures and their manifest: which file is which table, and the rows
each must import to.

`python -m tests.support.plan_fixtures` rewrites `tests/fixtures/plans/` (the files and
`manifest.json`) from the tables of `tests.support.plan_tables` (the seeds' tasks and the varied
examples), drawn in every format by `tests.support.plan_rendering`.
"""

import json
import sys
from collections.abc import Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Final

from plans.source import RawRow
from tests.support.plan_rendering import FORMATS, WRITERS
from tests.support.plan_tables import REPO_ROOT, PlanTable, all_tables

FIXTURES: Final = REPO_ROOT / "tests" / "fixtures" / "plans"
MANIFEST: Final = FIXTURES / "manifest.json"


def row_json(row: RawRow) -> dict[str, object]:
    """A RawRow as the manifest stores it."""
    data = asdict(row)
    data["problems"] = list(row.problems)
    return data


def row_from_json(data: dict[str, object]) -> RawRow:
    """A manifest row back as a RawRow."""
    problems = data.get("problems", [])
    assert isinstance(problems, list)
    fields = {key: value for key, value in data.items() if key != "problems"}
    return RawRow(**fields, problems=tuple(str(problem) for problem in problems))  # type: ignore[arg-type]


def write_fixtures(tables: Iterable[PlanTable], folder: Path) -> dict[str, object]:
    """Render every table in every format into `folder`; the manifest of what each must give.

    The manifest maps each file to its table, and each table to the RawRows it must import to.
    """
    folder.mkdir(parents=True, exist_ok=True)
    files: dict[str, str] = {}
    rows: dict[str, list[dict[str, object]]] = {}
    for table in tables:
        rows[table.name] = [row_json(row) for row in table.rows]
        for kind in FORMATS:
            name = f"{table.name}.{kind}"
            WRITERS[kind](table, folder / name)
            files[name] = table.name
    return {"files": files, "tables": rows}


def read_manifest(path: Path = MANIFEST) -> dict[str, tuple[RawRow, ...]]:
    """Each fixture file's name and the RawRows it must import to."""
    data = json.loads(path.read_text("utf-8"))
    tables = {
        name: tuple(row_from_json(row) for row in rows) for name, rows in data["tables"].items()
    }
    return {file: tables[table] for file, table in data["files"].items()}


def main() -> None:
    """Rewrite the committed fixtures and their manifest."""
    manifest = write_fixtures(all_tables(), FIXTURES)
    MANIFEST.write_text(json.dumps(manifest, ensure_ascii=False, indent=1) + "\n", "utf-8")
    sys.stdout.write(f"{len(read_manifest())} fixtures written to {FIXTURES}\n")


if __name__ == "__main__":
    main()
