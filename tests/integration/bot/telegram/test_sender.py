"""The dispatcher's Sender against the fake Bot API: delivery, edits, files, and failures."""

import pytest

from jobs.senders import PermanentSendError, Recipient, TransientSendError
from services.messages import Action, Attachment, Button, Reply, Text
from tests.integration.bot.telegram.conftest import RunningBot
from tests.support.fake_telegram import BLOCKED, CHAT_NOT_FOUND, RunningFake

MINH = Recipient(officer_id=7, chat_id="4242", locale="vi")
REMINDER = Reply(
    lines=(Text("Task {code} is due tomorrow.", {"code": "2.1"}),),
    buttons=((Button(Action.DONE, "K7q2", Text("Done")),),),
)


async def test_a_reminder_is_sent_with_its_buttons_and_its_id_returned(
    telegram: RunningFake, bot: RunningBot
) -> None:
    message_id = await bot.sender.send(MINH, REMINDER)
    message = telegram.fake.message(4242, int(message_id))
    assert message["text"] == "Task 2.1 is due tomorrow."
    assert message["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "done:K7q2"


async def test_an_edit_changes_the_message_in_place(
    telegram: RunningFake, bot: RunningBot
) -> None:
    message_id = await bot.sender.send(MINH, REMINDER)
    edited = Reply(lines=(Text("Done at {time}", {"time": "09:12"}),), edit_of=message_id)
    assert await bot.sender.send(MINH, edited) == message_id
    assert await bot.sender.send(MINH, edited) == message_id  # "not modified" is no failure
    (message,) = telegram.fake.messages_to(4242)
    assert message["text"] == "Done at 09:12"
    assert "reply_markup" not in message


@pytest.mark.parametrize("edit_of", ["999", "web-17"])
async def test_an_edit_of_a_message_telegram_does_not_have_is_sent_anew(
    telegram: RunningFake, bot: RunningBot, edit_of: str
) -> None:
    edited = Reply(lines=(Text("Done at {time}", {"time": "09:12"}),), edit_of=edit_of)
    message_id = await bot.sender.send(MINH, edited)
    assert message_id != edit_of
    assert telegram.fake.message(4242, int(message_id))["text"] == "Done at 09:12"


async def test_a_spreadsheet_goes_as_a_document_and_a_chart_as_a_photo(
    telegram: RunningFake, bot: RunningBot
) -> None:
    excel = Attachment("bao-cao-quy-2.xlsx", b"PK\x03\x04xlsx", "application/vnd.ms-excel")
    chart = Attachment("tien-do.png", b"\x89PNG chart", "image/png")
    await bot.sender.send(MINH, Reply(lines=(Text("Report"),), attachment=excel))
    await bot.sender.send(MINH, Reply(lines=(), attachment=chart))
    (document,) = telegram.fake.calls_of("sendDocument")
    assert document.files["document"] == b"PK\x03\x04xlsx"
    assert document.params["document_name"] == "bao-cao-quy-2.xlsx"
    assert document.params["caption"] == "Report"
    (photo,) = telegram.fake.calls_of("sendPhoto")
    assert photo.files["photo"] == b"\x89PNG chart"
    assert "caption" not in photo.params


async def test_a_429_is_honoured_for_its_retry_after_and_the_message_then_sent(
    telegram: RunningFake, bot: RunningBot
) -> None:
    telegram.fake.fail("sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1)
    message_id = await bot.sender.send(MINH, REMINDER)
    first, second = telegram.fake.calls_of("sendMessage")
    assert second.at - first.at >= 1.0
    assert telegram.fake.message(4242, int(message_id))["text"] == "Task 2.1 is due tomorrow."


async def test_a_429_that_persists_is_handed_back_with_its_retry_after(
    telegram: RunningFake, bot: RunningBot
) -> None:
    telegram.fake.fail(
        "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1, times=2
    )
    with pytest.raises(TransientSendError) as raised:
        await bot.sender.send(MINH, REMINDER)
    assert raised.value.retry_after == 1.0
    assert telegram.fake.messages_to(4242) == []


async def test_a_server_error_is_transient(telegram: RunningFake, bot: RunningBot) -> None:
    telegram.fake.fail("sendMessage", 502, "Bad Gateway")
    with pytest.raises(TransientSendError):
        await bot.sender.send(MINH, REMINDER)
    assert await bot.sender.send(MINH, REMINDER) == "1"


async def test_a_user_who_blocked_the_bot_is_a_permanent_failure(
    telegram: RunningFake, bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    telegram.fake.blocked_chats.add(4242)
    with pytest.raises(PermanentSendError, match=BLOCKED.split(": ")[1]):
        await bot.sender.send(MINH, REMINDER)
    assert "officer 7: Telegram refuses the chat" in caplog.text
    assert len(telegram.fake.calls_of("sendMessage")) == 1  # not retried


async def test_a_chat_that_does_not_exist_is_a_permanent_failure(
    telegram: RunningFake, bot: RunningBot
) -> None:
    telegram.fake.missing_chats.add(4242)
    with pytest.raises(PermanentSendError, match=f"(?i){CHAT_NOT_FOUND.split(': ')[1]}"):
        await bot.sender.send(MINH, REMINDER)
