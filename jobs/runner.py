"""The one way async code reaches the synchronous use cases: each call gets a fresh session in a
worker thread."""

import asyncio
import functools
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

P = ParamSpec("P")
T = TypeVar("T")


class JobRunner:
    """Runs `function(session, *args)` in a worker thread with its own session.

    On an engine with a single shared connection (in-memory SQLite, for simulations) calls
    take turns, since one connection cannot hold two transactions at once.
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._turns = threading.Lock() if isinstance(engine.pool, StaticPool) else None

    def call(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run it here, in this thread."""
        with (
            self._turns or nullcontext(),
            Session(self.engine, expire_on_commit=False) as session,
        ):
            return function(session, *args, **kwargs)

    async def run(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run it in a worker thread."""
        return await asyncio.to_thread(functools.partial(self.call, function, *args, **kwargs))
