"""Kept files that nothing names (a "which task?" never answered) go after a grace period; a
task's evidence, a waiting question's file and a file kept a moment ago stay."""

import os
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlmodel import Session, select

from models import Channel, Occurrence
from services.conversing import flows
from services.conversing.flows import ChatKey, Flow
from services.tracking.evidence import (
    UNCLAIMED_GRACE,
    attach_evidence,
    forget_unclaimed,
    keep_file,
)
from tests.support.clock import FakeClock
from tests.support.ward import Ward

CHAT = ChatKey(Channel.TELEGRAM, "42", "42")


def _kept_at(store: Path, content: bytes, when: datetime) -> Path:
    """`content` kept in `store`, its file last written at `when`."""
    digest = keep_file(store, content)
    path = store / digest[:2] / digest
    os.utime(path, (when.timestamp(), when.timestamp()))
    return path


def _long_ago(clock: FakeClock) -> datetime:
    return clock.now() - UNCLAIMED_GRACE - timedelta(hours=1)


def test_an_old_file_nothing_names_goes(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    orphan = _kept_at(tmp_path, b"photo never claimed", _long_ago(clock))
    assert forget_unclaimed(session, tmp_path, clock.now()) == 1
    assert not orphan.exists()
    assert forget_unclaimed(session, tmp_path, clock.now()) == 0


def test_a_file_kept_a_moment_ago_stays(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    fresh = _kept_at(tmp_path, b"photo for a question just asked", clock.now())
    almost = _kept_at(
        tmp_path, b"nearly too old", clock.now() - UNCLAIMED_GRACE + timedelta(minutes=1)
    )
    assert forget_unclaimed(session, tmp_path, clock.now()) == 0
    assert fresh.exists()
    assert almost.exists()


def test_a_tasks_evidence_stays(session: Session, clock: FakeClock, tmp_path: Path) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    assert occurrence.id is not None
    content = b"\x89PNG photo of the meeting"
    attach_evidence(
        session, clock, ward.officer("minh"), occurrence.id, file_name="anh.png",
        content=content, media_type="image/png", store=tmp_path, via=Channel.TELEGRAM,
    )  # fmt: skip
    evidence = _kept_at(tmp_path, content, _long_ago(clock))
    orphan = _kept_at(tmp_path, b"another, never claimed", _long_ago(clock))
    assert forget_unclaimed(session, tmp_path, clock.now()) == 1
    assert evidence.read_bytes() == content
    assert not orphan.exists()


def test_a_waiting_questions_file_stays_until_the_question_expires(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    content = b"photo sent while the bot asks which task"
    waiting = _kept_at(tmp_path, content, _long_ago(clock))
    kept = {"name": "anh.jpg", "media_type": "image/jpeg", "sha256": waiting.name}
    flows.start(session, clock, CHAT, Flow.WHICH, {"choices": [1, 2], "file": kept})
    session.commit()
    assert forget_unclaimed(session, tmp_path, clock.now()) == 0
    assert waiting.read_bytes() == content
    clock.advance(seconds=flows.LIFETIME.total_seconds() + 1)  # never answered
    assert forget_unclaimed(session, tmp_path, clock.now()) == 1
    assert not waiting.exists()


def test_keeping_a_file_again_starts_its_grace_over(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    content = b"sent once, abandoned, sent again"
    path = _kept_at(tmp_path, content, datetime.now().astimezone() - 2 * UNCLAIMED_GRACE)
    keep_file(tmp_path, content)  # a new question names it a moment from now
    assert forget_unclaimed(session, tmp_path, datetime.now().astimezone()) == 0
    assert path.read_bytes() == content


def test_a_write_cut_short_goes_after_the_grace_and_strangers_stay(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    digest = "ab" + "0" * 62
    (tmp_path / "ab").mkdir()
    old_part = tmp_path / "ab" / f"{digest}.part"
    new_part = tmp_path / "ab" / f"{'ab' + '1' * 62}.part"
    stranger = tmp_path / "ab" / "notes.txt"
    misplaced = tmp_path / "cd"
    misplaced.mkdir()
    elsewhere = misplaced / digest  # not under its own first two letters
    for path in (old_part, new_part, stranger, elsewhere):
        path.write_bytes(b"x")
    for path in (old_part, stranger, elsewhere):
        then = _long_ago(clock).timestamp()
        os.utime(path, (then, then))
    os.utime(new_part, (clock.now().timestamp(), clock.now().timestamp()))
    flows.start(session, clock, CHAT, Flow.WHICH, {"file": {"sha256": digest}})
    session.commit()  # a question names the digest: its leftover `.part` goes all the same
    assert forget_unclaimed(session, tmp_path, clock.now()) == 1
    assert not old_part.exists()
    assert all(path.exists() for path in (new_part, stranger, elsewhere))


def test_a_missing_store_is_nothing_to_do(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    assert forget_unclaimed(session, tmp_path / "evidence", clock.now()) == 0
    assert not (tmp_path / "evidence").exists()
