"""Signing in to the web pages: the password the office sets, the web chat it binds, the
organization it is scoped to, the holds on failures and the sessions it opens."""

import hashlib

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from models import Channel, ChannelIdentity, Organization, Role, SignInHold, WebSession
from services.errors import AdminOnly, OfficerNotFound
from services.people import sign_in_holds, web_auth
from services.people.officers import add_officer
from services.people.web_auth import (
    NotDemo,
    PasswordTooShort,
    SignInHeld,
    WebSignIn,
    WrongLogin,
    set_password,
    sign_in_demo,
    sign_in_organizations,
    sign_in_with_password,
)
from services.people.web_sessions import close_session, session_officer
from tests.support.clock import FakeClock
from tests.support.ward import Ward

PASSWORD = "mat-khau-thu"
HOME = "198.51.100.7"
STRANGER = "203.0.113.9"


def sign_in(
    session: Session,
    clock: FakeClock,
    org: Organization,
    name: str,
    password: str = PASSWORD,
    *,
    address: str = HOME,
) -> WebSignIn:
    assert org.id is not None
    return sign_in_with_password(
        session, clock, organization_id=org.id, name=name, password=password, address=address
    )


def test_the_office_sets_a_password_and_the_officer_signs_in_with_it(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.admin, "  Phạm  Văn Minh ", PASSWORD)

    officer = sign_in(session, clock, ward.org, "Phạm Văn Minh").officer

    assert officer.id == ward.officer("minh").id
    identity = session.exec(
        select(ChannelIdentity).where(ChannelIdentity.officer_id == officer.id)
    ).one()
    assert (identity.channel, identity.external_id) == (Channel.WEB, f"officer:{officer.id}")


def test_signing_in_twice_binds_the_web_chat_once(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.admin, ward.chair.name, PASSWORD)

    sign_in(session, clock, ward.org, ward.chair.name)
    sign_in(session, clock, ward.org, ward.chair.name)

    assert len(session.exec(select(ChannelIdentity)).all()) == 1


def test_a_wrong_password_an_unknown_name_and_no_password_are_refused_alike(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.admin, ward.chair.name, PASSWORD)

    for name, password in (
        (ward.chair.name, "mat-khau-sai"),
        ("Không Có Ai", PASSWORD),
        (ward.officer("tuan").name, ""),
    ):
        with pytest.raises(WrongLogin):
            sign_in(session, clock, ward.org, name, password)


def test_an_unknown_name_costs_the_same_password_check_as_a_known_one(
    session: Session, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.admin, ward.chair.name, PASSWORD)
    web_auth._dummy_hash()  # made once per process, before the count
    calls: list[int] = []
    scrypt = hashlib.scrypt

    def counted(password: bytes, **options: int | bytes) -> bytes:
        calls.append(int(options["n"]))
        return scrypt(password, **options)  # type: ignore[arg-type]

    monkeypatch.setattr("services.people.web_auth.hashlib.scrypt", counted)
    for name in (ward.chair.name, "Không Có Ai", ward.officer("tuan").name):
        with pytest.raises(WrongLogin):
            sign_in(session, clock, ward.org, name, "mat-khau-sai")

    assert calls == [web_auth.SCRYPT_N] * 3


def test_an_inactive_officer_cannot_sign_in(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    minh = ward.officer("minh")
    set_password(session, ward.admin, minh.name, PASSWORD)
    minh.active = False
    session.add(minh)
    session.commit()

    with pytest.raises(WrongLogin):
        sign_in(session, clock, ward.org, minh.name)


def test_another_wards_officer_of_the_same_name_changes_nothing(
    session: Session, clock: FakeClock
) -> None:
    bac_son = Ward.build(session, clock)
    set_password(session, bac_son.admin, bac_son.chair.name, PASSWORD)
    other = Ward.build(session, clock, name="Phường Nam Sơn")
    add_officer(
        session, clock, other.admin, "Trần Thị Lan B", unit_names=(other.vhxh.name,),
        role=Role.OFFICER,
    )  # fmt: skip
    lookalike = other.chair  # the same name as Bắc Sơn's chair, in another ward
    set_password(session, other.admin, lookalike.name, "mat-khau-khac")

    mine = sign_in(session, clock, bac_son.org, bac_son.chair.name).officer
    theirs = sign_in(session, clock, other.org, lookalike.name, "mat-khau-khac").officer

    assert lookalike.name == bac_son.chair.name
    assert (mine.id, theirs.id) == (bac_son.chair.id, lookalike.id)
    with pytest.raises(WrongLogin):
        sign_in(session, clock, other.org, bac_son.chair.name, PASSWORD)
    assert [o.name for o in sign_in_organizations(session)] == ["Phường Bắc Sơn", "Phường Nam Sơn"]


def test_five_failures_hold_the_name_from_that_address_only(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    chair = ward.chair
    set_password(session, ward.admin, chair.name, PASSWORD)
    for _ in range(5):
        with pytest.raises(WrongLogin):
            sign_in(session, clock, ward.org, chair.name, "doan-bua", address=STRANGER)

    with pytest.raises(SignInHeld) as held:
        sign_in(session, clock, ward.org, chair.name, address=STRANGER)
    from_home = sign_in(session, clock, ward.org, chair.name, address=HOME)
    clock.advance(minutes=16)
    later = sign_in(session, clock, ward.org, chair.name, address=STRANGER)

    assert held.value.params == {"minutes": 15}
    assert from_home.officer.id == later.officer.id == chair.id


def test_an_address_trying_many_names_is_held_for_all_of_them(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.admin, ward.chair.name, PASSWORD)
    for number in range(sign_in_holds.LIMITS[sign_in_holds.HoldScope.ADDRESS]):
        with pytest.raises(WrongLogin):
            sign_in(session, clock, ward.org, f"Người {number}", "x", address="2001:db8::1")

    with pytest.raises(SignInHeld):  # the same /64: the same household
        sign_in(session, clock, ward.org, ward.chair.name, address="2001:db8::2")
    assert sign_in(session, clock, ward.org, ward.chair.name).officer.id == ward.chair.id


def test_holds_are_kept_in_the_database_for_every_replica(
    engine: Engine, clock: FakeClock
) -> None:
    with Session(engine, expire_on_commit=False) as session:
        ward = Ward.build(session, clock)
        set_password(session, ward.admin, ward.chair.name, PASSWORD)
        for _ in range(5):
            with pytest.raises(WrongLogin):
                sign_in(session, clock, ward.org, ward.chair.name, "x", address=STRANGER)

    # another replica, or the same one after a restart
    with Session(engine, expire_on_commit=False) as another, pytest.raises(SignInHeld):
        sign_in(another, clock, ward.org, ward.chair.name, address=STRANGER)


def test_a_name_held_from_many_addresses_stays_open_where_its_officer_signed_in_before(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    chair = ward.chair
    set_password(session, ward.admin, chair.name, PASSWORD)
    for network in range(20):  # 100 guesses from 20 IPv6 /64s: one household's /56
        for _ in range(5):
            with pytest.raises(WrongLogin):
                sign_in(
                    session, clock, ward.org, chair.name, "x", address=f"2001:db8:{network}::1"
                )

    with pytest.raises(SignInHeld):  # a browser she never used
        sign_in(session, clock, ward.org, chair.name)
    assert chair.id is not None
    with pytest.raises(WrongLogin):  # her browser, a wrong password: counted as ever
        sign_in_with_password(
            session, clock, organization_id=ward.org.id or 0, name=chair.name, password="y",
            address=HOME, known=[chair.id],
        )  # fmt: skip
    signed = sign_in_with_password(
        session, clock, organization_id=ward.org.id or 0, name=chair.name, password=PASSWORD,
        address=HOME, known=[chair.id],
    )  # fmt: skip
    with pytest.raises(SignInHeld):  # her browser does not open another officer's name
        sign_in_with_password(
            session, clock, organization_id=ward.org.id or 0, name=chair.name, password=PASSWORD,
            address=HOME, known=[ward.admin.id or 0],
        )  # fmt: skip

    assert signed.officer.id == chair.id


def test_a_flood_of_new_names_does_not_free_the_held(
    session: Session, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.admin, ward.chair.name, PASSWORD)
    for _ in range(5):
        with pytest.raises(WrongLogin):
            sign_in(session, clock, ward.org, ward.chair.name, "x", address=STRANGER)
    monkeypatch.setattr(sign_in_holds, "MAX_ROWS", 12)
    for number in range(30):  # each new name and address adds three rows
        clock.advance(seconds=1)
        with pytest.raises(WrongLogin):
            sign_in(session, clock, ward.org, f"Người {number}", "x", address=f"10.0.1.{number}")

    assert len(session.exec(select(SignInHold)).all()) == 12
    with pytest.raises(SignInHeld):
        sign_in(session, clock, ward.org, ward.chair.name, address=STRANGER)


def test_what_is_kept_of_a_failure_is_small_and_bounded(
    session: Session, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    ward = Ward.build(session, clock)
    monkeypatch.setattr(sign_in_holds, "MAX_ROWS", 12)
    for number in range(10):
        with pytest.raises(WrongLogin):
            sign_in(
                session,
                clock,
                ward.org,
                f"{number}" + "x" * 1_000_000,
                "y",
                address=f"10.0.0.{number}",
            )

    rows = session.exec(select(SignInHold)).all()
    assert len(rows) == 12
    assert all(len(row.key) == 64 for row in rows)
    clock.advance(minutes=16)
    with pytest.raises(WrongLogin):
        sign_in(session, clock, ward.org, "Một lần nữa", "y")
    assert len(session.exec(select(SignInHold)).all()) == 3  # the expired ones forgotten


def test_short_passwords_and_unknown_officers_are_refused(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)

    with pytest.raises(PasswordTooShort):
        set_password(session, ward.admin, ward.chair.name, "ngan")
    with pytest.raises(OfficerNotFound):
        set_password(session, ward.admin, "Không Có Ai", PASSWORD)


def test_only_an_admin_sets_a_password(session: Session, clock: FakeClock) -> None:
    # The office's act authorises itself, whoever calls it (it used to take an organization).
    ward = Ward.build(session, clock)
    minh = ward.officer("minh")

    for someone in (ward.chair, minh):
        with pytest.raises(AdminOnly):
            set_password(session, someone, minh.name, PASSWORD)
    session.refresh(minh)
    assert minh.password_hash is None


def test_only_demo_people_can_be_picked(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    assert ward.chair.id is not None

    with pytest.raises(NotDemo):
        sign_in_demo(session, clock, ward.chair.id)
    with pytest.raises(NotDemo):
        sign_in_demo(session, clock, 10_000)


def test_a_session_ends_at_sign_out_new_password_role_change_and_deactivation(
    session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    minh = ward.officer("minh")
    set_password(session, ward.admin, minh.name, PASSWORD)

    signed_out = sign_in(session, clock, ward.org, minh.name).token
    close_session(session, signed_out)
    new_password = sign_in(session, clock, ward.org, minh.name).token
    set_password(session, ward.admin, minh.name, "mat-khau-moi")
    promoted = sign_in(session, clock, ward.org, minh.name, "mat-khau-moi").token
    live = session_officer(session, clock, promoted)
    minh.role = Role.ADMIN
    session.add(minh)
    session.commit()
    promoted_after = session_officer(session, clock, promoted)
    minh.role = Role.OFFICER
    session.add(minh)
    session.commit()
    deactivated = sign_in(session, clock, ward.org, minh.name, "mat-khau-moi").token
    minh.active = False
    session.add(minh)
    session.commit()

    assert live is not None
    assert live.id == minh.id
    assert session_officer(session, clock, signed_out) is None
    assert session_officer(session, clock, new_password) is None
    assert promoted_after is None
    assert session_officer(session, clock, deactivated) is None
    assert session.exec(select(WebSession)).all() == []


def test_a_session_expires_after_two_weeks(session: Session, clock: FakeClock) -> None:
    ward = Ward.build(session, clock)
    set_password(session, ward.admin, ward.chair.name, PASSWORD)
    token = sign_in(session, clock, ward.org, ward.chair.name).token

    clock.advance(days=13)
    still = session_officer(session, clock, token)
    clock.advance(days=2)

    assert still is not None
    assert session_officer(session, clock, token) is None
