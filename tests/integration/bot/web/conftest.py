"""The web pages on a test ward: an app on the test's database, a browser-like client that keeps
its cookies and reads each page's CSRF token, and the ward's people with passwords."""

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.applications import Starlette

from bot.conversation.engine import Conversation
from bot.web.app import UPLOAD_PATHS, build_web_app
from bot.web.hub import ChatHub
from bot.web.sender import WebSender
from jobs.runner import JobRunner
from models import Officer
from services.people.web_auth import set_password
from tests.support.clock import HCM, FakeClock
from tests.support.scripted_conversation import ScriptedConversation
from tests.support.ward import Ward

PASSWORD = "mat-khau-thu"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Browser:
    """One browser: its cookies, and the CSRF token of the last page it read."""

    client: httpx.AsyncClient
    csrf: str = ""
    pages: list[str] = field(default_factory=list)

    async def get(self, path: str) -> httpx.Response:
        """Open a page (following redirects) and remember its CSRF token."""
        response = await self.client.get(path, follow_redirects=True)
        found = CSRF.search(response.text)
        if found:
            self.csrf = found.group(1)
        return response

    async def post(
        self, path: str, data: dict[str, str | list[str]] | None = None, **options: object
    ) -> httpx.Response:
        """Submit a form from the last page read (with its CSRF token; the forms that may carry
        a file have it in their address too, as the pages write them)."""
        if path in UPLOAD_PATHS:
            path = f"{path}?csrf={self.csrf}"
        return await self.client.post(
            path,
            data={"csrf": self.csrf, **(data or {})},
            **options,  # type: ignore[arg-type]
        )

    async def sign_in(self, officer: Officer) -> httpx.Response:
        """Sign in with the test password."""
        await self.get("/login")
        response = await self.post(
            "/login",
            {"org": str(officer.organization_id), "name": officer.name, "password": PASSWORD},
        )
        assert response.status_code == 303, response.text
        return await self.get(response.headers["location"])


@dataclass
class Site:
    """The app and what it is wired to."""

    app: Starlette
    conversation: ScriptedConversation
    sender: WebSender
    ward: Ward
    clock: FakeClock

    def browser(
        self, *, address: str = "127.0.0.1", base_url: str = "http://127.0.0.1:8080"
    ) -> "httpx.AsyncClient":
        """A fresh client (no cookies), connecting from `address` to `base_url`."""
        return httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app, client=(address, 50123)),
            base_url=base_url,
        )


@pytest.fixture
def ward(session: Session, clock: FakeClock) -> Ward:
    """Phường Bắc Sơn with passwords for Lan (chair), Hà (admin), Minh and Tuấn."""
    built = Ward.build(session, clock)
    for person in built.people.values():
        set_password(session, built.admin, person.name, PASSWORD)
    return built


def build_site(
    engine: Engine,
    clock: FakeClock,
    ward: Ward,
    *,
    demo_login: bool,
    public_url: str = "http://127.0.0.1:8080",
    default_locale: str = "vi",
) -> Site:
    """The web app over the test database, with a scripted conversation."""
    runner = JobRunner(engine)
    sender = WebSender(runner, clock, ChatHub())
    conversation = ScriptedConversation()
    app = build_web_app(
        runner=runner,
        clock=clock,
        conversation=conversation,
        sender=sender,
        secret_key="test-secret-key-test-secret-key",
        zone=HCM,
        demo_login=demo_login,
        public_url=public_url,
        default_locale=default_locale,
    )
    return Site(app=app, conversation=conversation, sender=sender, ward=ward, clock=clock)


@pytest.fixture
def site(engine: Engine, clock: FakeClock, ward: Ward) -> Site:
    """The site as served on this machine (the demo picker on)."""
    return build_site(engine, clock, ward, demo_login=True)


@pytest.fixture
async def browser(site: Site) -> AsyncIterator[Browser]:
    """A browser on the site."""
    async with site.browser() as client:
        yield Browser(client)


@pytest.fixture
def talking(engine: Engine, clock: FakeClock, ward: Ward, tmp_path: Path) -> Site:
    """The site with dondoc's own conversation answering the chat."""
    runner = JobRunner(engine)
    sender = WebSender(runner, clock, ChatHub())
    conversation = Conversation(engine, clock, evidence_dir=tmp_path, wall=clock)
    app = build_web_app(
        runner=runner,
        clock=clock,
        conversation=conversation,
        sender=sender,
        secret_key="test-secret-key-test-secret-key",
        zone=HCM,
        demo_login=True,
        public_url="http://127.0.0.1:8080",
    )
    return Site(
        app=app, conversation=ScriptedConversation(), sender=sender, ward=ward, clock=clock
    )
