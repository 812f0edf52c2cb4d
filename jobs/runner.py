"""The one way async code reaches the synchronous use cases: each call gets a fresh session in a
worker thread."""

import asyncio
import functools
from collections.abc import Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlalchemy import Engine
from sqlmodel import Session

P = ParamSpec("P")
T = TypeVar("T")


class JobRunner:
    """Runs `function(session, *args)` in a worker thread with its own session."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def call(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run it here, in this thread."""
        with Session(self.engine, expire_on_commit=False) as session:
            return function(session, *args, **kwargs)

    async def run(
        self, function: Callable[Concatenate[Session, P], T], *args: P.args, **kwargs: P.kwargs
    ) -> T:
        """Run it in a worker thread."""
        return await asyncio.to_thread(functools.partial(self.call, function, *args, **kwargs))
