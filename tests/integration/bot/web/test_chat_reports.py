"""/baocao in the web chat, with the real conversation: the files come as downloads (the chart
as a picture) served by the report route, for whoever may see them."""

import io
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from bot.conversation.engine import Conversation
from bot.web.app import build_web_app
from bot.web.hub import ChatHub
from bot.web.sender import WebSender
from jobs.runner import JobRunner
from reports.workbook import HEADER_ROW
from tests.integration.bot.web.conftest import Browser
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward


@pytest.fixture
async def chat(
    engine: Engine, clock: FakeClock, ward: Ward, tmp_path: Path
) -> AsyncIterator[Browser]:
    """A browser on the web app wired to the real conversation."""
    runner = JobRunner(engine)
    app = build_web_app(
        runner=runner,
        clock=clock,
        conversation=Conversation(engine, clock, evidence_dir=tmp_path, bot_username=None),
        sender=WebSender(runner, clock, ChatHub()),
        secret_key="test-secret-key-test-secret-key",
        zone=HCM,
        demo_login=True,
    )
    transport = httpx.ASGITransport(app=app, client=("127.0.0.1", 50123))
    async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8080") as client:
        yield Browser(client)


async def test_the_chair_gets_the_three_files_as_downloads(chat: Browser, ward: Ward) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    await chat.sign_in(ward.chair)
    await chat.get("/chat")

    response = await chat.post("/chat/send", {"text": "/baocao quý 1"})
    page = await chat.get(response.headers["location"])

    plan = ward.plan.id
    assert "📊 12/KH-UBND, quý I năm 2025: đã hoàn thành 0/1 nhiệm vụ (0%)" in page.text
    assert f'href="/reports/{plan}/xlsx?period=2025-Q1" download="tien-do-12-kh-ubnd' in page.text
    assert f'href="/reports/{plan}/docx?period=2025-Q1"' in page.text
    assert f'<img class="picture" src="/reports/{plan}/png?period=2025-Q1"' in page.text
    chart = await chat.get(f"/reports/{plan}/png?period=2025-Q1")
    assert chart.content.startswith(b"\x89PNG")


async def test_an_officer_in_the_web_chat_downloads_their_rows_only(
    chat: Browser, ward: Ward
) -> None:
    ward.task("1", "Tổ chức lễ hội mùa xuân", due=date(2025, 2, 20))
    ward.task("2", "Sửa nhà văn hoá", unit=ward.dia_chinh, due=date(2025, 6, 30))
    await chat.sign_in(ward.officer("tuan"))
    await chat.get("/chat")

    response = await chat.post("/chat/send", {"text": "/baocao excel"})
    page = await chat.get(response.headers["location"])

    link = f"/reports/{ward.plan.id}/xlsx?period=2025-Q1"
    assert f'href="{link}"' in page.text
    workbook = await chat.get(link)
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).worksheets[0]
    assert [row[0] for row in sheet.iter_rows(min_row=HEADER_ROW + 1, values_only=True)] == ["2"]
