"""Building the digests of 10,000 officers at one moment: the scan that bundles their items
into one outbox row each (on PostgreSQL), and rendering those digests into the messages sent.

Each officer leads three tasks due at the same moment (a reminder, two overdue notices): 30,000
items become 10,000 digests. Run as `python bench/digest.py` from the repository root.
"""

import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

from sqlalchemy import text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from models.db import make_engine  # noqa: E402
from services.messages import Digest, render_digest, render_lines  # noqa: E402
from services.reminding.reminders import scan  # noqa: E402
from tests.support.clock import HCM, FakeClock  # noqa: E402
from tests.support.throwaway import create_database, drop_database  # noqa: E402

OFFICERS = 10_000
MOMENT = datetime(2025, 3, 3, 7, 30, tzinfo=HCM)  # a Monday, the send time
PER_OFFICER = 3


def fill(url: str) -> None:
    """10,000 units with one officer each, three tasks each: due in 7 days, 1 and 3 working
    days overdue."""
    engine = make_engine(url)
    tasks = OFFICERS * PER_OFFICER
    statements = [
        "INSERT INTO organization (id, name, created_at) VALUES (1, 'Phường Bench', now())",
        "INSERT INTO reminderpolicy (organization_id, offsets_days, coordinator_offsets_days,"
        " overdue_every_working_days, escalate_after_working_days, send_time, quiet_start,"
        " quiet_end, weekly_summary_weekday, ongoing_checkin, long_window_checkin,"
        " next_summary_at) VALUES (1, '[14,7,3,1,0]', '[7]', 2, 9, '07:30', '21:00', '07:00',"
        " 0, 'monthly', 'yearly', '2030-01-01T00:00:00+00:00')",
        f"INSERT INTO unit (id, organization_id, name, kind, external) SELECT g, 1,"
        f" 'Đơn vị ' || g, 'body', false FROM generate_series(1, {OFFICERS}) g",
        f"INSERT INTO officer (id, organization_id, name, role, locale, active, is_demo,"
        f" created_at) SELECT g, 1, 'Cán bộ ' || g, 'officer', 'vi', true, false, now()"
        f" FROM generate_series(1, {OFFICERS}) g",
        f"INSERT INTO officerunit (officer_id, unit_id) SELECT g, g"
        f" FROM generate_series(1, {OFFICERS}) g",
        "INSERT INTO plan (id, organization_id, title, years, source_name, sha256, imported_at)"
        " VALUES (1, 1, 'Kế hoạch', '[2025]', 'bench.txt', 'x',"
        " TIMESTAMPTZ '2025-01-01T00:00:00+07:00')",
        # Monday 3/3/2025: due 10/3 (7 days left), 28/2 (1 working day over), 26/2 (3 over).
        f"INSERT INTO task (id, plan_id, kind, code, position, title, lead_text,"
        f" coordinators_text, deadline_text, deadline_kind, due, status, progress, flags)"
        f" SELECT g, 1, 'task', g::text, g, 'Tổ chức thực hiện nhiệm vụ số ' || g, '', '', '',"
        f" 'fixed', (ARRAY[DATE '2025-03-10', DATE '2025-02-28', DATE '2025-02-26'])[1 + g % 3],"
        f" 'open', 0, '[]' FROM generate_series(1, {tasks}) g",
        f"INSERT INTO taskassignment (task_id, unit_id, role) SELECT g, 1 + (g - 1) / 3, 'lead'"
        f" FROM generate_series(1, {tasks}) g",
        f"INSERT INTO occurrence (id, task_id, due, status, next_reminder_at)"
        f" SELECT g, g, (ARRAY[DATE '2025-03-10', DATE '2025-02-28', DATE '2025-02-26'])"
        f"[1 + g % 3], 'open', TIMESTAMPTZ '{MOMENT.isoformat()}'"
        f" FROM generate_series(1, {tasks}) g",
        "ANALYZE",
    ]
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def main() -> None:
    """Run the bench and print the figures."""
    name, url = create_database()
    try:
        fill(url)
        engine = make_engine(url)
        with Session(engine) as session:
            started = time.perf_counter()
            result = scan(session, FakeClock(MOMENT + timedelta(seconds=20)), limit=50_000)
            scan_seconds = time.perf_counter() - started
        with engine.connect() as connection:
            payloads = [
                row[0]
                for row in connection.execute(text("SELECT payload FROM outbox ORDER BY id"))
            ]
        engine.dispose()
        timings = []
        for _ in range(3):
            started = time.perf_counter()
            texts = [
                render_lines(
                    "vi", render_digest(Digest.from_json(payload), name="Cán bộ", role="officer")
                )
                for payload in payloads
            ]
            timings.append(time.perf_counter() - started)
        render_seconds = statistics.median(timings)
        print(f"digests for {OFFICERS} officers ({result.items} items), PostgreSQL")
        print(
            f"scan (items, bundling, tokens, outbox): {scan_seconds:.2f} s"
            f"  = {scan_seconds / result.digests * 1e6:.0f} µs per digest"
        )
        print(
            f"render {len(texts)} digests in Vietnamese: {render_seconds:.2f} s"
            f"  = {render_seconds / len(texts) * 1e6:.0f} µs per digest"
        )
        assert result.digests == OFFICERS, result
    finally:
        drop_database(name)


if __name__ == "__main__":
    main()
