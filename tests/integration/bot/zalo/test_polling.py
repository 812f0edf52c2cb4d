"""The Zalo adapter long-polling a fake Bot Platform: updates stored, processed once, answered;
numbered answers read back as the buttons they stand for."""

import asyncio
import logging
from datetime import timedelta

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from bot.conversation.incoming import Incoming, Press
from bot.zalo.choices import choices_of
from bot.zalo.client import ZaloClient
from bot.zalo.inbox import Inbox
from bot.zalo.runner import running
from bot.zalo.sender import ZaloSender
from bot.zalo.store import ZaloStore
from jobs.senders import Recipient
from models import Channel, ChatState
from models.inbound import InboundUpdate
from services.messages import Action, Button, Reply, Text
from tests.support.clock import FakeClock
from tests.support.fake_zalo import TOKEN as BOT_TOKEN
from tests.support.fake_zalo import RunningFake
from tests.support.scripted_conversation import ScriptedConversation, echo

MINH = "6ede9afa66b88fe6d6a9"
TOKEN = "Tk3Q9xYp2a"

REMINDER = Reply(
    lines=(Text("Task {code} is due today.", {"code": "2.1"}),),
    buttons=(
        (
            Button(Action.DONE, TOKEN, Text("✅ Done")),
            Button(Action.PROGRESS, TOKEN, Text("📊 Progress")),
            Button(Action.BLOCKER, TOKEN, Text("🚧 Blocker")),
        ),
    ),
)


def stored_updates(engine: Engine) -> list[InboundUpdate]:
    with Session(engine) as session:
        return list(session.exec(select(InboundUpdate).order_by(col(InboundUpdate.id))).all())


async def test_a_message_reaches_the_conversation_and_is_answered(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    inbox: Inbox,
    bot: ZaloSender,
    engine: Engine,
) -> None:
    zalo.fake.push_text(MINH, "Xin chào", name="Minh")
    assert await zalo.fake.wait_texts(MINH) == ["You said: Xin chào"]
    (incoming,) = conversation.received
    assert incoming.text == "Xin chào"
    assert incoming.user.channel is Channel.ZALO
    assert incoming.user.user_id == incoming.user.chat_id == MINH
    assert incoming.user.display_name == "Minh"
    await inbox.drain()
    (row,) = stored_updates(engine)
    assert row.processed_at is not None
    assert row.channel is Channel.ZALO
    assert row.payload["message"]["text"] == "Xin chào"  # type: ignore[index]
    polls = zalo.fake.calls_of("getUpdates")
    assert polls[0].params == {"timeout": "1"}
    assert zalo.fake.calls_of("deleteWebhook")  # polling needs the webhook off


async def test_a_repeated_update_is_processed_once(
    zalo: RunningFake, conversation: ScriptedConversation, bot: ZaloSender, engine: Engine
) -> None:
    update = zalo.fake.text_update(MINH, "xong", message_id="m-repeat")
    zalo.fake.push(update)
    zalo.fake.push(dict(update))
    zalo.fake.push_text(MINH, "after")
    await zalo.fake.wait_texts(MINH, 2)  # a chat's updates are processed in order
    assert [i.text for i in conversation.received] == ["xong", "after"]
    assert len(stored_updates(engine)) == 2


async def test_numbered_answers_press_the_last_prompt_s_buttons(
    zalo: RunningFake, conversation: ScriptedConversation, bot: ZaloSender
) -> None:
    prompted = False

    async def script(incoming: Incoming) -> list[Reply]:
        nonlocal prompted
        if not prompted:
            prompted = True
            return [REMINDER]
        said = incoming.text or f"{incoming.press.action}:{incoming.press.token}"  # type: ignore[union-attr]
        return [Reply(lines=(Text("You said: {said}", {"said": said}),))]

    conversation.script = script
    zalo.fake.push_text(MINH, "/viec")
    (prompt,) = await zalo.fake.wait_texts(MINH)
    assert "1 ✅ Xong · 2 📊 Tiến độ · 3 🚧 Vướng mắc" in prompt
    assert "trả lời bằng số" in prompt
    for answer in ["1", "số 3", "Xong", "xong rồi ạ", "7"]:
        zalo.fake.push_text(MINH, answer)
    texts = await zalo.fake.wait_texts(MINH, 6)
    assert texts[1:] == [
        f"You said: done:{TOKEN}",
        f"You said: blocker:{TOKEN}",
        f"You said: done:{TOKEN}",
        "You said: xong rồi ạ",
        "You said: 7",
    ]
    presses = [i.press for i in conversation.received[1:4]]
    assert [p.action for p in presses if p is not None] == [
        Action.DONE,
        Action.BLOCKER,
        Action.DONE,
    ]


async def test_a_number_answers_a_question_asked_after_the_prompt(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    store: ZaloStore,
    bot: ZaloSender,
    engine: Engine,
    clock: FakeClock,
) -> None:
    async def script(incoming: Incoming) -> list[Reply]:
        if incoming.press is not None and incoming.press.action is Action.PROGRESS:
            with Session(engine) as session:  # the conversation waits for a percentage
                session.add(
                    ChatState(
                        channel=Channel.ZALO,
                        chat_id=MINH,
                        user_id=MINH,
                        flow="progress",
                        data={},
                        expires_at=clock.now() + timedelta(minutes=30),
                        updated_at=clock.now(),
                    )
                )
                session.commit()
            return [Reply(lines=(Text("How far along? Reply with a percent."),))]
        return await echo(incoming)

    conversation.script = script
    await store.save_prompt(MINH, choices_of("vi", REMINDER), message_id="p1")
    zalo.fake.push_text(MINH, "2")
    zalo.fake.push_text(MINH, "2")
    texts = await zalo.fake.wait_texts(MINH, 2)
    assert texts == ["How far along? Reply with a percent.", "You said: 2"]
    assert conversation.received[0].press == Press(Action.PROGRESS, TOKEN)
    assert conversation.received[1].text == "2"


async def test_a_new_prompt_takes_over_from_a_waiting_question(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    store: ZaloStore,
    bot: ZaloSender,
    engine: Engine,
    clock: FakeClock,
) -> None:
    with Session(engine) as session:
        session.add(
            ChatState(
                channel=Channel.ZALO,
                chat_id=MINH,
                user_id=MINH,
                flow="blocker",
                data={},
                expires_at=clock.now() + timedelta(minutes=30),
                updated_at=clock.now(),
            )
        )
        session.commit()
    await bot.send(Recipient(officer_id=1, chat_id=MINH, locale="vi"), REMINDER)
    zalo.fake.push_text(MINH, "1")
    await zalo.fake.wait_texts(MINH, 2)
    assert conversation.received[0].press == Press(Action.DONE, TOKEN)


async def test_an_expired_prompt_is_not_answered(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    store: ZaloStore,
    bot: ZaloSender,
    clock: FakeClock,
) -> None:
    await store.save_prompt(MINH, choices_of("vi", REMINDER), message_id="p1")
    clock.advance(days=5)
    zalo.fake.push_text(MINH, "1")
    assert await zalo.fake.wait_texts(MINH) == ["You said: 1"]


async def test_a_long_answer_is_split_under_2000_characters(
    zalo: RunningFake, conversation: ScriptedConversation, bot: ZaloSender
) -> None:
    lines = tuple(
        Text("{n}. Task {n}: {title}", {"n": n, "title": "báo cáo tổng hợp " * 4})
        for n in range(1, 61)
    )

    async def script(incoming: Incoming) -> list[Reply]:
        return [Reply(lines=lines, buttons=REMINDER.buttons)]

    conversation.script = script
    zalo.fake.push_text(MINH, "/viec")
    await zalo.fake.wait_for(lambda: any("Vướng mắc" in t for t in zalo.fake.texts_to(MINH)))
    texts = zalo.fake.texts_to(MINH)
    assert len(texts) >= 3
    assert all(1 <= len(text) <= 2000 for text in texts)
    assert texts[0].startswith("1. Task 1:")
    assert "\n".join(texts).count("Task ") == 60
    assert "1 ✅ Xong" in texts[-1]


async def test_rate_limits_and_server_errors_are_retried(
    zalo: RunningFake, conversation: ScriptedConversation, bot: ZaloSender
) -> None:
    zalo.fake.fail("sendMessage", 429, "Quota exceeded")
    zalo.fake.fail("sendMessage", 503, "Service Unavailable")
    zalo.fake.push_text(MINH, "hello")
    assert await zalo.fake.wait_texts(MINH) == ["You said: hello"]
    assert len(zalo.fake.calls_of("sendMessage")) == 3


async def test_polling_goes_on_after_zalo_fails(
    zalo: RunningFake, conversation: ScriptedConversation, bot: ZaloSender
) -> None:
    zalo.fake.fail("getUpdates", 502, "Bad Gateway", times=2)
    zalo.fake.push_text(MINH, "still there?")
    assert await zalo.fake.wait_texts(MINH) == ["You said: still there?"]


async def test_a_picture_reaches_the_conversation_as_a_file(
    zalo: RunningFake, conversation: ScriptedConversation, bot: ZaloSender
) -> None:
    zalo.fake.push(zalo.fake.photo_update(MINH, b"\xff\xd8jpeg-bytes", caption="biên bản"))
    await zalo.fake.wait_texts(MINH)
    (incoming,) = conversation.received
    assert incoming.file is not None
    assert incoming.file.content == b"\xff\xd8jpeg-bytes"
    assert incoming.file.media_type == "image/jpeg"
    assert incoming.text == "biên bản"


async def test_a_picture_too_big_is_refused_politely(
    zalo: RunningFake, conversation: ScriptedConversation, bot: ZaloSender
) -> None:
    zalo.fake.push(zalo.fake.photo_update(MINH, b"x" * 2048))  # the inbox reads up to 1 KiB
    (text,) = await zalo.fake.wait_texts(MINH)
    assert "quá lớn" in text
    assert conversation.received == []


async def test_a_failure_is_apologised_for_and_not_retried(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    inbox: Inbox,
    bot: ZaloSender,
    engine: Engine,
) -> None:
    async def broken(incoming: Incoming) -> list[Reply]:
        raise RuntimeError("boom")

    conversation.script = broken
    zalo.fake.push_text(MINH, "hello")
    (text,) = await zalo.fake.wait_texts(MINH)
    assert "Xin lỗi" in text
    await inbox.drain()
    assert [u.processed_at is not None for u in stored_updates(engine)] == [True]


async def test_updates_stored_but_not_processed_are_processed_at_start(
    zalo: RunningFake, conversation: ScriptedConversation, store: ZaloStore, inbox: Inbox
) -> None:
    update = zalo.fake.text_update(MINH, "before the crash")
    assert await store.record_update("m:left-over", update) is not None
    async with running(inbox, poll_timeout=1, retry_delay=0.01):
        assert await zalo.fake.wait_texts(MINH) == ["You said: before the crash"]
    assert await store.unprocessed() == []


async def test_a_rejected_token_stops_receiving_and_says_why(
    zalo: RunningFake, inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    zalo.fake.token = "another-token"
    async with running(inbox, poll_timeout=1, retry_delay=0.01):
        await zalo.fake.wait_for(lambda: len(zalo.fake.calls) >= 1)
        await asyncio.sleep(0.05)
    assert [call.method for call in zalo.fake.calls] == ["getMe"]
    assert "DONDOC_ZALO_TOKEN" in caplog.text


async def test_group_chats_and_stickers_are_not_answered(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    inbox: Inbox,
    bot: ZaloSender,
    engine: Engine,
) -> None:
    group = zalo.fake.text_update(MINH, "@bot xong")
    group["message"]["chat"] = {"id": "zgr-123", "chat_type": "GROUP"}
    sticker = zalo.fake.text_update(MINH, "")
    sticker["event_name"] = "message.sticker.received"
    sticker["message"]["sticker"] = "abc"
    zalo.fake.push(group)
    zalo.fake.push(sticker)
    zalo.fake.push_text(MINH, "hello")
    assert await zalo.fake.wait_texts(MINH) == ["You said: hello"]
    await inbox.drain()
    assert [i.text for i in conversation.received] == ["hello"]
    assert [u.processed_at is not None for u in stored_updates(engine)] == [True] * 3
    assert zalo.fake.texts_to("zgr-123") == []


async def test_a_database_outage_while_polling_loses_no_update(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    store: ZaloStore,
    bot: ZaloSender,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = store.record_update
    outages = [OperationalError("INSERT", {}, Exception("server closed the connection"))]

    async def flaky(key: str, payload: dict[str, object]) -> int | None:
        if outages:
            raise outages.pop()
        return await real(key, payload)

    monkeypatch.setattr(store, "record_update", flaky)
    zalo.fake.push_text(MINH, "are you there?")
    assert await zalo.fake.wait_texts(MINH) == ["You said: are you there?"]
    assert outages == []


async def test_an_update_cut_off_by_a_stop_is_answered_after_the_restart(
    zalo: RunningFake, conversation: ScriptedConversation, inbox: Inbox, store: ZaloStore
) -> None:
    stuck = asyncio.Event()

    async def hangs(incoming: Incoming) -> list[Reply]:
        stuck.set()
        await asyncio.Event().wait()  # never answers: the stop cuts it off
        raise AssertionError("unreachable")

    conversation.script = hangs
    async with running(inbox, poll_timeout=1, retry_delay=0.01, grace=0.01):
        zalo.fake.push_text(MINH, "đang xử lý")
        await asyncio.wait_for(stuck.wait(), 5)
    assert len(await store.unprocessed()) == 1
    conversation.script = echo
    restarted = Inbox(
        client=ZaloClient(BOT_TOKEN, base_url=zalo.base_url),
        store=store,
        conversation=conversation,
        locale_of=conversation.locale_of,
    )
    async with running(restarted, poll_timeout=1, retry_delay=0.01):
        assert await zalo.fake.wait_texts(MINH) == ["You said: đang xử lý"]
    assert await store.unprocessed() == []


async def test_a_one_shot_choice_is_spent_once_the_chat_moves_on(
    zalo: RunningFake, conversation: ScriptedConversation, store: ZaloStore, bot: ZaloSender
) -> None:
    when = Reply(
        lines=(Text("When should I remind you?"),),
        buttons=(
            (
                Button(Action.CHOOSE, "in2hours00", Text("In 2 hours")),
                Button(Action.CHOOSE, "tomorrow00", Text("Tomorrow")),
            ),
        ),
    )
    await bot.send(Recipient(officer_id=1, chat_id=MINH, locale="en"), when)
    zalo.fake.push_text(MINH, "2")
    zalo.fake.push_text(MINH, "2")
    await zalo.fake.wait_texts(MINH, 3)
    assert conversation.received[0].press == Press(Action.CHOOSE, "tomorrow00")
    assert conversation.received[1].text == "2"
    assert await store.current_choices(MINH) == []


async def test_a_reminder_s_choices_can_be_answered_again(
    zalo: RunningFake, conversation: ScriptedConversation, store: ZaloStore, bot: ZaloSender
) -> None:
    await bot.send(Recipient(officer_id=1, chat_id=MINH, locale="vi"), REMINDER)
    zalo.fake.push_text(MINH, "2")
    zalo.fake.push_text(MINH, "1")
    await zalo.fake.wait_texts(MINH, 3)
    assert [i.press for i in conversation.received] == [
        Press(Action.PROGRESS, TOKEN),
        Press(Action.DONE, TOKEN),
    ]


async def test_the_token_never_reaches_the_log(
    zalo: RunningFake,
    conversation: ScriptedConversation,
    inbox: Inbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bot.zalo")
    zalo.fake.fail("getUpdates", 502, "Bad Gateway")
    zalo.fake.fail("sendMessage", 503, "Service Unavailable", times=3)
    async with running(inbox, poll_timeout=1, retry_delay=0.01):
        zalo.fake.push_text(MINH, "hello")
        zalo.fake.push_text(MINH, "again")
        await zalo.fake.wait_texts(MINH)
    ours = [r for r in caplog.records if r.name.startswith("bot.zalo")]
    assert any(r.levelno == logging.WARNING for r in ours)
    assert all(BOT_TOKEN not in r.getMessage() for r in ours)
    assert all(BOT_TOKEN not in str(r.exc_info) for r in ours)
