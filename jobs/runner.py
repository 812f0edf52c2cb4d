"""The one way async code reaches the synchronous use cases: each call gets a fresh session in a
worker thread."""

import asyncio
import functools
import threading
from collections.abc import Callable
from contextlib import nullcontext
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool
from sqlmodel import Session

P = ParamSpec("P")
T = TypeVar("T")


class JobRunner:
    """Runs `function(session, *args)` in a worker thread with its own session.

    On an engine with a single shared connection (in-memory SQLite, for simulations) calls
    take turns, since one connection cannot hold two transactions at once. Reads that every
    request makes may go through `reader` (`models.db.reader_of`), by `read`.
    """

    def __init__(self, engine: Engine, *, reader: Engine | None = None) -> None:
        self.engine = engine
        self.reader = reader or engine
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

    def read_here(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run a read (work safe to run twice) here, on a session of the reader: once more on a
        fresh connection when the one it was given turns out dead (a restarted server), which
        the reader's pool does not ping for."""
        for attempt in (1, 2):
            try:
                with (
                    self._turns or nullcontext(),
                    Session(self.reader, expire_on_commit=False) as session,
                ):
                    return function(session, *args, **kwargs)
            except DBAPIError as error:
                if attempt == 2 or not error.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    async def read(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """`read_here` in a worker thread."""
        return await asyncio.to_thread(
            functools.partial(self.read_here, function, *args, **kwargs)
        )

    def dispose(self) -> None:
        """Close the reader's connections, when it has a pool of its own."""
        if self.reader is not self.engine:
            self.reader.dispose()
