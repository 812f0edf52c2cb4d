"""Report downloads from the dashboard: a plan's workbook, draft and chart for a period; an
officer's workbook holds their own unit's rows; the on-time rate by unit and officer."""

import io
from datetime import date

from openpyxl import load_workbook
from sqlmodel import Session, select

from models import Channel, Occurrence, Plan
from reports.workbook import HEADER_ROW
from services.people.organizations import create_organization
from services.tracking.tasks import mark_done
from tests.integration.bot.web.conftest import Browser
from tests.support.clock import FakeClock
from tests.support.documents import docx_text
from tests.support.ward import Ward

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _occurrence(session: Session, task_id: int | None) -> int:
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task_id)).one()
    assert occurrence.id is not None
    return occurrence.id


def _codes(content: bytes) -> list[object]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


async def test_the_chair_downloads_the_three_files_for_a_period(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    done = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    ward.task("2", "Sửa nhà văn hoá", unit=ward.dia_chinh, due=date(2025, 6, 30))
    mark_done(session, clock, ward.officer("minh"), _occurrence(session, done.id), via=Channel.WEB)
    page = await browser.sign_in(ward.chair)
    assert f'action="/reports/{ward.plan.id}/xlsx"' in page.text.replace("formaction", "action")
    assert '<option value="2025-Q1" selected>quý I năm 2025</option>' in page.text
    assert "Tỷ lệ đúng hạn" in page.text

    workbook = await browser.get(f"/reports/{ward.plan.id}/xlsx?period=2025-Q1")
    assert workbook.status_code == 200
    assert workbook.headers["content-type"] == XLSX
    assert 'filename="tien-do-12-kh-ubnd-2025-Q1.xlsx"' in workbook.headers["content-disposition"]
    assert _codes(workbook.content) == ["1", "2"]
    draft = await browser.get(f"/reports/{ward.plan.id}/docx?period=2025-Q1")
    assert "Kết quả thực hiện Kế hoạch số 12/KH-UBND quý I năm 2025" in docx_text(draft.content)
    chart = await browser.get(f"/reports/{ward.plan.id}/png")
    assert chart.headers["content-type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG")


async def test_an_officer_downloads_their_own_units_rows_only(
    browser: Browser, ward: Ward
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    ward.task("2", "Sửa nhà văn hoá", unit=ward.dia_chinh, due=date(2025, 6, 30))
    await browser.sign_in(ward.officer("tuan"))

    workbook = await browser.get(f"/reports/{ward.plan.id}/xlsx")

    assert workbook.status_code == 200
    assert _codes(workbook.content) == ["2"]


async def test_another_wards_plan_reads_as_not_found(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    page = await browser.sign_in(ward.chair)
    assert page.url.path == "/dashboard"
    org = create_organization(session, clock, "Phường Mỏ Chè")
    assert org.id is not None
    other = Plan(
        organization_id=org.id, title="Việc của phường khác", source_name="khac.txt",
        sha256="c" * 64, imported_at=clock.now(),
    )  # fmt: skip
    session.add(other)
    session.commit()

    response = await browser.get(f"/reports/{other.id}/xlsx")

    assert response.status_code == 403
    assert "Việc của phường khác" not in response.text
    assert (await browser.get(f"/reports/{ward.plan.id}/pdf")).status_code == 404
    assert (await browser.get(f"/reports/{ward.plan.id}/xlsx?period=2025-Q9")).status_code == 404


async def test_the_dashboard_shows_each_units_and_officers_on_time_rate(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    on_time = ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo tháng", due=date(2025, 2, 28))  # overdue on 03/03
    mark_done(
        session, clock, ward.officer("minh"), _occurrence(session, on_time.id), via=Channel.WEB
    )
    page = await browser.sign_in(ward.chair)
    rows = [row for row in page.text.split("<tr>") if "Văn hóa - Xã hội" in row]
    assert any('<td class="rate">50%</td>' in row for row in rows)
    officer_rows = [row for row in page.text.split("<tr>") if "Phạm Văn Minh" in row]
    assert any('<td class="rate">50%</td>' in row for row in officer_rows)
