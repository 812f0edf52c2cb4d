"""How many of the repository's files the two main paths run through, counted by running them.

A reminder going out: the scan finds Minh's reminder due at 07:30 and the dispatcher renders and
sends the digest. A reply coming in: Minh presses ✅ Xong under it, and `Conversation.handle`
records it and answers. Each path runs once on an in-memory SQLite database with a profiler
that notes every function called (in any thread) whose file is in the repository, outside
`tests/`; a file only imported along the way does not count. The channel's own adapter
(Telegram's handler and sender, or the web chat's) adds its files on top: docs/architecture.md
names them.

Run: `.venv/bin/python -m tests.support.paths`
"""

import asyncio
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path
from types import FrameType
from typing import Any

from sqlmodel import Session, SQLModel, select

REPO = Path(__file__).resolve().parents[2]


@contextmanager
def _files_called() -> Iterator[set[str]]:
    found: set[str] = set()

    def note(frame: FrameType, event: str, _arg: Any) -> None:
        if event != "call" or frame.f_code.co_name == "<module>":
            return
        name = frame.f_code.co_filename
        if name.startswith(str(REPO)) and "/.venv/" not in name and "/tests/" not in name:
            found.add(str(Path(name).relative_to(REPO)))

    threading.setprofile(note)
    sys.setprofile(note)
    try:
        yield found
    finally:
        sys.setprofile(None)
        threading.setprofile(None)


def measure() -> dict[str, set[str]]:
    """Run both paths once; each path's title and the repository files it ran through."""
    from bot.conversation.engine import Conversation
    from bot.conversation.incoming import ChatUser, Incoming, Press
    from jobs.dispatch import Dispatcher
    from jobs.runner import JobRunner
    from jobs.senders import RecordingSender
    from models import Channel, Occurrence
    from models.db import make_engine
    from services.reminding.reminders import scan, schedule_occurrences
    from tests.support.clock import HCM, FakeClock
    from tests.support.ward import Ward

    engine = make_engine("sqlite://")
    SQLModel.metadata.create_all(engine)
    clock = FakeClock(datetime(2025, 3, 3, 8, 0, tzinfo=HCM))
    with Session(engine, expire_on_commit=False) as session:
        ward = Ward.build(session, clock)
        minh = ward.officer("minh")
        ward.bind(minh, user_id="minh")
        ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
        schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
        session.commit()
    clock.move_to(datetime.combine(date(2025, 3, 10), time(7, 30), tzinfo=HCM))
    sender = RecordingSender()
    dispatcher = Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: sender})
    conversation = Conversation(engine, clock, evidence_dir=Path("/nonexistent"))

    def reminder() -> None:
        with Session(engine) as session:
            scan(session, clock)
        asyncio.run(dispatcher.run_until_idle())

    def reply() -> None:
        delivered = sender.deliveries[-1]
        done = next(b for b in delivered.reply.all_buttons() if b.action.value == "done")
        user = ChatUser(channel=Channel.TELEGRAM, user_id="minh", chat_id="minh")
        press = Press(done.action, done.token)
        incoming = Incoming(user=user, press=press, message_id=delivered.message_id)
        replies = asyncio.run(conversation.handle(incoming))
        assert replies, "no answer"

    paths: list[tuple[str, Callable[[], None]]] = [
        ("a reminder going out", reminder),
        ("a reply coming in", reply),
    ]
    measured: dict[str, set[str]] = {}
    for title, run in paths:
        with _files_called() as files:
            run()
        measured[title] = files
    return measured


def main() -> None:
    """Print each path's files and their count."""
    for title, files in measure().items():
        print(f"{title}: {len(files)} files")
        for name in sorted(files):
            print(f"  {name}")


if __name__ == "__main__":
    main()
