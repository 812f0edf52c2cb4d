"""Telegram, through python-telegram-bot: Update -> Incoming, Reply -> messages. Thin."""
