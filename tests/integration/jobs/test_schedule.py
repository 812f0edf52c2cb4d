"""The scheduler holds a few fixed jobs, whatever the number of tasks, and each fires when due."""

import os
from datetime import date, datetime, timedelta
from pathlib import Path

import time_machine
from sqlalchemy import Engine
from sqlmodel import Session, select

from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from jobs.schedule import build_scheduler
from jobs.senders import RecordingSender
from models import Channel, Occurrence
from services.reminding.housekeeping import forget_old, replan_all
from services.reminding.reminders import schedule_occurrences
from services.tracking.evidence import UNCLAIMED_GRACE, keep_file
from tests.support.clock import HCM, FakeClock
from tests.support.ward import Ward


async def test_a_few_fixed_jobs_whatever_the_number_of_tasks(
    engine: Engine, session: Session, clock: FakeClock
) -> None:
    ward = Ward.build(session, clock)
    for number in range(30):
        ward.task(str(number), f"Việc {number}", due=date(2025, 4, 1))
    runner = JobRunner(engine)
    dispatcher = Dispatcher(runner, clock, {Channel.CONSOLE: RecordingSender()})
    with time_machine.travel(datetime(2025, 3, 3, 8, 0, tzinfo=HCM), tick=False):
        scheduler = build_scheduler(runner, clock, dispatcher, timezone=HCM.key)
        scheduler.start(paused=True)
        jobs = {job.id: job for job in scheduler.get_jobs()}
        scheduler.shutdown(wait=False)
        assert sorted(jobs) == ["daily", "dispatch", "report-drafts", "scan", "weekly"]
        assert all(job.coalesce and job.max_instances == 1 for job in jobs.values())
        now = datetime.now(HCM)
        assert jobs["daily"].trigger.get_next_fire_time(None, now) == datetime(
            2025, 3, 4, 5, 0, tzinfo=HCM
        )
        assert jobs["report-drafts"].trigger.get_next_fire_time(None, now) == datetime(
            2025, 3, 3, 8, 5, tzinfo=HCM
        )
        assert jobs["weekly"].trigger.get_next_fire_time(None, now) == datetime(
            2025, 3, 9, 3, 0, tzinfo=HCM
        )
        scan_next = jobs["scan"].trigger.get_next_fire_time(None, now)
        assert (scan_next - now).total_seconds() == 60


def test_daily_replanning_follows_a_newly_announced_day_off(
    session: Session, clock: FakeClock
) -> None:
    from models import CalendarDay

    ward = Ward.build(session, clock)
    ward.task("1", "Báo cáo", due=date(2025, 3, 20))
    schedule_occurrences(session, clock, session.exec(select(Occurrence)).all())
    session.commit()
    occurrence = session.exec(select(Occurrence)).one()
    assert occurrence.next_reminder_at == datetime(2025, 3, 6, 7, 30, tzinfo=HCM)
    assert ward.org.id is not None
    session.add(CalendarDay(organization_id=ward.org.id, day=date(2025, 3, 6), working=False,
                            reason="Nghỉ bù"))  # fmt: skip
    session.commit()
    assert replan_all(session, clock).ran
    session.refresh(occurrence)
    assert occurrence.next_reminder_at == datetime(2025, 3, 5, 7, 30, tzinfo=HCM)
    assert forget_old(session, clock).ran


async def test_the_weekly_job_clears_the_evidence_store_of_what_nothing_names(
    engine: Engine, clock: FakeClock, tmp_path: Path
) -> None:
    store = tmp_path / "evidence"
    orphan = keep_file(store, b"a which-task question never answered")
    then = (datetime.now().astimezone() - UNCLAIMED_GRACE - timedelta(hours=1)).timestamp()
    os.utime(store / orphan[:2] / orphan, (then, then))
    fresh = keep_file(store, b"kept a moment ago")
    runner = JobRunner(engine)
    dispatcher = Dispatcher(runner, clock, {Channel.CONSOLE: RecordingSender()})
    scheduler = build_scheduler(runner, clock, dispatcher, timezone=HCM.key, evidence=store)
    weekly = scheduler.get_job("weekly")
    assert (await weekly.func(*weekly.args, **weekly.kwargs)).ran
    assert not (store / orphan[:2] / orphan).exists()
    assert (store / fresh[:2] / fresh).exists()


def test_the_app_gives_the_weekly_job_the_evidence_store_it_keeps_files_in(
    engine: Engine, clock: FakeClock
) -> None:
    from dondoc.app import EVIDENCE_DIR, _reminders

    scheduler = _reminders(JobRunner(engine), clock, {}, 60.0, timezone=HCM.key, ceilings={})
    weekly = scheduler.get_job("weekly")
    assert tuple(weekly.args) == (forget_old, clock)
    assert weekly.kwargs == {"evidence": EVIDENCE_DIR}
