"""Senders for tests and drills: one that records what it was given and can be told to fail,
and one that appends each delivery to a file, fsynced (the crash tests count duplicates there).
"""

import itertools
import os
from collections import deque
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from jobs.senders import PermanentSendError, Recipient, TransientSendError
from services.messages import Reply, render_lines


class Failure(StrEnum):
    """How a send can fail."""

    RATE_LIMITED = "429"
    SERVER_ERROR = "5xx"
    TIMEOUT = "timeout"
    BLOCKED = "blocked"


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message as it was delivered."""

    recipient: Recipient
    reply: Reply
    text: str
    message_id: str


class RecordingSender:
    """Records every delivery; `fail_next(...)` makes the next sends fail, in order."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.attempts = 0
        self._failures: deque[tuple[Failure, float | None]] = deque()
        self._ids = itertools.count(1)

    def fail_next(self, *failures: Failure, retry_after: float | None = None) -> None:
        """Queue failures for the next sends (`retry_after` goes with 429s)."""
        self._failures.extend((failure, retry_after) for failure in failures)

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver (record) `reply`, or fail as told."""
        self.attempts += 1
        if self._failures:
            failure, retry_after = self._failures.popleft()
            if failure is Failure.RATE_LIMITED:
                raise TransientSendError("429 Too Many Requests", retry_after=retry_after)
            if failure is Failure.SERVER_ERROR:
                raise TransientSendError("502 Bad Gateway")
            if failure is Failure.TIMEOUT:
                raise TimeoutError
            raise PermanentSendError("403 Forbidden: bot was blocked by the user")
        message_id = f"m{next(self._ids)}"
        text = render_lines(recipient.locale, reply)
        self.deliveries.append(Delivery(recipient, reply, text, message_id))
        return message_id


class FileSender:
    """Appends `chat_id<TAB>first line` to a file and fsyncs it before returning: what was
    delivered survives any crash of the process that delivered it (`durable=False` skips the
    fsync, for runs that kill nobody)."""

    def __init__(self, path: Path, *, durable: bool = True) -> None:
        self.path = path
        self.durable = durable
        self._ids = itertools.count(1)

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver `reply` by appending it to the file."""
        first = render_lines(recipient.locale, reply).splitlines()[0]
        descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(descriptor, f"{recipient.chat_id}\t{first}\n".encode())
            if self.durable:
                os.fsync(descriptor)
        finally:
            os.close(descriptor)
        return f"f{os.getpid()}-{next(self._ids)}"
