"""The dispatcher's Zalo `Sender` against the fake platform: numbered choices, long texts,
and failures mapped to the outbox's retry rules."""

from collections.abc import AsyncIterator

import pytest

from bot.zalo.client import ZaloClient
from bot.zalo.sender import ZaloSender
from bot.zalo.store import ZaloStore
from jobs.senders import PermanentSendError, Recipient, TransientSendError
from services.messages import Action, Attachment, Button, Reply, Text
from tests.support.fake_zalo import TOKEN, RunningFake

LAN = "a1b2c3d4e5f6a7b8c9d0"
TO_LAN = Recipient(officer_id=1, chat_id=LAN, locale="vi")
REMINDER = Reply(
    lines=(Text("Task {code} is due today.", {"code": "2.1"}),),
    buttons=(
        (
            Button(Action.DONE, "tok1234567", Text("✅ Done")),
            Button(Action.BLOCKER, "tok1234567", Text("🚧 Blocker")),
        ),
    ),
)


@pytest.fixture
async def sender(zalo: RunningFake, store: ZaloStore) -> AsyncIterator[ZaloSender]:
    """A sender whose client gives up quickly (one retry, a few ms apart)."""
    client = ZaloClient(TOKEN, base_url=zalo.base_url, backoff=0.01, max_retries=1)
    yield ZaloSender(client, store)
    await client.aclose()


async def test_a_reminder_is_sent_with_numbered_choices_and_remembered(
    zalo: RunningFake, sender: ZaloSender, store: ZaloStore
) -> None:
    message_id = await sender.send(TO_LAN, REMINDER)
    (sent,) = zalo.fake.sent
    assert sent["message_id"] == message_id
    assert "1 ✅ Xong · 2 🚧 Vướng mắc" in sent["text"]
    choices = await store.current_choices(LAN)
    assert [(c.number, c.action, c.token) for c in choices] == [
        (1, Action.DONE, "tok1234567"),
        (2, Action.BLOCKER, "tok1234567"),
    ]


async def test_the_message_id_is_the_last_piece_s(zalo: RunningFake, sender: ZaloSender) -> None:
    long = Reply(lines=tuple(Text("line {n} " + "x" * 90, {"n": n}) for n in range(50)))
    message_id = await sender.send(TO_LAN, long)
    assert len(zalo.fake.sent) == 3
    assert message_id == zalo.fake.sent[-1]["message_id"]


async def test_an_attachment_is_named_not_sent(zalo: RunningFake, sender: ZaloSender) -> None:
    report = Reply(
        lines=(Text("Report ready."),),
        attachment=Attachment("baocao-q2.xlsx", b"PK..", "application/vnd.ms-excel"),
    )
    await sender.send(TO_LAN, report)
    (text,) = zalo.fake.texts_to(LAN)
    assert "baocao-q2.xlsx" in text


async def test_rate_limits_are_retried_by_the_outbox(
    zalo: RunningFake, sender: ZaloSender
) -> None:
    zalo.fake.fail("sendMessage", 429, "Quota exceeded", retry_after=30)
    with pytest.raises(TransientSendError) as raised:
        await sender.send(TO_LAN, REMINDER)
    assert raised.value.retry_after == 30
    assert len(zalo.fake.calls_of("sendMessage")) == 1  # too long a wait for the client
    await sender.send(TO_LAN, REMINDER)  # the outbox's next attempt goes through
    assert len(zalo.fake.texts_to(LAN)) == 1


async def test_a_short_rate_limit_is_waited_out_by_the_client(
    zalo: RunningFake, sender: ZaloSender
) -> None:
    zalo.fake.fail("sendMessage", 429, "Quota exceeded")
    await sender.send(TO_LAN, REMINDER)
    assert len(zalo.fake.calls_of("sendMessage")) == 2
    assert len(zalo.fake.texts_to(LAN)) == 1


async def test_server_errors_are_retried_by_the_outbox(
    zalo: RunningFake, sender: ZaloSender
) -> None:
    zalo.fake.fail("sendMessage", 500, "Internal Server Error", times=2)
    with pytest.raises(TransientSendError):
        await sender.send(TO_LAN, REMINDER)


async def test_a_refused_chat_is_given_up(zalo: RunningFake, sender: ZaloSender) -> None:
    zalo.fake.fail("sendMessage", 404, "Not Found", chat_id=LAN)
    with pytest.raises(PermanentSendError):
        await sender.send(TO_LAN, REMINDER)
    assert len(zalo.fake.calls_of("sendMessage")) == 1


async def test_a_refused_send_keeps_the_previous_prompt(
    zalo: RunningFake, sender: ZaloSender, store: ZaloStore
) -> None:
    await sender.send(TO_LAN, REMINDER)
    other = Reply(lines=(Text("Other"),), buttons=((Button(Action.DONE, "zzz", Text("x")),),))
    zalo.fake.fail("sendMessage", 400, "Bad Request", chat_id=LAN)
    with pytest.raises(PermanentSendError):
        await sender.send(TO_LAN, other)
    assert [c.token for c in await store.current_choices(LAN)] == ["tok1234567"] * 2


async def test_with_a_public_address_an_attachment_is_a_link(
    zalo: RunningFake, store: ZaloStore
) -> None:
    client = ZaloClient(TOKEN, base_url=zalo.base_url, backoff=0.01, max_retries=1)
    sender = ZaloSender(client, store, files_url="https://dondoc.bacson.vn/")
    draft = Attachment("bao-cao.docx", b"PK..", "application/msword", link="/reports/3/docx")
    unserved = Attachment("anh.png", b"\x89PNG", "image/png")  # served nowhere: named
    await sender.send(TO_LAN, Reply(lines=(Text("Draft."),), attachment=draft))
    await sender.send(TO_LAN, Reply(lines=(Text("Chart."),), attachment=unserved))
    await client.aclose()
    linked, named = zalo.fake.texts_to(LAN)
    assert "“bao-cao.docx”: https://dondoc.bacson.vn/reports/3/docx" in linked
    assert "Telegram" not in linked
    assert "anh.png" in named
    assert "Telegram" in named
