"""/baocao on (fake) Telegram: the chair gets the figures, the workbook and the draft as
documents and the chart as a photo; an officer's workbook holds their own unit's rows."""

import io
from datetime import date

from openpyxl import load_workbook

from reports.workbook import HEADER_ROW
from tests.support.documents import docx_text
from tests.support.telegram_office import LAN, TUAN, Office


def _codes(content: bytes) -> list[object]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)]


async def test_the_chair_gets_the_workbook_the_draft_and_the_chart(office: Office) -> None:
    office.ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    office.ward.task("2", "Sửa nhà văn hoá", unit=office.ward.dia_chinh, due=date(2025, 6, 30))

    office.fake.push_text(LAN, "/baocao quý 1")
    await office.fake.wait_calls("sendPhoto", within=60)

    figures = office.fake.messages_to(LAN)[0]
    assert figures["text"].startswith("📊 12/KH-UBND, quý I năm 2025: đã hoàn thành 0/2")
    documents = office.fake.calls_of("sendDocument")
    assert [int(call.params["chat_id"]) for call in documents] == [LAN, LAN]
    workbook, draft = (call.files["document"] for call in documents)
    assert _codes(workbook) == ["1", "2"]
    assert "Kết quả thực hiện Kế hoạch số 12/KH-UBND quý I năm 2025" in docx_text(draft)
    assert documents[0].params["caption"] == "Bảng tiến độ, theo đúng biểu mẫu của kế hoạch"
    [photo] = office.fake.calls_of("sendPhoto")
    assert photo.files["photo"].startswith(b"\x89PNG")


async def test_an_officer_asking_gets_their_own_units_rows(office: Office) -> None:
    office.ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    office.ward.task("2", "Sửa nhà văn hoá", unit=office.ward.dia_chinh, due=date(2025, 6, 30))

    office.fake.push_text(TUAN, "/baocao excel")
    [document] = await office.fake.wait_calls("sendDocument", within=60)

    assert int(document.params["chat_id"]) == TUAN
    assert _codes(document.files["document"]) == ["2"]
    assert office.fake.calls_of("sendPhoto") == []


async def test_the_chair_asks_in_words(office: Office) -> None:
    office.ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))

    office.fake.push_text(LAN, "gửi báo cáo quý 1 nhé")
    await office.fake.wait_calls("sendPhoto", within=60)

    assert len(office.fake.calls_of("sendDocument")) == 2
