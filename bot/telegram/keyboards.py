"""Inline keyboards: the buttons of a `Reply`, labelled in the reader's language."""

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.telegram.callbacks import format_data
from services.messages import Reply, render_text


def inline_keyboard(reply: Reply, locale: str) -> InlineKeyboardMarkup | None:
    """The reply's button rows as an inline keyboard, or None when it offers none."""
    rows = [
        [
            InlineKeyboardButton(
                render_text(locale, button.label), callback_data=format_data(button)
            )
            for button in row
        ]
        for row in reply.buttons
        if row
    ]
    return InlineKeyboardMarkup(rows) if rows else None
