"""Reopening from a task's page does what `/mo` and `dondoc tasks reopen` do
(`services/tracking/reopening.py`; the same tasks in `tests/support/reopening.py`)."""

from sqlmodel import Session

from models import TaskStatus
from tests.integration.bot.web.conftest import Browser
from tests.support.clock import FakeClock
from tests.support.reopening import (
    QUARTERS,
    cancelled_after_a_done_quarter,
    done_shares,
    led_by_the_office,
    quarterly_part_done,
    statuses,
)
from tests.support.ward import Ward


async def test_a_quarter_one_unit_finished_is_reopened_not_the_last_quarter(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = quarterly_part_done(ward, session, clock)
    await browser.sign_in(ward.chair)
    await browser.post(f"/tasks/{task.id}/reopen", {})
    assert "Việc đã được mở lại" in (await browser.get(f"/tasks/{task.id}")).text
    assert done_shares(session, task) == []


async def test_the_admin_reopens_every_unit_not_only_her_own(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = led_by_the_office(ward, session, clock)
    await browser.sign_in(ward.admin)
    await browser.post(f"/tasks/{task.id}/reopen", {})
    assert done_shares(session, task) == []
    assert statuses(session, task) == (TaskStatus.OPEN, [TaskStatus.OPEN])


async def test_a_unit_named_reopens_that_unit_alone(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = led_by_the_office(ward, session, clock)
    await browser.sign_in(ward.admin)
    await browser.post(f"/tasks/{task.id}/reopen", {"unit": ward.vhxh.name})
    assert done_shares(session, task) == [(task.due, ward.van_phong.id)]


async def test_a_cancelled_task_with_a_done_quarter_is_uncancelled(
    browser: Browser, ward: Ward, session: Session, clock: FakeClock
) -> None:
    task = cancelled_after_a_done_quarter(ward, session, clock)
    await browser.sign_in(ward.chair)
    await browser.post(f"/tasks/{task.id}/reopen", {})
    assert statuses(session, task) == (TaskStatus.OPEN, [TaskStatus.DONE, TaskStatus.OPEN])
    assert done_shares(session, task) == [(QUARTERS[0], ward.vhxh.id)]
