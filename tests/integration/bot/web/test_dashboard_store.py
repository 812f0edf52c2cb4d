"""The dashboard's body is stored per ward, view, day and change stamp, and shared by the
replicas: a load after any write (a use case, another replica's page, bare SQL), after midnight
or in another language reads the ward again; every browser gets its own CSRF token in it."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import Engine, event, text
from sqlmodel import Session, select

from bot.web.pages import CSRF_PLACEHOLDER
from models import Channel, EventKind, Occurrence, TaskEvent
from services.tracking.extensions import request_extension
from services.tracking.tasks import mark_done
from tests.integration.bot.web.conftest import CSRF, Browser, Site, build_site
from tests.support.clock import FakeClock
from tests.support.ward import Ward

DONE = '<strong id="done-count">{}</strong>'


@contextmanager
def _reads_the_ward(engine: Engine) -> Iterator[list[str]]:
    """The statements that read the ward's occurrences meanwhile (none when the board is
    served from the store)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if statement.lstrip().startswith("SELECT") and "FROM occurrence" in statement:
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _occurrence(session: Session, task_id: int | None) -> int:
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task_id)).one()
    assert occurrence.id is not None
    return occurrence.id


async def test_a_second_load_is_served_from_the_store(
    browser: Browser, ward: Ward, engine: Engine
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    await browser.sign_in(ward.chair)

    with _reads_the_ward(engine) as read:
        page = await browser.get("/dashboard")

    assert read == []
    assert "Tổ chức lễ hội mùa xuân" in page.text


async def test_a_task_done_through_its_use_case_shows_on_the_next_load(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    first = await browser.sign_in(ward.chair)
    assert DONE.format(0) in first.text

    mark_done(session, clock, ward.officer("minh"), _occurrence(session, task.id), via=Channel.WEB)
    page = await browser.get("/dashboard")

    assert DONE.format(1) in page.text


async def test_a_write_in_bare_sql_shows_on_the_next_load(
    browser: Browser, ward: Ward, engine: Engine
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    await browser.sign_in(ward.chair)

    with engine.begin() as connection:
        connection.execute(text("UPDATE task SET title = 'Tổ chức hội chợ Tết'"))
    page = await browser.get("/dashboard")

    assert "Tổ chức hội chợ Tết" in page.text
    assert "Tổ chức lễ hội mùa xuân" not in page.text


async def test_a_task_falls_late_when_the_day_passes_without_any_write(
    browser: Browser, ward: Ward, clock: FakeClock
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 4))  # tomorrow
    first = await browser.sign_in(ward.chair)
    assert 'class="late" data-code="1"' not in first.text

    clock.advance(days=2)  # Wednesday: a working day late
    page = await browser.get("/dashboard")

    assert 'class="late" data-code="1"' in page.text
    assert "trễ 1 ngày làm việc" in page.text


async def test_another_replica_serves_the_stored_board_and_its_writes_show_on_this_one(
    site: Site, browser: Browser, ward: Ward, session: Session, clock: FakeClock, engine: Engine
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    request_extension(
        session, clock, ward.officer("minh"), _occurrence(session, task.id),
        until=date(2025, 3, 20), reason="chờ kinh phí", via=Channel.WEB,
    )  # fmt: skip
    request = session.exec(
        select(TaskEvent).where(TaskEvent.kind == EventKind.EXTENSION_REQUESTED)
    ).one()
    first = await browser.sign_in(ward.chair)
    assert "chờ kinh phí" in first.text
    other = build_site(engine, clock, ward, demo_login=True)  # a second `dondoc run`
    async with other.browser() as client:
        there = Browser(client)
        await there.sign_in(ward.chair)
        with _reads_the_ward(engine) as read:
            served = await there.get("/dashboard")
        assert "chờ kinh phí" in served.text
        assert read == []  # the board the first replica stored
        await there.post(f"/extensions/{request.id}", {"decision": "grant"})

    page = await browser.get("/dashboard")

    assert "chờ kinh phí" not in page.text
    assert "Không có đề nghị nào đang chờ." in page.text


async def test_each_language_has_its_own_board(browser: Browser, ward: Ward) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    vietnamese = await browser.sign_in(ward.chair)
    assert "Tiến độ theo đơn vị" in vietnamese.text

    await browser.post("/lang", {"lang": "en", "next": "/dashboard"})
    english = await browser.get("/dashboard")

    assert "Progress by unit" in english.text
    assert "Tiến độ theo đơn vị" not in english.text


async def test_every_browser_gets_its_own_csrf_token_in_the_stored_board(
    site: Site, browser: Browser, ward: Ward
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    first = await browser.sign_in(ward.chair)
    async with site.browser() as client:
        second = await Browser(client).sign_in(ward.chair)

    tokens = [set(CSRF.findall(page.text)) for page in (first, second)]

    assert CSRF_PLACEHOLDER not in first.text + second.text
    assert all(len(found) == 1 for found in tokens), tokens
    assert tokens[0] != tokens[1]
    assert 'action="/tasks/new"' in second.text  # the stored board's form, with its token
