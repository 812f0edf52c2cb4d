"""Evidence is size-limited and stored once under its hash."""

import hashlib
from datetime import date
from pathlib import Path

import pytest
from sqlmodel import Session, select

from models import Channel, Occurrence, TaskEvent
from services.errors import EvidenceTooLarge
from services.tracking.evidence import MAX_BYTES, attach_evidence
from tests.support.clock import FakeClock
from tests.support.ward import Ward


def test_evidence_is_stored_under_its_hash(
    session: Session, clock: FakeClock, tmp_path: Path
) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    assert occurrence.id is not None
    content = b"\x89PNG photo of the meeting"
    digest = hashlib.sha256(content).hexdigest()
    attach_evidence(
        session, clock, ward.officer("minh"), occurrence.id, file_name="../anh.png",
        content=content, media_type="image/png", store=tmp_path, via=Channel.TELEGRAM,
    )  # fmt: skip
    assert (tmp_path / digest[:2] / digest).read_bytes() == content
    event = session.exec(select(TaskEvent)).one()
    assert event.payload["sha256"] == digest
    assert event.payload["file_name"] == "anh.png"
    with pytest.raises(EvidenceTooLarge):
        attach_evidence(
            session, clock, ward.officer("minh"), occurrence.id, file_name="big.pdf",
            content=b"x" * (MAX_BYTES + 1), media_type=None, store=tmp_path, via=Channel.WEB,
        )  # fmt: skip
