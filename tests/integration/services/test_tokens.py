"""Button tokens are addressed to one person, expire, and name one kind of row."""

from datetime import date

import pytest
from sqlmodel import Session, select

from models import Occurrence, TokenSubject
from services.errors import InvalidButton
from services.tokens import (
    LIFETIMES,
    issue_token,
    redeem_token,
)
from tests.support.clock import FakeClock
from tests.support.ward import Ward


def test_token_is_redeemed_only_by_its_addressee_in_time(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    task = ward.task("1", "Lễ hội", due=date(2025, 3, 10))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    minh = ward.officer("minh")
    token = issue_token(session, clock, minh, TokenSubject.OCCURRENCE, occurrence_id=occurrence.id)
    session.commit()
    assert len(f"progress:{token}".encode()) <= 64
    row = redeem_token(session, clock, minh, token, TokenSubject.OCCURRENCE)
    assert row.occurrence_id == occurrence.id
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, ward.chair, token, TokenSubject.OCCURRENCE)
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, token, TokenSubject.EXTENSION)
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, "forged0000", TokenSubject.OCCURRENCE)
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, "bad token!", TokenSubject.OCCURRENCE)
    clock.advance(seconds=LIFETIMES[TokenSubject.OCCURRENCE].total_seconds())
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, token, TokenSubject.OCCURRENCE)
