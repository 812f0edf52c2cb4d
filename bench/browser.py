"""A chair's browser for the benches' page loads, costing the machine what a browser costs the
server's: the benches run the chairs on the server's own two CPUs, where a province's chairs
each have a computer of their own. An httpx client spent about 1.2 ms of processor a load (its
request and response objects, its connection pool) in the one process that runs all 50 chairs,
so the 50th chair's request went out and its answer was read only after the 49 others': that
time was counted into every load's latency. This one keeps a connection alive, sends bytes
built once, and reads the answer by its length: a tenth of that.

Signing in still goes through httpx (forms, redirects, cookies); `Browser.of` takes its cookies.
"""

import asyncio
import contextlib
import time
from typing import Final
from urllib.parse import urlsplit

import httpx

RETRIED: Final = (asyncio.IncompleteReadError, ConnectionError)


class Browser:
    """One chair's kept-alive connection to one server, with the chair's cookies."""

    def __init__(self, base: str, cookies: dict[str, str]) -> None:
        address = urlsplit(base)
        self.host = address.hostname or "127.0.0.1"
        self.port = address.port or 80
        self.cookies = dict(cookies)
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    @classmethod
    def of(cls, client: httpx.AsyncClient, base: str) -> "Browser":
        """A browser on `base` with the cookies `client` was given (signed in)."""
        return cls(base, {cookie.name: cookie.value or "" for cookie in client.cookies.jar})

    def request(self, path: str) -> bytes:
        """The bytes of a GET of `path`."""
        cookie = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        return (
            f"GET {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\nAccept: text/html\r\n"
            f"Cookie: {cookie}\r\n\r\n"
        ).encode("latin-1")

    async def get(self, path: str) -> tuple[float, int, bytes]:
        """Load `path`: the milliseconds from sending to the last byte, the status and the
        body. A kept-alive connection the server closed meanwhile is opened again once (the
        load timed anew), as a browser does."""
        for attempt in (1, 2):
            begun = time.perf_counter()
            try:
                status, body = await self._exchange(self.request(path))
            except RETRIED:
                await self.close()
                if attempt == 2:
                    raise
                continue
            return (time.perf_counter() - begun) * 1000, status, body
        raise AssertionError("unreachable")

    async def _exchange(self, request: bytes) -> tuple[int, bytes]:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length, closing = None, False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip()
            if name == "content-length":
                length = int(value)
            elif name == "connection":
                closing = value.lower() == "close"
            elif name == "set-cookie":
                pair = value.split(";", 1)[0]
                key, _, kept = pair.partition("=")
                self.cookies[key.strip()] = kept.strip()
        if length is None:
            raise ValueError(f"an answer without a length: {lines[0]}")
        body = await reader.readexactly(length)
        if closing:
            await self.close()
        return status, body

    async def close(self) -> None:
        """Hang up."""
        if self.streams is not None:
            writer = self.streams[1]
            self.streams = None
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()
