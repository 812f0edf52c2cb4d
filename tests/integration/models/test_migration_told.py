"""Revision 0019 keeps on each occurrence the keys of the items told of it, so a scan after the
upgrade tells nothing told before it."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from models.migrate import upgrade
from tests.conftest import DATABASES
from tests.support.databases import empty_database

NOW = "2025-03-03 00:30:00+00:00"


@pytest.fixture(params=DATABASES)
def at_0018(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of each kind migrated up to the revision before the kept keys."""
    with empty_database(request, tmp_path) as engine:
        upgrade(engine, "0018")
        yield engine


def test_the_items_told_of_an_occurrence_become_its_kept_keys(at_0018: Engine) -> None:
    statements = [
        "INSERT INTO organization (id, name, created_at) VALUES (1, 'Phường', :now)",
        "INSERT INTO plan (id, organization_id, years, source_name, sha256, imported_at) "
        "VALUES (1, 1, '[]', 'a.txt', 'x', :now)",
        "INSERT INTO task (id, plan_id, kind, code, position, title, lead_text, "
        "coordinators_text, deadline_text, deadline_kind, status, progress, flags) VALUES "
        "(1, 1, 'task', '1', 1, 'Một', '', '', '', 'date', 'open', 0, '[]'), "
        "(2, 1, 'task', '2', 2, 'Hai', '', '', '', 'date', 'open', 0, '[]')",
        "INSERT INTO occurrence (id, task_id, due, status) VALUES "
        "(1, 1, '2025-03-03', 'open'), (2, 2, '2025-03-31', 'open')",
        "INSERT INTO reminderitem (id, organization_id, officer_id, occurrence_id, kind, moment,"
        " idempotency_key, data, created_at) VALUES"
        " (1, 1, 3, 1, 'overdue', :now, 'overdue:1:3:2025-03-06', '{}', :now),"
        " (2, 1, 1, 1, 'escalation', :now, 'escalation:1:1:2025-03-03', '{}', :now),"
        " (3, 1, 1, NULL, 'summary', :now, 'summary:chair:1:1:2025-03-03', '{}', :now)",
    ]
    with at_0018.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), {"now": NOW})
    upgrade(at_0018)
    with at_0018.connect() as connection:
        told = connection.execute(text("SELECT id, told FROM occurrence ORDER BY id")).all()
    assert [(row[0], row[1] and sorted(row[1].split())) for row in told] == [
        (1, ["escalation:1:1:2025-03-03", "overdue:1:3:2025-03-06"]),
        (2, None),
    ]
