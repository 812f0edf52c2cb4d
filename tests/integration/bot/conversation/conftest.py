"""A ward, its conversation (bot name known, flows on the test's clock) and a second session to
read what a turn committed."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from bot.conversation.engine import Conversation
from tests.support.clock import FakeClock
from tests.support.ward import Ward


@pytest.fixture
def ward(session: Session, clock: FakeClock) -> Ward:
    return Ward.build(session, clock)


@pytest.fixture
def conversation(engine: Engine, clock: FakeClock, tmp_path: Path) -> Conversation:
    return Conversation(
        engine, clock, evidence_dir=tmp_path / "evidence", bot_username="dondoc_bot", wall=clock
    )


@pytest.fixture
def fresh(engine: Engine) -> Iterator[Session]:
    """A second session, to read what the conversation committed."""
    with Session(engine) as opened:
        yield opened
