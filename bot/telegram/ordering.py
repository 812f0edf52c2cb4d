"""Updates processed concurrently across chats, one at a time within a chat.

The conversation layer runs each update in a worker thread with its own database session; two
chats need not wait for each other, but one person's quick double tap must be answered in order.
"""

import asyncio
from collections.abc import Awaitable
from typing import Final

from telegram import Update
from telegram.ext import BaseUpdateProcessor

DEFAULT_CONCURRENCY: Final = 8


class ChatOrderedProcessor(BaseUpdateProcessor):
    """Runs up to `max_concurrent_updates` updates at once, serialised per chat."""

    def __init__(self, max_concurrent_updates: int = DEFAULT_CONCURRENCY) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._holders: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[object]) -> None:
        """Wait for the chat's earlier updates, then process this one."""
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock = self._locks.setdefault(chat.id, asyncio.Lock())
        self._holders[chat.id] = self._holders.get(chat.id, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._holders[chat.id] -= 1
            if not self._holders[chat.id]:
                del self._holders[chat.id]
                del self._locks[chat.id]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
