"""One chair's dashboard in a province on PostgreSQL: the wards of `bench/province.py` (200 of
20 officers and 60 tasks each, a third of the tasks done), one ward's dashboard read and rendered
as the web page does, alone on the machine: its latency (median and p95 of `--loads`), and the
SQL statements one load runs, with their time.

Goal: the page within 150 ms p95 under 50 chairs at once (`bench/province.py` measures that);
alone, it should take a small part of it, with a number of statements that does not grow with
the province.
With `--chairs 50`, also 50 chairs loading theirs at once from one process (one replica).
Run: .venv/bin/python bench/dashboard.py [--wards 200] [--loads 30] [--statements] [--explain]
[--chairs 50]
"""

import argparse
import asyncio
import re
import statistics
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

from bench.province import MONDAY, PASSWORD, PEOPLE, fill  # noqa: E402
from bot.web.app import build_web_app  # noqa: E402
from bot.web.hub import ChatHub  # noqa: E402
from bot.web.sender import WebSender  # noqa: E402
from jobs.runner import JobRunner  # noqa: E402
from models.db import make_engine  # noqa: E402
from tests.support.clock import HCM, FakeClock  # noqa: E402
from tests.support.scripted_conversation import ScriptedConversation  # noqa: E402
from tests.support.throwaway import create_database, drop_database  # noqa: E402

GOAL_MS = 150.0
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@contextmanager
def statements(engine: Engine) -> Iterator[list[tuple[str, float, Any]]]:
    """Every statement run on `engine` meanwhile, with its seconds and parameters."""
    seen: list[tuple[str, float, Any]] = []

    def before(conn: Any, cursor: Any, statement: str, *_: Any) -> None:
        conn.info["bench_started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        seen.append((statement, time.perf_counter() - conn.info.pop("bench_started"), parameters))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield seen
    finally:
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
    """The web pages over `engine`, as `dondoc run` serves them."""
    runner = JobRunner(engine)
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
) -> tuple[list[float], list[tuple[str, float, Any]]]:
    """The milliseconds of each of `loads` dashboard loads, and the statements of one."""
    clock = FakeClock(MONDAY.replace(hour=9))
    async with browser_on(web_app(engine, clock)) as browser:
        await sign_in(browser, ward)
        page = await browser.get("/dashboard")  # warm: imports, the calendar, the templates
        assert page.status_code == 200, page.text[:300]
        with statements(engine) as seen:
            await browser.get("/dashboard")
        times = []
        for _ in range(loads):
            begun = time.perf_counter()
            page = await browser.get("/dashboard")
            times.append((time.perf_counter() - begun) * 1000)
            assert page.status_code == 200
    return times, seen


async def at_once(engine: Engine, chairs: int, rounds: int = 2) -> list[float]:
    """`chairs` chairs of as many wards load their dashboard at once from one process (one
    replica), `rounds` times; each load's milliseconds."""
    app = web_app(engine, FakeClock(MONDAY.replace(hour=9)))
    browsers = [browser_on(app) for _ in range(chairs)]
    try:
        for ward, browser in enumerate(browsers, start=1):
            await sign_in(browser, ward)
        times: list[float] = []

        async def load(browser: httpx.AsyncClient) -> None:
            begun = time.perf_counter()
            page = await browser.get("/dashboard")
            times.append((time.perf_counter() - begun) * 1000)
            assert page.status_code == 200

        await asyncio.gather(*(load(browser) for browser in browsers))  # warm
        times.clear()
        for _ in range(rounds):
            await asyncio.gather(*(load(browser) for browser in browsers))
        return times
    finally:
        for browser in browsers:
            await browser.aclose()


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


def main() -> None:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wards", type=int, default=200)
    parser.add_argument("--loads", type=int, default=30)
    parser.add_argument("--statements", action="store_true", help="print each statement")
    parser.add_argument("--explain", action="store_true", help="name the sequential scans")
    parser.add_argument("--chairs", type=int, default=0, help="also N chairs at once")
    options = parser.parse_args()
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
        times, seen = asyncio.run(measure(engine, ward, options.loads))
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
        p95 = statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]
        if options.chairs:
            together = asyncio.run(at_once(engine, options.chairs))
            print(
                f"{options.chairs} chairs at once on one process: median "
                f"{statistics.median(together):.0f} ms, p95 "
                f"{statistics.quantiles(together, n=20)[-1]:.0f} ms"
            )
        print(
            f"dashboard: ward {ward} of {options.wards}, {len(seen)} statements "
            f"({sql_ms:.0f} ms in the database), median {statistics.median(times):.0f} ms, "
            f"p95 {p95:.0f} ms alone (the goal, {GOAL_MS:.0f} ms p95, is for 50 chairs at once)"
        )
    finally:
        engine.dispose()
        drop_database(name)


if __name__ == "__main__":
    main()
