"""The page around the dashboard's board is rendered once per language and what the header
shows of the officer, and kept by the process (`bot.web.pages.page_around`): the page is the
one rendered whole, each officer sees their own name and their own ward's board, a notice or
the demo clock is this load's own, and the process keeps a bounded number of them."""

import re
from datetime import date

from markupsafe import Markup
from sqlalchemy import Engine, text
from sqlmodel import Session, select
from starlette.requests import Request

from bot.web.app import build_web_app
from bot.web.hub import ChatHub
from bot.web.pages import SHELL_FIELDS, SHELLS_KEPT, TEMPLATES, render_fragment
from bot.web.sender import WebSender
from jobs.runner import JobRunner
from models import Channel, EventKind, Occurrence, Officer, TaskEvent
from services.clock import ScaledClock
from services.people.web_auth import set_password
from services.tracking.extensions import request_extension
from tests.integration.bot.web.conftest import PASSWORD, Browser, Site
from tests.support.clock import HCM, FakeClock
from tests.support.scripted_conversation import ScriptedConversation
from tests.support.ward import Ward

MAIN = re.compile(r"<main>(.*)\n</main>", re.S)  # the template ends the board with a line
NOTICE = '<p class="notice" role="status">'
CSRF_SESSION = re.compile(r'name="csrf-token" content="([^"]+)"')


def _whole(site: Site, officer: Officer, page: str, locale: str) -> str:
    """The dashboard rendered whole, as every page is, around the board `page` shows."""
    found, token = MAIN.search(page), CSRF_SESSION.search(page)
    assert found is not None
    assert token is not None
    scope = {
        "type": "http",
        "method": "GET",
        "path": "/dashboard",
        "raw_path": b"/dashboard",
        "query_string": b"",
        "headers": [(b"host", b"127.0.0.1:8080")],
        "scheme": "http",
        "server": ("127.0.0.1", 8080),
        "app": site.app,
        "session": {"lang": locale, "csrf": token.group(1)},
    }
    return render_fragment(
        Request(scope), "dashboard.page.html", officer, board_html=Markup(found.group(1))
    )


async def test_the_page_is_the_one_rendered_whole_in_each_language_and_role(
    site: Site, browser: Browser, ward: Ward
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    for officer in (ward.chair, ward.admin):
        await browser.sign_in(officer)
        for locale in ("vi", "en"):
            await browser.post("/lang", {"lang": locale, "next": "/dashboard"})
            for _ in range(2):  # the page around rendered, then kept
                page = (await browser.get("/dashboard")).text

                assert page == _whole(site, officer, page, locale)
        await browser.post("/logout")


async def test_each_chair_sees_their_own_name_and_their_own_wards_board(
    site: Site, browser: Browser, ward: Ward, session: Session, clock: FakeClock, engine: Engine
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    other = Ward.build(session, clock, name="Phường Đông Hải")
    set_password(session, other.admin, other.chair.name, PASSWORD)
    other.task("1", "Nạo vét kênh Đông", due=date(2025, 2, 21))
    await browser.sign_in(ward.chair)
    async with site.browser() as client:
        there = Browser(client)
        await there.sign_in(other.chair)  # the same name, Lan: the same page around
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE officer SET name = 'Lan Đông Hải' WHERE id = :id"),
                {"id": other.chair.id},
            )

        for _ in range(2):
            here, theirs = await browser.get("/dashboard"), await there.get("/dashboard")

            assert "Tổ chức lễ hội mùa xuân" in here.text
            assert "Nạo vét kênh Đông" not in here.text
            assert "Nạo vét kênh Đông" in theirs.text
            assert "Tổ chức lễ hội mùa xuân" not in theirs.text
            assert '<span class="who">Lan Đông Hải</span>' in theirs.text
            assert '<span class="who">Lan Đông Hải</span>' not in here.text
            assert f'<span class="who">{ward.chair.name}</span>' in here.text


async def test_a_notice_shows_once_on_a_page_whose_surroundings_are_kept(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    occurrence = session.exec(select(Occurrence.id).where(Occurrence.task_id == task.id)).one()
    assert occurrence is not None
    request_extension(
        session, clock, ward.officer("minh"), occurrence, until=date(2025, 3, 20),
        reason="chờ kinh phí", via=Channel.WEB,
    )  # fmt: skip
    asked = session.exec(
        select(TaskEvent).where(TaskEvent.kind == EventKind.EXTENSION_REQUESTED)
    ).one()
    await browser.sign_in(ward.chair)
    kept = await browser.get("/dashboard")
    assert NOTICE not in kept.text

    answered = await browser.post(f"/extensions/{asked.id}", {"decision": "grant"})
    told = await browser.get(answered.headers["location"])
    again = await browser.get("/dashboard")

    assert NOTICE in told.text
    assert "đồng ý gia hạn đến 20/03/2025" in told.text
    assert NOTICE not in again.text


async def test_the_demo_clock_moves_on_every_load(
    engine: Engine, clock: FakeClock, ward: Ward
) -> None:
    demo = ScaledClock(60, base=clock)
    runner = JobRunner(engine)
    app = build_web_app(
        runner=runner,
        clock=demo,
        conversation=ScriptedConversation(),
        sender=WebSender(runner, demo, ChatHub()),
        secret_key="test-secret-key-test-secret-key",
        zone=HCM,
        demo_login=True,
    )
    site = Site(app, ScriptedConversation(), WebSender(runner, demo, ChatHub()), ward, clock)
    async with site.browser() as client:
        browser = Browser(client)
        await browser.sign_in(ward.chair)
        first = await browser.get("/dashboard")
        clock.advance(minutes=1)  # an hour of the demo's time
        second = await browser.get("/dashboard")

    shown = [re.findall(r'data-now="(\d+)"', page.text) for page in (first, second)]
    assert len(shown[0]) == len(shown[1]) == 1
    assert int(shown[1][0]) - int(shown[0][0]) == 3_600_000
    assert app.state.web.shells == {}


async def test_a_process_keeps_a_bounded_number_of_pages_around(
    site: Site, browser: Browser, ward: Ward
) -> None:
    shells = site.app.state.web.shells
    shells.update({("filler", n): "" for n in range(SHELLS_KEPT)})
    await browser.sign_in(ward.chair)
    await browser.get("/dashboard")

    assert len(shells) == SHELLS_KEPT
    assert ("filler", 0) not in shells
    assert any(key[0] == "dashboard.page.html" for key in shells)


def test_the_header_shows_only_what_the_pages_around_are_kept_for() -> None:
    shown = set()
    for name in ("base.html", "dashboard.page.html"):
        shown |= set(re.findall(r"\bme\.(\w+)", (TEMPLATES / name).read_text()))

    assert shown <= set(SHELL_FIELDS), shown - set(SHELL_FIELDS)
