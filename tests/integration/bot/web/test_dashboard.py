"""The chair's dashboard: figures through the authorising queries, extensions answered through
their use case, and each task's history from its events."""

from datetime import date

from sqlmodel import Session, select

from models import Channel, EventKind, Occurrence, Outbox, Role, TaskEvent
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.people.web_auth import set_password
from services.tracking.extensions import request_extension
from services.tracking.tasks import mark_done, report_blocker
from tests.integration.bot.web.conftest import Browser
from tests.support.clock import FakeClock
from tests.support.ward import Ward, the_office


def _occurrence(session: Session, task_id: int | None) -> int:
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task_id)).one()
    assert occurrence.id is not None
    return occurrence.id


async def test_the_chair_sees_overdue_blocked_and_done_work(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    late = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    blocked = ward.task("2", "Sửa nhà văn hoá", unit=ward.dia_chinh, due=date(2025, 6, 30))
    done = ward.task("3", "Báo cáo quý I", due=date(2025, 3, 31))
    minh, tuan = ward.officer("minh"), ward.officer("tuan")
    report_blocker(
        session, clock, tuan, _occurrence(session, blocked.id), reason="chưa có kinh phí",
        via=Channel.TELEGRAM,
    )  # fmt: skip
    mark_done(session, clock, minh, _occurrence(session, done.id), via=Channel.WEB)

    page = await browser.sign_in(ward.chair)

    text = page.text
    assert page.url.path == "/dashboard"
    assert late.title in text
    assert 'class="late" data-code="1"' in text
    assert "trễ 7 ngày làm việc" in text  # 20/02 → 03/03: seven working days
    assert "chưa có kinh phí" in text
    assert '<strong id="done-count">1</strong>' in text
    assert "Phạm Văn Minh" in text  # by officer
    assert "Quý I/2025" in text  # by quarter, as plans write it


async def test_an_officer_is_not_shown_the_dashboard(browser: Browser, ward: Ward) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    await browser.sign_in(ward.officer("minh"))

    page = await browser.get("/dashboard")

    assert page.status_code == 403
    assert "Tổ chức lễ hội" not in page.text
    assert "Chỉ Chủ tịch hoặc Văn phòng" in page.text


async def test_the_chair_grants_an_extension_and_the_officer_is_told(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    occurrence_id = _occurrence(session, task.id)
    minh = ward.officer("minh")
    request_extension(
        session, clock, minh, occurrence_id, until=date(2025, 3, 20), reason="chờ kinh phí",
        via=Channel.WEB,
    )  # fmt: skip
    request = session.exec(
        select(TaskEvent).where(TaskEvent.kind == EventKind.EXTENSION_REQUESTED)
    ).one()
    page = await browser.sign_in(ward.chair)
    assert "chờ kinh phí" in page.text

    response = await browser.post(f"/extensions/{request.id}", {"decision": "grant"})
    after = await browser.get(response.headers["location"])
    history = await browser.get(f"/history/{occurrence_id}")

    assert "đồng ý gia hạn đến 20/03/2025" in after.text
    assert history.text.count("→ 20/03/2025") == 2  # asked for, then granted
    assert "Không có đề nghị nào đang chờ." in after.text
    session.expire_all()
    occurrence = session.get(Occurrence, occurrence_id)
    assert occurrence is not None
    assert occurrence.due == date(2025, 3, 20)
    told = session.exec(select(Outbox).where(Outbox.officer_id == minh.id)).all()
    assert any("extension-decision" in row.idempotency_key for row in told)


async def test_an_extension_answered_twice_is_refused_the_second_time(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    request_extension(
        session, clock, ward.officer("minh"), _occurrence(session, task.id),
        until=date(2025, 3, 20), reason="chờ kinh phí", via=Channel.WEB,
    )  # fmt: skip
    request = session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)).one()
    await browser.sign_in(ward.chair)
    await browser.post(f"/extensions/{request.id}", {"decision": "deny"})

    again = await browser.post(f"/extensions/{request.id}", {"decision": "grant"})
    page = await browser.get(again.headers["location"])

    assert "đã được trả lời" in page.text


async def test_an_officer_cannot_answer_an_extension(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    request_extension(
        session, clock, ward.officer("minh"), _occurrence(session, task.id),
        until=date(2025, 3, 20), reason="chờ kinh phí", via=Channel.WEB,
    )  # fmt: skip
    request = session.exec(select(TaskEvent).where(TaskEvent.task_id == task.id)).one()
    await browser.sign_in(ward.officer("tuan"))

    await browser.post(f"/extensions/{request.id}", {"decision": "grant"})

    decisions = session.exec(
        select(TaskEvent).where(TaskEvent.kind == EventKind.EXTENSION_GRANTED)
    ).all()
    assert decisions == []


async def test_a_tasks_history_lists_its_events(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    occurrence_id = _occurrence(session, task.id)
    minh = ward.officer("minh")
    report_blocker(session, clock, minh, occurrence_id, reason="thiếu loa đài", via=Channel.WEB)
    clock.advance(hours=2)
    mark_done(session, clock, minh, occurrence_id, via=Channel.TELEGRAM)

    await browser.sign_in(ward.chair)
    page = await browser.get(f"/history/{occurrence_id}")

    text = page.text
    assert page.status_code == 200
    assert text.index("báo vướng mắc") < text.index("báo hoàn thành")
    assert "thiếu loa đài" in text
    assert "08:00 03/03/2025" in text
    assert "10:00 03/03/2025" in text


async def test_the_history_of_a_task_that_is_not_yours_is_not_found(
    browser: Browser, ward: Ward, session: Session
) -> None:
    task = ward.task("1", "Sửa nhà văn hoá", unit=ward.dia_chinh, due=date(2025, 6, 30))
    await browser.sign_in(ward.officer("minh"))

    page = await browser.get(f"/history/{_occurrence(session, task.id)}")

    assert page.status_code == 403
    assert "Sửa nhà văn hoá" not in page.text


async def test_another_wards_chair_sees_nothing_of_this_ward(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    other = create_organization(session, clock, "Phường Tân Lập")
    office = the_office(session, clock, other)
    chair = add_officer(session, clock, office, "Nguyễn Văn Chủ", role=Role.CHAIR)
    set_password(session, office, chair.name, "mat-khau-khac")
    await browser.get("/login")
    await browser.post(
        "/login", {"org": str(other.id), "name": chair.name, "password": "mat-khau-khac"}
    )

    page = await browser.get("/dashboard")
    history = await browser.get(f"/history/{_occurrence(session, task.id)}")

    assert page.url.path == "/dashboard"
    assert task.title not in page.text
    assert history.status_code == 403
    assert task.title not in history.text
