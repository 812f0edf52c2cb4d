"""The reminder scan over 100k and 1M tasks with 1,000 due, on PostgreSQL, side by side with
the naive design: one APScheduler job per reminder in its SQLAlchemy job store, doing the same
work (1,000 due reminders become outbox rows).

Goals: <= 20 ms per scan at 1M, and the scan >= 100x faster than the naive design. The scan's
cost follows what is due, not how many tasks exist: the figures at 100k and 1M should be close.
Run as `python bench/scan.py [--sizes 100000,1000000] [--keep]` from the repository root, on
DONDOC_TEST_PG_URL (default: the local server). It creates and drops its own databases, about
5-8 minutes; with `--keep` each size's database (`dondoc_bench_scan_<tasks>`, both designs'
rows) is built once and reused by later runs (migrated to the head first: its rows stay),
and `--drop` removes them. `--quick` runs
20,000 tasks, three scans, in a few seconds.
"""

import argparse
import gc
import os
import pickle
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

import psycopg  # noqa: E402
from sqlalchemy import Engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402
from sqlmodel import Session  # noqa: E402

from models.db import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from services.reminding.reminders import scan  # noqa: E402
from tests.support.clock import HCM, FakeClock  # noqa: E402
from tests.support.throwaway import (  # noqa: E402
    create_database,
    database_exists,
    database_url,
    drop_database,
)

DUE = 1000
UNITS = 200
RUNS = 5
WARM_UP = 5
NAIVE_RUNS = 3
MOMENT = datetime(2025, 3, 3, 7, 30, tzinfo=HCM)  # a Monday, the send time
DUE_DATE = "2025-03-10"  # 7 days later: the 7-day reminder is due at MOMENT


def fill(engine: Engine, tasks: int) -> None:
    """One ward, `UNITS` units with an officer each, `tasks` tasks with one occurrence each:
    `DUE` of them due at MOMENT, the others planned over the next year."""
    moment = MOMENT.astimezone(UTC).isoformat()
    statements = [
        "INSERT INTO organization (id, name, created_at) VALUES (1, 'Phường Bench', now())",
        "INSERT INTO reminderpolicy (organization_id, offsets_days, coordinator_offsets_days,"
        " overdue_every_working_days, escalate_after_working_days, send_time, quiet_start,"
        " quiet_end, weekly_summary_weekday, ongoing_checkin, long_window_checkin,"
        " next_summary_at) VALUES (1, '[14,7,3,1,0]', '[7]', 2, 3, '07:30', '21:00', '07:00',"
        " 0, 'monthly', 'yearly', '2030-01-01T00:00:00+00:00')",
        f"INSERT INTO unit (id, organization_id, name, kind, external) SELECT g, 1,"
        f" 'Đơn vị ' || g, 'body', false FROM generate_series(1, {UNITS}) g",
        f"INSERT INTO officer (id, organization_id, name, role, locale, active, is_demo,"
        f" created_at) SELECT g, 1, 'Cán bộ ' || g, 'officer', 'vi', true, false, now()"
        f" FROM generate_series(1, {UNITS}) g",
        f"INSERT INTO officerunit (officer_id, unit_id) SELECT g, g"
        f" FROM generate_series(1, {UNITS}) g",
        "INSERT INTO plan (id, organization_id, title, years, source_name, sha256, imported_at)"
        " VALUES (1, 1, 'Kế hoạch', '[2025]', 'bench.txt', 'x',"
        " TIMESTAMPTZ '2025-01-01T00:00:00+07:00')",
        f"INSERT INTO task (id, plan_id, kind, code, position, title, lead_text,"
        f" coordinators_text, deadline_text, deadline_kind, due, status, progress, flags)"
        f" SELECT g, 1, 'task', g::text, g, 'Việc số ' || g, '', '', '10/03/2025', 'fixed',"
        f" DATE '{DUE_DATE}' + (CASE WHEN g <= {DUE} THEN 0 ELSE 30 + g % 330 END),"
        f" 'open', 0, '[]' FROM generate_series(1, {tasks}) g",
        f"INSERT INTO taskassignment (task_id, unit_id, role) SELECT g, 1 + g % {UNITS}, 'lead'"
        f" FROM generate_series(1, {tasks}) g",
        f"INSERT INTO occurrence (id, task_id, due, status, next_reminder_at)"
        f" SELECT g, g, DATE '{DUE_DATE}' + (CASE WHEN g <= {DUE} THEN 0 ELSE 30 + g % 330 END),"
        f" 'open', CASE WHEN g <= {DUE} THEN TIMESTAMPTZ '{moment}'"
        f" ELSE TIMESTAMPTZ '{moment}' + (1 + g % 300) * INTERVAL '1 day' END"
        f" FROM generate_series(1, {tasks}) g",
        "ANALYZE",
    ]
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in statements:
            connection.execute(text(statement))


def reset(engine: Engine) -> None:
    """Make the same 1,000 reminders due again (what was told of them forgotten), the tables the
    scan writes emptied and vacuumed (the rows one run deleted would otherwise weigh on the next
    one's inserts: dead index entries under the same keys)."""
    moment = MOMENT.astimezone(UTC).isoformat()
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM reminderitem"))
        connection.execute(text("DELETE FROM actiontoken"))
        connection.execute(text("DELETE FROM outbox"))
        connection.execute(
            text(
                f"UPDATE occurrence SET next_reminder_at = TIMESTAMPTZ '{moment}', told = NULL"
                f" WHERE id <= {DUE}"
            )
        )
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE occurrence, reminderitem, actiontoken, outbox")
        )


def _backend_cpu_ms(pid: int) -> float | None:
    """CPU time (ms) the PostgreSQL backend `pid` has run, when the server is on this machine
    (Linux: /proc/<pid>/schedstat, in ns); None otherwise."""
    try:
        with open(f"/proc/{pid}/schedstat", encoding="ascii") as stat:
            return int(stat.read().split()[0]) / 1e6
    except (OSError, ValueError, IndexError):
        return None


def time_scan(engine: Engine, runs: int) -> tuple[float, float, int, tuple[float, float] | None]:
    """Median scan and due-query times (ms) over `runs`, the digests one scan writes, and the
    median CPU a scan takes, this process's and its PostgreSQL backend's together and the
    backend's alone (ms; None when the backend is not on this machine): on a machine shared
    with other work the wall time waits for the processor, the CPU time does not. After
    `WARM_UP` scans not timed: dondoc scans every minute, and what it does from the sixth on is
    what a scan costs (a process's first compiles its statements; psycopg prepares a statement
    on the server once it has run five times on a connection, and the scan's are then planned
    once, not each time)."""
    clock = FakeClock(MOMENT + timedelta(seconds=20))
    scans, queries, cpus, servers = [], [], [], []
    digests = 0
    for _ in range(WARM_UP):
        reset(engine)
        with Session(engine) as session:
            scan(session, clock)
    for _ in range(runs):
        reset(engine)
        with Session(engine) as session:
            started = time.perf_counter()
            session.execute(
                text(
                    "SELECT id FROM occurrence WHERE next_reminder_at <= :now"
                    " ORDER BY next_reminder_at LIMIT 20000"
                ),
                {"now": clock.now()},
            ).all()
            queries.append((time.perf_counter() - started) * 1000)
        with Session(engine) as session:
            # (in the scan's own transaction: its connection is the one measured)
            backend = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
            server_before = _backend_cpu_ms(backend)
            client_before = time.process_time()
            started = time.perf_counter()
            result = scan(session, clock)
            scans.append((time.perf_counter() - started) * 1000)
            client = (time.process_time() - client_before) * 1000
            server_after = _backend_cpu_ms(backend)
            if server_before is not None and server_after is not None:
                cpus.append(client + server_after - server_before)
                servers.append(server_after - server_before)
            digests = result.digests
            assert result.items == DUE, result
    cpu = (statistics.median(cpus), statistics.median(servers)) if len(cpus) == runs else None
    return statistics.median(scans), statistics.median(queries), digests, cpu


# --- the naive design --------------------------------------------------------------------

NAIVE_ENGINE: Engine | None = None


def naive_reminder(occurrence_id: int, officer_id: int) -> None:
    """One reminder, as a job of its own: write its outbox row."""
    assert NAIVE_ENGINE is not None
    with NAIVE_ENGINE.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO outbox (organization_id, officer_id, kind, payload, idempotency_key,"
                " scheduled_for, state, attempts, created_at) VALUES (1, :officer, 'reminder',"
                " '{}', :key, now(), 'pending', 0, now()) ON CONFLICT DO NOTHING"
            ),
            {"officer": officer_id, "key": f"naive:{occurrence_id}"},
        )


def naive_scheduler(engine: Engine) -> Any:
    """APScheduler 3 with its SQLAlchemy job store (its table created when missing), paused."""
    from apscheduler.executors.debug import DebugExecutor
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
    from apscheduler.schedulers.background import BackgroundScheduler

    store = SQLAlchemyJobStore(engine=engine, pickle_protocol=pickle.HIGHEST_PROTOCOL)
    scheduler = BackgroundScheduler(
        jobstores={"default": store},
        executors={"default": DebugExecutor()},
        job_defaults={"coalesce": True, "misfire_grace_time": None},
        timezone="UTC",
    )
    scheduler.start(paused=True)
    return scheduler


def naive_fill(engine: Engine, url: str, scheduler: Any, tasks: int) -> None:
    """One date job per task's next reminder: `DUE` due now, the rest over the next year. Rows
    are COPYed (add_job would take hours). A kept table only gets its `DUE` jobs back (the
    previous run's wake-up removed them)."""
    from apscheduler.triggers.date import DateTrigger

    now = datetime.now(UTC)
    template = scheduler.add_job(
        naive_reminder, DateTrigger(now + timedelta(days=365)), args=[0, 1], id="template"
    ).__getstate__()
    scheduler.remove_job("template")
    with engine.begin() as connection:
        kept = connection.execute(text("SELECT count(*) FROM apscheduler_jobs")).scalar_one()
        if kept >= tasks - DUE:
            connection.execute(
                text("DELETE FROM apscheduler_jobs WHERE id = ANY(:ids)"),
                {"ids": [f"reminder-{number}" for number in range(1, DUE + 1)]},
            )
            numbers = range(1, DUE + 1)
        else:
            connection.execute(text("DELETE FROM apscheduler_jobs"))
            numbers = range(1, tasks + 1)
        connection.execute(text("DELETE FROM outbox WHERE idempotency_key LIKE 'naive:%'"))
    raw = psycopg.connect(
        make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    with (
        raw,
        raw.cursor() as cursor,
        cursor.copy("COPY apscheduler_jobs (id, next_run_time, job_state) FROM STDIN") as copy,
    ):
        for number in numbers:
            when = (
                now - timedelta(minutes=1)
                if number <= DUE
                else now + timedelta(days=1 + number % 300)
            )
            state = dict(template)
            state["id"] = f"reminder-{number}"
            state["args"] = (number, 1 + number % UNITS)
            state["trigger"] = DateTrigger(when)
            state["next_run_time"] = when
            copy.write_row(
                (state["id"], when.timestamp(), pickle.dumps(state, pickle.HIGHEST_PROTOCOL))
            )
    raw.close()
    with engine.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").execute(
            text("VACUUM ANALYZE apscheduler_jobs")
        )


def time_naive(engine: Engine, url: str, tasks: int, runs: int) -> float:
    """The naive scheduler's wake-up that runs the 1,000 due jobs (median ms over `runs`, the
    due jobs put back before each)."""
    global NAIVE_ENGINE
    NAIVE_ENGINE = engine
    from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING

    scheduler = naive_scheduler(engine)
    wakeups = []
    for _ in range(runs):
        scheduler.state = STATE_PAUSED
        naive_fill(engine, url, scheduler, tasks)
        scheduler.state = STATE_RUNNING  # running, its thread still asleep: we do its work
        started = time.perf_counter()
        scheduler._process_jobs()  # what its thread does when it wakes up
        wakeups.append((time.perf_counter() - started) * 1000)
        with engine.connect() as connection:
            written = connection.execute(
                text("SELECT count(*) FROM outbox WHERE idempotency_key LIKE 'naive:%'")
            ).scalar_one()
        assert written == DUE, written
    scheduler.shutdown(wait=False)
    return statistics.median(wakeups)


def _database(size: int, *, keep: bool) -> tuple[str, str, float]:
    """The database of `size` tasks (name, URL) and how long filling it took (0 when kept)."""
    name = f"dondoc_bench_scan_{size}"
    if keep and database_exists(name):
        url = database_url(name)
        engine = make_engine(url)
        try:
            upgrade(engine)  # kept under an older schema: migrated, its rows stay
            with engine.connect() as connection:
                found = connection.execute(text("SELECT count(*) FROM task")).scalar_one()
        finally:
            engine.dispose()
        if found == size:
            return name, url, 0.0
        drop_database(name)
    name, url = create_database(name if keep else None)
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        fill(engine, size)
        return name, url, time.perf_counter() - started
    finally:
        engine.dispose()


def main() -> None:
    """Run the bench and print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--quick", action="store_true", help="20,000 tasks, three scans")
    parser.add_argument("--keep", action="store_true", help="build each size once, keep it")
    parser.add_argument("--drop", action="store_true", help="drop the kept databases, and stop")
    arguments = parser.parse_args()
    sizes = [int(size) for size in arguments.sizes.split(",")]
    if arguments.drop:
        for size in sizes:
            drop_database(f"dondoc_bench_scan_{size}")
        return
    runs, naive_runs = RUNS, NAIVE_RUNS
    if arguments.quick:
        sizes, runs, naive_runs = [20_000], 3, 1
    print(
        f"reminder scan, {DUE} due, PostgreSQL; median of {runs} scans (after {WARM_UP})"
        f" and of {naive_runs} naive wake-ups"
    )
    print(
        f"{'tasks':>9}  {'scan ms':>8}  {'cpu ms':>6}  {'of it db':>8}  {'due query ms':>12}"
        f"  {'digests':>7}"
        f"  {'naive ms':>9}  ratio"
    )
    # As `dondoc run` does once started: what start-up built is not walked by every collection.
    gc.collect()
    gc.freeze()
    for size in sizes:
        name, url, filled = _database(size, keep=arguments.keep)
        engine = make_engine(url)
        try:
            scan_ms, query_ms, digests, cpu_ms = time_scan(engine, runs)
            naive_ms = time_naive(engine, url, size, naive_runs)
            cpu, db = ("–", "–") if cpu_ms is None else (f"{cpu_ms[0]:.1f}", f"{cpu_ms[1]:.1f}")
            print(
                f"{size:>9}  {scan_ms:>8.1f}  {cpu:>6}  {db:>8}  {query_ms:>12.2f}  {digests:>7}"
                f"  {naive_ms:>9.0f}"
                f"  {naive_ms / scan_ms:>5.0f}x   (filled in {filled:.0f} s;"
                f" load {os.getloadavg()[0]:.2f})"
            )
        finally:
            engine.dispose()
            if not arguments.keep:
                drop_database(name)
    print("goals: scan <= 20 ms at 1M; >= 100x faster than one APScheduler job per reminder")


if __name__ == "__main__":
    main()
