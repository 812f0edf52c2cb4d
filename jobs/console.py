"""The console channel: prints each message to standard output (a terminal demo, `dondoc
simulate`, and a channel for officers bound to `console`)."""

import itertools
import sys
from typing import TextIO

from jobs.senders import Recipient
from services.messages import Reply, render_lines


class ConsoleSender:
    """Prints messages; message ids count up from 1."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._ids = itertools.count(1)

    async def send(self, recipient: Recipient, reply: Reply) -> str:
        """Print `reply` for `recipient` and return its id."""
        stream = self._stream or sys.stdout
        message_id = str(next(self._ids))
        stream.write(f"--- #{message_id} to {recipient.chat_id} ---\n")
        stream.write(render_lines(recipient.locale, reply) + "\n")
        stream.flush()
        return message_id
