"""/mo CODE does what the web's "Reopen" and `dondoc tasks reopen` do
(`services/tracking/reopening.py`; the same tasks in `tests/support/reopening.py`)."""

from sqlmodel import Session

from bot.conversation import messages
from bot.conversation.engine import Conversation
from models import TaskStatus
from services.errors import NotAllowed
from tests.support.clock import FakeClock
from tests.support.conversing import bound, msgids, text
from tests.support.reopening import (
    QUARTERS,
    cancelled_after_a_done_quarter,
    done_shares,
    led_by_the_office,
    quarterly_part_done,
    statuses,
)
from tests.support.ward import Ward


async def test_a_quarter_one_unit_finished_is_reopened_not_the_last_quarter(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    bound(ward)
    task = quarterly_part_done(ward, session, clock)
    replies = await conversation.handle(text("lan", "/mo 5"))
    assert msgids(replies) == [messages.REOPENED_AT]
    assert done_shares(session, task) == []


async def test_the_admin_reopens_every_unit_not_only_her_own(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    bound(ward)
    task = led_by_the_office(ward, session, clock)
    replies = await conversation.handle(text("ha", "/mo 6"))
    assert msgids(replies) == [messages.REOPENED_AT]
    assert done_shares(session, task) == []
    assert statuses(session, task) == (TaskStatus.OPEN, [TaskStatus.OPEN])


async def test_a_cancelled_task_with_a_done_quarter_is_uncancelled(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    bound(ward)
    task = cancelled_after_a_done_quarter(ward, session, clock)
    replies = await conversation.handle(text("lan", "/mo 7"))
    assert msgids(replies) == [messages.REOPENED_OK]
    assert statuses(session, task) == (TaskStatus.OPEN, [TaskStatus.DONE, TaskStatus.OPEN])
    assert done_shares(session, task) == [(QUARTERS[0], ward.vhxh.id)]


async def test_an_officer_is_refused_at_the_code_whether_he_sees_the_task_or_not(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    """The role is the use case's to check (`task_to_change`), before the task is looked up:
    Minh hears the same refusal for his unit's task 6 and for Tuấn's task 8, as the web would
    refuse him; the usage line, which changes nothing, he may read."""
    bound(ward)
    task = led_by_the_office(ward, session, clock)
    ward.task("8", "Đo đạc", unit=ward.dia_chinh, due=QUARTERS[0])
    assert msgids(await conversation.handle(text("minh", "/mo"))) == [messages.REOPEN_USAGE]
    for words in ("/mo 6", "/mo 8"):
        replies = await conversation.handle(text("minh", words))
        assert msgids(replies) == [NotAllowed.msgid], words
    assert statuses(session, task) == (TaskStatus.DONE, [TaskStatus.DONE])
