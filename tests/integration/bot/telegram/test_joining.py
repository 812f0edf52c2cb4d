"""Joining and who may talk: an invite followed in a private chat binds Minh and his first
reminder's ✅ closes the task; an invite in a group, a channel post or a stranger binds nothing."""

from datetime import date

import pytest
from sqlmodel import select

from bot.conversation import messages
from locales import translate
from models import Channel, ChannelIdentity, EventKind, TaskStatus
from services.errors import InviteNeedsPrivateChat
from services.people.invites import create_invite
from tests.support.telegram_office import MINH, STRANGER, TUAN, Office, button_of, joined


@pytest.mark.parametrize("kind", ["group", "supergroup"])
async def test_an_invite_sent_in_a_group_is_refused_and_stays_usable(
    office: Office, kind: str
) -> None:
    group = -100123
    card = create_invite(office.ward.session, office.clock, office.ward.admin, "Phạm Văn Minh")

    office.fake.push_group_text(group, MINH, f"/start {card.token}", kind=kind)
    refused = await office.said(group, 1)
    bound = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.external_id == str(MINH))
    ).all()
    office.fake.push_text(MINH, f"/start {card.token}")
    welcome = await office.said(MINH, 1)

    assert refused["text"] == translate("vi", InviteNeedsPrivateChat.msgid)
    assert bound == []
    assert welcome["text"] == translate("vi", messages.WELCOME, name="Phạm Văn Minh")


async def test_a_bound_officer_asking_in_a_group_is_sent_to_a_private_chat(
    office: Office,
) -> None:
    group = -100456
    office.ward.task("2.1", "Tổ chức lễ hội", unit=office.ward.dia_chinh, due=date(2025, 3, 10))

    office.fake.push_group_text(group, TUAN, "/viec")
    answer = await office.said(group, 1)

    assert answer["text"] == translate("vi", messages.PRIVATE_ONLY)
    assert "Tổ chức lễ hội" not in answer["text"]


async def test_a_channel_post_binds_nothing(office: Office) -> None:
    card = create_invite(office.ward.session, office.clock, office.ward.admin, "Phạm Văn Minh")
    office.fake.push_update(
        {
            "channel_post": {
                "message_id": 1,
                "date": 0,
                "chat": {"id": -100777, "type": "channel", "title": "Bản tin phường"},
                "text": f"/start {card.token}",
            }
        }
    )
    office.fake.push_text(MINH, f"/start {card.token}")  # after it, in order
    await office.said(MINH, 1)

    assert office.fake.messages_to(-100777) == []
    identities = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.officer_id == office.ward.officer("minh").id)
    ).all()
    assert [identity.chat_id for identity in identities] == [str(MINH)]


async def test_invite_start_reminder_and_done_button(office: Office) -> None:
    await joined(office)
    identity = office.session.exec(
        select(ChannelIdentity).where(ChannelIdentity.external_id == str(MINH))
    ).one()
    assert identity.officer_id == office.ward.officer("minh").id
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))

    reminder = await office.remind(task)
    assert "2.1" in reminder["text"]
    assert "Tổ chức lễ hội" in reminder["text"]
    buttons = [b for row in reminder["reply_markup"]["inline_keyboard"] for b in row]
    assert [b["callback_data"].split(":")[0] for b in buttons] == [
        "done",
        "progress",
        "blocker",
        "extend",
        "snooze",
    ]
    assert [b["text"].split()[0] for b in buttons] == ["✅", "📊", "🚧", "📅", "⏰"]
    assert buttons[0]["text"] == "✅ Xong"

    office.fake.push_press(MINH, reminder["message_id"], button_of(reminder, "done"))
    await office.fake.wait_calls("editMessageText")
    edited = office.fake.message(MINH, reminder["message_id"])
    assert edited["text"].startswith("✅")
    assert "2.1" in edited["text"]
    assert len(office.fake.calls_of("answerCallbackQuery")) == 1
    assert office.task(task).status is TaskStatus.DONE
    (done,) = office.events(EventKind.DONE)
    assert (done.officer_id, done.channel) == (office.ward.officer("minh").id, Channel.TELEGRAM)


async def test_a_stranger_is_refused(office: Office) -> None:
    office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.push_text(STRANGER, "xong rồi ạ")
    answer = await office.said(STRANGER, 1)
    assert answer["text"] == translate("vi", messages.STRANGER)
    office.fake.push_text(STRANGER, "/viec")
    answer = await office.said(STRANGER, 2)
    assert answer["text"] == translate("vi", messages.STRANGER)
    assert office.events(EventKind.DONE) == []
