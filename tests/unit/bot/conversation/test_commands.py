"""Slash commands: every Vietnamese command has its English alias; unknown ones are text."""

import pytest

from bot.conversation.incoming import NAMES, Command, parse_command


@pytest.mark.parametrize(
    ("vi", "en", "command"),
    [
        ("/viec", "/tasks", Command.TASKS),
        ("/quahan", "/overdue", Command.OVERDUE),
        ("/tonghop", "/summary", Command.SUMMARY),
        ("/quy 2", "/quarter 2", Command.QUARTER),
        ("/vuongmac", "/blockers", Command.BLOCKERS),
        ("/nhap", "/import", Command.IMPORT),
        ("/nhac Minh", "/remind Minh", Command.REMIND),
        ("/canbo", "/officers", Command.OFFICERS),
        ("/donvi", "/units", Command.UNITS),
        ("/moi Minh", "/invite Minh", Command.INVITE),
        ("/huongdan", "/help", Command.HELP),
        ("/huy", "/cancel", Command.CANCEL),
    ],
)
def test_each_command_has_an_english_alias(vi: str, en: str, command: Command) -> None:
    assert parse_command(vi) == parse_command(en)
    parsed = parse_command(vi)
    assert parsed is not None
    assert parsed.name is command


def test_every_command_is_named_at_least_twice() -> None:
    assert set(NAMES) == set(Command)
    assert all(len(names) >= 2 for names in NAMES.values())


def test_arguments_and_bot_mentions() -> None:
    assert parse_command("/start@dondoc_bot abc123") == parse_command("/start abc123")
    parsed = parse_command("/viec   Văn hóa  -  Xã hội ")
    assert parsed is not None
    assert parsed.arg == "Văn hóa - Xã hội"


def test_unknown_commands_and_plain_text_are_not_commands() -> None:
    assert parse_command("/khongco") is None
    assert parse_command("xong rồi") is None
