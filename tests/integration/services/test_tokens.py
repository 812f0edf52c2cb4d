"""Button tokens are addressed to one person, expire, and name one kind of row; the scan's
signed tokens too, scoped to their ward and revoked with its key."""

from datetime import date

import pytest
from sqlmodel import Session, select

from bot.conversation.incoming import Press
from bot.telegram.callbacks import parse_data
from models import ActionToken, Occurrence, TokenSubject
from services.access import (
    LIFETIMES,
    issue_token,
    redeem_token,
    revoke_signed_tokens,
    sign_occurrence,
    token_keys,
)
from services.errors import InvalidButton
from services.messages import Action
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


def _base36(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[rest] + digits
    return digits or "0"


def _signed(session: Session, clock: FakeClock, ward: Ward, officer_key: str) -> tuple[str, int]:
    task = ward.task("9", "Tiêm chủng", due=date(2025, 3, 10))
    occurrence = session.exec(select(Occurrence).where(Occurrence.task_id == task.id)).one()
    officer = ward.officer(officer_key)
    assert occurrence.id is not None
    assert officer.id is not None
    org = officer.organization_id
    keys = token_keys(session, [org], clock.now())
    expires = clock.now() + LIFETIMES[TokenSubject.OCCURRENCE]
    token = sign_occurrence(keys[org], org, officer.id, occurrence.id, expires)
    session.commit()
    return token, occurrence.id


def test_a_signed_token_is_redeemed_only_by_its_addressee_in_time(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    minh = ward.officer("minh")
    token, occurrence_id = _signed(session, clock, ward, "minh")
    assert session.exec(select(ActionToken)).all() == []  # nothing stored
    assert len(f"progress:{token}".encode()) <= 64
    assert parse_data(f"progress:{token}") == Press(Action.PROGRESS, token)
    row = redeem_token(session, clock, minh, token, TokenSubject.OCCURRENCE)
    assert (row.occurrence_id, row.officer_id, row.subject) == (
        occurrence_id,
        minh.id,
        TokenSubject.OCCURRENCE,
    )
    assert row.expires_at == clock.now() + LIFETIMES[TokenSubject.OCCURRENCE]
    with pytest.raises(InvalidButton):  # forwarded to a colleague
        redeem_token(session, clock, ward.officer("tuan"), token, TokenSubject.OCCURRENCE)
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, token, TokenSubject.EXTENSION)
    occurrence, expires, mac = token.split("-", 2)
    for forged in (
        f"{_base36(int(occurrence, 36) + 1)}-{expires}-{mac}",  # another occurrence
        f"{occurrence}-{_base36(int(expires, 36) + 86_400)}-{mac}",  # a day later
        f"{occurrence}-{expires}-{'A' * 16}",  # a guessed signature
    ):
        with pytest.raises(InvalidButton):
            redeem_token(session, clock, minh, forged, TokenSubject.OCCURRENCE)
    clock.advance(seconds=LIFETIMES[TokenSubject.OCCURRENCE].total_seconds())
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, token, TokenSubject.OCCURRENCE)


def test_signed_tokens_are_scoped_to_their_ward_and_revoked_with_its_key(
    session: Session, clock: FakeClock
) -> None:
    north = Ward.build(session, clock)
    south = Ward.build(session, clock, name="Phường Nam Sơn")
    token, _ = _signed(session, clock, north, "minh")
    minh = north.officer("minh")
    stranger = south.officer("minh")
    token_keys(session, [stranger.organization_id], clock.now())
    assert north.officer("minh").organization_id != stranger.organization_id
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, stranger, token, TokenSubject.OCCURRENCE)
    assert redeem_token(session, clock, minh, token, TokenSubject.OCCURRENCE)
    keys = token_keys(session, [minh.organization_id], clock.now())
    assert token_keys(session, [minh.organization_id], clock.now()) == keys  # made once

    revoke_signed_tokens(session, minh.organization_id)
    session.commit()
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, token, TokenSubject.OCCURRENCE)
    renewed = token_keys(session, [minh.organization_id], clock.now())
    assert renewed != keys  # a new key: the old buttons stay refused
    with pytest.raises(InvalidButton):
        redeem_token(session, clock, minh, token, TokenSubject.OCCURRENCE)
