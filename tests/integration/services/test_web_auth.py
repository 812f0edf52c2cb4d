"""Signing in to the web pages: the password the office sets, and the web chat it binds."""

import pytest
from sqlmodel import Session, select

from models import Channel, ChannelIdentity
from services.clock import FakeClock
from services.errors import OfficerNotFound
from services.people.web_auth import (
    NotDemo,
    PasswordTooShort,
    WrongLogin,
    set_password,
    sign_in_demo,
    sign_in_with_password,
)
from tests.support.ward import Ward


def test_the_office_sets_a_password_and_the_officer_signs_in_with_it(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.org, "  Phạm  Văn Minh ", "mat-khau-thu")

    officer = sign_in_with_password(session, clock, "Phạm Văn Minh", "mat-khau-thu")

    assert officer.id == ward.officer("minh").id
    identity = session.exec(
        select(ChannelIdentity).where(ChannelIdentity.officer_id == officer.id)
    ).one()
    assert (identity.channel, identity.external_id) == (Channel.WEB, f"officer:{officer.id}")


def test_signing_in_twice_binds_the_web_chat_once(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.org, ward.chair.name, "mat-khau-thu")

    sign_in_with_password(session, clock, ward.chair.name, "mat-khau-thu")
    sign_in_with_password(session, clock, ward.chair.name, "mat-khau-thu")

    assert len(session.exec(select(ChannelIdentity)).all()) == 1


def test_a_wrong_password_an_unknown_name_and_no_password_are_refused_alike(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.org, ward.chair.name, "mat-khau-thu")

    for name, password in (
        (ward.chair.name, "mat-khau-sai"),
        ("Không Có Ai", "mat-khau-thu"),
        (ward.officer("tuan").name, ""),
    ):
        with pytest.raises(WrongLogin):
            sign_in_with_password(session, clock, name, password)


def test_an_inactive_officer_cannot_sign_in(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    minh = ward.officer("minh")
    set_password(session, ward.org, minh.name, "mat-khau-thu")
    minh.active = False
    session.add(minh)
    session.commit()

    with pytest.raises(WrongLogin):
        sign_in_with_password(session, clock, minh.name, "mat-khau-thu")


def test_short_passwords_and_unknown_officers_are_refused(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)

    with pytest.raises(PasswordTooShort):
        set_password(session, ward.org, ward.chair.name, "ngan")
    with pytest.raises(OfficerNotFound):
        set_password(session, ward.org, "Không Có Ai", "mat-khau-thu")


def test_only_demo_people_can_be_picked(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    assert ward.chair.id is not None

    with pytest.raises(NotDemo):
        sign_in_demo(session, clock, ward.chair.id)
    with pytest.raises(NotDemo):
        sign_in_demo(session, clock, 10_000)
