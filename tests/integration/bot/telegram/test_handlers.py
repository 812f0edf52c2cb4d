"""Updates reach the conversation layer as `Incoming`s, and its replies reach the chat."""

import asyncio
import logging

import pytest

from bot.conversation.incoming import ChatUser, Incoming, Press
from bot.telegram.context import WIRING_KEY, Wiring
from bot.telegram.handlers import BUTTON_UNUSABLE, FILE_TOO_BIG, SOMETHING_WENT_WRONG
from locales import translate
from models.enums import Channel
from services.messages import Action, Button, Reply, Text
from tests.integration.bot.telegram.conftest import RunningBot
from tests.support.fake_telegram import RunningFake
from tests.support.scripted_conversation import ScriptedConversation

MINH = 4242


async def test_text_reaches_the_conversation_and_its_reply_the_chat(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    sent = telegram.fake.push_text(MINH, "xong rồi ạ")
    await telegram.fake.wait_calls("sendMessage")
    (incoming,) = conversation.received
    assert incoming.text == "xong rồi ạ"
    assert incoming.message_id == str(sent["message_id"])
    assert incoming.user.channel is Channel.TELEGRAM
    assert (incoming.user.user_id, incoming.user.chat_id) == (str(MINH), str(MINH))
    assert incoming.user.language_code == "vi"
    assert incoming.user.display_name == "Minh"
    (message,) = telegram.fake.messages_to(MINH)
    assert message["text"] == "You said: xong rồi ạ"


async def test_a_command_is_passed_as_text_without_the_bots_name(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    telegram.fake.push_text(MINH, "/viec@dondoc_test_bot 2")
    telegram.fake.push_text(MINH, "/start INVITE-7")
    await telegram.fake.wait_calls("sendMessage", 2)
    assert [i.text for i in conversation.received] == ["/viec 2", "/start INVITE-7"]


async def test_a_command_for_another_bot_is_not_answered(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    telegram.fake.push_text(MINH, "/viec@some_other_bot")
    telegram.fake.push_text(MINH, "/quahan")
    await telegram.fake.wait_calls("sendMessage")
    assert [i.text for i in conversation.received] == ["/quahan"]


async def test_a_reply_names_the_message_it_answers(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    telegram.fake.push_text(MINH, "vướng: chưa có kinh phí", reply_to=17)
    await telegram.fake.wait_calls("sendMessage")
    assert conversation.received[0].reply_to == "17"


async def test_reply_buttons_become_an_inline_keyboard_labelled_in_the_readers_language(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    label = Text(BUTTON_UNUSABLE)  # any msgid the vi catalogue translates

    async def reminder(incoming: Incoming) -> list[Reply]:
        return [
            Reply(
                lines=(Text("Task {code}", {"code": "2.1"}),),
                buttons=(
                    (Button(Action.DONE, "K7q2", label), Button(Action.PROGRESS, "K7q2", label)),
                    (Button(Action.SNOOZE, "Zz9", label),),
                ),
            )
        ]

    conversation.script = reminder
    telegram.fake.push_text(MINH, "/viec")
    await telegram.fake.wait_calls("sendMessage")
    (message,) = telegram.fake.messages_to(MINH)
    rows = message["reply_markup"]["inline_keyboard"]
    assert [[b["callback_data"] for b in row] for row in rows] == [
        ["done:K7q2", "progress:K7q2"],
        ["snooze:Zz9"],
    ]
    assert rows[0][0]["text"] == translate("vi", BUTTON_UNUSABLE)
    assert rows[0][0]["text"] != BUTTON_UNUSABLE


async def test_a_press_reaches_the_conversation_and_the_message_is_edited_in_place(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    async def done(incoming: Incoming) -> list[Reply]:
        if incoming.press is None:
            button = Button(Action.DONE, "K7q2", Text("Done"))
            return [Reply(lines=(Text("Task 2.1"),), buttons=((button,),))]
        return [
            Reply(lines=(Text("Done at {time}", {"time": "09:12"}),), edit_of=incoming.message_id)
        ]

    conversation.script = done
    telegram.fake.push_text(MINH, "/viec")
    await telegram.fake.wait_calls("sendMessage")
    reminder_id = telegram.fake.messages_to(MINH)[0]["message_id"]
    telegram.fake.push_press(MINH, reminder_id, "done:K7q2")
    await telegram.fake.wait_calls("editMessageText")
    assert conversation.received[-1].press == Press(Action.DONE, "K7q2")
    assert conversation.received[-1].message_id == str(reminder_id)
    assert len(telegram.fake.calls_of("answerCallbackQuery")) == 1
    (message,) = telegram.fake.messages_to(MINH)
    assert message["text"] == "Done at 09:12"
    assert "reply_markup" not in message  # the buttons go once the task is done
    assert len(telegram.fake.calls_of("sendMessage")) == 1


@pytest.mark.parametrize(
    "data", ["done", "done:", "explode:K7q2", "done:K7/q2", "done:" + "x" * 64, "DONE:K7q2"]
)
async def test_callback_data_of_another_shape_is_refused_before_the_conversation(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot, data: str
) -> None:
    telegram.fake.push_press(MINH, 1, data)
    (answer,) = await telegram.fake.wait_calls("answerCallbackQuery")
    assert answer.params["text"] == translate("vi", BUTTON_UNUSABLE)
    assert conversation.received == []


async def test_a_document_is_downloaded_and_handed_over(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    telegram.fake.push_document(
        MINH, "ke-hoach.docx", b"PK\x03\x04plan", mime_type="application/msword", caption="/nhap"
    )
    await telegram.fake.wait_calls("sendMessage")
    (incoming,) = conversation.received
    assert incoming.text == "/nhap"
    assert incoming.file is not None
    assert incoming.file.file_name == "ke-hoach.docx"
    assert incoming.file.content == b"PK\x03\x04plan"
    assert incoming.file.media_type == "application/msword"


async def test_a_photo_is_handed_over_in_its_largest_size(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    telegram.fake.push_photo(MINH, b"\xff\xd8" + b"evidence" * 10)
    await telegram.fake.wait_calls("sendMessage")
    (incoming,) = conversation.received
    assert incoming.file is not None
    assert incoming.file.content == b"\xff\xd8" + b"evidence" * 10
    assert incoming.file.media_type == "image/jpeg"


async def test_a_file_over_the_limit_is_refused_without_downloading_it(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    telegram.fake.push_document(MINH, "huge.pdf", b"%PDF", declared_size=30 * 1024 * 1024)
    await telegram.fake.wait_calls("sendMessage")
    assert conversation.received == []
    assert telegram.fake.calls_of("getFile") == []
    (message,) = telegram.fake.messages_to(MINH)
    assert message["text"] == translate("vi", FILE_TOO_BIG, limit=0)


async def test_a_failing_handler_is_logged_with_the_update_and_the_person_gets_one_line(
    telegram: RunningFake,
    conversation: ScriptedConversation,
    bot: RunningBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(incoming: Incoming) -> list[Reply]:
        raise RuntimeError("the database went away")

    conversation.script = broken
    with caplog.at_level(logging.ERROR, logger="bot.telegram.handlers"):
        telegram.fake.push_text(MINH, "/viec")
        await telegram.fake.wait_calls("sendMessage")
    (message,) = telegram.fake.messages_to(MINH)
    assert message["text"] == translate("vi", SOMETHING_WENT_WRONG)
    (record,) = [r for r in caplog.records if r.name == "bot.telegram.handlers"]
    assert record.getMessage() == "update 1 failed"
    assert record.exc_info is not None
    assert "the database went away" in caplog.text


async def test_a_long_answer_is_split_at_line_ends_with_the_buttons_on_the_last_part(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    line = Text("{row}", {"row": "x" * 99})

    async def long(incoming: Incoming) -> list[Reply]:
        button = Button(Action.PAGE, "p2", Text("More"))
        return [Reply(lines=(line,) * 100, buttons=((button,),))]

    conversation.script = long
    telegram.fake.push_text(MINH, "/tonghop")
    await telegram.fake.wait_calls("sendMessage", 3)
    messages = telegram.fake.messages_to(MINH)
    assert [len(m["text"]) for m in messages] == [3999, 3999, 1999]  # 40, 40 and 20 lines
    assert "\n".join(m["text"] for m in messages) == "\n".join(["x" * 99] * 100)
    assert [("reply_markup" in m) for m in messages] == [False, False, True]


async def test_updates_of_one_chat_are_answered_in_order_while_other_chats_proceed(
    telegram: RunningFake, conversation: ScriptedConversation, bot: RunningBot
) -> None:
    release = asyncio.Event()

    async def slow_for_minh(incoming: Incoming) -> list[Reply]:
        if incoming.user.user_id == str(MINH) and incoming.text == "first":
            await release.wait()
        return [Reply(lines=(Text(incoming.text or ""),))]

    conversation.script = slow_for_minh
    telegram.fake.push_text(MINH, "first")
    telegram.fake.push_text(MINH, "second")
    telegram.fake.push_text(7, "other chat")
    await telegram.fake.wait_calls("sendMessage")
    assert [m["text"] for m in telegram.fake.messages_to(7)] == ["other chat"]
    assert telegram.fake.messages_to(MINH) == []
    release.set()
    await telegram.fake.wait_calls("sendMessage", 3)
    assert [m["text"] for m in telegram.fake.messages_to(MINH)] == ["first", "second"]


async def test_a_failing_press_is_answered_and_apologised_for(
    telegram: RunningFake,
    conversation: ScriptedConversation,
    bot: RunningBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(incoming: Incoming) -> list[Reply]:
        raise RuntimeError("the database went away")

    conversation.script = broken
    with caplog.at_level(logging.ERROR, logger="bot.telegram.handlers"):
        telegram.fake.push_press(MINH, 1, "done:K7q2")
        await telegram.fake.wait_calls("sendMessage")
    assert len(telegram.fake.calls_of("answerCallbackQuery")) >= 1
    (message,) = telegram.fake.messages_to(MINH)
    assert message["text"] == translate("vi", SOMETHING_WENT_WRONG)


async def test_the_apology_falls_back_to_vietnamese_when_the_locale_lookup_fails(
    telegram: RunningFake,
    conversation: ScriptedConversation,
    bot: RunningBot,
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def broken(incoming: Incoming) -> list[Reply]:
        raise RuntimeError("the database went away")

    async def no_locale(user: ChatUser) -> str:
        raise RuntimeError("still away")

    conversation.script = broken
    conversation.locale = "en"
    bot.application.bot_data[WIRING_KEY] = Wiring(
        conversation=conversation, locale_of=no_locale, max_file_bytes=1024
    )
    with caplog.at_level(logging.ERROR, logger="bot.telegram.handlers"):
        telegram.fake.push_text(MINH, "/viec")
        await telegram.fake.wait_calls("sendMessage")
    (message,) = telegram.fake.messages_to(MINH)
    assert message["text"] == translate("vi", SOMETHING_WENT_WRONG)
    assert "no locale for the apology" in caplog.text
