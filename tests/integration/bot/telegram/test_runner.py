"""The bot starts and stops inside a loop it does not own, leaving nothing running."""

import pytest

from bot.telegram.app import build_application
from bot.telegram.runner import running, telegram_channel
from jobs.senders import Recipient
from services.messages import Reply, Text
from tests.integration.bot.telegram.conftest import POLL, RunningBot
from tests.support.fake_telegram import TOKEN, RunningFake
from tests.support.scripted_conversation import ScriptedConversation


async def test_polling_starts_after_dropping_no_webhook_and_stops_cleanly(
    telegram: RunningFake, conversation: ScriptedConversation
) -> None:
    application = build_application(
        token=TOKEN,
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
    )
    async with running(application, poll_timeout=POLL):
        await telegram.fake.wait_calls("getUpdates")
        assert application.running
    assert not application.running
    assert application.updater is not None
    assert not application.updater.running
    methods = [call.method for call in telegram.fake.calls]
    assert methods[:5] == [
        "getMe",
        "setMyCommands",
        "setMyCommands",
        "deleteWebhook",
        "getUpdates",
    ]
    assert telegram.fake.calls_of("getUpdates")[0].params["timeout"] == 1


async def test_a_rejected_token_stops_the_start(
    telegram: RunningFake, conversation: ScriptedConversation
) -> None:
    from telegram.error import InvalidToken

    application = build_application(
        token="7000000:WRONG",
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
    )
    with pytest.raises(InvalidToken) as raised:
        async with running(application, poll_timeout=POLL):
            pytest.fail("the bot started with a rejected token")
    assert not application.running
    assert "WRONG" not in str(raised.value)
    assert raised.value.__suppress_context__


async def test_the_bot_knows_its_name(bot: RunningBot) -> None:
    assert bot.application.bot.username == "dondoc_test_bot"


async def test_the_channel_is_built_from_configured_values_and_yields_its_sender(
    telegram: RunningFake, conversation: ScriptedConversation
) -> None:
    async with telegram_channel(
        token=TOKEN,
        base_url=telegram.base_url,
        conversation=conversation,
        locale_of=conversation.locale_of,
    ) as channel:
        await telegram.fake.wait_calls("getUpdates")
        recipient = Recipient(officer_id=1, chat_id="55", locale="vi")
        message_id = await channel.sender.send(recipient, Reply(lines=(Text("Hi"),)))
        assert telegram.fake.message(55, int(message_id))["text"] == "Hi"
    assert not channel.application.running


async def test_the_command_menu_is_published_in_vietnamese_and_english(
    telegram: RunningFake, bot: RunningBot
) -> None:
    vi = telegram.fake.commands[""]
    en = telegram.fake.commands["en"]
    assert vi[0] == {"command": "viec", "description": "Việc của tôi đang mở"}
    assert en[0] == {"command": "tasks", "description": "My open tasks"}
    assert len(vi) == len(en) == 13
