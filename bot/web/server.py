"""Serves the web app with uvicorn inside the caller's event loop."""

import asyncio
import logging

import uvicorn
from starlette.applications import Starlette

logger = logging.getLogger(__name__)


async def serve_web(
    app: Starlette, *, host: str, port: int, started: asyncio.Event | None = None
) -> None:
    """Serve `app` on host:port until cancelled; `started` is set once it accepts connections."""
    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        log_level="warning",
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=2,
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            if task.done():
                task.result()  # the port is taken, or the address is wrong: say so
                raise OSError(f"the web server stopped before serving {host}:{port}")
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
