"""The command menu: names Telegram accepts, each one a command dondoc understands."""

import re

import pytest

from bot.conversation.incoming import parse_command
from bot.telegram.menu import MENU, menu
from locales import translate

TELEGRAM_NAME = re.compile(r"[a-z0-9_]{1,32}")


@pytest.mark.parametrize("locale", ["vi", "en"])
def test_every_entry_is_a_valid_telegram_command_that_dondoc_understands(locale: str) -> None:
    commands = menu(locale)
    assert len(commands) == len(MENU)
    for entry, (command, description) in zip(commands, MENU, strict=True):
        assert TELEGRAM_NAME.fullmatch(entry.command), entry.command
        assert 3 <= len(entry.description) <= 256
        assert entry.description == translate(locale, description)
        invocation = parse_command(f"/{entry.command}")
        assert invocation is not None
        assert invocation.name is command


def test_vietnamese_names_for_everyone_and_english_aliases_for_english_apps() -> None:
    assert [c.command for c in menu("vi")] == [
        "viec", "quahan", "tonghop", "quy", "vuongmac", "nhac", "baocao",
        "nhap", "canbo", "donvi", "moi", "lang", "huongdan",
    ]  # fmt: skip
    assert [c.command for c in menu("en")] == [
        "tasks", "overdue", "summary", "quarter", "blockers", "remind", "report",
        "import", "officers", "units", "invite", "lang", "help",
    ]  # fmt: skip
    assert menu("vi")[0].description != menu("en")[0].description
