"""The database itself refuses what must never be stored twice or stored wrong."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError, StatementError
from sqlmodel import Session, select

from models import (
    Channel,
    ChannelIdentity,
    Officer,
    Organization,
    Outbox,
    OutboxKind,
    OutboxState,
    Role,
)

NOW = datetime(2025, 3, 3, 1, 0, tzinfo=UTC)


def _ward(session: Session) -> tuple[Organization, Officer]:
    org = Organization(name="Phường Bắc Sơn", created_at=NOW)
    session.add(org)
    session.flush()
    assert org.id is not None
    officer = Officer(organization_id=org.id, name="Minh", role=Role.OFFICER, created_at=NOW)
    session.add(officer)
    session.commit()
    return org, officer


def test_a_chat_account_binds_to_one_officer_per_channel(session: Session) -> None:
    _, officer = _ward(session)
    assert officer.id is not None
    for _ in range(2):
        session.add(
            ChannelIdentity(
                officer_id=officer.id,
                channel=Channel.TELEGRAM,
                external_id="42",
                chat_id="42",
                bound_at=NOW,
            )
        )
    with pytest.raises(IntegrityError):
        session.commit()


def test_outbox_idempotency_key_is_unique(session: Session) -> None:
    org, officer = _ward(session)
    assert org.id is not None
    assert officer.id is not None
    for _ in range(2):
        session.add(
            Outbox(
                organization_id=org.id,
                officer_id=officer.id,
                kind=OutboxKind.REMINDER,
                idempotency_key="reminder:1:1:7",
                scheduled_for=NOW,
                created_at=NOW,
            )
        )
    with pytest.raises(IntegrityError):
        session.commit()


def test_naive_datetimes_are_refused(session: Session) -> None:
    session.add(Organization(name="Xã Naive", created_at=datetime(2025, 1, 1)))  # noqa: DTZ001
    with pytest.raises(StatementError, match="naive datetime"):
        session.commit()


def test_datetimes_come_back_aware_in_utc(session: Session) -> None:
    local = datetime(2025, 3, 3, 8, 0, tzinfo=UTC) + timedelta(hours=7)
    org = Organization(name="Xã Múi Giờ", created_at=local)
    session.add(org)
    session.commit()
    session.expire_all()
    stored = session.exec(select(Organization).where(Organization.name == "Xã Múi Giờ")).one()
    assert stored.created_at == local
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)


def test_enums_are_stored_as_their_values(session: Session) -> None:
    org, officer = _ward(session)
    assert org.id is not None
    assert officer.id is not None
    session.add(
        Outbox(
            organization_id=org.id,
            officer_id=officer.id,
            kind=OutboxKind.DIGEST,
            idempotency_key="digest:1",
            scheduled_for=NOW,
            created_at=NOW,
        )
    )
    session.commit()
    raw = session.connection().exec_driver_sql("SELECT kind, state FROM outbox").one()
    assert tuple(raw) == ("digest", "pending")
    row = session.exec(select(Outbox)).one()
    assert row.state is OutboxState.PENDING


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(Officer(organization_id=999, name="Ai", created_at=NOW))
    with pytest.raises(IntegrityError):
        session.commit()
