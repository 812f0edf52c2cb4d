"""Crash drills for the dispatcher: fill the outbox, run `tests.support.dispatch_worker`
processes, kill them with SIGKILL at random points, and count what the platform (a file) received.

Used by `tests/integration/jobs/test_crash.py` (20 kills) and `bench/crash.py` (100 kills).
"""

import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, insert
from sqlalchemy import select as sa_select
from sqlmodel import Session, col

from models import (
    Channel,
    ChannelIdentity,
    Officer,
    Organization,
    Outbox,
    OutboxKind,
    OutboxState,
    ReminderPolicy,
    Role,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
PEOPLE = 20


def relax_commit_flush(engine: Engine) -> None:
    """On PostgreSQL, stop waiting for each commit's WAL flush in this test database.

    The drills kill dispatchers, not the server: what they test (claims, leases, fencing) is
    unchanged, and a 10,000-message run fits CI's time. The restart drill keeps full durability.
    """
    if engine.dialect.name != "postgresql":
        return
    database = engine.url.database
    with engine.connect() as connection:
        connection.exec_driver_sql(f'ALTER DATABASE "{database}" SET synchronous_commit = off')
        connection.commit()


def fill_outbox(engine: Engine, count: int) -> None:
    """`count` messages due now to `PEOPLE` officers of one ward, each saying "drill N"."""
    now = datetime.now(UTC)
    with Session(engine) as session:
        org = Organization(name=f"Drill {now.timestamp()}", created_at=now)
        session.add(org)
        session.flush()
        assert org.id is not None
        session.add(ReminderPolicy(organization_id=org.id))
        people = [
            Officer(organization_id=org.id, name=f"Officer {n}", role=Role.OFFICER, created_at=now)
            for n in range(PEOPLE)
        ]
        session.add_all(people)
        session.flush()
        for person in people:
            assert person.id is not None
            session.add(
                ChannelIdentity(
                    officer_id=person.id,
                    channel=Channel.CONSOLE,
                    external_id=f"drill-{person.id}",
                    chat_id=f"drill-{person.id}",
                    bound_at=now,
                )
            )
        enqueue_drill_messages(session, org.id, people, count, now)
        session.commit()


def enqueue_drill_messages(
    session: Session, organization_id: int, people: list[Officer], count: int, now: datetime
) -> None:
    """`count` replies due at `now`, message N ("drill N") to `people[N % len(people)]`."""
    rows = [
        {
            "organization_id": organization_id,
            "officer_id": people[n % len(people)].id,
            "kind": OutboxKind.REPLY,
            "payload": {"lines": [{"msgid": "drill {n}", "params": {"n": n}}]},
            "idempotency_key": f"drill:{n}",
            "scheduled_for": now,
            "state": OutboxState.PENDING,
            "attempts": 0,
            "created_at": now,
        }
        for n in range(count)
    ]
    for start in range(0, count, 2000):
        session.execute(insert(Outbox), rows[start : start + 2000])


def worker(
    database_url: str,
    deliveries: Path,
    *,
    lease: float = 3.0,
    delay: float = 0.0,
    idle_exit: bool,
    durable: bool = True,
    batch: int = 10,
    window: int = 1,
) -> subprocess.Popen[bytes]:
    """Start a dispatcher process (it prints `ready` once connected)."""
    command = [
        sys.executable,
        "-m",
        "tests.support.dispatch_worker",
        "--database-url",
        database_url,
        "--sender",
        f"file:{deliveries}",
        "--lease-seconds",
        str(lease),
        "--send-delay",
        str(delay),
        "--batch",
        str(batch),
        "--window",
        str(window),
    ]
    if not durable:
        command.append("--no-fsync")
    if idle_exit:
        command.append("--exit-when-idle")
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(
        command, cwd=REPO_ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )


def _reap(process: subprocess.Popen[bytes], timeout: float | None = None) -> None:
    """Wait for the process and close its pipe."""
    try:
        process.wait(timeout=timeout)
    finally:
        if process.stdout is not None:
            process.stdout.close()


def wait_ready(process: subprocess.Popen[bytes], timeout: float = 30.0) -> None:
    """Block until the worker says it is connected."""
    assert process.stdout is not None
    deadline = time.monotonic() + timeout
    line = process.stdout.readline()
    if line.strip() != b"ready" or time.monotonic() > deadline:
        raise RuntimeError(f"dispatch worker did not start: {line!r}")


@dataclass(frozen=True, slots=True)
class Tally:
    """What the platform received."""

    delivered: Counter[str]
    sent_rows: int
    kills: int
    before_restart: int = -1
    """Messages delivered when PostgreSQL went down (restart drill only)."""

    @property
    def duplicates(self) -> int:
        """Messages received more than once, counted once per extra copy."""
        return sum(count - 1 for count in self.delivered.values())

    def missing(self, count: int) -> list[int]:
        """Messages never received."""
        return [n for n in range(count) if f"drill {n}" not in self.delivered]


def tally(engine: Engine, deliveries: Path, kills: int) -> Tally:
    """Count the file's deliveries and the rows marked sent."""
    lines = deliveries.read_text("utf-8").splitlines() if deliveries.exists() else []
    delivered = Counter(line.split("\t", 1)[1] for line in lines)
    with Session(engine) as session:
        sent = session.execute(
            sa_select(func.count()).where(col(Outbox.state) == OutboxState.SENT)
        ).scalar_one()
    return Tally(delivered, int(sent), kills)


def crash_run(
    engine: Engine,
    database_url: str,
    deliveries: Path,
    *,
    count: int,
    kills: int,
    seed: int = 6,
    delay: float = 0.004,
    window: int = 1,
) -> Tally:
    """Deliver `count` messages while killing the dispatcher `kills` times at random points,
    then let one last dispatcher finish; each dispatcher keeps up to `window` sends in flight."""
    relax_commit_flush(engine)
    fill_outbox(engine, count)
    chance = random.Random(seed)
    for _ in range(kills):
        process = worker(
            database_url,
            deliveries,
            delay=delay,
            idle_exit=False,
            window=window,
            batch=max(10, 2 * window),
        )
        try:
            wait_ready(process)
            time.sleep(chance.uniform(0.05, 0.5))
        finally:
            process.send_signal(signal.SIGKILL)
            _reap(process)
    finisher = worker(database_url, deliveries, idle_exit=True, window=window)
    _reap(finisher, timeout=300)
    return tally(engine, deliveries, kills)


def concurrent_run(
    engine: Engine,
    database_url: str,
    deliveries: Path,
    *,
    count: int,
    workers: int,
    window: int = 1,
) -> Tally:
    """Deliver `count` messages with `workers` dispatchers side by side."""
    relax_commit_flush(engine)
    fill_outbox(engine, count)
    processes = [
        worker(database_url, deliveries, idle_exit=True, durable=False, batch=50, window=window)
        for _ in range(workers)
    ]
    for process in processes:
        _reap(process, timeout=300)
    return tally(engine, deliveries, 0)


def pg_is_ready() -> bool:
    """Whether the local PostgreSQL accepts connections."""
    done = subprocess.run(
        ["pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432"], check=False, timeout=10
    )
    return done.returncode == 0


def _cluster_version() -> str:
    return sorted(os.listdir("/etc/postgresql"))[-1]


@contextmanager
def postgresql_restored() -> Iterator[None]:
    """Whatever happens inside, the local PostgreSQL is running again afterwards."""
    try:
        yield
    finally:
        if not pg_is_ready():
            subprocess.run(
                [
                    "pg_ctlcluster",
                    "--skip-systemctl-redirect",
                    _cluster_version(),
                    "main",
                    "start",
                ],
                check=False,
                timeout=120,
            )
        for _ in range(60):
            if pg_is_ready():
                break
            time.sleep(0.5)


def restart_postgresql() -> None:
    """Restart the local PostgreSQL cluster (fast shutdown: connections are cut)."""
    subprocess.run(
        [
            "pg_ctlcluster",
            "--skip-systemctl-redirect",
            _cluster_version(),
            "main",
            "restart",
            "-m",
            "fast",
        ],
        check=True,
        timeout=120,
    )


def restart_run(
    engine: Engine, database_url: str, deliveries: Path, *, count: int, window: int
) -> Tally:
    """Deliver `count` messages while PostgreSQL restarts under the dispatcher."""
    fill_outbox(engine, count)
    engine.dispose()
    process = worker(database_url, deliveries, delay=0.004, idle_exit=True, window=window)
    try:
        wait_ready(process)
        time.sleep(1.0)
        with postgresql_restored():
            before = len(deliveries.read_bytes().splitlines()) if deliveries.exists() else 0
            restart_postgresql()
        process.wait(timeout=240)
    finally:
        if process.poll() is None:
            process.kill()
        _reap(process)
    return replace(tally(engine, deliveries, 1), before_restart=before)
