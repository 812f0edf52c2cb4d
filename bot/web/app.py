"""Builds the web app: the chat, the dashboard, the admin's pages, and the routes other channels
mount (a Telegram or Zalo webhook); and runs it with uvicorn inside dondoc's event loop."""

import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlmodel import Session
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.conversation.incoming import ConversationHandler
from bot.web import admin, auth, chat, dashboard, plan_import, reports, tasks
from bot.web.limits import MAX_FORM_BYTES, MAX_UPLOAD_BYTES, MAX_WEBHOOK_BYTES, BodyLimit
from bot.web.pages import STATIC, Web, me, render, web_of
from bot.web.sender import WebSender
from jobs.runner import JobRunner
from services.clock import Clock

logger = logging.getLogger(__name__)

SESSION_COOKIE: Final = "dondoc_session"
SESSION_AGE: Final = timedelta(days=14)
LOOPBACK: Final = frozenset({"127.0.0.1", "localhost", "::1"})
UPLOAD_PATHS: Final = ("/chat/send", "/admin/import")  # the forms that carry a file


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable from this machine only."""
    return host in LOOPBACK or host.startswith("127.")


def build_web_app(
    *,
    runner: JobRunner,
    clock: Clock,
    conversation: ConversationHandler,
    sender: WebSender,
    secret_key: str,
    zone: ZoneInfo,
    default_locale: str = "vi",
    demo_login: bool = False,
    public_url: str = "http://127.0.0.1:8080",
    max_form_bytes: int = MAX_FORM_BYTES,
    max_upload_bytes: int = MAX_UPLOAD_BYTES,
    extra_routes: Sequence[BaseRoute] = (),
) -> Starlette:
    """The web app. `demo_login` lets a visitor pick a demo person without a password: only
    for a server bound to this machine. `public_url` is the address people reach it at
    (invite links are built from it; https makes cookies Secure and turns HSTS on). Bodies are
    capped at `max_form_bytes`, `max_upload_bytes` on the forms that carry a file.
    `extra_routes` come first (webhooks: one update each, `MAX_WEBHOOK_BYTES`)."""
    https = public_url.startswith("https://")
    web = Web(
        runner=runner,
        clock=clock,
        hub=sender.hub,
        sender=sender,
        conversation=conversation,
        zone=zone,
        default_locale=default_locale,
        demo_login=demo_login,
        public_url=public_url.rstrip("/"),
    )
    limits = {path: max_upload_bytes for path in UPLOAD_PATHS}
    limits.update(
        (route.path, MAX_WEBHOOK_BYTES) for route in extra_routes if isinstance(route, Route)
    )
    routes: list[BaseRoute] = [
        *extra_routes,
        Route("/healthz", _health, methods=["GET"]),
        *auth.routes(),
        *chat.routes(),
        *dashboard.routes(),
        *tasks.routes(),
        *reports.routes(),
        *admin.routes(),
        *plan_import.routes(),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ]
    app = Starlette(
        routes=routes,
        middleware=[
            Middleware(SecurityHeaders, https=https),
            Middleware(BodyLimit, default=max_form_bytes, limits=limits),
            Middleware(
                SessionMiddleware,
                secret_key=secret_key,
                session_cookie=SESSION_COOKIE,
                max_age=int(SESSION_AGE.total_seconds()),
                same_site="lax",
                https_only=https,
            ),
        ],
        exception_handlers={HTTPException: _http_error},
    )
    app.state.web = web
    return app


class SecurityHeaders:
    """Pages are never framed by other sites, never sniffed, never leak their address (an
    invite link carries its token) to another site, and run only this site's own scripts and
    styles (style attributes excepted: the dashboard's bars are sized by them). Served over
    https, browsers are told to come back over https only."""

    HEADERS: Final = (
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"same-origin"),
        (
            b"content-security-policy",
            b"default-src 'self'; script-src 'self'; style-src 'self'; "
            b"style-src-attr 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; "
            b"form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
        ),
    )
    HSTS: Final = (b"strict-transport-security", b"max-age=31536000")

    def __init__(self, app: ASGIApp, *, https: bool = False) -> None:
        self.app = app
        self.headers = [*self.HEADERS, *([self.HSTS] if https else [])]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Add the headers to every HTTP response."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.headers]
            await send(message)

        await self.app(scope, receive, with_headers)


async def _health(request: Request) -> Response:
    """Alive, and the database answers (the container's health check)."""
    await web_of(request).runner.run(_ping)
    return PlainTextResponse("ok")


def _ping(session: Session) -> None:
    session.execute(text("SELECT 1"))


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    officer = await me(request) if "session" in request.scope else None
    if error.status_code == 403:
        logger.warning("web: form without a valid CSRF token refused (%s)", request.url.path)
    return render(
        request,
        "error.page.html",
        officer,
        status_code=error.status_code,
        status=error.status_code,
    )
