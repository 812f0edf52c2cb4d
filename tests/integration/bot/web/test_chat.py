"""The web chat goes through the conversation layer as channel `web`; what the bot says is kept
and pushed live to the officer's open pages; the web is a `Sender` like the other channels."""

import asyncio

import pytest
from sqlmodel import Session, col, select

from bot.web.hub import ChatEvent
from jobs.senders import PermanentSendError, Recipient
from models import Channel, WebMessage
from services.messages import Action, Button, Reply, Text
from tests.integration.bot.web.conftest import Browser, Site
from tests.support.ward import Ward

REMINDER = Reply(
    lines=(Text("🔔 Task {code} is due today.", {"code": "2.1"}),),
    buttons=(
        (
            Button(Action.DONE, "K7q2mZx9Ab", Text("✅ Done")),
            Button(Action.PROGRESS, "K7q2mZx9Ab", Text("📊 Progress")),
        ),
    ),
)


def _recipient(site: Site, key: str) -> Recipient:
    officer = site.ward.officer(key)
    assert officer.id is not None
    return Recipient(officer_id=officer.id, chat_id=f"officer:{officer.id}", locale="vi")


async def test_written_text_reaches_the_conversation_as_the_officers_web_chat(
    browser: Browser, site: Site, ward: Ward
) -> None:
    await browser.sign_in(ward.officer("minh"))

    response = await browser.post("/chat/send", {"text": "  xong   rồi ạ "})
    page = await browser.get(response.headers["location"])

    [incoming] = site.conversation.received
    minh = ward.officer("minh")
    assert incoming.user.channel is Channel.WEB
    assert incoming.user.user_id == incoming.user.chat_id == f"officer:{minh.id}"
    assert incoming.text == "xong rồi ạ"
    assert "xong rồi ạ" in page.text
    assert "You said: xong rồi ạ" in page.text  # the scripted answer, kept in the transcript


async def test_a_button_press_hands_its_action_token_and_message_over(
    browser: Browser, site: Site, ward: Ward
) -> None:
    message_id = await site.sender.send(_recipient(site, "minh"), REMINDER)
    page = await browser.sign_in(ward.officer("minh"))
    assert 'name="token" value="K7q2mZx9Ab"' in page.text

    response = await browser.post(
        "/chat/press",
        {"action": "done", "token": "K7q2mZx9Ab", "message": message_id},
        headers={"X-Requested-With": "fetch"},
    )

    assert response.status_code == 204
    [incoming] = site.conversation.received
    assert incoming.press is not None
    assert (incoming.press.action, incoming.press.token) == (Action.DONE, "K7q2mZx9Ab")
    assert incoming.message_id == message_id


async def test_an_unknown_action_is_refused(browser: Browser, site: Site, ward: Ward) -> None:
    await browser.sign_in(ward.officer("minh"))

    response = await browser.post("/chat/press", {"action": "explode", "token": "x"})

    assert response.status_code == 400
    assert site.conversation.received == []


async def test_sent_replies_are_kept_and_pushed_to_every_open_page(
    site: Site, session: Session
) -> None:
    minh = site.ward.officer("minh")
    assert minh.id is not None
    with site.sender.hub.listen(minh.id) as first, site.sender.hub.listen(minh.id) as second:
        message_id = await site.sender.send(_recipient(site, "minh"), REMINDER)
        pushed = [first.get_nowait(), second.get_nowait()]

    stored = session.get(WebMessage, int(message_id))
    assert stored is not None
    assert stored.officer_id == minh.id
    assert Reply.from_json(stored.payload) == REMINDER
    assert [event.message_id if event else None for event in pushed] == [int(message_id)] * 2


async def test_a_reply_that_edits_a_reminder_replaces_it_in_place(
    site: Site, session: Session
) -> None:
    recipient = _recipient(site, "minh")
    reminder_id = await site.sender.send(recipient, REMINDER)
    done = Reply(lines=(Text("✅ Task {code} is done.", {"code": "2.1"}),), edit_of=reminder_id)

    with site.sender.hub.listen(recipient.officer_id) as page:
        edited_id = await site.sender.send(recipient, done)
        event = page.get_nowait()

    assert edited_id == reminder_id
    assert event is not None
    assert event == ChatEvent(int(reminder_id), event.payload, from_officer=False, is_edit=True)
    rows = session.exec(select(WebMessage).order_by(col(WebMessage.id))).all()
    assert len(rows) == 1
    assert Reply.from_json(rows[0].payload).lines == done.lines


async def test_an_edit_of_someone_elses_message_is_sent_anew(site: Site, session: Session) -> None:
    minhs = await site.sender.send(_recipient(site, "minh"), REMINDER)

    tuans = await site.sender.send(
        _recipient(site, "tuan"), Reply(lines=(Text("Hello"),), edit_of=minhs)
    )

    assert tuans != minhs
    kept = session.get(WebMessage, int(minhs))
    assert kept is not None
    assert Reply.from_json(kept.payload) == REMINDER


async def test_a_chat_id_that_is_not_the_officers_web_chat_is_refused(site: Site) -> None:
    minh = site.ward.officer("minh")
    assert minh.id is not None
    wrong = Recipient(officer_id=minh.id, chat_id="officer:999", locale="vi")

    with pytest.raises(PermanentSendError):
        await site.sender.send(wrong, REMINDER)


async def test_the_chat_page_shows_the_reminders_that_came_while_it_was_closed(
    browser: Browser, site: Site, ward: Ward
) -> None:
    await site.sender.send(_recipient(site, "minh"), REMINDER)
    await site.sender.send(_recipient(site, "tuan"), Reply(lines=(Text("Only for Tuấn"),)))

    page = await browser.sign_in(ward.officer("minh"))

    assert "🔔 Task 2.1 is due today." in page.text
    assert "✅ Xong" in page.text  # the button label, in the officer's language
    assert "Only for Tuấn" not in page.text


async def test_the_event_stream_needs_a_signed_in_officer(browser: Browser) -> None:
    response = await browser.client.get("/chat/events")

    assert response.status_code == 401


async def test_the_conversation_hears_nothing_from_a_signed_out_browser(
    browser: Browser, site: Site
) -> None:
    await browser.get("/login")

    response = await browser.post("/chat/send", {"text": "xong"})

    assert response.headers["location"] == "/login"
    assert site.conversation.received == []


async def test_pages_hear_new_messages_until_the_server_stops(site: Site) -> None:
    minh = site.ward.officer("minh")
    assert minh.id is not None
    with site.sender.hub.listen(minh.id) as page:
        site.sender.hub.close()
        assert await asyncio.wait_for(page.get(), 1) is None


async def test_a_file_sent_in_the_chat_reaches_the_conversation(
    browser: Browser, site: Site, ward: Ward
) -> None:
    await browser.sign_in(ward.admin)

    response = await browser.post(
        "/chat/send",
        {"text": ""},
        files={"file": ("ke-hoach.txt", "KẾ HOẠCH …".encode(), "text/plain")},
    )
    page = await browser.get(response.headers["location"])

    [incoming] = site.conversation.received
    assert incoming.file is not None
    assert (incoming.file.file_name, incoming.file.content) == (
        "ke-hoach.txt",
        "KẾ HOẠCH …".encode(),
    )
    assert incoming.text is None
    assert "📎 ke-hoach.txt" in page.text
    assert "You said: file ke-hoach.txt" in page.text
