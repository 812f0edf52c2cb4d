"""Officers acting in words: "xong rồi", a blocker, a status question, evidence; the task named,
replied to or asked back, and a refusal said with nothing kept."""

import base64
import hashlib
import json
from datetime import date

from sqlmodel import Session, select

from bot.conversation import messages
from bot.conversation.engine import Conversation
from bot.conversation.incoming import Incoming, IncomingFile
from models import ChatState, EventKind, Outbox, Task, TaskEvent, TaskStatus, TokenSubject
from services.access import issue_token
from services.errors import EvidenceTooLarge
from services.messages import Action, render_lines
from services.tracking.evidence import MAX_BYTES
from tests.support.clock import FakeClock
from tests.support.conversing import (
    bound,
    events,
    msgids,
    occurrence_of,
    press,
    sent_reminder,
    text,
    user,
)
from tests.support.ward import Ward


async def test_xong_roi_naming_no_task_asks_which_then_its_code_closes_it(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    task = ward.task("7", "Tổ chức lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "xong roi a"))
    assert msgids(replies) == [messages.ASK_WHICH, messages.CHOICE_LINE]
    assert fresh.get(Task, task.id).status is TaskStatus.OPEN  # type: ignore[union-attr]
    replies = await conversation.handle(text("minh", "7"))
    assert msgids(replies) == [messages.DONE_OK]
    assert "Tổ chức lễ hội" in render_lines("vi", replies[0])
    fresh.expire_all()
    assert fresh.get(Task, task.id).status is TaskStatus.DONE  # type: ignore[union-attr]


async def test_a_reply_to_a_reminder_acts_on_its_task(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    second = ward.task("2", "Báo cáo", due=date(2025, 3, 20))
    token = issue_token(
        session, clock, minh, TokenSubject.OCCURRENCE, occurrence_id=occurrence_of(session, second)
    )
    sent_reminder(session, clock, minh, {"items": [{"task": "2", "token": token}]}, "m-1")
    replies = await conversation.handle(text("minh", "xong r nhé", reply_to="m-1"))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, second.id).status is TaskStatus.DONE  # type: ignore[union-attr]


async def test_a_reply_to_a_digest_asks_which_task_then_acts(
    conversation: Conversation, ward: Ward, session: Session, clock: FakeClock, fresh: Session
) -> None:
    bound(ward)
    minh = ward.officer("minh")
    tasks = [ward.task(str(n), f"Việc {n}", due=date(2025, 3, 10 + n)) for n in (1, 2)]
    items = [
        {
            "token": issue_token(
                session, clock, minh, TokenSubject.OCCURRENCE,
                occurrence_id=occurrence_of(session, task),
            )
        }
        for task in tasks
    ]  # fmt: skip
    sent_reminder(session, clock, minh, {"items": items}, "digest-1")
    replies = await conversation.handle(text("minh", "dc 50% r", reply_to="digest-1"))
    assert msgids(replies)[0] == messages.ASK_WHICH
    assert len(replies[0].buttons) == 2
    replies = await conversation.handle(text("minh", "2"))
    assert msgids(replies) == [messages.PROGRESS_OK]
    assert fresh.get(Task, tasks[1].id).progress == 50  # type: ignore[union-attr]
    assert fresh.get(Task, tasks[0].id).progress == 0  # type: ignore[union-attr]


async def test_which_task_can_be_answered_by_pressing(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    first = ward.task("1", "Việc một", due=date(2025, 3, 10))
    ward.task("2", "Việc hai", due=date(2025, 3, 12))
    replies = await conversation.handle(text("minh", "xong rồi"))
    choice = replies[0].buttons[0][0]
    assert choice.action is Action.CHOOSE
    replies = await conversation.handle(press("minh", Action.CHOOSE, choice.token))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, first.id).status is TaskStatus.DONE  # type: ignore[union-attr]


async def test_a_blocker_in_words_reaches_the_chair_and_the_admin(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "việc 1 vướng: chưa có kinh phí"))
    assert msgids(replies) == [messages.BLOCKER_OK]
    told = {row.officer_id for row in fresh.exec(select(Outbox))}
    assert told == {ward.chair.id, ward.admin.id}
    assert events(fresh, EventKind.BLOCKER_REPORTED)[0].payload["reason"] == "chưa có kinh phí"


async def test_unsure_text_asks_back_with_choices(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "việc 1 xong rồi nhưng còn vướng chữ ký"))
    assert msgids(replies) == [messages.ASK_DONE_OR_BLOCKED]
    assert Action.DONE in {b.action for b in replies[0].all_buttons()}
    assert fresh.exec(select(TaskEvent)).all() == []
    replies = await conversation.handle(text("minh", "hôm nay trời đẹp"))
    assert msgids(replies) == [messages.NOT_UNDERSTOOD]


async def test_a_task_named_by_its_code_needs_no_question(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("2.1", "Việc một", due=date(2025, 3, 10))
    second = ward.task("2.2", "Việc hai", due=date(2025, 3, 12))
    replies = await conversation.handle(text("minh", "việc 2.2 xong rồi ạ"))
    assert msgids(replies) == [messages.DONE_OK]
    assert fresh.get(Task, second.id).status is TaskStatus.DONE  # type: ignore[union-attr]
    replies = await conversation.handle(text("lan", "viec 2.1 xong r"))
    assert msgids(replies) == [messages.DONE_OK]  # the chair may act on any task of the ward


async def test_an_officer_lifts_a_blocker_in_words(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    blocked = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo", due=date(2025, 3, 12))
    await conversation.handle(text("minh", "việc 1 vướng: chưa có kinh phí"))
    replies = await conversation.handle(text("minh", "hết vướng rồi chị ạ, đã có kinh phí"))
    assert msgids(replies) == [messages.ASK_WHICH, messages.CHOICE_LINE]  # the blocked one
    replies = await conversation.handle(text("minh", "1"))
    assert msgids(replies) == [messages.RESOLVED_OK]
    fresh.expire_all()
    assert fresh.get(Task, blocked.id).status is TaskStatus.OPEN  # type: ignore[union-attr]
    assert events(fresh, EventKind.BLOCKER_RESOLVED)


def _two_tasks(ward: Ward) -> None:
    """Minh bound to his chat, leading two open tasks: a file sent bare is asked which."""
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    ward.task("2", "Báo cáo", due=date(2025, 3, 12))


async def test_evidence_for_one_of_several_tasks_asks_which(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    _two_tasks(ward)
    file = IncomingFile(file_name="bao-cao.pdf", content=b"%PDF-1.7", media_type="application/pdf")
    replies = await conversation.handle(Incoming(user=user("minh"), file=file))
    assert msgids(replies)[0] == messages.EVIDENCE_WHICH
    replies = await conversation.handle(text("minh", "2"))
    assert msgids(replies) == [messages.EVIDENCE_OK]
    assert replies[0].lines[0].params == {"file_name": "bao-cao.pdf", "code": "2"}
    [event] = events(fresh, EventKind.EVIDENCE)
    assert event.payload["size"] == len(b"%PDF-1.7")


async def test_a_file_waiting_for_its_task_is_kept_in_the_store_not_in_the_chat_state(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    _two_tasks(ward)
    content = b"%PDF-1.7 " + bytes(range(256)) * 64
    file = IncomingFile(file_name="bao-cao.pdf", content=content, media_type="application/pdf")
    await conversation.handle(Incoming(user=user("minh"), file=file))
    [state] = fresh.exec(select(ChatState)).all()
    kept = state.data["file"]
    assert kept == {
        "name": "bao-cao.pdf",
        "media_type": "application/pdf",
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert len(json.dumps(state.data)) < 1000
    replies = await conversation.handle(text("minh", "2"))
    assert msgids(replies) == [messages.EVIDENCE_OK]
    [event] = events(fresh, EventKind.EVIDENCE)
    assert event.payload["sha256"] == kept["sha256"]
    assert event.payload["size"] == len(content)


async def test_a_file_kept_in_the_chat_state_before_is_still_attached(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    """A "which task?" asked before the files moved to the store kept the file in base64."""
    _two_tasks(ward)
    file = IncomingFile(file_name="anh.jpg", content=b"\xff\xd8old", media_type="image/jpeg")
    await conversation.handle(Incoming(user=user("minh"), file=file))
    state = fresh.exec(select(ChatState)).one()
    state.data = {
        **state.data,
        "file": {
            "name": "anh.jpg",
            "media_type": "image/jpeg",
            "content": base64.b64encode(b"\xff\xd8old").decode("ascii"),
        },
    }
    fresh.add(state)
    fresh.commit()
    replies = await conversation.handle(text("minh", "1"))
    assert msgids(replies) == [messages.EVIDENCE_OK]
    [event] = events(fresh, EventKind.EVIDENCE)
    assert event.payload["sha256"] == hashlib.sha256(b"\xff\xd8old").hexdigest()


async def test_a_file_too_large_is_refused_before_asking_which_task(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    _two_tasks(ward)
    file = IncomingFile(file_name="to.pdf", content=b"x" * (MAX_BYTES + 1), media_type=None)
    replies = await conversation.handle(Incoming(user=user("minh"), file=file))
    assert msgids(replies) == [EvidenceTooLarge.msgid]
    assert fresh.exec(select(ChatState)).all() == []


async def test_a_refusal_is_said_and_nothing_is_kept(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    replies = await conversation.handle(text("minh", "việc 1 xin gia hạn đến 5/3 vì mưa"))
    assert msgids(replies) == [
        "Task {ref} is already due on {date}: an extension needs a later date."
    ]
    assert fresh.exec(select(TaskEvent)).all() == []
    assert fresh.exec(select(Outbox)).all() == []


async def test_a_status_question_answers_per_unit_when_several_lead(
    conversation: Conversation, ward: Ward, fresh: Session
) -> None:
    bound(ward)
    task = ward.task(
        "5", "Ra quân vệ sinh", leads=(ward.vhxh, ward.dia_chinh), due=date(2025, 3, 10)
    )
    replies = await conversation.handle(text("minh", "việc 5 xong rồi"))
    assert msgids(replies) == [messages.DONE_PART_OK]  # his unit's part, not the task
    replies = await conversation.handle(text("lan", "việc 5 đã xong chưa?"))
    assert msgids(replies) == [
        messages.STATUS_OPEN,
        messages.STATUS_SHARES,
        messages.STATUS_UNIT_DONE,
        messages.STATUS_UNIT_OPEN,
    ]
    shown = render_lines("vi", replies[0])
    assert "Văn hóa - Xã hội: đã xong" in shown
    assert "Địa chính - Xây dựng: chưa xong" in shown
    fresh.expire_all()
    assert fresh.get(Task, task.id).status is TaskStatus.OPEN  # type: ignore[union-attr]
