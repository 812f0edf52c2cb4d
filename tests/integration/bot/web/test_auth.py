"""Signing in: passwords, one-time invite links, the local demo picker, and CSRF on forms."""

import re

from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Channel, ChannelIdentity
from services.people.invites import create_invite
from services.people.officers import add_officer
from tests.integration.bot.web.conftest import PASSWORD, Browser, Site, build_site
from tests.support.clock import FakeClock
from tests.support.ward import Ward


async def test_officer_signs_in_with_the_password_the_office_set(
    browser: Browser, ward: Ward
) -> None:
    page = await browser.sign_in(ward.officer("minh"))

    assert page.url.path == "/chat"
    assert "Phạm Văn Minh" in page.text


async def test_chair_lands_on_the_dashboard(browser: Browser, ward: Ward) -> None:
    page = await browser.sign_in(ward.chair)

    assert page.url.path == "/dashboard"


async def test_wrong_password_is_refused(browser: Browser, ward: Ward) -> None:
    await browser.get("/login")
    response = await browser.post(
        "/login",
        {"org": str(ward.org.id), "name": ward.officer("minh").name, "password": PASSWORD + "x"},
    )
    page = await browser.get(response.headers["location"])

    assert page.url.path == "/login"
    assert "Sai tên hoặc mật khẩu." in page.text
    assert (await browser.get("/chat")).url.path == "/login"


async def test_forged_form_without_the_csrf_token_is_refused(browser: Browser, ward: Ward) -> None:
    await browser.sign_in(ward.officer("minh"))

    forged = await browser.client.post("/chat/send", data={"text": "xong rồi"})
    wrong = await browser.client.post("/chat/send", data={"text": "xong", "csrf": "guessed"})

    assert forged.status_code == 403
    assert wrong.status_code == 403
    assert "Biểu mẫu bị từ chối" in forged.text


async def test_csrf_token_of_another_browser_is_refused(
    site: Site, browser: Browser, ward: Ward
) -> None:
    await browser.sign_in(ward.officer("minh"))
    async with site.browser() as other_client:
        other = Browser(other_client)
        await other.get("/login")

        response = await browser.client.post(
            "/chat/send", data={"text": "xong", "csrf": other.csrf}
        )

    assert response.status_code == 403
    assert site.conversation.received == []


async def test_invite_link_signs_in_once_and_binds_the_web_chat(
    browser: Browser, site: Site, ward: Ward, session: Session, clock: FakeClock
) -> None:
    card = create_invite(session, clock, ward.admin, ward.officer("tuan").name)

    shown = await browser.get(f"/login/invite/{card.token}")
    assert (await browser.get("/chat")).url.path == "/login"  # opening the link is not enough
    assert shown.status_code == 200
    await browser.get(f"/login/invite/{card.token}")
    signed = await browser.post(f"/login/invite/{card.token}")
    assert signed.headers["location"] == "/chat"
    async with site.browser() as other_client:
        other = Browser(other_client)
        await other.get(f"/login/invite/{card.token}")
        again = await other.post(f"/login/invite/{card.token}")
        refused = await other.get(again.headers["location"])

    assert "Lời mời này đã được dùng." in refused.text
    identity = session.exec(
        select(ChannelIdentity).where(ChannelIdentity.channel == Channel.WEB)
    ).one()
    assert identity.officer_id == ward.officer("tuan").id
    assert identity.chat_id == f"officer:{ward.officer('tuan').id}"


async def test_demo_people_can_be_picked_on_this_machine_only(
    engine: Engine, clock: FakeClock, ward: Ward, session: Session
) -> None:
    demo = add_officer(
        session, clock, ward.admin, "Người thử (demo)", unit_names=(ward.vhxh.name,), is_demo=True
    )
    local = build_site(engine, clock, ward, demo_login=True)
    remote = build_site(engine, clock, ward, demo_login=False)

    async with local.browser() as client:
        here = Browser(client)
        page = await here.get("/login")
        assert re.search(rf'name="officer" value="{demo.id}"', page.text)
        picked = await here.post("/login/demo", {"officer": str(demo.id)})
        assert picked.headers["location"] == "/chat"
    async with remote.browser() as client:
        away = Browser(client)
        page = await away.get("/login")
        assert 'name="officer"' not in page.text
        refused = await away.post("/login/demo", {"officer": str(demo.id)})
        assert refused.headers["location"] == "/login"
        assert (await away.get("/chat")).url.path == "/login"


async def test_a_real_officer_cannot_be_picked_without_a_password(
    browser: Browser, ward: Ward
) -> None:
    page = await browser.get("/login")
    assert 'name="officer"' not in page.text  # the ward has no demo people

    await browser.post("/login/demo", {"officer": str(ward.chair.id)})

    assert (await browser.get("/dashboard")).url.path == "/login"


async def test_signing_out_ends_the_session(browser: Browser, ward: Ward) -> None:
    await browser.sign_in(ward.officer("minh"))

    await browser.post("/logout")

    assert (await browser.get("/chat")).url.path == "/login"


async def test_pages_switch_to_english(browser: Browser, ward: Ward) -> None:
    await browser.sign_in(ward.officer("minh"))

    await browser.post("/lang", {"lang": "en", "next": "/chat"})
    page = await browser.get("/chat")

    assert "Sign out" in page.text
    assert "Đăng xuất" not in page.text


async def test_the_health_check_answers_without_signing_in(browser: Browser) -> None:
    response = await browser.client.get("/healthz")

    assert (response.status_code, response.text) == (200, "ok")


async def test_pages_refuse_framing_and_keep_their_address_to_themselves(
    browser: Browser,
) -> None:
    page = await browser.get("/login")

    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["referrer-policy"] == "same-origin"
    assert page.headers["x-content-type-options"] == "nosniff"
