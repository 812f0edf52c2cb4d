"""Invites bind a chat account once, before they expire; strangers are not recognised."""

from datetime import timedelta

import pytest
from sqlmodel import Session

from models import Channel
from services.access import identify
from services.errors import (
    InviteExpired,
    InviteInvalid,
    InviteNeedsPrivateChat,
    InviteUsed,
    OfficerNotFound,
)
from services.people.invites import accept_invite, create_invite, looks_like_code
from tests.support.clock import FakeClock
from tests.support.ward import Ward

TG = Channel.TELEGRAM


def test_deep_link_token_binds_the_chat_once(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    card = create_invite(session, clock, ward.admin, "Phạm Văn Minh")
    assert card.deep_link("@dondoc_bot") == f"https://t.me/dondoc_bot?start={card.token}"
    assert identify(session, TG, "42") is None
    officer = accept_invite(session, clock, card.token, channel=TG, external_id="42", chat_id="42")
    assert officer.id == ward.officer("minh").id
    assert identify(session, TG, "42") == officer
    with pytest.raises(InviteUsed):
        accept_invite(session, clock, card.token, channel=TG, external_id="43", chat_id="43")


def test_an_invite_is_accepted_in_a_private_chat_only(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    card = create_invite(session, clock, ward.admin, "Phạm Văn Minh")

    with pytest.raises(InviteNeedsPrivateChat):
        accept_invite(
            session,
            clock,
            card.token,
            channel=TG,
            external_id="42",
            chat_id="-100",
            private_chat=False,
        )
    assert identify(session, TG, "42") is None
    officer = accept_invite(session, clock, card.token, channel=TG, external_id="42", chat_id="42")
    assert officer.id == ward.officer("minh").id


def test_short_code_works_typed_loosely(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    card = create_invite(session, clock, ward.admin, "Phạm Văn Minh")
    assert looks_like_code(card.code)
    typed = card.code.lower().replace("-", " ")
    accept_invite(session, clock, typed, channel=Channel.ZALO, external_id="z", chat_id="z")
    assert identify(session, Channel.ZALO, "z") is not None


def test_expired_or_unknown_invite_is_refused(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    card = create_invite(session, clock, ward.admin, "Phạm Văn Minh")
    clock.advance(days=7, seconds=1)
    with pytest.raises(InviteExpired):
        accept_invite(session, clock, card.token, channel=TG, external_id="1", chat_id="1")
    with pytest.raises(InviteInvalid):
        accept_invite(session, clock, "not-a-token", channel=TG, external_id="1", chat_id="1")
    assert timedelta(days=7) == card.expires_at - (clock.now() - timedelta(days=7, seconds=1))


def test_invite_for_an_unknown_officer_is_refused(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    with pytest.raises(OfficerNotFound):
        create_invite(session, clock, ward.admin, "Ai Đó")
