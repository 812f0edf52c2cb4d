"""The 07:30 digests through the real path: the scan writes one digest per officer into the
outbox, the dispatcher claims them and sends them through the channel's Sender (Telegram's with
its production rate limiter; Zalo's with its client's pacing) to a fake platform in a process of
its own that answers every call after 50 ms, as a distant server would.

For 10,000 officers with one task each due in 7 days (`--quick`: 1,000), on PostgreSQL. The
clock reads 07:30 on a Monday when the scan starts and runs in real time from there. The
figures: the scan, the dispatcher's window (sends in flight) and the latency it measured, the
time from 07:30 to the last message reaching the fake, that rate against the platform's ceiling
(Telegram: 30 msg/s; Zalo: 20 msg/s, dondoc's choice, as Zalo publishes none), and what the fake
received: each officer exactly one message.

Goal: >= 0.95 of the ceiling (10,000 digests on Telegram within 350 s), no duplicate, nothing
missing. Each channel's section ends with
`delivery: <messages> messages in <s> s = <ratio> of the ceiling; duplicates <n>; missing <n>`;
Telegram's comes last.

Run: .venv/bin/python bench/delivery.py [--quick] [--channel telegram|zalo|both]
"""

import argparse
import asyncio
import logging
import os
import resource
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO_ROOT / "bench"]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

import httpx  # noqa: E402 - after the path is set
from sqlalchemy import Engine, text  # noqa: E402

from bot.conversation.incoming import ChatUser, Incoming  # noqa: E402
from jobs.dispatch import Dispatcher  # noqa: E402
from jobs.runner import JobRunner  # noqa: E402
from jobs.senders import PLATFORM_CEILINGS, Sender  # noqa: E402
from models import Channel  # noqa: E402
from models.db import make_engine  # noqa: E402
from services.messages import Reply  # noqa: E402
from services.reminding.reminders import scan  # noqa: E402
from tests.support.clock import HCM  # noqa: E402
from tests.support.fake_server import fake_process  # noqa: E402
from tests.support.throwaway import create_database, drop_database  # noqa: E402

OFFICERS = 10_000
QUICK_OFFICERS = 1_000
LATENCY = 0.05
GOAL = 0.95
MOMENT = datetime(2025, 3, 3, 7, 30, tzinfo=HCM)  # a Monday, the send time
DUE_DATE = "2025-03-10"  # 7 days later: the 7-day reminder is due at MOMENT
CHAT_BASE = 200_000
FAKES = {Channel.TELEGRAM: "tests.support.fake_telegram", Channel.ZALO: "tests.support.fake_zalo"}


class RealTimeFrom:
    """A clock that reads `start` when made and runs in real time from there."""

    def __init__(self, start: datetime) -> None:
        self._start = start
        self._origin = time.monotonic()
        self.zone = HCM

    def now(self) -> datetime:
        """`start` plus the real time elapsed since."""
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class Silent:
    """The conversation layer's stand-in: nobody writes to the bot in this bench."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """No answer."""
        return []

    async def locale_of(self, user: ChatUser) -> str:
        """Everyone reads Vietnamese."""
        return "vi"


def fill(engine: Engine, officers: int, channel: Channel) -> None:
    """One ward, one unit per officer, one task per unit due on DUE_DATE, each officer bound
    to a chat on `channel`."""
    statements = [
        "INSERT INTO organization (id, name, created_at) VALUES (1, 'Phường Bench', now())",
        "INSERT INTO reminderpolicy (organization_id, offsets_days, coordinator_offsets_days,"
        " overdue_every_working_days, escalate_after_working_days, send_time, quiet_start,"
        " quiet_end, weekly_summary_weekday, ongoing_checkin, long_window_checkin,"
        " next_summary_at) VALUES (1, '[14,7,3,1,0]', '[7]', 2, 3, '07:30', '21:00', '07:00',"
        " 0, 'monthly', 'yearly', '2030-01-01T00:00:00+00:00')",
        f"INSERT INTO unit (id, organization_id, name, kind, external) SELECT g, 1,"
        f" 'Đơn vị ' || g, 'body', false FROM generate_series(1, {officers}) g",
        f"INSERT INTO officer (id, organization_id, name, role, locale, active, is_demo,"
        f" created_at) SELECT g, 1, 'Cán bộ ' || g, 'officer', 'vi', true, false, now()"
        f" FROM generate_series(1, {officers}) g",
        f"INSERT INTO officerunit (officer_id, unit_id) SELECT g, g"
        f" FROM generate_series(1, {officers}) g",
        f"INSERT INTO channelidentity (officer_id, channel, external_id, chat_id, reachable,"
        f" bound_at) SELECT g, '{channel.value}', ({CHAT_BASE} + g)::text,"
        f" ({CHAT_BASE} + g)::text, true, now() FROM generate_series(1, {officers}) g",
        "INSERT INTO plan (id, organization_id, title, years, source_name, sha256, imported_at)"
        " VALUES (1, 1, 'Kế hoạch', '[2025]', 'bench.txt', 'x',"
        " TIMESTAMPTZ '2025-01-01T00:00:00+07:00')",
        f"INSERT INTO task (id, plan_id, kind, code, position, title, lead_text,"
        f" coordinators_text, deadline_text, deadline_kind, due, status, progress, flags)"
        f" SELECT g, 1, 'task', g::text, g, 'Báo cáo số ' || g, '', '', '10/03/2025', 'fixed',"
        f" DATE '{DUE_DATE}', 'open', 0, '[]' FROM generate_series(1, {officers}) g",
        f"INSERT INTO taskassignment (task_id, unit_id, role) SELECT g, g, 'lead'"
        f" FROM generate_series(1, {officers}) g",
        f"INSERT INTO occurrence (id, task_id, due, status, next_reminder_at)"
        f" SELECT g, g, DATE '{DUE_DATE}', 'open', TIMESTAMPTZ '{MOMENT.isoformat()}'"
        f" FROM generate_series(1, {officers}) g",
        "ANALYZE",
    ]
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        for statement in statements:
            connection.execute(text(statement))


@asynccontextmanager
async def sender_for(
    channel: Channel, base: str, runner: JobRunner, clock: RealTimeFrom
) -> AsyncIterator[Sender]:
    """The production Sender of `channel`, pointed at the fake."""
    if channel is Channel.TELEGRAM:
        from bot.telegram.app import build_application
        from bot.telegram.runner import running
        from tests.support.fake_telegram import TOKEN

        conversation = Silent()
        application = build_application(
            token=TOKEN,
            base_url=f"{base}/bot",
            conversation=conversation,
            locale_of=conversation.locale_of,
        )
        async with running(application, poll_timeout=timedelta(seconds=1)) as telegram:
            yield telegram
        return
    from bot.zalo.client import ZaloClient
    from bot.zalo.sender import ZaloSender
    from bot.zalo.store import ZaloStore
    from tests.support.fake_zalo import TOKEN as ZALO_TOKEN

    client = ZaloClient(ZALO_TOKEN, base_url=f"{base}/bot")
    try:
        yield ZaloSender(client, ZaloStore(runner, clock))
    finally:
        await client.aclose()


@dataclass(frozen=True, slots=True)
class Run:
    """What one channel's run measured."""

    scan_seconds: float
    digests: int
    seconds: float
    received: int
    duplicates: int
    missing: int
    window: int
    peak: int
    latency: float | None


async def deliver(channel: Channel, officers: int, fixed: int | None) -> Run:
    """Fill a database, then time the scan and the delivery of every digest on `channel`."""
    name, url = create_database()
    engine = make_engine(url, pool_size=10)
    try:
        fill(engine, officers, channel)
        runner = JobRunner(engine)
        async with fake_process(FAKES[channel], LATENCY) as base:
            clock = RealTimeFrom(MOMENT)
            async with sender_for(channel, base, runner, clock) as sender:
                clock = RealTimeFrom(MOMENT)
                started = time.time()
                result = await runner.run(scan, clock)
                scanned = time.time() - started
                dispatcher = (
                    Dispatcher(runner, clock, {channel: sender})
                    if fixed is None
                    else Dispatcher(runner, clock, {channel: sender}, window=fixed, ceilings={})
                )
                sent = await dispatcher.run_until_idle()
                assert sent == result.digests, (sent, result)
            async with httpx.AsyncClient() as client:
                stats = (await client.get(f"{base}/_fake/stats")).json()
    finally:
        engine.dispose()
        drop_database(name)
    chats = {int(chat): count for chat, count in stats["chats"].items()}
    wanted = {CHAT_BASE + n for n in range(1, officers + 1)}
    return Run(
        scan_seconds=scanned,
        digests=result.digests,
        seconds=stats["last_sent_at"] - started,
        received=int(stats["sent"]),
        duplicates=sum(count - 1 for count in chats.values() if count > 1),
        missing=len(wanted - set(chats)),
        window=dispatcher.window.size(channel),
        peak=dispatcher.window.peak,
        latency=dispatcher.window.latency(channel),
    )


def report(channel: Channel, run: Run) -> None:
    """Print one channel's figures, its `delivery:` line last."""
    ceiling = PLATFORM_CEILINGS[channel]
    ratio = run.received / run.seconds / ceiling
    latency = "?" if run.latency is None else f"{run.latency * 1000:.0f} ms"
    print(
        f"   scan at 07:30: {run.digests} digests in {run.scan_seconds:.2f} s; dispatcher window "
        f"{run.window} (peak {run.peak} in flight), slot time measured {latency}"
    )
    verdict = "meets" if ratio >= GOAL and not run.duplicates and not run.missing else "MISSES"
    print(f"   {verdict} the goal of >= {GOAL} of {ceiling:.0f} msg/s, each officer exactly once")
    print(
        f"delivery: {run.received} messages in {run.seconds:.1f} s = {ratio:.3f} of the ceiling;"
        f" duplicates {run.duplicates}; missing {run.missing}"
    )


async def main(quick: bool, channels: list[Channel], fixed: int | None) -> None:
    """Run each channel and print its figures."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    officers = QUICK_OFFICERS if quick else OFFICERS
    for channel in channels:
        load = os.getloadavg()
        cpu = time.process_time()
        print(
            f"{channel.value}: {officers} officers, one digest each, {LATENCY * 1000:.0f} ms "
            f"latency at the fake, ceiling {PLATFORM_CEILINGS[channel]:.0f} msg/s "
            f"(load average {load[0]:.1f} {load[1]:.1f} on {os.cpu_count()} CPUs)"
        )
        run = await deliver(channel, officers, fixed)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"   this process: {time.process_time() - cpu:.1f} CPU s, peak RSS {peak:.0f} MB; "
            f"load average after {os.getloadavg()[0]:.1f}"
        )
        report(channel, run)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_OFFICERS} officers")
    parser.add_argument("--channel", choices=("telegram", "zalo", "both"), default="both")
    parser.add_argument(
        "--fixed-window", type=int, help="keep this many sends in flight instead of sizing"
    )
    options = parser.parse_args()
    chosen = (
        [Channel.ZALO, Channel.TELEGRAM]
        if options.channel == "both"
        else [Channel(options.channel)]
    )
    asyncio.run(main(options.quick, chosen, options.fixed_window))
