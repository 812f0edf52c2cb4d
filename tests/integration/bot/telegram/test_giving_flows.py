"""Issue 14 on (fake) Telegram: the chair gives a task in words with a deadline phrase, sees the
date said back and confirms with ✅; Minh is told, then reminded on the policy's schedule; the
chair re-dates, cancels and reopens it with commands; every step is in the history, by her,
through Telegram; an officer can do none of it."""

from datetime import date, datetime

from sqlmodel import col, select

from locales import translate
from models import Channel, EventKind, Occurrence, Task, TaskEvent, TaskStatus
from services.errors import NotAllowed
from services.reminding.reminders import scan
from tests.support.clock import HCM
from tests.support.telegram_office import LAN, MINH, TUAN, Office, button_of, joined


async def _told(office: Office, chat: int, words: str) -> str:
    """Wait until a message in `chat` holds `words`; its text."""
    found = await office.fake.wait_for(
        lambda _: any(words in m.get("text", "") for m in office.fake.messages_to(chat))
    )
    assert found is not None
    return str(
        next(m["text"] for m in office.fake.messages_to(chat) if words in m.get("text", ""))
    )


async def _answer(office: Office, chat: int, words: str) -> str:
    """`chat` sends `words`; the bot's answer."""
    before = len(office.fake.messages_to(chat))
    office.fake.push_text(chat, words)
    return str((await office.said(chat, before + 1))["text"])


def _task(office: Office) -> Task:
    office.session.expire_all()
    return office.session.exec(select(Task).where(Task.code == "V1")).one()


async def test_the_chair_gives_redates_cancels_and_reopens_a_task_on_telegram(
    office: Office,
) -> None:
    await joined(office)
    preview_text = "giao anh Minh rà soát thủ tục hành chính, xong trước 15/3"
    office.fake.push_text(LAN, preview_text)
    preview = await office.said(LAN, 1)
    assert "14/03/2025" in preview["text"]  # the date said back before anything is stored
    assert office.session.exec(select(Task).where(Task.code == "V1")).first() is None
    office.fake.push_press(LAN, preview["message_id"], button_of(preview, "confirm"))
    assert "14/03/2025" in await _told(office, LAN, "V1")
    task = _task(office)
    assert (task.title, task.due, task.status) == (
        "Rà soát thủ tục hành chính",
        date(2025, 3, 14),
        TaskStatus.OPEN,
    )

    await office.dispatcher.run_until_idle()
    assert "V1" in await _told(office, MINH, "📌")  # Minh is told it is his unit's

    occurrence = office.session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    # offsets 14, 7, 3, 1, 0: fourteen days before has passed, seven days before at 07:30
    assert occurrence.next_reminder_at == datetime(2025, 3, 7, 7, 30, tzinfo=HCM)
    office.clock.move_to(occurrence.next_reminder_at)
    scan(office.session, office.clock)
    before = len(office.fake.messages_to(MINH))
    assert await office.dispatcher.run_until_idle() >= 1
    reminder = await office.said(MINH, before + 1)
    assert "V1" in reminder["text"]

    before = len(office.fake.messages_to(LAN))
    office.fake.push_text(LAN, "/doihan V1 Quý II/2025")
    asked = await office.said(LAN, before + 1)
    assert "30/06/2025" in asked["text"]  # said back before it is stored
    assert _task(office).due == date(2025, 3, 14)
    office.fake.push_press(LAN, asked["message_id"], button_of(asked, "confirm"))
    await office.fake.wait_for(lambda _: _task(office).due == date(2025, 6, 30))
    assert "✖️" in await _answer(office, LAN, "/huyviec V1 trùng với kế hoạch quý")
    assert _task(office).status is TaskStatus.CANCELLED
    await _answer(office, LAN, "/mo V1")
    reopened = _task(office)
    assert (reopened.status, reopened.due) == (TaskStatus.OPEN, date(2025, 6, 30))

    await office.dispatcher.run_until_idle()
    minh_saw = "\n".join(m.get("text", "") for m in office.fake.messages_to(MINH))
    assert "30/06/2025" in minh_saw  # told of the new date
    assert "trùng với kế hoạch quý" in minh_saw  # and of the cancellation

    refusal = translate("vi", NotAllowed.msgid)
    await _answer(office, TUAN, "giao anh Minh báo cáo sơ kết, xong trước 20/7")  # no order
    for words in (
        "/giao anh Minh báo cáo sơ kết, xong trước 20/7",
        "/doihan V1 31/12/2025",
        "/giaolai V1 CCĐCXD",
        "/huyviec V1 không cần",
        "/mo V1",
    ):
        assert await _answer(office, TUAN, words) == refusal, words
    after = _task(office)
    assert (after.status, after.due) == (TaskStatus.OPEN, date(2025, 6, 30))
    assert len(office.session.exec(select(Task)).all()) == 1

    events = office.session.exec(
        select(TaskEvent).where(TaskEvent.task_id == task.id).order_by(col(TaskEvent.id))
    ).all()
    lan = office.ward.chair.id
    assert [(e.kind, e.channel, e.officer_id) for e in events] == [
        (EventKind.CREATED, Channel.TELEGRAM, lan),
        (EventKind.UPDATED, Channel.TELEGRAM, lan),
        (EventKind.CANCELLED, Channel.TELEGRAM, lan),
        (EventKind.REOPENED, Channel.TELEGRAM, lan),
    ]
