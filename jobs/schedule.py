"""The few fixed APScheduler jobs of dondoc, in a memory job store rebuilt at every start (the
database is the only truth): the scan every minute, the dispatcher every few seconds, the daily
re-planning and the weekly clean-up. Never one job per task or per reminder.
"""

from pathlib import Path
from typing import TYPE_CHECKING

from jobs.dispatch import Dispatcher
from jobs.runner import JobRunner
from services.clock import Clock
from services.reminding.housekeeping import forget_old, replan_all
from services.reminding.reminders import scan
from services.reporting.obligations import queue_report_drafts

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

JOB_DEFAULTS = {"coalesce": True, "max_instances": 1, "misfire_grace_time": 3600}


def build_scheduler(
    runner: JobRunner,
    clock: Clock,
    dispatcher: Dispatcher,
    *,
    timezone: str,
    scan_seconds: float = 60.0,
    dispatch_seconds: float = 5.0,
    evidence: Path | None = None,
) -> "AsyncIOScheduler":
    """An (unstarted) scheduler with dondoc's fixed jobs; the weekly one also clears the
    `evidence` store of the files nothing names."""
    from apscheduler.jobstores.memory import MemoryJobStore
    from apscheduler.schedulers.asyncio import AsyncIOScheduler

    scheduler = AsyncIOScheduler(
        jobstores={"default": MemoryJobStore()}, job_defaults=JOB_DEFAULTS, timezone=timezone
    )
    scheduler.add_job(runner.run, "interval", args=[scan, clock], seconds=scan_seconds, id="scan")
    scheduler.add_job(
        dispatcher.run_until_idle, "interval", seconds=dispatch_seconds, id="dispatch"
    )
    scheduler.add_job(runner.run, "cron", args=[replan_all, clock], hour=5, minute=0, id="daily")
    scheduler.add_job(
        runner.run, "cron", args=[queue_report_drafts, clock], hour="6-17", minute=5,
        id="report-drafts",
    )  # fmt: skip
    scheduler.add_job(
        runner.run, "cron", args=[forget_old, clock], kwargs={"evidence": evidence},
        day_of_week="sun", hour=3, id="weekly",
    )  # fmt: skip
    return scheduler
