"""What people do under a reminder on Telegram: a blocker typed in reply, an extension asked and
approved, pages turned and a reminder edited in place; forged or borrowed buttons refused."""

from datetime import date, timedelta

from bot.conversation.views import PAGE_SIZE
from locales import translate
from models import EventKind, TaskStatus
from services.errors import InvalidButton
from tests.support.telegram_office import HA, LAN, MINH, TUAN, Office, button_of, joined


async def test_a_blocker_typed_in_reply_to_the_reminder_reaches_the_chair_and_the_office(
    office: Office,
) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)

    office.fake.push_text(MINH, "vướng: chưa có kinh phí", reply_to=reminder["message_id"])
    answer = await office.said(MINH, 3)
    assert answer["text"].startswith("🚧")
    assert "chưa có kinh phí" in answer["text"]
    (blocker,) = office.events(EventKind.BLOCKER_REPORTED)
    assert blocker.occurrence_id is not None
    assert office.task(task).status is TaskStatus.BLOCKED

    await office.dispatcher.run_until_idle()
    for chat in (LAN, HA):
        (notice,) = office.fake.messages_to(chat)
        assert "chưa có kinh phí" in notice["text"]
        assert "2.1" in notice["text"]
    assert office.fake.messages_to(TUAN) == []


async def test_an_extension_asked_approved_and_the_reminders_moved(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    first_reminder_at = office._occurrence(task).next_reminder_at
    assert first_reminder_at is not None

    office.fake.push_press(MINH, reminder["message_id"], button_of(reminder, "extend"))
    asked = await office.said(MINH, 3)
    assert "2.1" in asked["text"]
    office.fake.push_text(MINH, "20/03/2025, chờ kinh phí")
    await office.said(MINH, 4)
    (requested,) = office.events(EventKind.EXTENSION_REQUESTED)
    assert requested.occurrence_id is not None

    await office.dispatcher.run_until_idle()
    request = await office.said(LAN, 1)
    assert "20/03/2025" in request["text"]
    office.fake.push_press(LAN, request["message_id"], button_of(request, "approve"))
    granted = await office.said(LAN, 2)
    assert "20/03/2025" in granted["text"]

    assert office.task(task).due == date(2025, 3, 20)
    occurrence = office._occurrence(task)
    assert occurrence.due == date(2025, 3, 20)
    assert occurrence.next_reminder_at is not None
    assert occurrence.next_reminder_at > first_reminder_at
    await office.dispatcher.run_until_idle()
    told = office.fake.messages_to(MINH)[-1]
    assert "20/03/2025" in told["text"]


async def test_a_forged_callback_is_refused_and_changes_nothing(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    office.fake.push_press(MINH, reminder["message_id"], "done:Zz9Zz9Zz9Z")
    refusal = await office.said(MINH, 3)
    assert refusal["text"] == translate("vi", InvalidButton.msgid)
    assert office.task(task).status is TaskStatus.OPEN
    assert office.events(EventKind.DONE) == []


async def test_someone_elses_button_is_refused(office: Office) -> None:
    """Tuấn replays the callback data of Minh's reminder in his own chat."""
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    office.fake.push_press(TUAN, 1, button_of(reminder, "done"))
    refusal = await office.said(TUAN, 1)
    assert refusal["text"] == translate("vi", InvalidButton.msgid)
    assert office.task(task).status is TaskStatus.OPEN


async def test_turning_a_page_of_a_list_edits_the_message_in_place(office: Office) -> None:
    await joined(office)
    for n in range(1, PAGE_SIZE + 3):
        office.ward.task(f"{n}", f"Việc số {n}", due=date(2025, 3, 10) + timedelta(days=n))
    office.fake.push_text(MINH, "/tasks")
    first = await office.said(MINH, 2)
    assert "Việc số 1" in first["text"]
    office.fake.push_press(MINH, first["message_id"], button_of(first, "page"))
    await office.fake.wait_calls("editMessageText")
    assert len(office.fake.messages_to(MINH)) == 2  # nothing new: the list changed in place
    turned = office.fake.message(MINH, first["message_id"])
    assert f"Việc số {PAGE_SIZE + 1}" in turned["text"]
    assert "Việc số 2" not in turned["text"]


async def test_the_reminder_is_edited_in_place_after_done(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    answers = ("editMessageText", "sendMessage")
    before = sum(len(office.fake.calls_of(method)) for method in answers)
    office.fake.push_press(MINH, reminder["message_id"], button_of(reminder, "done"))
    await office.fake.wait_for(
        lambda _: sum(len(office.fake.calls_of(method)) for method in answers) > before
    )
    assert office.task(task).status is TaskStatus.DONE
    edits = office.fake.calls_of("editMessageText")
    assert [call.params["message_id"] for call in edits] == [reminder["message_id"]]
    edited = office.fake.message(MINH, reminder["message_id"])
    assert edited["text"].startswith("✅")
    (row,) = edited["reply_markup"]["inline_keyboard"]  # the reminder's buttons gave way
    assert [button["text"] for button in row] == ["↩️ Hoàn tác"]


async def test_the_chair_is_told_when_a_task_is_done(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    office.fake.push_press(MINH, reminder["message_id"], button_of(reminder, "done"))
    await office.fake.wait_calls("editMessageText")
    assert office.task(task).status is TaskStatus.DONE
    await office.dispatcher.run_until_idle()
    told = office.fake.messages_to(LAN)
    assert told, "the chair heard nothing"
    assert "2.1" in told[-1]["text"]
