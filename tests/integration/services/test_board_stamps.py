"""Each organization's change stamp is raised by the database itself, in the writing
transaction, on a write to any table the dashboard reads, whoever writes (here: bare SQL, as no
use case would); only that organization's; and not by the scan moving the next reminder."""

from datetime import date

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from services.tracking.board_store import board_version
from tests.support.clock import FakeClock
from tests.support.ward import Ward

_TASKS = "(SELECT t.id FROM task t JOIN plan p ON p.id = t.plan_id WHERE p.organization_id = :org)"
_OCCURRENCES = f"(SELECT id FROM occurrence WHERE task_id IN {_TASKS})"
WRITES = {
    "organization": "UPDATE organization SET name = name || '.' WHERE id = :org",
    "plan": "UPDATE plan SET title = 'Kế hoạch sửa' WHERE organization_id = :org",
    "unit": "UPDATE unit SET name = name || '.' WHERE organization_id = :org",
    "unitalias": "DELETE FROM unitalias WHERE organization_id = :org",
    "officer": "UPDATE officer SET phone = '0900' WHERE organization_id = :org",
    "calendarday": "INSERT INTO calendarday (organization_id, day, working, reason)"
    " VALUES (:org, :day, FALSE, 'nghỉ bù')",
    "officerunit": "DELETE FROM officerunit"
    " WHERE officer_id IN (SELECT id FROM officer WHERE organization_id = :org)",
    "task": f"UPDATE task SET title = 'Việc sửa' WHERE id IN {_TASKS}",
    "planresponsibility": "INSERT INTO planresponsibility (plan_id, unit_id, position, duty)"
    " SELECT p.id, u.id, 1, 'Chủ trì' FROM plan p JOIN unit u"
    " ON u.organization_id = p.organization_id WHERE p.organization_id = :org",
    "occurrence": f"UPDATE occurrence SET status = 'done' WHERE id IN {_OCCURRENCES}",
    "taskassignment": f"UPDATE taskassignment SET progress = 50 WHERE task_id IN {_TASKS}",
    "taskevent": "INSERT INTO taskevent (task_id, kind, at, payload)"
    f" SELECT id, 'comment', CURRENT_TIMESTAMP, '{{}}' FROM task WHERE id IN {_TASKS}",
    "share": "INSERT INTO share (occurrence_id, assignment_id, status)"
    " SELECT o.id, a.id, 'open' FROM occurrence o JOIN taskassignment a ON a.task_id = o.task_id"
    f" WHERE o.task_id IN {_TASKS}",
}


@pytest.fixture
def wards(session: Session, clock: FakeClock) -> tuple[Ward, Ward]:
    """Two wards with a task each."""
    built = (Ward.build(session, clock), Ward.build(session, clock, name="Phường Đông Hải"))
    for ward in built:
        ward.task("1", "Rà soát hộ nghèo", due=date(2025, 3, 20))
    return built


def _versions(session: Session, *wards: Ward) -> list[int]:
    session.rollback()  # a new snapshot
    return [board_version(session, ward.org.id or 0) for ward in wards]


@pytest.mark.parametrize("table", sorted(WRITES))
def test_a_write_to_any_table_the_dashboard_reads_raises_its_ward_s_stamp(
    engine: Engine, session: Session, wards: tuple[Ward, Ward], table: str
) -> None:
    mine, other = wards
    before = _versions(session, mine, other)

    with engine.begin() as connection:
        written = connection.execute(
            text(WRITES[table]), {"org": mine.org.id, "day": date(2025, 5, 2)}
        )
        assert written.rowcount > 0

    after = _versions(session, mine, other)
    assert after[0] > before[0], table
    assert after[1] == before[1], table


def test_a_transaction_raises_the_stamp_it_commits_and_nothing_when_rolled_back(
    engine: Engine, session: Session, wards: tuple[Ward, Ward]
) -> None:
    mine, _ = wards
    (before,) = _versions(session, mine)
    with engine.connect() as connection:
        connection.execute(text(WRITES["task"]), {"org": mine.org.id})
        connection.rollback()
    assert _versions(session, mine) == [before]

    with engine.begin() as connection:
        connection.execute(text(WRITES["task"]), {"org": mine.org.id})
        connection.execute(text(WRITES["occurrence"]), {"org": mine.org.id})
    (after,) = _versions(session, mine)
    assert after > before


def test_the_scan_moving_the_next_reminder_and_a_new_password_raise_nothing(
    engine: Engine, session: Session, wards: tuple[Ward, Ward]
) -> None:
    mine, _ = wards
    before = _versions(session, mine)

    with engine.begin() as connection:
        connection.execute(
            text(
                f"UPDATE occurrence SET next_reminder_at = CURRENT_TIMESTAMP"
                f" WHERE id IN {_OCCURRENCES}"
            ),
            {"org": mine.org.id},
        )
        connection.execute(
            text("UPDATE officer SET password_hash = 'x' WHERE organization_id = :org"),
            {"org": mine.org.id},
        )

    assert _versions(session, mine) == before
