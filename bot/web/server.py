"""Serves the web app with uvicorn inside the caller's event loop."""

import asyncio
import logging
import socket

import uvicorn
from starlette.applications import Starlette

logger = logging.getLogger(__name__)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port; `OSError` (address in use, unknown host) says why not."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(128)
    except OSError:
        sock.close()
        raise
    sock.setblocking(False)
    return sock


async def serve_web(
    app: Starlette,
    *,
    host: str,
    port: int,
    started: asyncio.Event | None = None,
    sock: socket.socket | None = None,
) -> None:
    """Serve `app` on host:port (or on `sock`, bound to it already) until cancelled; `started`
    is set once it accepts connections."""
    sock = sock or bind(host, port)
    config = uvicorn.Config(
        app, log_level="warning", access_log=False, lifespan="off", timeout_graceful_shutdown=2
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn has no event
            await asyncio.sleep(0.02)
        logger.info("web server listening on %s:%d", host, port)
        if started is not None:
            started.set()
        await asyncio.shield(task)  # cancelling dondoc stops the server gracefully, below
    finally:
        app.state.web.hub.close()
        server.should_exit = True
        if not task.done():
            await asyncio.shield(task)
        sock.close()
