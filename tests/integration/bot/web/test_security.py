"""The web pages against a stranger: bodies capped before they are read, CSRF checked before an
upload is, sign-in scoped to one ward and held per name and address in the database, sessions
that end on the server, and the headers a browser needs. Through the real HTTP stack (httpx on
the Starlette app)."""

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select
from starlette.applications import Starlette
from starlette.routing import Route

from bot.web.limits import MAX_FORM_BYTES
from bot.web.server import serve_web
from models import Channel, Occurrence, Officer, Role, SignInHold, TaskEvent
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.people.units import add_unit
from services.people.web_auth import set_password
from services.tracking.extensions import request_extension
from tests.integration.bot.web.conftest import PASSWORD, Browser, Site, build_site
from tests.support.clock import FakeClock
from tests.support.ports import free_port
from tests.support.ward import Ward, the_office

CHUNK = 64 * 1024


class Stream:
    """A request body that counts how much of it the server read."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.read = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        while self.read < self.total:
            self.read += CHUNK
            yield b"a" * CHUNK


async def test_a_huge_name_is_refused_before_anything_is_stored(
    browser: Browser, ward: Ward, session: Session
) -> None:
    await browser.get("/login")

    response = await browser.post(
        "/login", {"org": str(ward.org.id), "name": "x" * 1_000_000, "password": "p"}
    )

    assert response.status_code == 413
    assert session.exec(select(SignInHold)).all() == []


async def test_a_body_declared_too_large_is_refused_unread(browser: Browser) -> None:
    await browser.get("/login")
    body = Stream(3 * 1024**3)

    response = await browser.client.post(
        "/login",
        content=body,
        headers={"content-length": str(3 * 1024**3), "content-type": "multipart/form-data"},
    )

    assert response.status_code == 413
    assert body.read == 0


async def test_a_streamed_body_is_cut_off_at_the_limit(browser: Browser) -> None:
    await browser.get("/login")
    body = Stream(3 * 1024**3)

    response = await browser.client.post(
        "/login",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )

    assert response.status_code == 413
    assert body.read <= MAX_FORM_BYTES + CHUNK


async def test_an_upload_is_not_read_for_a_stranger_or_without_its_csrf_token(
    site: Site, browser: Browser, ward: Ward
) -> None:
    anonymous, forged = Stream(50 * 1024**2), Stream(50 * 1024**2)
    headers = {"content-type": "multipart/form-data; boundary=x"}
    async with site.browser() as stranger:
        await stranger.get("/login")
        refused = await stranger.post("/chat/send", content=anonymous, headers=headers)
    await browser.sign_in(ward.officer("minh"))
    no_token = await browser.client.post("/chat/send", content=forged, headers=headers)

    assert (refused.status_code, refused.headers["location"]) == (303, "/login")
    assert no_token.status_code == 403
    assert (anonymous.read, forged.read) == (0, 0)


async def test_a_file_may_be_larger_than_a_form_but_not_than_an_upload(
    site: Site, browser: Browser, ward: Ward
) -> None:
    await browser.sign_in(ward.officer("minh"))

    accepted = await browser.post(
        "/chat/send", files={"file": ("anh.jpg", b"x" * (2 * MAX_FORM_BYTES), "image/jpeg")}
    )
    too_big = await browser.post(
        "/chat/send", files={"file": ("anh.jpg", b"x" * (22 * 1024**2), "image/jpeg")}
    )

    assert accepted.status_code == 303
    assert site.conversation.received[-1].file is not None
    assert too_big.status_code == 413


async def test_an_upload_named_dot_dot_is_a_bad_request(browser: Browser, ward: Ward) -> None:
    await browser.sign_in(ward.admin)
    await browser.get("/admin/import")

    plan = await browser.post("/admin/import", files={"file": ("..", b"KE HOACH", "text/plain")})
    chat = await browser.post("/chat/send", files={"file": ("..", b"anh", "image/jpeg")})

    assert (plan.status_code, chat.status_code) == (400, 400)


async def test_a_ward_signs_in_whatever_names_another_ward_holds(
    site: Site, ward: Ward, session: Session, clock: FakeClock
) -> None:
    other = create_organization(session, clock, "Phường Nam Sơn")
    office = the_office(session, clock, other)
    add_unit(session, office, "Văn phòng")
    lookalike = add_officer(
        session, clock, office, ward.chair.name, unit_names=("Văn phòng",), role=Role.OFFICER
    )
    set_password(session, office, lookalike.name, "mat-khau-khac")
    async with site.browser() as client:
        browser = Browser(client)
        page = await browser.get("/login")
        signed = await browser.sign_in(ward.chair)

    assert re.findall(r"<option value=\"\d+\"[^>]*>([^<]+)</option>", page.text) == [
        "Phường Bắc Sơn",
        "Phường Nam Sơn",
    ]
    assert signed.url.path == "/dashboard"


async def test_wrong_passwords_hold_the_address_that_typed_them_not_the_chair(
    site: Site, ward: Ward, session: Session
) -> None:
    chair = ward.chair
    form = {"org": str(ward.org.id), "name": chair.name}
    async with site.browser(address="203.0.113.9") as client:
        stranger = Browser(client)
        await stranger.get("/login")
        for _ in range(5):
            await stranger.post("/login", {**form, "password": "doan-bua"})
        held = await stranger.post("/login", {**form, "password": PASSWORD})
        page = await stranger.get(held.headers["location"])
    async with site.browser(address="198.51.100.7") as client:
        office = await Browser(client).sign_in(chair)

    assert "Đăng nhập sai quá nhiều lần: xin anh/chị thử lại sau 15 phút." in page.text
    assert page.url.path == "/login"
    assert office.url.path == "/dashboard"
    assert all(chair.name not in row.key for row in session.exec(select(SignInHold)))


async def test_guesses_from_many_addresses_do_not_lock_the_chair_out_of_her_browser(
    site: Site, ward: Ward
) -> None:
    chair = ward.chair
    form: dict[str, str | list[str]] = {
        "org": str(ward.org.id),
        "name": chair.name,
        "password": "doan-bua",
    }
    async with site.browser(address="198.51.100.7") as client:
        hers = Browser(client)
        await hers.sign_in(chair)
        await hers.post("/logout")
        for network in range(20):  # 100 guesses from 20 IPv6 /64s: one household's /56
            async with site.browser(address=f"2001:db8:0:{network}::1") as other:
                stranger = Browser(other)
                await stranger.get("/login")
                for _ in range(5):
                    await stranger.post("/login", form)
        async with site.browser(address="198.51.100.7") as other:
            new_browser = Browser(other)
            await new_browser.get("/login")
            refused = await new_browser.post("/login", {**form, "password": PASSWORD})
        signed = await hers.sign_in(chair)

    assert refused.headers["location"] == "/login"  # the name is held everywhere else
    assert signed.url.path == "/dashboard"


async def test_a_copied_cookie_is_worthless_after_signing_out(site: Site, ward: Ward) -> None:
    async with site.browser() as client:
        browser = Browser(client)
        await browser.sign_in(ward.officer("minh"))
        copied = dict(client.cookies)
        await browser.post("/logout")
    async with site.browser() as thief:
        thief.cookies.update(copied)
        page = await thief.get("/chat", follow_redirects=True)

    assert page.url.path == "/login"


async def test_a_copied_cookie_is_worthless_after_a_new_password(
    site: Site, ward: Ward, session: Session
) -> None:
    minh = ward.officer("minh")
    async with site.browser() as client:
        await Browser(client).sign_in(minh)
        copied = dict(client.cookies)
    set_password(session, ward.admin, minh.name, "mat-khau-moi-hon")
    async with site.browser() as thief:
        thief.cookies.update(copied)
        page = await thief.get("/chat", follow_redirects=True)

    assert page.url.path == "/login"


async def test_a_role_taken_away_ends_the_admins_session(
    browser: Browser, ward: Ward, session: Session
) -> None:
    admin = ward.admin
    await browser.sign_in(admin)
    admin.role = Role.OFFICER
    session.add(admin)
    session.commit()

    page = await browser.get("/admin/people")

    assert page.url.path == "/login"


async def test_over_https_cookies_are_secure_and_browsers_told_to_stay(
    engine: Engine, clock: FakeClock, ward: Ward
) -> None:
    https = build_site(engine, clock, ward, demo_login=False, public_url="https://dondoc.vn")
    plain = build_site(engine, clock, ward, demo_login=False)
    async with https.browser() as secure_client, plain.browser() as plain_client:
        secure = await secure_client.get("/login")
        local = await plain_client.get("/login")

    assert "secure" in secure.headers["set-cookie"].lower()
    assert secure.headers["strict-transport-security"] == "max-age=31536000"
    assert "secure" not in local.headers["set-cookie"].lower()
    assert "strict-transport-security" not in local.headers


async def test_pages_allow_only_their_own_scripts(browser: Browser) -> None:
    page = await browser.get("/login")

    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


async def test_invite_links_use_the_public_address_not_the_requests_host(
    engine: Engine, clock: FakeClock, ward: Ward
) -> None:
    site = build_site(engine, clock, ward, demo_login=False, public_url="https://dondoc.vn/")
    async with site.browser(base_url="https://dondoc.vn") as client:
        browser = Browser(client)
        await browser.sign_in(ward.admin)
        await browser.get("/admin/people")
        await browser.client.post(
            "/admin/invites",
            data={"csrf": browser.csrf, "name": ward.officer("minh").name},
            headers={"host": "evil.example"},
        )
        page = await browser.get("/admin/people")

    assert re.search(r"https://dondoc\.vn/login/invite/[\w-]+", page.text)
    assert "evil.example" not in page.text


async def test_another_wards_extension_is_refused_without_naming_its_ids(
    site: Site, ward: Ward, session: Session, clock: FakeClock
) -> None:
    for code in "12345":
        ward.task(code, f"Việc {code}", due=date(2025, 3, 10))  # ids of occurrences ≠ of events
    task = ward.task("6", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    assert occurrence.id is not None
    request_extension(
        session, clock, ward.officer("minh"), occurrence.id, until=date(2025, 3, 20),
        reason="chờ kinh phí", via=Channel.WEB,
    )  # fmt: skip
    request = session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)).one()
    other = Ward.build(session, clock, name="Phường Nam Sơn")
    set_password(session, other.admin, other.chair.name, PASSWORD)
    async with site.browser() as client:
        browser = Browser(client)
        await browser.sign_in(other.chair)
        refused = await browser.post(f"/extensions/{request.id}", {"decision": "grant"})
        page = await browser.get(refused.headers["location"])

    notice = re.search(r'<p class="notice"[^>]*>([^<]*)</p>', page.text)
    assert notice is not None
    assert notice.group(1) == (
        f"Không tìm thấy việc {request.id}, hoặc việc này không được giao cho anh/chị."
    )
    assert str(occurrence.id) not in notice.group(1)
    session.expire_all()
    assert session.get(Occurrence, occurrence.id).due == date(2025, 3, 10)  # type: ignore[union-attr]


async def test_an_officer_the_office_adds_reads_the_configured_locale(
    engine: Engine, clock: FakeClock, ward: Ward, session: Session
) -> None:
    site = build_site(engine, clock, ward, demo_login=False, default_locale="en")
    async with site.browser() as client:
        browser = Browser(client)
        await browser.sign_in(ward.admin)
        await browser.get("/admin/people")
        await browser.post(
            "/admin/officers",
            {"name": "Vũ Thị Mai", "role": "officer", "unit": ward.vhxh.name, "phone": ""},
        )

    mai = session.exec(select(Officer).where(Officer.name == "Vũ Thị Mai")).one()
    assert mai.locale == "en"


@pytest.mark.parametrize(
    ("path", "signed_in"), [("/login", False), ("/chat/send", False), ("/chat/send", True)]
)
async def test_a_refused_body_closes_the_connection_instead_of_being_read_to_its_end(
    site: Site, browser: Browser, ward: Ward, path: str, *, signed_in: bool
) -> None:
    if signed_in:
        await browser.sign_in(ward.officer("minh"))  # no CSRF token in the address: 403
    cookie = "; ".join(f"{name}={value}" for name, value in browser.client.cookies.items())
    started = asyncio.Event()
    port = free_port()
    server = asyncio.create_task(serve_web(site.app, host="127.0.0.1", port=port, started=started))
    await started.wait()
    try:
        status, accepted = await _endless_body(port, path, cookie)
    finally:
        server.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await server

    assert status in (b"303", b"403", b"413")
    assert accepted < 64 * 1024**2  # it hung up (a few MB sat in buffers), never read 256 MB


ENDLESS = 256 * 1024**2


async def _endless_body(port: int, path: str, cookie: str) -> tuple[bytes, int]:
    """POST a chunked body to `path` until the server hangs up (or ENDLESS bytes went): the
    status it answered and how many bytes were written."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: {cookie}\r\n"
        "Content-Type: multipart/form-data; boundary=x\r\nTransfer-Encoding: chunked\r\n\r\n"
        .encode()
    )  # fmt: skip
    head = asyncio.create_task(reader.read(12))  # read as it comes: a reset drops what waits
    chunk = b"%x\r\n%b\r\n" % (CHUNK, b"a" * CHUNK)
    written = 0
    try:
        while written < ENDLESS:
            writer.write(chunk)
            await writer.drain()
            written += CHUNK
    except (ConnectionResetError, BrokenPipeError):
        pass
    status = (await head)[9:12]
    writer.close()
    with contextlib.suppress(ConnectionError):
        await writer.wait_closed()
    return status, written


FORGED = {
    "name": "Kẻ Lạ", "role": "admin", "unit": "Văn hóa - Xã hội", "units": "Văn hóa - Xã hội",
    "title": "Việc giả", "due": "31/12/2030", "confirm": "1", "decision": "grant", "text": "xong",
    "action": "done", "token": "x", "lang": "en", "next": "/", "reason": "giả", "alias": "VH",
    "aliases": "VH", "day": "2030-01-02", "working": "yes", "offsets": "1", "send_time": "06:00",
}  # fmt: skip


@pytest.mark.parametrize("role", ["admin", "chair"])
async def test_every_form_of_the_site_refuses_a_post_without_its_csrf_token(
    site: Site, browser: Browser, ward: Ward, session: Session, role: str
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    await browser.sign_in(ward.admin if role == "admin" else ward.chair)
    before = _rows(session)
    answers = {}
    for path in _post_paths(site, task_id=task.id or 0):
        response = await browser.client.post(path, data={**FORGED, "csrf": "guessed"})
        answers[path] = response.status_code

    assert len(answers) >= 20  # every form of the site, the office's and the chat's
    assert set(answers.values()) == {403}, answers
    assert _rows(session) == before


def _post_paths(site: Site, *, task_id: int) -> list[str]:
    """Every POST route of the app, its parameters filled in (a real task's id)."""
    values = {"id": str(task_id), "int": str(task_id), "str": "done", "path": "x"}
    paths = []
    for route in site.app.routes:
        if isinstance(route, Route) and "POST" in (route.methods or ()):
            paths.append(
                re.sub(
                    r"\{(\w+)(?::(\w+))?\}",
                    lambda m: values.get(m.group(2) or "str", "x"),
                    route.path,
                )
            )
    return paths


def _rows(session: Session) -> dict[str, int]:
    """How many rows each table holds (sessions and sign-in holds aside)."""
    session.expire_all()
    return {
        table.name: session.execute(select(func.count()).select_from(table)).scalar_one()
        for table in SQLModel.metadata.sorted_tables
        if table.name not in ("websession", "signinhold")
    }


@pytest.mark.parametrize("number", ["2147483648", "9" * 25, "9" * 5000])
async def test_an_id_no_database_can_hold_is_no_page_not_an_error(
    browser: Browser, ward: Ward, number: str
) -> None:
    anonymous = await browser.client.get(f"/login?org={number}")
    await browser.sign_in(ward.admin)
    answers = {}
    for route in browser_routes(browser):
        for method in route.methods or ():
            path = re.sub(r"\{(\w+):(?:id|int)\}", number, route.path)
            if path == route.path or method == "HEAD":
                continue
            await browser.get("/dashboard")
            answers[f"{method} {route.path}"] = (
                await browser.client.get(path)
                if method == "GET"
                else await browser.post(path, {"decision": "grant", "due": "31/12/2030"})
            ).status_code
    await browser.get("/chat")
    press = await browser.post("/chat/press", {"action": "done", "token": "x", "message": number})

    assert anonymous.status_code == 200
    assert len(answers) >= 8
    assert set(answers.values()) <= {303, 403, 404}, answers
    assert press.status_code == 303


def browser_routes(browser: Browser) -> list[Route]:
    """The routes of the app `browser` talks to."""
    transport = browser.client._transport
    assert isinstance(transport, httpx.ASGITransport)
    app = transport.app
    assert isinstance(app, Starlette)
    return [route for route in app.routes if isinstance(route, Route)]
