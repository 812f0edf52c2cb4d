"""Senders for tests and drills: one that fails on demand, and one that appends each delivery
to a file, fsynced (the crash tests count duplicates there)."""

import asyncio
import itertools
import os
from collections import deque
from enum import StrEnum
from pathlib import Path

from jobs.senders import PermanentSendError, Recipient, RecordingSender, TransientSendError
from services.messages import Reply, render_lines


class Failure(StrEnum):
    """How a send can fail."""

    RATE_LIMITED = "429"
    SERVER_ERROR = "5xx"
    TIMEOUT = "timeout"
    BLOCKED = "blocked"


class FailingSender(RecordingSender):
    """A `RecordingSender` that `fail_next(...)` makes fail on the next sends, in order."""

    def __init__(self) -> None:
        super().__init__()
        self._failures: deque[tuple[Failure, float | None]] = deque()

    def fail_next(self, *failures: Failure, retry_after: float | None = None) -> None:
        """Queue failures for the next sends (`retry_after` goes with 429s)."""
        self._failures.extend((failure, retry_after) for failure in failures)

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Fail as told, else record `reply`."""
        if not self._failures:
            return await super().send(recipient, reply)
        self.attempts += 1
        failure, retry_after = self._failures.popleft()
        if failure is Failure.RATE_LIMITED:
            raise TransientSendError("429 Too Many Requests", retry_after=retry_after)
        if failure is Failure.SERVER_ERROR:
            raise TransientSendError("502 Bad Gateway")
        if failure is Failure.TIMEOUT:
            raise TimeoutError
        raise PermanentSendError("403 Forbidden: bot was blocked by the user")


class FileSender:
    """Appends `chat_id<TAB>first line` to a file and fsyncs it before returning: what was
    delivered survives any crash of the process that delivered it (`durable=False` skips the
    fsync, for runs that kill nobody). Each send first waits `delay` seconds, as a distant
    platform would."""

    def __init__(self, path: Path, *, delay: float = 0.0, durable: bool = True) -> None:
        self.path = path
        self.delay = delay
        self.durable = durable
        self._ids = itertools.count(1)

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Wait, then deliver `reply` by appending it to the file."""
        if self.delay:
            await asyncio.sleep(self.delay)
        first = render_lines(recipient.locale, reply).splitlines()[0]
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, f"{recipient.chat_id}\t{first}\n".encode())
            if self.durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return f"f{os.getpid()}-{next(self._ids)}"
