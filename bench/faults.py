"""The fault drill: 2,000 messages through the real dispatcher and `TelegramSender` to the fake
Bot API, which answers 20 % of the calls with 429 (retry_after), 5xx or a timeout, and every
call to a user who blocked the bot with 403.

Every deliverable message must arrive exactly once, each blocked user must be flagged
unreachable with the office told, and nothing may be left pending or claimed. The clock of the
outbox is simulated (retries fall due at once); the sends, the fake and its timeouts are real.
The last line is `faults: <sent> delivered, duplicates <n>, lost <n>, blocked flagged <n>`.

Run: .venv/bin/python bench/faults.py [--messages 2000] [--rate 0.2] [--quick]
"""

import argparse
import asyncio
import logging
import random
import re
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != REPO_ROOT / "bench"]
sys.path.insert(0, str(REPO_ROOT))

from sqlmodel import Session, col, func, select  # noqa: E402
from starlette.requests import Request  # noqa: E402
from starlette.responses import Response  # noqa: E402
from telegram import Bot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.telegram.sender import TelegramSender  # noqa: E402
from jobs.dispatch import Dispatcher  # noqa: E402
from jobs.runner import JobRunner  # noqa: E402
from models import (  # noqa: E402
    Channel,
    ChannelIdentity,
    Officer,
    Organization,
    Outbox,
    OutboxState,
    ReminderPolicy,
    Role,
)
from models.db import make_engine  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from tests.support.clock import FakeClock  # noqa: E402
from tests.support.crash_drill import enqueue_drill_messages  # noqa: E402
from tests.support.fake_telegram import TOKEN, FakeTelegram, serve_fake  # noqa: E402

PEOPLE = 200
BLOCKED = 8
READ_TIMEOUT = 15.0
"""The bot's HTTP read timeout; a call the fake answers as a timeout hangs longer and delivers
nothing. (A timeout after Telegram delivered cannot be told from one before: the generous
timeout keeps a slow machine's late answers from reading as timeouts.)"""
ADMIN_CHAT = 1
FIRST_CHAT = 1000
MONDAY_MORNING = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)  # 09:00 in Việt Nam, a working day
MAX_ROUNDS = 60
_DRILL = re.compile(r"^drill (\d+)$")


class FaultyTelegram(FakeTelegram):
    """The fake Bot API answering a share of the message sends with a fault."""

    def __init__(self, rate: float, seed: int) -> None:
        super().__init__()
        self.rate = rate
        self.random = random.Random(seed)
        self.faults: Counter[str] = Counter()
        self.attempts = 0

    async def _endpoint(self, request: Request) -> Response:
        method = request.path_params["method"]
        self.attempts += method == "sendMessage"
        if method == "sendMessage" and self.random.random() < self.rate:
            fault = self.random.choice(("429", "500", "502", "timeout"))
            self.faults[fault] += 1
            if fault == "429":
                return _error(429, "Too Many Requests: retry after 1", retry_after=1)
            if fault == "timeout":
                await asyncio.sleep(READ_TIMEOUT + 1)  # the bot has given up by then
                return _error(504, "Gateway Timeout")
            return _error(int(fault), "Internal Server Error")
        response = await super()._endpoint(request)
        if response.status_code == 403:
            self.faults["403"] += 1
        return response


def _error(status: int, description: str, retry_after: int | None = None) -> Response:
    from starlette.responses import JSONResponse

    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return JSONResponse(body, status_code=status)


def fill(engine: Any, messages: int, blocked: set[int]) -> None:
    """A ward of `PEOPLE` officers on Telegram and its admin; `messages` replies due now."""
    now = MONDAY_MORNING
    with Session(engine) as session:
        org = Organization(name="Phường Diễn tập", created_at=now)
        session.add(org)
        session.flush()
        assert org.id is not None
        session.add(ReminderPolicy(organization_id=org.id))
        admin = Officer(organization_id=org.id, name="Hà", role=Role.ADMIN, created_at=now)
        people = [
            Officer(organization_id=org.id, name=f"Cán bộ {n}", role=Role.OFFICER, created_at=now)
            for n in range(PEOPLE)
        ]
        session.add_all([admin, *people])
        session.flush()
        for chat, person in [(ADMIN_CHAT, admin), *enumerate(people, start=FIRST_CHAT)]:
            assert person.id is not None
            session.add(
                ChannelIdentity(
                    officer_id=person.id,
                    channel=Channel.TELEGRAM,
                    external_id=str(chat),
                    chat_id=str(chat),
                    bound_at=now,
                )
            )
        enqueue_drill_messages(session, org.id, people, messages, now)
        session.commit()


def unfinished(engine: Any) -> int:
    """Rows neither sent nor given up on."""
    with Session(engine) as session:
        return int(
            session.exec(
                select(func.count())
                .select_from(Outbox)
                .where(col(Outbox.state).not_in((OutboxState.SENT, OutboxState.DEAD)))
            ).one()
        )


async def drill(messages: int, rate: float, seed: int, folder: Path) -> int:
    """Run the drill; print the figures; return the exit code."""
    rng = random.Random(seed)
    blocked_people = set(rng.sample(range(PEOPLE), BLOCKED))
    url = f"sqlite:///{folder / 'faults.db'}"
    engine = make_engine(url)
    upgrade(engine)
    fill(engine, messages, blocked_people)
    fake = FaultyTelegram(rate, seed)
    fake.blocked_chats = {FIRST_CHAT + person for person in blocked_people}
    clock = FakeClock(MONDAY_MORNING)
    started = time.perf_counter()
    rounds = 0
    async with serve_fake(fake) as served:
        request = HTTPXRequest(connection_pool_size=128, read_timeout=READ_TIMEOUT)
        bot = Bot(TOKEN, base_url=served.base_url, request=request)
        await bot.initialize()
        try:
            dispatcher = Dispatcher(
                JobRunner(engine),
                clock,
                {Channel.TELEGRAM: TelegramSender(bot)},
                batch=256,
                send_timeout=READ_TIMEOUT * 3,
            )
            while rounds < MAX_ROUNDS and unfinished(engine):
                await dispatcher.run_until_idle()
                clock.advance(hours=1)  # every backoff (at most an hour) falls due
                rounds += 1
        finally:
            await bot.shutdown()
    elapsed = time.perf_counter() - started
    delivered_calls = [
        str(m.get("text", "")) for (chat, _), m in fake._messages.items() if chat >= FIRST_CHAT
    ]
    arrived = Counter(
        int(found[1]) for text in delivered_calls if (found := _DRILL.match(text)) is not None
    )
    deliverable = {n for n in range(messages) if n % PEOPLE not in blocked_people}
    duplicates = sum(count - 1 for count in arrived.values() if count > 1)
    lost = len(deliverable - set(arrived))
    wrongly = len(set(arrived) - deliverable)
    stuck = unfinished(engine)
    with Session(engine) as session:
        flagged = session.exec(
            select(ChannelIdentity).where(col(ChannelIdentity.reachable).is_(False))
        ).all()
        flagged_people = {int(identity.chat_id) - FIRST_CHAT for identity in flagged}
        dead = session.exec(
            select(func.count()).select_from(Outbox).where(Outbox.state == OutboxState.DEAD)
        ).one()
    to_office = " ".join(
        str(message.get("text", ""))
        for (chat, _), message in fake._messages.items()
        if chat == ADMIN_CHAT
    )
    told = {n for n in blocked_people if re.search(rf"Cán bộ {n}\b", to_office)}
    engine.dispose()
    faults = ", ".join(f"{kind} {count}" for kind, count in sorted(fake.faults.items()))
    calls = fake.attempts
    print(f"messages: {messages} to {PEOPLE} officers, {BLOCKED} of whom blocked the bot")
    share = sum(fake.faults.values()) / max(calls, 1)
    print(f"calls to sendMessage: {calls}; faults answered ({share:.0%}): {faults}")
    print(f"rounds of the dispatcher: {rounds} (an hour of outbox time each), {elapsed:.1f} s")
    print(f"rows left pending or claimed: {stuck}; rows given up (blocked users'): {dead}")
    print(f"messages to blocked users delivered anyway: {wrongly}")
    print(f"blocked users the office was told of: {len(told)} of {len(blocked_people)}")
    print(
        f"faults: {len(set(arrived) & deliverable)} delivered, duplicates {duplicates}, "
        f"lost {lost}, blocked flagged {len(flagged_people & blocked_people)}"
    )
    ok = (
        not duplicates
        and not lost
        and not stuck
        and not wrongly
        and flagged_people == blocked_people
        and told == blocked_people
    )
    return 0 if ok else 1


def main() -> None:
    """Parse the options, run the drill, exit 1 when a message was lost, repeated or stuck."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--quick", action="store_true", help="300 messages")
    options = parser.parse_args()
    messages = 300 if options.quick else options.messages
    logging.basicConfig(level=logging.ERROR, format="%(levelname)s %(name)s: %(message)s")
    with tempfile.TemporaryDirectory() as folder:
        code = asyncio.run(drill(messages, options.rate, options.seed, Path(folder)))
    sys.exit(code)


if __name__ == "__main__":
    main()
