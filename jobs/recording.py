"""The sender of `dondoc simulate` (and of the paths' file count): it records each message it
is given, rendered as a phone shows it, instead of sending it. The tests' senders that fail on
demand or write to a file are theirs (`tests/support/senders.py`).
"""

import itertools
from dataclasses import dataclass

from jobs.senders import Recipient
from services.messages import Reply, render_lines


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message as it was delivered."""

    recipient: Recipient
    reply: Reply
    text: str
    message_id: str


class RecordingSender:
    """Records every delivery (`deliveries`, in order; `attempts` counts the calls)."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self.attempts = 0
        self._ids = itertools.count(1)

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Deliver (record) `reply`."""
        self.attempts += 1
        message_id = f"m{next(self._ids)}"
        text = render_lines(recipient.locale, reply)
        self.deliveries.append(Delivery(recipient, reply, text, message_id))
        return message_id
