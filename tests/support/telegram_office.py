"""A ward whose people talk to dondoc on the fake Telegram (the `office` fixture of
tests/integration/bot/telegram): who is who by chat id, waiting for what the bot said, sending a
task's first reminder, the buttons under a message, Minh joining with his invite."""

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, select

from bot.conversation import messages
from jobs.dispatch import Dispatcher
from locales import translate
from models import EventKind, Occurrence, Task, TaskEvent
from services.people.invites import create_invite
from services.reminding.reminders import scan, schedule_occurrences
from tests.support.clock import FakeClock
from tests.support.fake_telegram import FakeTelegram
from tests.support.ward import Ward

MINH, TUAN, LAN, HA = 101, 102, 301, 302
STRANGER = 999
JSON = dict[str, Any]


@dataclass
class Office:
    """A ward whose people talk to dondoc on (fake) Telegram."""

    ward: Ward
    fake: FakeTelegram
    dispatcher: Dispatcher
    session: Session
    clock: FakeClock

    async def said(self, chat: int, count: int) -> JSON:
        """Wait until the bot has `count` messages in `chat`; the last of them."""
        await self.fake.wait_for(lambda _: len(self.fake.messages_to(chat)) >= count)
        return self.fake.messages_to(chat)[count - 1]

    async def remind(self, task: Task) -> JSON:
        """Plan the task's reminders, move to the first, scan and dispatch: Minh's reminder."""
        occurrences = self.session.exec(select(Occurrence).where(Occurrence.task_id == task.id))
        schedule_occurrences(self.session, self.clock, occurrences.all())
        self.session.commit()
        occurrence = self._occurrence(task)
        assert occurrence.next_reminder_at is not None
        self.clock.move_to(occurrence.next_reminder_at)
        scan(self.session, self.clock)
        before = len(self.fake.messages_to(MINH))
        assert await self.dispatcher.run_until_idle() >= 1
        return await self.said(MINH, before + 1)

    def task(self, task: Task) -> Task:
        """The task as committed now."""
        self.session.expire_all()
        found = self.session.get(Task, task.id)
        assert found is not None
        return found

    def _occurrence(self, task: Task) -> Occurrence:
        self.session.expire_all()
        return self.session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()

    def events(self, kind: EventKind) -> list[TaskEvent]:
        """The history entries of one kind, as committed now."""
        self.session.expire_all()
        return list(self.session.exec(select(TaskEvent).where(TaskEvent.kind == kind)))


def button_of(message: JSON, action: str) -> str:
    """The callback data of the button for `action` under `message`."""
    for row in message["reply_markup"]["inline_keyboard"]:
        for button in row:
            if button["callback_data"].startswith(f"{action}:"):
                return str(button["callback_data"])
    raise AssertionError(f"no {action} button under message {message['message_id']}")


async def joined(office: Office) -> None:
    """Minh follows his invitation link: /start <token>."""
    card = create_invite(office.ward.session, office.clock, office.ward.admin, "Phạm Văn Minh")
    office.fake.push_text(MINH, f"/start {card.token}")
    welcome = await office.said(MINH, 1)
    assert welcome["text"] == translate("vi", messages.WELCOME, name="Phạm Văn Minh")


def minh_id(office: Office) -> int:
    minh = office.ward.officer("minh").id
    assert minh is not None
    return minh
