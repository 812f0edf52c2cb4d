"""The command menu Telegram shows beside the text box: Vietnamese names with Vietnamese
descriptions, and the English aliases for people whose Telegram is in English."""

import logging
from typing import Final

from telegram import Bot, BotCommand
from telegram.error import TelegramError

from bot.conversation.incoming import NAMES, Command
from locales import DEFAULT_LOCALE, N_, translate

logger = logging.getLogger(__name__)

MENU: Final = (
    (Command.TASKS, N_("My open tasks")),
    (Command.OVERDUE, N_("Overdue tasks")),
    (Command.SUMMARY, N_("Where the plan stands (chair)")),
    (Command.QUARTER, N_("Tasks of a quarter, e.g. 2")),
    (Command.BLOCKERS, N_("Open blockers (chair)")),
    (Command.REMIND, N_("Remind an officer now (chair)")),
    (Command.REPORT, N_("Progress workbook, report draft and chart")),
    (Command.IMPORT, N_("Import a plan file (office)")),
    (Command.OFFICERS, N_("Officers (office)")),
    (Command.UNITS, N_("Units and their short names (office)")),
    (Command.INVITE, N_("Invite an officer (office)")),
    (Command.LANG, N_("Switch between Vietnamese and English")),
    (Command.HELP, N_("What I can do")),
)


def menu(locale: str) -> list[BotCommand]:
    """The menu in `locale`: Vietnamese command names, or their English aliases for `en`."""
    return [
        BotCommand(_name(command, locale), translate(locale, description))
        for command, description in MENU
    ]


async def publish_menu(bot: Bot) -> None:
    """Set the menu for everyone (Vietnamese) and for English-speaking Telegram apps."""
    try:
        await bot.set_my_commands(menu(DEFAULT_LOCALE))
        await bot.set_my_commands(menu("en"), language_code="en")
    except TelegramError:
        logger.warning("telegram: the command menu could not be set", exc_info=True)


def _name(command: Command, locale: str) -> str:
    names = NAMES[command]
    return command.value if locale == "en" and command.value in names else names[0]
