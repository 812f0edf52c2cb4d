"""/baocao on Zalo, which carries no files: the chair reads the figures in words, and each
file is linked on dondoc's web pages when they have a public address, else named with where to
get it (Telegram or the web chat)."""

import pytest

from tests.integration.bot.zalo import test_flows
from tests.integration.bot.zalo.test_flows import LAN, Office
from tests.support.fake_zalo import RunningFake

office = test_flows.office  # the ward on the fake Zalo Bot Platform (a fixture)


async def test_the_chair_gets_the_figures_and_the_files_named(
    zalo: RunningFake, office: Office
) -> None:
    zalo.fake.push_text(LAN, "/baocao quý 1", name="Lan")

    texts = await zalo.fake.wait_texts(LAN, 4, within=60)

    assert texts[0].startswith("📊 12/KH-UBND, quý I năm 2025: đã hoàn thành 0/1 nhiệm vụ")
    assert "tien-do-12-kh-ubnd-2025-Q1.xlsx" in texts[1]
    assert "bao-cao-12-kh-ubnd-2025-Q1.docx" in texts[2]
    assert "bieu-do-12-kh-ubnd-2025-Q1.png" in texts[3]
    assert all("Telegram" in text for text in texts[1:])


@pytest.mark.parametrize("office", ["https://dondoc.bacson.vn/"], indirect=True)
async def test_with_a_public_address_each_file_is_a_link_to_it(
    zalo: RunningFake, office: Office
) -> None:
    zalo.fake.push_text(LAN, "/baocao quý 1", name="Lan")

    texts = await zalo.fake.wait_texts(LAN, 4, within=60)

    plan = office.ward.plan.id
    for text, kind in zip(texts[1:], ("xlsx", "docx", "png"), strict=True):
        assert f"https://dondoc.bacson.vn/reports/{plan}/{kind}?period=2025-Q1" in text
        assert "đăng nhập" in text
        assert "Telegram" not in text
