"""The chart in the web chat, looked at: the chair of the demo ward asks /baocao on a phone and
sees the figures, the two files to download and the chart as a picture (a screenshot is kept,
docs/screenshots/chat-report-chart.png with DONDOC_UPDATE_SCREENSHOTS=1)."""

from typing import Any

import pytest

from tests.e2e import test_newcomer
from tests.e2e.test_newcomer import PHONE, SHOTS, Served, _pick

pytestmark = pytest.mark.e2e

served = test_newcomer.served  # `dondoc run` in an empty folder (a module fixture)
chromium = test_newcomer.chromium


def test_the_chair_sees_the_chart_in_the_web_chat(served: Served, chromium: Any) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    phone = chromium.new_context(viewport=PHONE, device_scale_factor=2, locale="vi-VN")
    page = phone.new_page()
    _pick(page, served, "Chủ tịch")
    page.wait_for_url("**/dashboard")
    page.goto(served.address + "chat")
    page.wait_for_selector(".chat[data-live=yes]", timeout=10_000)

    page.fill("input[name=text]", "/baocao")
    page.keyboard.press("Enter")
    picture = page.locator(".msg.bot img.picture").last
    picture.wait_for(timeout=30_000)
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=picture.element_handle()
    )
    width = picture.evaluate("img => img.naturalWidth")
    shown = picture.bounding_box()
    assert width >= 800  # drawn for a phone: 880 pixels wide, shown at the chat's width
    assert shown is not None
    assert shown["width"] <= PHONE["width"]
    downloads = page.locator(".msg.bot a.download").all_inner_texts()
    assert any(name.strip().endswith(".xlsx") for name in downloads), downloads
    assert any(name.strip().endswith(".docx") for name in downloads), downloads
    assert "📊" in page.locator(".msg.bot").all_inner_texts()[-4]
    picture.scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "chat-report-chart.png"))
    phone.close()
