"""Issue 12 on Telegram: a reply can never change the wrong task. A question leaves the task open,
a second done changes nothing, undo restores everything for thirty minutes of real time, the
chair reopens with /mo and her filtered questions list only what matches."""

from datetime import date

from sqlmodel import select

from bot.conversation import messages
from locales import translate
from models import EventKind, TaskEvent, TaskStatus
from tests.support.telegram_office import LAN, MINH, TUAN, Office, button_of, joined


async def test_a_question_is_answered_and_leaves_the_task_open(office: Office) -> None:
    task = office.ward.task("7", "Tổ chức lễ hội", due=date(2025, 3, 10))
    for question in ("việc 7 đã xong chưa?", "viec 7 co vuong gi ko", "tiến độ việc 7 thế nào?"):
        before = len(office.fake.messages_to(LAN))
        office.fake.push_text(LAN, question, first_name="Lan")
        answer = await office.said(LAN, before + 1)
        assert "7" in answer["text"], question
        assert "chưa xong" in answer["text"], question
    assert office.task(task).status is TaskStatus.OPEN
    office.session.expire_all()
    assert office.session.exec(select(TaskEvent)).all() == []


async def test_a_named_task_done_twice_changes_nothing_the_second_time(office: Office) -> None:
    await joined(office)
    first = office.ward.task("1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    other = office.ward.task("11", "Báo cáo dân số", due=date(2025, 3, 20))
    office.fake.push_text(MINH, "việc 1 xong rồi")
    done = await office.said(MINH, 2)
    assert done["text"].startswith("✅")
    office.fake.push_text(MINH, "việc 1 xong rồi")
    again = await office.said(MINH, 3)
    assert again["text"] == translate(
        "vi", messages.ALREADY_DONE_TODAY, code="1", time="08:00"
    )  # "Việc 1 đã ghi hoàn thành lúc 08:00 hôm nay"
    assert len(office.events(EventKind.DONE)) == 1
    assert office.task(first).status is TaskStatus.DONE
    assert office.task(other).status is TaskStatus.OPEN  # never another task instead


async def test_undo_restores_status_progress_blocker_and_reminders(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    reminder = await office.remind(task)
    scheduled = office._occurrence(task).next_reminder_at
    office.fake.push_text(MINH, "được 60% rồi", reply_to=reminder["message_id"])
    await office.said(MINH, 3)
    office.fake.push_text(MINH, "vướng: chưa có kinh phí", reply_to=reminder["message_id"])
    blocked = await office.said(MINH, 4)
    assert office.task(task).status is TaskStatus.BLOCKED
    (undo_row,) = blocked["reply_markup"]["inline_keyboard"]
    assert undo_row[0]["text"].startswith("↩️")
    office.fake.push_press(MINH, blocked["message_id"], undo_row[0]["callback_data"])
    undone = await office.said(MINH, 5)
    assert undone["text"].startswith("↩️")
    assert (office.task(task).status, office.task(task).progress) == (TaskStatus.OPEN, 60)
    office.fake.push_text(MINH, "nhầm rồi")  # the words undo the change before it too
    await office.said(MINH, 6)
    assert (office.task(task).status, office.task(task).progress) == (TaskStatus.OPEN, 0)
    office.fake.push_press(MINH, reminder["message_id"], button_of(reminder, "done"))
    await office.fake.wait_calls("editMessageText")
    edited = office.fake.message(MINH, reminder["message_id"])
    (row,) = edited["reply_markup"]["inline_keyboard"]
    assert office.task(task).status is TaskStatus.DONE
    assert office._occurrence(task).next_reminder_at is None
    office.fake.push_press(MINH, reminder["message_id"], row[0]["callback_data"])
    await office.said(MINH, 7)
    assert office.task(task).status is TaskStatus.OPEN
    assert office._occurrence(task).next_reminder_at == scheduled  # the reminders resume
    kinds = [e.kind for e in office.events(EventKind.UNDONE)]
    assert len(kinds) == 3


async def test_undo_lasts_thirty_minutes_of_real_time(office: Office) -> None:
    await joined(office)
    task = office.ward.task("2.1", "Tổ chức lễ hội", due=date(2025, 3, 10))
    office.fake.push_text(MINH, "việc 2.1 xong rồi")
    done = await office.said(MINH, 2)
    (row,) = done["reply_markup"]["inline_keyboard"]
    office.clock.advance(days=3)  # dondoc's (demo) clock runs ahead: the undo does not expire
    office.fake.push_press(MINH, done["message_id"], row[0]["callback_data"])
    await office.said(MINH, 3)
    assert office.task(task).status is TaskStatus.OPEN


async def test_the_chair_reopens_a_task_with_mo(office: Office) -> None:
    await joined(office)
    task = office.ward.task("3", "Tổng kết", due=date(2025, 3, 10))
    office.fake.push_text(MINH, "việc 3 xong rồi")
    await office.said(MINH, 2)
    office.fake.push_text(TUAN, "/mo 3", first_name="Tuấn")
    refused = await office.said(TUAN, 1)
    assert "Chủ tịch" in refused["text"] or "chủ tịch" in refused["text"]
    office.fake.push_text(LAN, "/mo 3", first_name="Lan")
    reopened = await office.said(LAN, 1)
    assert reopened["text"].startswith("🔓")
    assert office.task(task).status is TaskStatus.OPEN
    assert [e.kind for e in office.events(EventKind.REOPENED)] == [EventKind.REOPENED]
    assert office._occurrence(task).next_reminder_at is not None


async def test_the_chairs_filtered_questions_list_only_what_matches(office: Office) -> None:
    office.ward.task("1", "Lễ hội", due=date(2025, 3, 5))
    office.ward.task("2", "Đo đạc đất", unit=office.ward.dia_chinh, due=date(2025, 3, 6))
    office.ward.task("3", "Tuyên truyền", due=date(2025, 11, 20))
    asked = {
        "phòng văn hóa còn gì?": {"1", "3"},
        "CCĐCXD còn việc gì?": {"2"},
        "anh Tuấn còn việc gì?": {"2"},
        "quý 4 còn gì?": {"3"},
        "tuần này đến hạn gì?": {"1", "2"},
    }
    for question, codes in asked.items():
        before = len(office.fake.messages_to(LAN))
        office.fake.push_text(LAN, question, first_name="Lan")
        answer = (await office.said(LAN, before + 1))["text"]
        shown = {line.split()[1] for line in answer.splitlines()[1:] if line.startswith("•")}
        assert shown == codes, (question, answer)
    office.fake.push_text(LAN, "đã xong bao nhiêu?", first_name="Lan")
    rate = await office.said(LAN, len(asked) + 1)
    assert rate["text"] == "📊 Đã xong 0/3 việc (0%)."


async def test_a_number_picks_the_task_the_screen_lists_under_that_code(office: Office) -> None:
    """The choice list reads "• 3: …" then "• 4: …" with buttons "Việc 3", "Việc 4": typing "4"
    is task 4 (the issue's list "2. 3 Phân tích… | 3. 4 Xây dựng…" closed task 4 on "3")."""
    await joined(office)
    three = office.ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    four = office.ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    office.fake.push_text(MINH, "xong rồi")
    which = await office.said(MINH, 2)
    assert "• 3: Phân tích số liệu\n• 4: Xây dựng kế hoạch" in which["text"]
    labels = [b["text"] for row in which["reply_markup"]["inline_keyboard"] for b in row]
    assert labels == ["Việc 3", "Việc 4"]
    office.fake.push_text(MINH, "2")  # no task 2 is listed: asked again, nothing changes
    again = await office.said(MINH, 3)
    assert again["text"] == translate("vi", messages.WHICH_AGAIN, codes="3, 4")
    office.fake.push_text(MINH, "3")
    assert (await office.said(MINH, 4))["text"].startswith("✅")
    assert office.task(three).status is TaskStatus.DONE
    assert office.task(four).status is TaskStatus.OPEN
