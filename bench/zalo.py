"""dondoc's Zalo adapter against the local fake Zalo Bot Platform: three figures.

1. Polling: N text updates from N chats queued at once; getUpdates hands out one update per call,
   so this is round trips plus storing each update before it is processed (SQLite, WAL).
2. Webhook: the same N updates POSTed to the webhook route on loopback, 8 at a time; the time
   until every one was acknowledged, and until every answer reached the fake.
3. Delivery: `ZaloSender` sending N reminders with numbered choices one after the other (the
   dispatcher sends one row at a time), with 0 and 50 ms of latency on every call to the fake.

A conversation stand-in answers every update with one line, so the adapter is what is measured.
Run: .venv/bin/python bench/zalo.py [--updates 500] [--messages 200]
"""

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO_ROOT / "bench"]
sys.path.insert(0, str(REPO_ROOT))

import httpx  # noqa: E402 - after the path is set
from starlette.applications import Starlette  # noqa: E402
from starlette.types import ASGIApp, Receive, Scope, Send  # noqa: E402

from bot.zalo.client import ZaloClient  # noqa: E402
from bot.zalo.inbox import Inbox  # noqa: E402
from bot.zalo.runner import running  # noqa: E402
from bot.zalo.sender import ZaloSender  # noqa: E402
from bot.zalo.store import ZaloStore  # noqa: E402
from bot.zalo.webhook import SECRET_HEADER, webhook_route  # noqa: E402
from jobs.runner import JobRunner  # noqa: E402
from jobs.senders import Recipient  # noqa: E402
from models.db import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from services.clock import SystemClock  # noqa: E402
from services.messages import Action, Button, Reply, Text  # noqa: E402
from tests.support.clock import HCM  # noqa: E402
from tests.support.fake_server import serve_app  # noqa: E402
from tests.support.fake_zalo import TOKEN, FakeZalo, serve_fake  # noqa: E402
from tests.support.ports import free_port  # noqa: E402
from tests.support.scripted_conversation import ScriptedConversation  # noqa: E402

SECRET = "bench-webhook-secret"
CONCURRENCY = 8  # webhook POSTs in flight
REMINDER = Reply(
    lines=(Text("Task {code} is due today.", {"code": "2.1"}),),
    buttons=(
        tuple(
            Button(action, "tok1234567", Text(label))
            for action, label in [
                (Action.DONE, "✅ Done"),
                (Action.PROGRESS, "📊 Progress"),
                (Action.BLOCKER, "🚧 Blocker"),
            ]
        ),
    ),
)


class Latency:
    """ASGI middleware: every request to the fake waits `seconds` first."""

    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.seconds:
            await asyncio.sleep(self.seconds)
        await self.app(scope, receive, send)


def _store(folder: Path, name: str) -> ZaloStore:
    engine = make_engine(f"sqlite:///{folder / name}.db")
    upgrade(engine)
    return ZaloStore(JobRunner(engine), SystemClock(HCM))


async def _answered(fake: FakeZalo, count: int) -> None:
    await fake.wait_for(lambda: len(fake.sent) >= count, within=600)


async def polling(folder: Path, count: int) -> float:
    """Seconds until `count` queued updates are all answered, by polling."""
    fake = FakeZalo()
    async with serve_fake(fake) as served:
        conversation = ScriptedConversation()
        inbox = Inbox(
            client=ZaloClient(TOKEN, base_url=served.base_url),
            store=_store(folder, "polling"),
            conversation=conversation,
            locale_of=conversation.locale_of,
        )
        for n in range(count):
            fake.push_text(f"user{n:05d}", f"tin nhắn {n}")
        started = time.perf_counter()
        async with running(inbox, poll_timeout=1):
            await _answered(fake, count)
            return time.perf_counter() - started


async def webhook(folder: Path, count: int) -> tuple[float, float]:
    """Seconds until `count` webhook POSTs are acknowledged, and until all are answered."""
    fake = FakeZalo()
    async with serve_fake(fake) as served:
        conversation = ScriptedConversation()
        inbox = Inbox(
            client=ZaloClient(TOKEN, base_url=served.base_url),
            store=_store(folder, "webhook"),
            conversation=conversation,
            locale_of=conversation.locale_of,
        )
        port = free_port()
        url = f"http://127.0.0.1:{port}/zalo"
        app = Starlette(routes=[webhook_route(inbox, webhook_url=url, secret=SECRET)])
        updates = [fake.text_update(f"user{n:05d}", f"tin nhắn {n}") for n in range(count)]
        gate = asyncio.Semaphore(CONCURRENCY)
        async with serve_app(app, port), httpx.AsyncClient() as http:

            async def post(update: dict[str, object]) -> None:
                async with gate:
                    response = await http.post(url, json=update, headers={SECRET_HEADER: SECRET})
                    response.raise_for_status()

            started = time.perf_counter()
            await asyncio.gather(*(post(update) for update in updates))
            acknowledged = time.perf_counter() - started
            await _answered(fake, count)
            answered = time.perf_counter() - started
            await inbox.drain()
            await inbox.client.aclose()
            return acknowledged, answered


async def delivery(folder: Path, count: int, latency: float) -> float:
    """Seconds to send `count` reminders one after the other through `ZaloSender`."""
    fake = FakeZalo()
    port = free_port()
    async with serve_app(Latency(fake.app, latency), port):
        fake.port = port
        store = _store(folder, f"delivery{int(latency * 1000)}")
        client = ZaloClient(TOKEN, base_url=f"http://127.0.0.1:{port}/bot")
        sender = ZaloSender(client, store)
        started = time.perf_counter()
        for n in range(count):
            await sender.send(
                Recipient(officer_id=n, chat_id=f"user{n:05d}", locale="vi"), REMINDER
            )
        elapsed = time.perf_counter() - started
        await client.aclose()
        fake.close()
        return elapsed


async def main(updates: int, messages: int) -> None:
    """Print the three figures."""
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        seconds = await polling(folder, updates)
        print(
            f"polling: {updates} updates answered in {seconds:.2f} s ({updates / seconds:.0f}/s)"
        )
        acknowledged, answered = await webhook(folder, updates)
        print(
            f"webhook: {updates} updates acknowledged in {acknowledged:.2f} s "
            f"({updates / acknowledged:.0f}/s), answered in {answered:.2f} s "
            f"({updates / answered:.0f}/s)"
        )
        for latency in (0.0, 0.05):
            seconds = await delivery(folder, messages, latency)
            print(
                f"delivery at {latency * 1000:.0f} ms latency: {messages} reminders in "
                f"{seconds:.2f} s ({messages / seconds:.1f}/s, "
                f"{seconds / messages * 1000:.1f} ms each)"
            )


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=500)
    parser.add_argument("--messages", type=int, default=200)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.updates, arguments.messages))
