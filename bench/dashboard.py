"""One chair's dashboard in a province on PostgreSQL: the wards of `bench/province.py` (200 of
20 officers and 60 tasks each, a third of the tasks done), one ward's dashboard read and rendered
as the web page does, alone on the machine: its latency (median and p95 of `--loads`), and the
SQL statements one load runs, with their time.

Goal: the page within 150 ms p95 under 50 chairs at once (`bench/province.py` measures that);
alone, it should take a small part of it, with a number of statements that does not grow with
the province.
A load reads the ward only when its board is not stored for the ward's change stamp and the
day (`bot/web/dashboard.py`): the figures say both, a load served from the store and one that
reads and renders the ward (the store emptied before each).
With `--chairs 50`, also 50 chairs of as many wards loading theirs at once, over HTTP, from
this process against one server process (one replica, uvicorn as `dondoc run` serves), each
chair's browser a kept-alive connection (`bench.browser`): their first loads (every board read
and rendered) and then `--rounds` rounds.
Run: .venv/bin/python bench/dashboard.py [--wards 200] [--loads 30] [--statements] [--explain]
[--chairs 50] [--rounds 4]
"""

import argparse
import asyncio
import gc
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO_ROOT / "bench"]
sys.path.insert(0, str(REPO_ROOT))

import httpx  # noqa: E402
from sqlalchemy import Engine, event, text  # noqa: E402
from starlette.applications import Starlette  # noqa: E402

from bench.browser import Browser  # noqa: E402
from bench.province import MONDAY, PASSWORD, PEOPLE, fill  # noqa: E402
from bot.web.app import build_web_app  # noqa: E402
from bot.web.hub import ChatHub  # noqa: E402
from bot.web.sender import WebSender  # noqa: E402
from bot.web.server import serve_web  # noqa: E402
from jobs.runner import JobRunner  # noqa: E402
from models.db import make_engine, reader_of  # noqa: E402
from tests.support.clock import HCM, FakeClock  # noqa: E402
from tests.support.ports import free_port  # noqa: E402
from tests.support.scripted_conversation import ScriptedConversation  # noqa: E402
from tests.support.throwaway import create_database, drop_database  # noqa: E402

GOAL_MS = 150.0
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@contextmanager
def statements(*engines: Engine) -> Iterator[list[tuple[str, float, Any]]]:
    """Every statement run on `engines` meanwhile, with its seconds and parameters."""
    seen: list[tuple[str, float, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, time.perf_counter() - conn.info.pop("bench_started"), parameters))

    for engine in dict.fromkeys(engines):
        event.listen(engine, "before_cursor_execute", before)
        event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
        for engine in dict.fromkeys(engines):
            event.remove(engine, "before_cursor_execute", before)
            event.remove(engine, "after_cursor_execute", after)


def close_some(engine: Engine) -> None:
    """A third of the tasks done (some late), so that the rates have something to count."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "UPDATE occurrence SET status = 'done', done_at = TIMESTAMPTZ '2025-03-01 09:00Z'"
                " + (id % 20) * INTERVAL '1 day' WHERE id % 3 = 0"
            )
        )
        connection.execute(
            text("UPDATE task SET status = 'done', progress = 100 WHERE id % 3 = 0")
        )
        connection.execute(
            text(
                "UPDATE taskassignment SET status = 'done', progress = 100,"
                " done_at = TIMESTAMPTZ '2025-03-01 09:00Z' + (task_id % 20) * INTERVAL '1 day'"
                " WHERE task_id % 3 = 0"
            )
        )
        connection.execute(text("ANALYZE"))


def web_app(engine: Engine, clock: FakeClock) -> Starlette:
    """The web pages over `engine`, as `dondoc run` serves them (reads every request makes on
    a reader of their own, `models.db.reader_of`)."""
    runner = JobRunner(engine, reader=reader_of(engine))
    return build_web_app(
        runner=runner,
        clock=clock,
        conversation=ScriptedConversation(),
        sender=WebSender(runner, clock, ChatHub()),
        secret_key="dashboard-bench-secret-key-0123456789",
        zone=HCM,
        demo_login=False,
        public_url="http://127.0.0.1:8080",
        default_locale="vi",
    )


def browser_on(app: Starlette) -> httpx.AsyncClient:
    """A browser of its own (its own cookies) on `app`."""
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app, client=("127.0.0.1", 50123)),
        base_url="http://127.0.0.1:8080",
    )


async def sign_in(browser: httpx.AsyncClient, ward: int) -> None:
    """Sign the ward's chair in."""
    page = await browser.get("/login")
    found = CSRF.search(page.text)
    assert found is not None, page.text[:200]
    response = await browser.post(
        "/login",
        data={
            "csrf": found.group(1),
            "org": str(ward),
            "name": f"Chủ tịch phường {ward}",
            "password": PASSWORD,
        },
    )
    assert response.status_code == 303, response.text[:300]


async def measure(
    engine: Engine, ward: int, loads: int
) -> tuple[list[float], list[float], list[tuple[str, float, Any]]]:
    """The milliseconds of each of `loads` dashboard loads served from the store, of as many
    that read and render the ward, and the statements of one of the latter."""
    clock = FakeClock(MONDAY.replace(hour=9))
    app = web_app(engine, clock)
    reader = app.state.web.runner.reader  # the reads every load makes
    async with browser_on(app) as browser:
        await sign_in(browser, ward)
        page = await browser.get("/dashboard")  # warm: imports, the calendar, the templates
        assert page.status_code == 200, page.text[:300]
        forget_boards(engine)
        with statements(engine, reader) as seen:
            await browser.get("/dashboard")
        stored = []
        for _ in range(loads):
            begun = time.perf_counter()
            page = await browser.get("/dashboard")
            stored.append((time.perf_counter() - begun) * 1000)
            assert page.status_code == 200
        fresh = []
        for _ in range(loads):
            forget_boards(engine)
            begun = time.perf_counter()
            page = await browser.get("/dashboard")
            fresh.append((time.perf_counter() - begun) * 1000)
            assert page.status_code == 200
    app.state.web.runner.dispose()
    return stored, fresh, seen


def forget_boards(engine: Engine) -> None:
    """Empty the store of rendered boards: the next loads read their ward."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM boardcache"))


def serve(url: str, port: int) -> None:
    """The server process of `--chairs`: the web app on `port`, as `dondoc run` serves it
    (its start-up frozen out of the collector's way, as there)."""
    engine = make_engine(url)
    app = web_app(engine, FakeClock(MONDAY.replace(hour=9)))

    async def run() -> None:
        started = asyncio.Event()
        server = asyncio.create_task(serve_web(app, host="127.0.0.1", port=port, started=started))
        await started.wait()
        gc.collect()  # as `dondoc run` does once started (dondoc/app.py)
        gc.freeze()
        print("ready", flush=True)
        await server

    asyncio.run(run())


def cpu_seconds(pid: int) -> float:
    """The processor time (user and system) process `pid` has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def at_once(
    base: str, chairs: int, rounds: int, server: int
) -> tuple[list[float], list[float], float]:
    """`chairs` chairs of as many wards load their dashboard at once from this process over
    HTTP (each its own kept-alive connection, `bench.browser`): their first loads (each ward
    read and rendered), then `rounds` rounds; the milliseconds of each load of each, and the
    server's processor milliseconds per load of the rounds (what a busy machine does not
    change much)."""
    signing = [httpx.AsyncClient(base_url=base, timeout=60) for _ in range(chairs)]
    try:
        for ward, client in enumerate(signing, start=1):
            await sign_in(client, ward)
    finally:
        for client in signing:
            await client.aclose()
    browsers = [Browser.of(client, base) for client in signing]
    try:
        times: list[float] = []

        async def load(browser: Browser) -> None:
            took, status, _ = await browser.get("/dashboard")
            assert status == 200, status
            times.append(took)

        await asyncio.gather(*(load(browser) for browser in browsers))
        first = list(times)
        times.clear()
        used, mine = cpu_seconds(server), cpu_seconds(os.getpid())
        for _ in range(rounds):
            await asyncio.gather(*(load(browser) for browser in browsers))
        client_ms = (cpu_seconds(os.getpid()) - mine) * 1000 / len(times)
        print(
            f"the chairs' client (bench.browser, this process): {client_ms:.2f} ms of processor"
            " a load"
        )
        return first, times, (cpu_seconds(server) - used) * 1000 / len(times)
    finally:
        for browser in browsers:
            await browser.close()


def server_at_once(url: str, chairs: int, rounds: int) -> tuple[list[float], list[float], float]:
    """`at_once` against a server process of its own."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, __file__, f"--serve={port}", f"--url={url}"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline()
        if not line.startswith(b"ready"):
            raise RuntimeError(f"the server did not start: {line!r}")
        return asyncio.run(at_once(f"http://127.0.0.1:{port}", chairs, rounds, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)


def sequential_scans(engine: Engine, seen: list[tuple[str, float, Any]]) -> list[str]:
    """The statements of `seen` whose plan reads a whole table, with the tables."""
    found = []
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        for statement, _, parameters in seen:
            cursor.execute("EXPLAIN " + statement, parameters)
            plan = "\n".join(str(row[0]) for row in cursor.fetchall())
            tables = sorted(set(re.findall(r"Seq Scan on (\w+)", plan)))
            if tables:
                found.append(f"{', '.join(tables)}: {' '.join(statement.split())[:110]}")
    finally:
        connection.close()
    return found


def p95(times: list[float]) -> float:
    """The 95th percentile."""
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=200)
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--statements", action="store_true", help="print each statement")
    parser.add_argument("--explain", action="store_true", help="name the sequential scans")
    parser.add_argument("--chairs", type=int, default=0, help="also N chairs at once")
    parser.add_argument("--rounds", type=int, default=4, help="rounds of the N chairs")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)  # the server process
    parser.add_argument("--url", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.serve:
        serve(options.url, options.serve)
        return
    name, url = create_database()
    engine = make_engine(url)
    try:
        started = time.perf_counter()
        fill(engine, options.wards)
        close_some(engine)
        print(
            f"filled {options.wards} wards ({options.wards * PEOPLE} officers) in "
            f"{time.perf_counter() - started:.0f} s"
        )
        ward = options.wards // 2
        stored, fresh, seen = asyncio.run(measure(engine, ward, options.loads))
        sql_ms = sum(seconds for _, seconds, _ in seen) * 1000
        if options.explain:
            for line in sequential_scans(engine, seen):
                print(f"  seq scan on {line}")
        if options.statements:
            counts = Counter(statement for statement, _, _ in seen)
            spent: dict[str, float] = {}
            for statement, seconds, _ in seen:
                spent[statement] = spent.get(statement, 0.0) + seconds * 1000
            for statement, ms in sorted(spent.items(), key=lambda kv: -kv[1]):
                shown = " ".join(statement.split())[:150]
                print(f"  {counts[statement]:3d}x {ms:6.1f} ms  {shown}")
        print(
            f"dashboard: ward {ward} of {options.wards}, alone: read and rendered "
            f"{len(seen)} statements ({sql_ms:.0f} ms in the database), median "
            f"{statistics.median(fresh):.0f} ms, p95 {p95(fresh):.0f} ms; served from the "
            f"store median {statistics.median(stored):.1f} ms, p95 {p95(stored):.1f} ms"
        )
        if options.chairs:
            forget_boards(engine)
            before = os.getloadavg()[0]
            first, together, cpu = server_at_once(url, options.chairs, options.rounds)
            print(
                f"{options.chairs} chairs at once against one server process (load average "
                f"{before:.1f} before, {os.getloadavg()[0]:.1f} after, {os.cpu_count()} CPUs): "
                f"first loads (every board read and rendered) median "
                f"{statistics.median(first):.0f} ms, p95 {p95(first):.0f} ms; then "
                f"{options.rounds} rounds median {statistics.median(together):.0f} ms, p95 "
                f"{p95(together):.0f} ms (goal {GOAL_MS:.0f} ms); the server's processor time "
                f"{cpu:.1f} ms a load"
            )
    finally:
        engine.dispose()
        drop_database(name)


if __name__ == "__main__":
    main()
