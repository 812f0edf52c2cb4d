"""What the fake chat platforms (`fake_telegram`, `fake_zalo`) share: the calls they record and
wait on, the failures tests inject, the updates a long poll hands out, and how a fake is served:
on a loopback port in the test's event loop (`serve_app`), or in a process of its own for a
benchmark (`main`, `fake_process`), which keeps no history and answers `/_fake/stats`."""

import argparse
import asyncio
import sys
from collections import defaultdict
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import httpx
import uvicorn
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp

from tests.support.ports import free_port

JSON = dict[str, Any]
REPO_ROOT = Path(__file__).resolve().parents[2]
PATIENCE = 20.0
"""How long a test waits for what the bot sends: only a failing test waits it out, and a machine
running the suite beside other work has taken over 5 s for one answer on PostgreSQL."""


@dataclass(frozen=True, slots=True)
class Call:
    """One request the bot made: the method, its decoded fields, when it arrived, its files."""

    method: str
    params: Mapping[str, Any]
    at: float
    files: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(slots=True)
class Failure:
    """An injected error answered instead of the next `times` calls of a method (to one chat,
    when `chat_id` is given): `status` sent with HTTP `http_status` (default: the same)."""

    status: int
    description: str
    times: int = 1
    chat_id: str | None = None
    retry_after: int | None = None
    http_status: int | None = None


class Recorder:
    """The calls a fake received, in order, and the failures waiting for the next ones."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.keep = True  # False in a benchmark's process: no history
        self._failures: dict[str, list[Failure]] = defaultdict(list)
        self._new_call = asyncio.Condition()

    def fail(self, method: str, failure: Failure) -> None:
        """Answer the next calls of `method` with `failure`."""
        self._failures[method].append(failure)

    def calls_of(self, method: str) -> list[Call]:
        """The recorded calls of one method, in order."""
        return [call for call in self.calls if call.method == method]

    async def record(self, call: Call) -> None:
        """Keep `call` (unless history is off) and wake whoever waits on the calls."""
        if not self.keep:
            return
        async with self._new_call:
            self.calls.append(call)
            self._new_call.notify_all()

    def take_failure(self, method: str, params: Mapping[str, Any]) -> Failure | None:
        """The failure to answer this call with, if one is waiting for it."""
        for failure in self._failures.get(method, []):
            if failure.chat_id is not None and failure.chat_id != str(params.get("chat_id")):
                continue
            failure.times -= 1
            if failure.times <= 0:
                self._failures[method].remove(failure)
            return failure
        return None

    async def wait_until(self, predicate: Callable[[], bool], *, within: float) -> None:
        """Wait until `predicate()` holds after some call; fail the test after `within` s."""
        async with asyncio.timeout(within), self._new_call:
            await self._new_call.wait_for(predicate)


class Updates:
    """The updates users sent, waiting for the bot's long poll."""

    def __init__(self) -> None:
        self.queued: list[JSON] = []
        self._new = asyncio.Event()
        self._closing = False

    def push(self, update: JSON) -> None:
        """Queue `update` and wake a waiting poll."""
        self.queued.append(update)
        self._new.set()

    async def wait(self, within: float) -> None:
        """Hold a poll until an update is queued, `within` seconds pass or the fake closes."""
        if self.queued or within <= 0 or self._closing:
            return
        self._new.clear()
        try:
            async with asyncio.timeout(within):
                await self._new.wait()
        except TimeoutError:
            pass

    def close(self) -> None:
        """Release every long poll at once, so the server stops without waiting."""
        self._closing = True
        self._new.set()


def ok(result: object) -> Response:
    """Both platforms' envelope of a success."""
    return JSONResponse({"ok": True, "result": result})


@asynccontextmanager
async def serve_app(
    app: ASGIApp, port: int | None = None, *, keep_alive: int = 5
) -> AsyncIterator[int]:
    """Run an ASGI app on loopback (a free port unless given) in this event loop until the
    block ends; yields the port. `keep_alive`: seconds an idle connection is kept."""
    port = port or free_port()
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="off",
        timeout_keep_alive=keep_alive,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.005)
    try:
        yield port
    finally:
        server.should_exit = True
        await task


class Fake(Protocol):
    """A fake platform as `main` serves it."""

    @property
    def app(self) -> ASGIApp:
        """Its Starlette app."""

    @property
    def recorder(self) -> Recorder:
        """Its calls and failures."""


def main(description: str, make: Callable[[float], Fake], *, keep_alive: int = 5) -> None:
    """Serve the fake `make(latency)` builds on `--port` until killed, keeping no history (for
    benchmarks)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--latency", type=float, default=0.0)
    options = parser.parse_args()
    fake = make(options.latency)
    fake.recorder.keep = False
    uvicorn.run(
        fake.app,
        host="127.0.0.1",
        port=options.port,
        log_level="warning",
        lifespan="off",
        timeout_keep_alive=keep_alive,
    )


@asynccontextmanager
async def fake_process(module: str, latency: float) -> AsyncIterator[str]:
    """The fake platform of `module` ("tests.support.fake_zalo") in a process of its own, ready
    (it answers `/_fake/stats`); yields its root URL, stops it at the end."""
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", module, f"--port={port}", f"--latency={latency}", cwd=REPO_ROOT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(400):
                try:
                    await client.get(f"{base}/_fake/stats")
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
        yield base
    finally:
        process.terminate()
        await process.wait()
