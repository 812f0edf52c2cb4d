"""The office's pages: a plan uploaded, previewed with its flags and stored on confirmation;
officers, invites, units, aliases, the reminder policy and the calendar; admins only."""

import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from models import (
    CalendarDay,
    Invite,
    Officer,
    PendingImport,
    Plan,
    ReminderPolicy,
    Task,
    TaskEvent,
    Unit,
    UnitAlias,
)
from models.db import make_engine
from tests.integration.bot.web.conftest import Browser, build_site
from tests.support.clock import FakeClock
from tests.support.ward import Ward


@pytest.fixture
def seed(data_dir: Path) -> bytes:
    """Seed 001: a ward plan as the office receives it."""
    return next((data_dir / "seeds").glob("001_*.txt")).read_bytes()


async def test_admin_uploads_a_plan_previews_it_and_stores_it(
    browser: Browser, ward: Ward, session: Session, seed: bytes
) -> None:
    await browser.sign_in(ward.admin)
    await browser.get("/admin/import")

    preview = await browser.post(
        "/admin/import", files={"file": ("ke-hoach.txt", seed, "text/plain")}
    )

    assert preview.status_code == 200
    assert session.exec(select(Task).where(Task.plan_id != ward.plan.id)).first() is None
    key = re.search(r'action="/admin/import/([^"]+)"', preview.text)
    assert key is not None
    rows = preview.text.count('<tr class="')
    stored = await browser.post(f"/admin/import/{key.group(1)}")
    page = await browser.get(stored.headers["location"])

    plans = session.exec(select(Plan).where(Plan.id != ward.plan.id)).all()
    assert len(plans) == 1
    tasks = session.exec(select(Task).where(Task.plan_id == plans[0].id)).all()
    assert rows == len([t for t in tasks if t.kind.value == "task"])
    assert page.url.path == "/dashboard"
    assert f"✅ Đã nhập {plans[0].number}: {len(tasks)} việc." in page.text
    created = session.exec(
        select(TaskEvent).where(col(TaskEvent.task_id).in_([t.id for t in tasks]))
    ).all()
    assert created
    assert {event.officer_id for event in created} == {ward.admin.id}  # who imported it


async def test_the_same_file_again_is_shown_as_already_imported(
    browser: Browser, ward: Ward, seed: bytes
) -> None:
    await browser.sign_in(ward.admin)
    first = await browser.post("/admin/import", files={"file": ("a.txt", seed, "text/plain")})
    key = re.search(r'action="/admin/import/([^"]+)"', first.text)
    assert key is not None
    await browser.post(f"/admin/import/{key.group(1)}")
    await browser.get("/admin/import")

    again = await browser.post("/admin/import", files={"file": ("b.txt", seed, "text/plain")})
    page = await browser.get(again.headers["location"])

    assert page.url.path == "/admin/import"
    assert "đã được nhập" in page.text  # refused before a preview is offered
    assert 'action="/admin/import/' not in page.text.replace('action="/admin/import?', "")


async def test_a_new_version_of_a_plan_is_previewed_and_stored_as_a_revision(
    browser: Browser, ward: Ward, data_dir: Path
) -> None:
    first = next((data_dir / "seeds").glob("000_*.txt")).read_bytes()
    revised = first.replace("Xây dựng Kế hoạch tuyên truyền".encode(), "Lập kế hoạch".encode())
    await browser.sign_in(ward.admin)
    for name, content in (("v1.txt", first), ("v2.txt", revised)):
        shown = await browser.post("/admin/import", files={"file": (name, content, "text/plain")})
        key = re.search(r'action="/admin/import/([^"]+)"', shown.text)
        assert key is not None
        stored = await browser.post(f"/admin/import/{key.group(1)}")
    page = await browser.get(stored.headers["location"])

    said = "Đây là bản mới của kế hoạch 73/KH-UBND: thêm 0, bỏ 0, sửa 1, giữ nguyên 10."
    assert said in shown.text
    assert "✅ Đã nhập 73/KH-UBND là bản sửa đổi: thêm 0, bỏ 0, sửa 1, giữ nguyên 10" in page.text


async def test_a_preview_made_on_one_replica_is_confirmed_on_another(
    engine: Engine, clock: FakeClock, ward: Ward, browser: Browser, session: Session, seed: bytes
) -> None:
    other_engine = make_engine(engine.url.render_as_string(hide_password=False))
    other = build_site(other_engine, clock, ward, demo_login=True)  # same database, own memory
    await browser.sign_in(ward.admin)
    preview = await browser.post("/admin/import", files={"file": ("kh.txt", seed, "text/plain")})
    key = re.search(r'action="/admin/import/(\d+)"', preview.text)
    assert key is not None
    try:
        async with other.browser() as client:
            client.cookies = browser.client.cookies
            stored = await Browser(client, csrf=browser.csrf).post(f"/admin/import/{key[1]}")
    finally:
        other_engine.dispose()

    assert stored.headers["location"] == "/dashboard"
    assert len(session.exec(select(Plan).where(Plan.id != ward.plan.id)).all()) == 1
    assert session.exec(select(PendingImport)).first() is None


async def test_a_cancelled_preview_is_forgotten(
    browser: Browser, ward: Ward, session: Session, seed: bytes
) -> None:
    await browser.sign_in(ward.admin)
    preview = await browser.post("/admin/import", files={"file": ("kh.txt", seed, "text/plain")})
    key = re.search(r'action="/admin/import/(\d+)/cancel"', preview.text)
    assert key is not None
    assert session.exec(select(PendingImport)).first() is not None

    cancelled = await browser.post(f"/admin/import/{key[1]}/cancel")
    stored = await browser.post(f"/admin/import/{key[1]}")
    page = await browser.get(stored.headers["location"])

    assert cancelled.headers["location"] == "/admin/import"
    assert session.exec(select(PendingImport)).first() is None
    assert "Bản xem trước đã hết hạn" in page.text
    assert session.exec(select(Plan).where(Plan.id != ward.plan.id)).first() is None


async def test_a_file_that_is_no_plan_is_refused_with_its_reason(
    browser: Browser, ward: Ward
) -> None:
    await browser.sign_in(ward.admin)

    refused = await browser.post("/admin/import", files={"file": ("x.txt", b"", "text/plain")})
    page = await browser.get(refused.headers["location"])

    assert page.url.path == "/admin/import"
    assert 'class="notice"' in page.text


async def test_a_preview_cannot_be_confirmed_by_another_browser(
    browser: Browser, ward: Ward, session: Session, seed: bytes
) -> None:
    await browser.sign_in(ward.admin)
    preview = await browser.post("/admin/import", files={"file": ("a.txt", seed, "text/plain")})
    key = re.search(r'action="/admin/import/([^"]+)"', preview.text)
    assert key is not None

    forged = await browser.client.post(f"/admin/import/{key.group(1)}", data={"csrf": "x"})

    assert forged.status_code == 403
    assert session.exec(select(Plan).where(Plan.id != ward.plan.id)).first() is None


@pytest.mark.parametrize(
    "path", ["/admin/import", "/admin/people", "/admin/units", "/admin/policy", "/admin/calendar"]
)
async def test_officers_and_the_chair_are_refused_the_office_pages(
    browser: Browser, ward: Ward, path: str
) -> None:
    await browser.sign_in(ward.chair)

    page = await browser.get(path)

    assert page.status_code == 403
    assert "Chỉ Văn phòng" in page.text


async def test_the_chair_cannot_upload_or_confirm_a_plan(
    browser: Browser, ward: Ward, session: Session, seed: bytes
) -> None:
    await browser.sign_in(ward.chair)
    await browser.get("/dashboard")

    refused = await browser.post("/admin/import", files={"file": ("kh.txt", seed, "text/plain")})
    confirmed = await browser.post("/admin/import/1")

    assert (refused.status_code, confirmed.status_code) == (403, 403)
    assert session.exec(select(PendingImport)).first() is None
    assert session.exec(select(Plan).where(Plan.id != ward.plan.id)).first() is None


async def test_admin_adds_an_officer_and_makes_an_invite_link(
    browser: Browser, ward: Ward, session: Session
) -> None:
    await browser.sign_in(ward.admin)
    await browser.get("/admin/people")

    await browser.post(
        "/admin/officers",
        {"name": "Vũ Thị Mai", "unit": ward.vhxh.name, "role": "officer", "phone": ""},
    )
    await browser.post("/admin/invites", {"name": "Vũ Thị Mai"})
    page = await browser.get("/admin/people")

    assert session.exec(select(Officer).where(Officer.name == "Vũ Thị Mai")).one()
    link = re.search(r"http://127\.0\.0\.1:8080/login/invite/[\w-]+", page.text)
    assert link is not None
    assert "Lời mời cho Vũ Thị Mai" in page.text
    assert "đến hết ngày 10/03/2025:" in page.text  # the ward's day, as the reader writes it


async def test_a_role_the_form_does_not_offer_is_refused_not_made_an_officer(
    browser: Browser, ward: Ward, session: Session
) -> None:
    await browser.sign_in(ward.admin)
    await browser.get("/admin/people")

    sent = await browser.post(
        "/admin/officers",
        {"name": "Vũ Thị Mai", "unit": ward.vhxh.name, "role": "superuser", "phone": ""},
    )
    page = await browser.get(sent.headers["location"])

    assert session.exec(select(Officer).where(Officer.name == "Vũ Thị Mai")).first() is None
    assert "Vai trò superuser không hợp lệ" in page.text


async def test_an_officer_without_a_unit_is_refused_a_chair_is_not(
    browser: Browser, ward: Ward, session: Session
) -> None:
    """As `dondoc officers add`: `add_officer` refuses a plain officer no unit is given."""
    await browser.sign_in(ward.admin)
    await browser.get("/admin/people")

    sent = await browser.post(
        "/admin/officers", {"name": "Vũ Thị Mai", "unit": "", "role": "officer", "phone": ""}
    )
    page = await browser.get(sent.headers["location"])
    assert session.exec(select(Officer).where(Officer.name == "Vũ Thị Mai")).first() is None
    assert "Cán bộ cần có đơn vị" in page.text

    await browser.post(
        "/admin/officers", {"name": "Vũ Thị Mai", "unit": "", "role": "chair", "phone": ""}
    )
    assert session.exec(select(Officer).where(Officer.name == "Vũ Thị Mai")).one()


async def test_admin_adds_a_unit_and_teaches_an_alias(
    browser: Browser, ward: Ward, session: Session
) -> None:
    await browser.sign_in(ward.admin)
    await browser.get("/admin/units")

    await browser.post("/admin/units", {"name": "Trạm Y tế", "aliases": "TYT, Y tế"})
    await browser.post("/admin/aliases", {"alias": "CC ĐC-XD", "unit": ward.dia_chinh.name})
    page = await browser.get("/admin/units")

    aliases = {a.alias for a in session.exec(select(UnitAlias))}
    assert {"TYT", "Y tế", "CC ĐC-XD"} <= aliases
    assert "Trạm Y tế" in page.text


async def test_admin_changes_the_reminder_policy(
    browser: Browser, ward: Ward, session: Session
) -> None:
    await browser.sign_in(ward.admin)
    page = await browser.get("/admin/policy")
    assert 'value="14,7,3,1,0"' in page.text

    await browser.post("/admin/policy", {"offsets": "10,3", "send_time": "08:00"})
    wrong = await browser.post("/admin/policy", {"send_time": "25:99"})
    refused = await browser.get(wrong.headers["location"])

    row = session.exec(
        select(ReminderPolicy).where(ReminderPolicy.organization_id == ward.org.id)
    ).one()
    session.refresh(row)
    assert (row.offsets_days, row.send_time) == ([10, 3], "08:00")
    assert 'class="notice"' in refused.text


async def test_admin_declares_a_day_off(browser: Browser, ward: Ward, session: Session) -> None:
    await browser.sign_in(ward.admin)
    await browser.get("/admin/calendar")

    await browser.post(
        "/admin/calendar", {"day": "2025-04-29", "working": "no", "reason": "Nghỉ bù"}
    )
    page = await browser.get("/admin/calendar?year=2025")

    day = session.exec(select(CalendarDay)).one()
    assert (day.day, day.working, day.reason) == (date(2025, 4, 29), False, "Nghỉ bù")
    assert "29/04/2025" in page.text


@pytest.mark.parametrize(
    ("path", "form"),
    [
        ("/admin/officers", {"name": "Vũ Thị Mai", "role": "admin"}),
        ("/admin/invites", {"name": "Phạm Văn Minh"}),
        ("/admin/units", {"name": "Trạm Y tế"}),
        ("/admin/aliases", {"alias": "TYT", "unit": "Công chức Văn hóa - Xã hội"}),
        ("/admin/policy", {"offsets": "1"}),
        ("/admin/calendar", {"day": "2025-04-29", "working": "no", "reason": "Nghỉ"}),
    ],
)
async def test_the_chair_is_refused_the_office_forms_and_nothing_changes(
    browser: Browser, ward: Ward, session: Session, path: str, form: dict[str, str | list[str]]
) -> None:
    await browser.sign_in(ward.chair)
    await browser.get("/dashboard")
    before = _office_rows(session)

    refused = await browser.post(path, form)

    assert refused.status_code == 403
    assert "Chỉ Văn phòng" in refused.text
    assert _office_rows(session) == before


def _office_rows(session: Session) -> tuple[int, ...]:
    session.expire_all()
    tables = (Officer, Invite, Unit, UnitAlias, ReminderPolicy, CalendarDay)
    return tuple(len(session.exec(select(table)).all()) for table in tables)


async def test_a_plan_dated_beyond_the_calendar_previews_its_rows_flagged_and_is_refused(
    browser: Browser, ward: Ward, session: Session, seed: bytes
) -> None:
    await browser.sign_in(ward.admin)
    plan = seed.decode("utf-8").replace("2025", "9999").encode("utf-8")

    preview = await browser.post("/admin/import", files={"file": ("a.txt", plan, "text/plain")})

    assert "ngoài các năm 1901–2099 mà lịch của dondoc tính được: phải sửa" in preview.text
    assert "Chưa lưu gì: “" in preview.text  # said at the preview ...
    key = re.search(r'action="/admin/import/(\d+)/cancel"', preview.text)
    assert key is not None
    assert f'action="/admin/import/{key.group(1)}"' not in preview.text  # ... with no confirm
    stored = await browser.post(f"/admin/import/{key.group(1)}")  # a confirm forged anyway
    page = await browser.get(stored.headers["location"])
    assert page.url.path == "/admin/import"
    assert "Chưa lưu gì: “" in page.text
    assert session.exec(select(Plan).where(Plan.id != ward.plan.id)).first() is None


async def test_the_calendar_names_holidays_in_the_pages_language(
    browser: Browser, ward: Ward, session: Session
) -> None:
    """An admin reading English who has not picked a language on this browser reads the page,
    and its holidays, in English (the holidays were named in Vietnamese)."""
    ward.admin.locale = "en"
    session.add(ward.admin)
    session.commit()
    await browser.sign_in(ward.admin)
    page = await browser.get("/admin/calendar?year=2025")
    assert "Lunar New Year" in page.text
    assert "Nghỉ Tết Nguyên đán" not in page.text
