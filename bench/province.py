"""A province on one PostgreSQL: 200 wards of 20 officers and 60 tasks each (4,000 officers,
12,000 tasks), three replicas of dondoc against it and the fake Bot API (50 ms latency, in a
process of its own), through a simulated working week.

The replicas (`tests/support/province_replica.py`: `dondoc run`'s composition root, on a demo
clock they share) start on Monday at 07:29 and run in real time while the 07:30 digests go out
(every officer has a task due in 7 days, the chairs and admins their weekly summary too), then
the week runs `--factor` times faster to Saturday: Tuesday to Friday bring the 3-, 1- and 0-day
reminders of the tasks due that Friday and the 7-day ones of the next week's. On Wednesday one
replica is killed (SIGKILL) and started again. Meanwhile 50 chairs load their dashboard at
once, spread over the replicas, each chair's browser a kept-alive connection (`bench.browser`:
nearly as cheap to this machine as a browser on a computer of its own): once (their first
loads, every board read and rendered, said apart), then four rounds.

Figures: the messages the fake received against the outbox rows marked sent (each exactly
once: duplicates and missing), the time from 07:30 until every Monday digest was delivered
(goal: 4,000 within 150 s), the dashboard's p95 (goal: <= 150 ms), each process's peak RSS.
Last line: `province: <n> reminders, duplicates <n>, missing <n>, digest window <s> s,
dashboard p95 <ms> ms, peak RSS <MB> MB`.

Run: .venv/bin/python bench/province.py [--quick] [--wards 200]  (--quick: 50 wards, a faster
week). Heavy at full size: several minutes and both CPUs of a small machine.
"""

import argparse
import asyncio
import os
import re
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO_ROOT / "bench"]
sys.path.insert(0, str(REPO_ROOT))

import httpx  # noqa: E402 - after the path is set
from sqlalchemy import Engine, text  # noqa: E402
from sqlmodel import Session  # noqa: E402

from bench.browser import Browser  # noqa: E402
from models.db import make_engine  # noqa: E402
from services.people.web_auth import hash_password  # noqa: E402
from services.reminding.reminders import reschedule_organization  # noqa: E402
from tests.support.clock import HCM, FakeClock  # noqa: E402
from tests.support.fake_telegram import TOKEN  # noqa: E402
from tests.support.ports import free_port  # noqa: E402
from tests.support.throwaway import create_database, drop_database  # noqa: E402

PEOPLE = 20  # officers per ward, one unit each (the first the chair, the second the admin)
TASKS = 60  # per ward: three per unit
REPLICAS = 3
CHAIRS = 50
ROUNDS = 4
LATENCY = 0.05
PASSWORD = "province-bench"
SECRET = "province-bench-secret-key-0123456789"
CHAT_BASE = 1_000_000
MONDAY = datetime(2025, 3, 3, 7, 29, tzinfo=HCM)  # a minute before the send time
SATURDAY = datetime(2025, 3, 8, 0, 0, tzinfo=HCM)
WEDNESDAY = datetime(2025, 3, 5, 12, 0, tzinfo=HCM)
DIGEST_GOAL = 150.0
DASHBOARD_GOAL = 150.0
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass(frozen=True, slots=True)
class Size:
    """How big a province, and how fast its week."""

    wards: int
    slow: float  # real seconds at real speed (the Monday digests)
    factor: float  # how much faster the rest of the week runs


def fill(engine: Engine, wards: int) -> None:
    """The wards, their people (bound to Telegram), units, plans and tasks; then each ward's
    reminders planned from Monday 07:29."""
    due = "DATE '2025-03-10' + CASE t.n / 20 WHEN 0 THEN 0 WHEN 1 THEN 3 ELSE -3 END"
    statements = [
        f"INSERT INTO organization (id, name, created_at) SELECT w, 'Phường ' || w, now()"
        f" FROM generate_series(1, {wards}) w",
        "INSERT INTO reminderpolicy (organization_id, offsets_days, coordinator_offsets_days,"
        " overdue_every_working_days, escalate_after_working_days, send_time, quiet_start,"
        " quiet_end, weekly_summary_weekday, ongoing_checkin, long_window_checkin)"
        " SELECT w, '[14,7,3,1,0]', '[7]', 2, 3, '07:30', '21:00', '07:00', 0, 'monthly',"
        f" 'yearly' FROM generate_series(1, {wards}) w",
        f"INSERT INTO unit (id, organization_id, name, kind, external)"
        f" SELECT (w - 1) * {PEOPLE} + u, w, 'Đơn vị ' || u, 'body', false"
        f" FROM generate_series(1, {wards}) w, generate_series(1, {PEOPLE}) u",
        f"INSERT INTO officer (id, organization_id, name, role, locale, active, is_demo,"
        f" created_at, password_hash) SELECT (w - 1) * {PEOPLE} + k, w,"
        f" CASE k WHEN 1 THEN 'Chủ tịch phường ' || w ELSE 'Cán bộ ' || w || '-' || k END,"
        f" CASE k WHEN 1 THEN 'chair' WHEN 2 THEN 'admin' ELSE 'officer' END, 'vi', true,"
        f" false, now(), CASE k WHEN 1 THEN :hash END"
        f" FROM generate_series(1, {wards}) w, generate_series(1, {PEOPLE}) k",
        f"INSERT INTO officerunit (officer_id, unit_id) SELECT g, g"
        f" FROM generate_series(1, {wards * PEOPLE}) g",
        f"INSERT INTO channelidentity (officer_id, channel, external_id, chat_id, reachable,"
        f" bound_at) SELECT g, 'telegram', ({CHAT_BASE} + g)::text, ({CHAT_BASE} + g)::text,"
        f" true, now() FROM generate_series(1, {wards * PEOPLE}) g",
        "INSERT INTO plan (id, organization_id, title, years, source_name, sha256, imported_at)"
        " SELECT w, w, 'Kế hoạch năm 2025', '[2025]', 'province.txt', 'x' || w,"
        f" TIMESTAMPTZ '2025-01-02T08:00:00+07:00' FROM generate_series(1, {wards}) w",
        f"INSERT INTO task (id, plan_id, kind, code, position, title, lead_text,"
        f" coordinators_text, deadline_text, deadline_kind, due, status, progress, flags)"
        f" SELECT (w - 1) * {TASKS} + t.n + 1, w, 'task', (t.n + 1)::text, t.n + 1,"
        f" 'Nhiệm vụ số ' || (t.n + 1), '', '', 'Trước ngày', 'fixed', {due}, 'open', 0, '[]'"
        f" FROM generate_series(1, {wards}) w, generate_series(0, {TASKS - 1}) t(n)",
        f"INSERT INTO taskassignment (task_id, unit_id, role)"
        f" SELECT (w - 1) * {TASKS} + t.n + 1, (w - 1) * {PEOPLE} + t.n % {PEOPLE} + 1, 'lead'"
        f" FROM generate_series(1, {wards}) w, generate_series(0, {TASKS - 1}) t(n)",
        "INSERT INTO occurrence (id, task_id, due, status) SELECT id, id, due, 'open' FROM task",
        "ANALYZE",
    ]
    secret = hash_password(PASSWORD)
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in statements:
            connection.execute(text(statement), {"hash": secret} if ":hash" in statement else {})
        for table in ("organization", "unit", "officer", "plan", "task", "occurrence"):
            connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
                )
            )
    with Session(engine) as session:
        for ward in range(1, wards + 1):
            reschedule_organization(session, FakeClock(MONDAY), ward)
        session.commit()


@dataclass
class Replica:
    """One `dondoc run` process."""

    number: int
    port: int
    process: subprocess.Popen[bytes] | None = None
    peaks: list[float] = field(default_factory=list)

    @property
    def base(self) -> str:
        """Its web address."""
        return f"http://127.0.0.1:{self.port}"


def start(replica: Replica, size: Size, url: str, fake: str, origin: float, logs: Path) -> None:
    """Start the replica's process (it prints `ready ...` once it serves)."""
    environment = {
        **os.environ,
        "PYTHONPATH": str(REPO_ROOT),
        "DONDOC_DATABASE_URL": url,
        "DONDOC_TELEGRAM_TOKEN": TOKEN,
        "DONDOC_TELEGRAM_BASE_URL": f"{fake}/bot",
        "DONDOC_WEB_PORT": str(replica.port),
        "DONDOC_SECRET_KEY": SECRET,
        "DONDOC_LOG_LEVEL": "WARNING",
        "DONDOC_REPLICAS": str(REPLICAS),  # one bot: 30 msg/s among them all
    }
    replica.process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.province_replica",
            f"--start={MONDAY.isoformat()}",
            f"--origin={origin}",
            f"--slow={size.slow}",
            f"--factor={size.factor}",
        ],
        cwd=REPO_ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=(logs / f"replica-{replica.number}.log").open("ab"),
    )


def wait_ready(replica: Replica) -> None:
    """Block until the replica serves."""
    assert replica.process is not None
    assert replica.process.stdout is not None
    line = replica.process.stdout.readline()
    if not line.startswith(b"ready"):
        raise RuntimeError(f"replica {replica.number} did not start: {line!r}")


def sample_peaks(replicas: list[Replica]) -> None:
    """Note each live replica's peak RSS (MB) so far."""
    for replica in replicas:
        if replica.process is None or replica.process.poll() is not None:
            continue
        status = Path(f"/proc/{replica.process.pid}/status").read_text()
        for line in status.splitlines():
            if line.startswith("VmHWM:"):
                replica.peaks.append(int(line.split()[1]) / 1024)


def simulated(size: Size, origin: float) -> datetime:
    """The replicas' shared clock, read here."""
    elapsed = time.time() - origin
    if elapsed > size.slow:
        elapsed = size.slow + (elapsed - size.slow) * size.factor
    return MONDAY + timedelta(seconds=elapsed)


async def sign_in(client: httpx.AsyncClient, base: str, ward: int) -> None:
    """Sign the ward's chair in (the cookie serves every replica: they share the key)."""
    page = await client.get(f"{base}/login")
    found = CSRF.search(page.text)
    assert found is not None, page.text[:200]
    response = await client.post(
        f"{base}/login",
        data={
            "csrf": found.group(1),
            "org": str(ward),
            "name": f"Chủ tịch phường {ward}",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 303, response.text[:300]


async def dashboards(replicas: list[Replica], chairs: int) -> tuple[list[float], list[float]]:
    """`chairs` chairs load their dashboard at once, first once (each ward's board read and
    rendered: nothing is stored yet), then ROUNDS times, spread over the replicas (a board
    stored by one replica is served by all: `bot/web/dashboard.py`), each chair's browser a
    kept-alive connection to each replica (`bench.browser`); each load's time (ms), of the
    first loads and of the rounds."""
    clients = [httpx.AsyncClient(timeout=60) for _ in range(chairs)]
    try:
        await asyncio.gather(
            *(sign_in(client, replicas[0].base, n + 1) for n, client in enumerate(clients))
        )
    finally:
        for client in clients:
            await client.aclose()
    browsers = [
        {replica.base: Browser.of(client, replica.base) for replica in replicas}
        for client in clients
    ]
    try:
        times: list[float] = []

        async def load(browser: Browser) -> None:
            took, status, _ = await browser.get("/dashboard")
            assert status == 200, status
            times.append(took)

        first: list[float] = []
        for round_ in range(-1, ROUNDS):
            await asyncio.gather(
                *(
                    load(chair[replicas[(n + round_) % len(replicas)].base])
                    for n, chair in enumerate(browsers)
                )
            )
            if round_ < 0:
                first, times = times, []
        return first, times
    finally:
        for chair in browsers:
            for browser in chair.values():
                await browser.close()


def fake_stats(fake: str) -> dict[str, object]:
    """What the fake Bot API received."""
    response = httpx.get(f"{fake}/_fake/stats", timeout=30)
    result: dict[str, object] = response.json()
    return result


def monday_sent(engine: Engine) -> int:
    """The Monday 07:30 digests delivered so far."""
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM outbox WHERE state = 'sent' AND kind = 'digest'"
                    " AND scheduled_for = :moment"
                ),
                {"moment": MONDAY + timedelta(minutes=1)},
            ).scalar_one()
        )


def left(engine: Engine) -> int:
    """Outbox rows of the week not yet delivered (a digest that a late scan wrote after 21:00
    waits for the next working day: it belongs to the next week)."""
    with engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT count(*) FROM outbox WHERE state IN ('pending','sending','failed')"
                    " AND scheduled_for < :end"
                ),
                {"end": SATURDAY},
            ).scalar_one()
        )


def sent_by_officer(engine: Engine) -> Counter[int]:
    """Outbox rows marked sent, per officer."""
    with engine.connect() as connection:
        rows = connection.execute(
            text("SELECT officer_id, count(*) FROM outbox WHERE state = 'sent' GROUP BY 1")
        ).all()
    return Counter({int(officer): int(count) for officer, count in rows})


def run(size: Size, logs: Path) -> None:
    """Fill, start, drive the week, and print the figures."""
    load_before = os.getloadavg()
    name, url = create_database()
    engine = make_engine(url)
    fake_port = free_port()
    fake = f"http://127.0.0.1:{fake_port}"
    fake_process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tests.support.fake_telegram",
            f"--port={fake_port}",
            f"--latency={LATENCY}",
        ],
        cwd=REPO_ROOT,
        stderr=(logs / "fake.log").open("ab"),  # a killed replica's cut requests are noise
    )
    replicas = [Replica(n + 1, free_port()) for n in range(REPLICAS)]
    try:
        started = time.perf_counter()
        fill(engine, size.wards)
        print(
            f"filled {size.wards} wards ({size.wards * PEOPLE} officers, "
            f"{size.wards * TASKS} tasks) in {time.perf_counter() - started:.0f} s"
        )
        origin = time.time() + 30 + 5 * REPLICAS  # the replicas start before 07:29
        for replica in replicas:
            start(replica, size, url, fake, origin, logs)
        for replica in replicas:
            wait_ready(replica)
        chairs = min(CHAIRS, size.wards)
        officers = size.wards * PEOPLE
        seven_thirty = origin + 60
        digest_done: float | None = None
        times: list[float] = []
        first: list[float] = []
        killed = restarted = False
        while simulated(size, origin) < SATURDAY or left(engine):
            time.sleep(0.5)
            sample_peaks(replicas)
            now = simulated(size, origin)
            if digest_done is None and time.time() > seven_thirty:
                delivered = monday_sent(engine)
                if delivered >= officers:
                    digest_done = time.time()
                    print(
                        f"{now:%a %H:%M}: the {delivered} Monday 07:30 digests delivered, "
                        f"{digest_done - seven_thirty:.0f} s after 07:30"
                    )
                    first, times = asyncio.run(dashboards(replicas, chairs))
            if not killed and now >= WEDNESDAY:
                victim = replicas[-1]
                assert victim.process is not None
                victim.process.send_signal(signal.SIGKILL)
                victim.process.wait()
                killed = True
                print(f"{now:%a %H:%M}: replica {victim.number} killed (SIGKILL)")
                time.sleep(3)
                start(victim, size, url, fake, origin, logs)
                wait_ready(victim)
                restarted = True
                print(f"{simulated(size, origin):%a %H:%M}: replica {victim.number} restarted")
            if time.time() - origin > size.slow + 3600:
                print("gave up waiting: the week did not finish within an hour")
                break
        stats = fake_stats(fake)
        sent = sent_by_officer(engine)
    finally:
        for replica in replicas:
            if replica.process is not None and replica.process.poll() is None:
                replica.process.terminate()
                replica.process.wait(timeout=60)
        fake_process.terminate()
        fake_process.wait()
        engine.dispose()
        drop_database(name)
    chats = stats["chats"]
    assert isinstance(chats, dict)
    got = Counter({int(chat) - CHAT_BASE: int(count) for chat, count in chats.items()})
    everyone = set(got) | set(sent)
    duplicates = sum(max(0, got[o] - sent[o]) for o in everyone)
    missing = sum(max(0, sent[o] - got[o]) for o in everyone)
    reminders = sum(sent.values())
    window = (digest_done - seven_thirty) if digest_done is not None else float("nan")
    p95 = statistics.quantiles(times, n=20)[-1] if len(times) >= 20 else float("nan")
    peak = max((max(r.peaks) for r in replicas if r.peaks), default=float("nan"))
    for replica in replicas:
        high = max(replica.peaks) if replica.peaks else float("nan")
        print(f"   replica {replica.number}: peak RSS {high:.0f} MB")
    print(
        f"   {officers} Monday digests in {window:.0f} s from 07:30 (goal <= {DIGEST_GOAL:.0f} s"
        f" for 4,000); dashboard: {len(times)} loads by {chairs} chairs at once, median "
        f"{statistics.median(times) if times else float('nan'):.0f} ms, p95 {p95:.0f} ms "
        f"(goal <= {DASHBOARD_GOAL:.0f} ms), their first loads (every board read and rendered) "
        f"median {statistics.median(first) if first else float('nan'):.0f} ms, p95 "
        f"{statistics.quantiles(first, n=20)[-1] if len(first) >= 20 else float('nan'):.0f} ms;"
        f" replica killed and restarted: {killed and restarted}"
    )
    print(
        f"   load average before {load_before[0]:.1f}, after {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} CPUs; {size.wards} wards, week after Monday's digests at "
        f"{size.factor:g}x"
    )
    print(
        f"province: {reminders} reminders, duplicates {duplicates}, missing {missing}, "
        f"digest window {window:.0f} s, dashboard p95 {p95:.0f} ms, peak RSS {peak:.0f} MB"
    )


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="50 wards, a faster week")
    parser.add_argument("--wards", type=int)
    parser.add_argument("--logs", type=Path, default=Path("/tmp/dondoc-province"))
    options = parser.parse_args()
    size = Size(wards=50, slow=200, factor=4000) if options.quick else Size(200, 300, 2000)
    if options.wards:
        size = Size(options.wards, size.slow, size.factor)
    options.logs.mkdir(parents=True, exist_ok=True)
    run(size, options.logs)


if __name__ == "__main__":
    main()
