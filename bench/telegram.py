"""dondoc's Telegram adapter against the local fake Bot API: three figures.

1. Update handling: N text updates from many chats, pushed at once; the time until every answer
   reached the fake, for dondoc's application (real handlers, a conversation stand-in that echoes
   through a `Reply`) and for a bare python-telegram-bot echo bot, in the same run, against the
   same fake. Both run without Telegram's 30 msg/s cap here (the echo bot has no limiter; ours
   keeps its AIORateLimiter with the overall cap lifted), so what is compared is the handling.
   Goal: dondoc >= 0.5x the echo bot.
2. Delivery: `TelegramSender` with the production rate limiter (30 msg/s), 50 ms of server
   latency on every call, the messages offered concurrently as the dispatcher does.
   Goal: >= 0.97 x 30 msg/s.
3. A digest to 10,000 officers (distinct chats) through the same Sender and latency.
   Goal: <= 1.05 x 10,000/30 s = 350 s. `--quick` sends 1,000 and extrapolates linearly.

Run: .venv/bin/python bench/telegram.py [--quick]
"""

import argparse
import asyncio
import logging
import os
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
# Run as a script, this file's folder comes first on the path and its name hides the library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO_ROOT / "bench"]
sys.path.insert(0, str(REPO_ROOT))
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Update  # noqa: E402 - after the path is set
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters  # noqa: E402

from bot.conversation.incoming import ChatUser, Incoming  # noqa: E402
from bot.conversation.replies import Action, Button, Reply, Text  # noqa: E402
from bot.telegram.app import build_application  # noqa: E402
from bot.telegram.ordering import DEFAULT_CONCURRENCY  # noqa: E402
from bot.telegram.runner import running  # noqa: E402
from bot.telegram.sender import TelegramSender  # noqa: E402
from jobs.senders import Recipient, TransientSendError  # noqa: E402
from tests.support.fake_telegram import TOKEN, FakeTelegram, RunningFake, serve_fake  # noqa: E402

TELEGRAM_LIMIT = 30.0  # messages per second, overall
THROUGHPUT_GOAL = 0.5
DELIVERY_GOAL = 0.97
DIGEST_GOAL = 1.05
UPDATES = 1_000
CHATS = 200
ROUNDS = 5
DELIVERY_MESSAGES = 600
LATENCY = 0.05
OFFICERS = 10_000
QUICK_OFFICERS = 1_000
IN_FLIGHT = 64  # sends the bench keeps offered at once (the limiter queues them)
POLL = timedelta(seconds=1)

DIGEST = Reply(
    lines=(
        Text(
            "Good morning {name}: {due} tasks due this week, {overdue} overdue.",
            {"name": "Minh", "due": 3, "overdue": 1},
        ),
        Text(
            "{code} {title} (due {date})", {"code": "2.1", "title": "Báo cáo quý", "date": "28/03"}
        ),
        Text("{code} {title} (due {date})", {"code": "3.4", "title": "Kiểm tra", "date": "31/03"}),
    ),
    buttons=((Button(Action.PAGE, "d1", Text("Open")),),),
)


class EchoConversation:
    """The conversation layer's stand-in: one reply line per update, as a `Reply`."""

    async def handle(self, incoming: Incoming) -> list[Reply]:
        """Say the text back."""
        return [Reply(lines=(Text("{said}", {"said": incoming.text or ""}),))]

    async def locale_of(self, user: ChatUser) -> str:
        """Everyone reads Vietnamese."""
        return "vi"


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The bare PTB echo bot's one handler."""
    assert update.message is not None
    assert update.message.text is not None
    await update.message.reply_text(update.message.text)


async def _handling_time(
    make_app: Callable[[RunningFake], Application[Any, Any, Any, Any, Any, Any]],
) -> float:
    """Seconds from pushing UPDATES updates to the last answer reaching the fake."""
    async with serve_fake(FakeTelegram()) as served:
        fake = served.fake
        application = make_app(served)
        async with application:
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0, timeout=POLL)
            await fake.wait_calls("getUpdates")
            start = time.perf_counter()
            for index in range(UPDATES):
                fake.push_text(100_000 + index % CHATS, f"update {index}")
            await fake.wait_for(lambda _: fake.sent_count >= UPDATES, within=120)
            elapsed = time.perf_counter() - start
            await application.updater.stop()
            await application.stop()
    return elapsed


def _dondoc(
    concurrency: int,
) -> Callable[[RunningFake], Application[Any, Any, Any, Any, Any, Any]]:
    def make(served: RunningFake) -> Application[Any, Any, Any, Any, Any, Any]:
        conversation = EchoConversation()
        return build_application(
            token=TOKEN,
            base_url=served.base_url,
            conversation=conversation,
            locale_of=conversation.locale_of,
            overall_max_rate=0,
            concurrency=concurrency,
        )

    return make


def _echo_bot(served: RunningFake) -> Application[Any, Any, Any, Any, Any, Any]:
    application = ApplicationBuilder().token(TOKEN).base_url(served.base_url).build()
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    return application


async def _deliver(count: int) -> tuple[float, list[float], int]:
    """Send `count` replies to distinct chats through the Sender at 50 ms latency; return the
    total seconds and when each send completed."""
    async with serve_fake(FakeTelegram(latency=LATENCY)) as served:
        conversation = EchoConversation()
        application = build_application(
            token=TOKEN,
            base_url=served.base_url,
            conversation=conversation,
            locale_of=conversation.locale_of,
        )
        async with running(application, poll_timeout=POLL) as sender:
            done: list[float] = []
            retries: list[int] = []
            start = time.perf_counter()
            await _send_all(sender, count, done, retries)
            elapsed = time.perf_counter() - start
        assert served.fake.sent_count == count, served.fake.sent_count
    return elapsed, [at - start for at in done], len(retries)


async def _send_all(
    sender: TelegramSender, count: int, done: list[float], retries: list[int]
) -> None:
    queue: asyncio.Queue[int] = asyncio.Queue()
    for officer in range(count):
        queue.put_nowait(officer)

    async def worker() -> None:
        while not queue.empty():
            officer = queue.get_nowait()
            recipient = Recipient(officer_id=officer, chat_id=str(200_000 + officer), locale="vi")
            while True:
                try:
                    await sender.send(recipient, DIGEST)
                    break
                except TransientSendError as error:  # what the dispatcher would retry
                    retries.append(officer)
                    await asyncio.sleep(error.retry_after or 0.1)
            done.append(time.perf_counter())

    await asyncio.gather(*(worker() for _ in range(IN_FLIGHT)))


def _verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


async def main(quick: bool) -> None:
    """Print the three figures."""
    logging.basicConfig(level=logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)

    print(f"1. update handling: {UPDATES} text updates from {CHATS} chats, best of {ROUNDS}")
    echo_times, ours_times, ours_serial = [], [], []
    for _ in range(ROUNDS):
        echo_times.append(await _handling_time(_echo_bot))
        ours_times.append(await _handling_time(_dondoc(concurrency=DEFAULT_CONCURRENCY)))
        ours_serial.append(await _handling_time(_dondoc(concurrency=1)))
    echo_rate = UPDATES / min(echo_times)
    ours_rate = UPDATES / min(ours_times)
    serial_rate = UPDATES / min(ours_serial)
    print(f"   bare PTB echo bot (sequential):     {echo_rate:8.0f} updates/s")
    print(f"   dondoc as built ({DEFAULT_CONCURRENCY} chats at once): {ours_rate:8.0f} updates/s")
    print(f"   dondoc, one update at a time:       {serial_rate:8.0f} updates/s")
    ratio = ours_rate / echo_rate
    print(
        f"   ratio: {ratio:.2f}x ({_verdict(ratio >= THROUGHPUT_GOAL)} the goal of "
        f">= {THROUGHPUT_GOAL}x); one at a time: {serial_rate / echo_rate:.2f}x"
    )
    print(
        f"   (medians: echo {statistics.median(echo_times):.2f}s, dondoc "
        f"{statistics.median(ours_times):.2f}s, serial {statistics.median(ours_serial):.2f}s)"
    )

    print(
        f"2. delivery: {DELIVERY_MESSAGES} messages, {LATENCY * 1000:.0f} ms server latency, "
        f"limiter at {TELEGRAM_LIMIT:.0f} msg/s"
    )
    elapsed, done, retried = await _deliver(DELIVERY_MESSAGES)
    overall = DELIVERY_MESSAGES / elapsed
    after_burst = [at for at in sorted(done) if at >= 1.0]
    steady = (len(after_burst) - 1) / (after_burst[-1] - after_burst[0])
    print(
        f"   overall {overall:.2f} msg/s in {elapsed:.1f}s; steady (after the first second's "
        f"burst) {steady:.2f} msg/s; {retried} transient failures retried"
    )
    share = steady / TELEGRAM_LIMIT
    print(
        f"   steady rate / 30 msg/s: {share:.3f} ({_verdict(share >= DELIVERY_GOAL)} the goal "
        f"of >= {DELIVERY_GOAL})"
    )

    officers = QUICK_OFFICERS if quick else OFFICERS
    print(
        f"3. digest to {OFFICERS} officers ({LATENCY * 1000:.0f} ms latency)"
        + (f": --quick, {officers} sent and extrapolated linearly" if quick else "")
    )
    elapsed, _, retried_digest = await _deliver(officers)
    projected = elapsed * OFFICERS / officers
    goal = DIGEST_GOAL * OFFICERS / TELEGRAM_LIMIT
    label = "projected" if quick else "measured"
    print(
        f"   {officers} sent in {elapsed:.1f}s; {label} for {OFFICERS}: {projected:.1f}s "
        f"({_verdict(projected <= goal)} the goal of <= {goal:.0f}s); "
        f"{retried_digest} transient failures retried"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="send 1,000 digests, extrapolate")
    asyncio.run(main(parser.parse_args().quick))
