"""Revision 0006 moves existing tasks onto shares without losing anything: "all units" becomes
one lead per body unit, every occurrence gets one share per lead in its own state."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from models.migrate import upgrade
from tests.conftest import DATABASES
from tests.support.databases import empty_database

NOW = "2025-03-03 01:00:00+00:00"


@pytest.fixture(params=DATABASES)
def at_0005(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A database of each kind migrated up to the revision before shares."""
    with empty_database(request, tmp_path) as engine:
        upgrade(engine, "0006")
        yield engine


def _fill(engine: Engine) -> None:
    statements = [
        "INSERT INTO organization (id, name, created_at) VALUES (1, 'Phường', :now)",
        "INSERT INTO unit (id, organization_id, name, kind, external) VALUES "
        "(1, 1, 'Văn hóa', 'body', false), (2, 1, 'Địa chính', 'body', false), "
        "(3, 1, 'Công an tỉnh', 'body', true), (4, 1, '@all', 'all', false)",
        "INSERT INTO officer (id, organization_id, name, role, created_at) "
        "VALUES (1, 1, 'Lan', 'chair', :now)",
        "INSERT INTO plan (id, organization_id, years, source_name, sha256, imported_at) "
        "VALUES (1, 1, '[]', 'a.txt', 'x', :now)",
        "INSERT INTO task (id, plan_id, kind, code, position, title, lead_text, "
        "coordinators_text, deadline_text, deadline_kind, status, progress, flags) VALUES "
        "(1, 1, 'task', '1', 1, 'Mọi đơn vị', '@all', '', '', 'date', 'done', 100, '[]'), "
        "(2, 1, 'task', '2', 2, 'Hai đơn vị', 'VH, ĐC', '', '', 'date', 'blocked', 30, '[]')",
        "INSERT INTO taskassignment (id, task_id, unit_id, role) VALUES "
        "(1, 1, 4, 'lead'), (2, 2, 1, 'lead'), (3, 2, 2, 'lead'), (4, 2, 4, 'coordinator')",
        "INSERT INTO occurrence (id, task_id, due, status, done_at) VALUES "
        "(1, 1, '2025-03-10', 'done', :now), (2, 2, '2025-03-31', 'blocked', NULL)",
        "INSERT INTO taskevent (id, task_id, occurrence_id, kind, at, payload) VALUES "
        "(1, 1, 1, 'done', :now, '{}')",
        "INSERT INTO actiontoken (token, organization_id, officer_id, subject, event_id, data, "
        "created_at, expires_at) VALUES ('tok', 1, 1, 'extension', 1, '{}', :now, :now)",
    ]
    with engine.begin() as connection:
        for statement in statements:
            connection.execute(text(statement), {"now": NOW})
        if engine.dialect.name == "postgresql":
            for table in (
                "organization",
                "officer",
                "unit",
                "plan",
                "task",
                "taskassignment",
                "occurrence",
            ):
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT max(id) FROM {table}))"
                    )
                )


def test_existing_tasks_move_onto_shares(at_0005: Engine) -> None:
    _fill(at_0005)
    upgrade(at_0005)
    with at_0005.connect() as connection:
        leads = connection.execute(
            text(
                "SELECT task_id, unit_id, status, expanded, done_at IS NOT NULL "
                "FROM taskassignment WHERE role = 'lead' ORDER BY task_id, unit_id"
            )
        ).all()
        shares = connection.execute(
            text(
                "SELECT s.occurrence_id, a.unit_id, s.status, s.done_at IS NOT NULL "
                "FROM share s JOIN taskassignment a ON a.id = s.assignment_id "
                "ORDER BY s.occurrence_id, a.unit_id"
            )
        ).all()
        coordinators = connection.execute(
            text("SELECT task_id, unit_id FROM taskassignment WHERE role = 'coordinator'")
        ).all()
        events = connection.execute(text("SELECT count(*) FROM taskevent")).scalar_one()
        tokens = connection.execute(text("SELECT count(*) FROM actiontoken")).scalar_one()
    assert [tuple(row) for row in leads] == [
        (1, 1, "done", True, True),
        (1, 2, "done", True, True),
        (2, 1, "blocked", False, False),
        (2, 2, "blocked", False, False),
    ]
    assert [tuple(row) for row in shares] == [
        (1, 1, "done", True),
        (1, 2, "done", True),
        (2, 1, "blocked", False),
        (2, 2, "blocked", False),
    ]
    assert [tuple(row) for row in coordinators] == [(2, 4)]  # coordinators stay as they were
    assert (events, tokens) == (1, 1)
