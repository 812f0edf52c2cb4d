"""Closing from a task's page closes the period "việc 5 xong" and `dondoc tasks done` close
(`services/tracking/closing.py`; the same tasks in `tests/support/closing.py`)."""

from datetime import date

from sqlmodel import Session

from models import TaskStatus
from tests.integration.bot.web.conftest import Browser
from tests.support.clock import FakeClock
from tests.support.closing import quarterly_open
from tests.support.reopening import done_shares, statuses
from tests.support.ward import Ward


async def test_a_quarterly_task_closes_its_quarter_that_counts(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = quarterly_open(ward)
    clock.advance(days=60)  # 2 May 2025: the first quarter is overdue
    await browser.sign_in(ward.chair)
    await browser.post(f"/tasks/{task.id}/done", {"unit": ward.vhxh.name})
    assert statuses(session, task) == (
        TaskStatus.OPEN,
        [TaskStatus.DONE, TaskStatus.OPEN, TaskStatus.OPEN, TaskStatus.OPEN],
    )


async def test_the_admin_closes_every_unit_not_only_her_own(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    """Without a unit named, the whole task, as `dondoc tasks done` and reopening read it (the
    web closed only the share of the admin's own unit)."""
    task = ward.task("6", "Tổng kết", leads=(ward.van_phong, ward.vhxh), due=date(2025, 3, 10))
    await browser.sign_in(ward.admin)
    await browser.post(f"/tasks/{task.id}/done", {})
    assert statuses(session, task) == (TaskStatus.DONE, [TaskStatus.DONE])
    assert done_shares(session, task) == sorted(
        [(task.due, ward.van_phong.id), (task.due, ward.vhxh.id)], key=lambda s: s[1] or 0
    )


async def test_an_officer_closes_his_own_units_share(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = ward.task("6", "Tổng kết", leads=(ward.van_phong, ward.vhxh), due=date(2025, 3, 10))
    await browser.sign_in(ward.officer("minh"))
    await browser.post(f"/tasks/{task.id}/done", {})
    assert done_shares(session, task) == [(task.due, ward.vhxh.id)]
