""" "việc 5 xong" closes the period the web's "✅ Done" and `dondoc tasks done` close, and finds
the task they find (`task_list.occurrence_to_act_on`, `task_list.tasks_coded`; the same tasks
in `tests/support/closing.py`)."""

from sqlmodel import Session

from bot.conversation import messages
from bot.conversation.engine import Conversation
from models import TaskStatus
from services.errors import TaskNotFound
from tests.support.clock import FakeClock
from tests.support.closing import quarterly_open, revised_twice
from tests.support.conversing import bound, msgids, text
from tests.support.reopening import statuses
from tests.support.ward import Ward


async def test_a_quarterly_task_closes_its_quarter_that_counts_not_asked_which(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    """Its first quarter is overdue: that one closes (the chat used to ask which of the four
    open quarters was meant, where the web and the command line closed this one)."""
    bound(ward)
    task = quarterly_open(ward)
    clock.advance(days=60)  # 2 May 2025: the first quarter is overdue
    replies = await conversation.handle(text("minh", "việc 5 xong rồi"))
    assert msgids(replies) == [messages.DONE_OK]
    assert statuses(session, task) == (
        TaskStatus.OPEN,
        [TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.OPEN, TaskStatus.OPEN],
    )


async def test_a_code_finds_the_current_plans_task_as_reopening_does(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    """Task 5 of a superseded plan is not found by its code, as /mo 5 and `dondoc tasks` do
    not find it (the chat used to ask which of the two was meant)."""
    bound(ward)
    old, new = revised_twice(ward, session)
    replies = await conversation.handle(text("minh", "việc 5 xong rồi"))
    assert msgids(replies) == [messages.DONE_OK]
    assert statuses(session, new) == (TaskStatus.DONE, [TaskStatus.DONE])
    assert statuses(session, old) == (TaskStatus.OPEN, [TaskStatus.OPEN])
    assert msgids(await conversation.handle(text("lan", "/mo 5"))) == [messages.REOPENED_AT]
    assert statuses(session, new) == (TaskStatus.OPEN, [TaskStatus.OPEN])


async def test_a_superseded_plans_task_alone_is_not_found(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock
) -> None:
    bound(ward)
    old, new = revised_twice(ward, session)
    session.delete(new)
    session.commit()
    replies = await conversation.handle(text("minh", "việc 5 xong rồi"))
    assert msgids(replies) == [TaskNotFound.msgid]
    assert statuses(session, old) == (TaskStatus.OPEN, [TaskStatus.OPEN])
