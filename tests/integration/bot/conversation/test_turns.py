"""A turn, counted: the message is classified once, whatever handlers it passes through (a
flow's answer, a question asked inside a flow, an action), and the turn commits once, at its
end; a refusal commits nothing."""

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from sqlalchemy import Engine, event

from bot.conversation import engine as engine_module
from bot.conversation import intents, messages
from bot.conversation.engine import Conversation
from bot.conversation.intents import Intent
from services.errors import TaskNotFound
from tests.support.conversing import bound, msgids, text
from tests.support.ward import Ward


@pytest.fixture
def classified(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the turn's classifier is asked about (wherever it is called from)."""
    seen: list[str] = []
    real = intents.classify

    def counting(words: str, *, now: datetime) -> Intent:
        seen.append(words)
        return real(words, now=now)

    monkeypatch.setattr(intents, "classify", counting)
    monkeypatch.setattr(engine_module, "classify", counting)
    return seen


@pytest.fixture
def commits(engine: Engine) -> Iterator[list[int]]:
    """One entry per transaction committed on the engine."""
    count: list[int] = []

    def committed(_connection: object) -> None:
        count.append(1)

    event.listen(engine, "commit", committed)
    yield count
    event.remove(engine, "commit", committed)


async def test_a_message_is_classified_once_per_turn(
    conversation: Conversation, ward: Ward, classified: list[str]
) -> None:
    bound(ward)
    ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    turns = [
        ("xong rồi", messages.ASK_WHICH),  # an action naming no task: asked which
        ("việc 3 xong chưa?", messages.STATUS_OPEN),  # a question inside the flow
        ("4", messages.DONE_OK),  # the flow's answer
        ("việc 3 được 50%", messages.PROGRESS_OK),  # an action on a named task
        ("hoàn tác", messages.UNDONE_OK),
        ("ok", messages.NOT_UNDERSTOOD),
    ]
    for words, first in turns:
        before = len(classified)
        replies = await conversation.handle(text("minh", words))
        assert msgids(replies)[0] == first, words
        assert classified[before:] == [words], words


async def test_a_turn_commits_once_and_a_refusal_commits_nothing(
    conversation: Conversation, ward: Ward, commits: list[int]
) -> None:
    bound(ward)
    ward.task("3", "Phân tích số liệu", due=date(2025, 3, 17))
    ward.task("4", "Xây dựng kế hoạch", due=date(2025, 3, 20))
    for words in ("việc 3 xong rồi", "việc 4 vướng: thiếu người", "xong rồi", "4"):
        before = len(commits)
        await conversation.handle(text("minh", words))  # each writes: events, flows, tokens
        assert len(commits) - before == 1, words
    before = len(commits)
    replies = await conversation.handle(text("minh", "việc 99 xong rồi"))
    assert msgids(replies) == [TaskNotFound.msgid]
    assert len(commits) == before
