"""A required report's draft reaches the units that owe it a few working days before it is
due, once, with the plan's draft attached when it is sent."""

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from jobs.senders import RecordingSender
from models import (
    Channel,
    ChannelIdentity,
    Officer,
    Organization,
    Outbox,
    OutboxKind,
    Role,
)
from plans.importer import import_plan
from reports.period import parse_period
from services.importing.imports import confirm_import
from services.people.officers import add_officer
from services.people.organizations import create_organization
from services.reminding.policies import parse_changes
from services.reminding.rules import set_policy
from services.reporting.obligations import queue_report_drafts, report_period
from tests.support.clock import HCM, FakeClock
from tests.support.documents import docx_text
from tests.support.ward import the_office


def _seed_003(session: Session, clock: FakeClock, data_dir: Path) -> tuple[Organization, Officer]:
    org = create_organization(session, clock, "Phường Bắc Sơn")
    seed = next((data_dir / "seeds").glob("003_*.txt"))
    office = the_office(session, clock, org)
    confirm_import(
        session, clock, office, import_plan(seed), source_name=seed.name, sha256="3" * 64
    )
    officer = add_officer(
        session, clock, office, "Phạm Văn Minh", unit_names=("Phòng Kinh tế",), role=Role.OFFICER
    )
    add_officer(session, clock, office, "Trần Thị Lan", role=Role.CHAIR)
    assert officer.id is not None
    session.add(
        ChannelIdentity(
            officer_id=officer.id,
            channel=Channel.TELEGRAM,
            external_id="minh",
            chat_id="minh",
            bound_at=clock.now(),
        )
    )
    session.commit()
    return org, officer


def _at(clock: FakeClock, day: date) -> None:
    clock.move_to(datetime(day.year, day.month, day.day, 8, 0, tzinfo=HCM))


def _drafts(session: Session) -> list[Outbox]:
    return list(
        session.exec(
            select(Outbox).where(Outbox.kind == OutboxKind.REPORT).order_by(col(Outbox.id))
        )
    )


@pytest.mark.parametrize(
    ("recurrence", "due", "period"),
    [
        ("quarterly", date(2025, 6, 9), "2025-Q2"),
        ("quarterly", date(2025, 7, 5), "2025-Q2"),
        ("quarterly", date(2025, 1, 10), "2024-Q4"),
        ("half_yearly", date(2025, 6, 20), "2025-H1"),
        ("yearly", date(2025, 12, 9), "2025"),
        ("yearly", date(2026, 1, 15), "2025"),
    ],
)
def test_a_report_covers_the_period_it_closes(recurrence: str, due: date, period: str) -> None:
    assert report_period(recurrence, due) == parse_period(period)


def test_the_units_owing_a_report_get_its_draft_three_working_days_before(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    _org, officer = _seed_003(session, clock, data_dir)
    _at(clock, date(2025, 6, 3))  # Tuesday; due Monday 09/06: 4 working days ahead
    assert queue_report_drafts(session, clock) == 0
    _at(clock, date(2025, 6, 4))  # 3 working days ahead: Thursday, Friday, Monday
    assert queue_report_drafts(session, clock) == 1  # the quarterly report, to Minh
    assert queue_report_drafts(session, clock) == 0  # once
    _at(clock, date(2025, 6, 5))
    assert queue_report_drafts(session, clock) == 0
    drafts = _drafts(session)
    assert {row.officer_id for row in drafts} >= {officer.id}
    quarterly = next(row for row in drafts if row.officer_id == officer.id)
    assert quarterly.payload["report"] == {
        "plan_id": quarterly.payload["report"]["plan_id"],  # type: ignore[index]
        "period": "2025-Q2",
        "kind": "docx",
    }


def test_a_policy_of_zero_days_sends_no_draft(
    session: Session, clock: FakeClock, data_dir: Path
) -> None:
    org, _officer = _seed_003(session, clock, data_dir)
    admin = add_officer(
        session, clock, the_office(session, clock, org), "Vũ Thu Hà", role=Role.ADMIN
    )
    set_policy(session, clock, admin, parse_changes({"report_draft_days": "0"}))
    _at(clock, date(2025, 6, 6))
    assert queue_report_drafts(session, clock) == 0


async def test_the_draft_is_attached_when_the_reminder_is_sent(
    engine: Engine, session: Session, clock: FakeClock, data_dir: Path
) -> None:
    _org, officer = _seed_003(session, clock, data_dir)
    _at(clock, date(2025, 6, 5))
    queue_report_drafts(session, clock)
    sender = RecordingSender()
    await Dispatcher(JobRunner(engine), clock, {Channel.TELEGRAM: sender}).run_until_idle()
    mine = [d for d in sender.deliveries if d.recipient.officer_id == officer.id]
    assert mine
    attachment = mine[0].reply.attachment
    assert attachment is not None
    assert attachment.file_name.endswith("-2025-Q2.docx")
    assert attachment.link is not None  # where Zalo links it, on the web pages
    assert attachment.link.endswith("/docx?period=2025-Q2")
    assert attachment.link.startswith("/reports/")
    assert "quý II năm 2025" in mine[0].text
    text = docx_text(attachment.content)
    assert "BÁO CÁO" in text
    assert "quý II năm 2025" in text
