"""What happened in the demo ward before today, so that the first click finds it alive: some
tasks done, some in progress, one due this week, a few overdue by days, a blocker, an extension
waiting for the chair, and a reminder with its buttons waiting for the first officer.

The story is told through the real use cases (progress, done, blocker, extension asked and
granted) on a clock set to each event's moment, in order; the messages those events sent at
the time are dropped (they are the past), except the extension request of today. At the end the
reminder engine is planned from the last reminder moment before now (today's 07:30, or the last
working day's), so the first scan sends what the policy sends then: one message per person.

Dates follow today's: the plan's years are shifted into the current year, and each event is
placed relative to today and to the plan's own deadlines, so the demo reads the same on any day
of any year (in the first half year fewer deadlines have passed, so fewer tasks are late).
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import Session, col, delete, select

from locales import N_
from models import (
    Channel,
    Occurrence,
    Officer,
    Outbox,
    OutboxState,
    Plan,
    ReminderPolicy,
    Task,
    TaskStatus,
    TokenSubject,
)
from plans.calendar import WorkingCalendar
from services.access import issue_token
from services.clock import Clock, SteppedClock
from services.messages import Text, shorten, task_buttons
from services.reminding.outbox import notify
from services.reminding.policies import DEFAULT_POLICY, calendar_for
from services.reminding.reminders import reschedule_organization, scan
from services.tracking.extensions import decide_extension, pending_request, request_extension
from services.tracking.tasks import mark_done, record_progress, report_blocker

logger = logging.getLogger(__name__)

WELCOME: Final = N_(
    "Welcome, {name}: this is the demo ward. None of your tasks is due for a reminder today; "
    "here is where they stand:"
)
WELCOME_OPEN: Final = N_("• {code}. {title}: due {due}.")
WELCOME_BLOCKED: Final = N_("• {code}. {title}: blocked, due {due}.")
WELCOME_BUTTONS: Final = N_(
    "The buttons below are for task {code}; write /viec to see all your tasks."
)
HISTORY_DAYS: Final = 120
"""How long before today the demo plan was imported."""
VIA: Final = Channel.WEB


def plan_year(today: date) -> int:
    """The year the demo plan is moved into: the current one."""
    return today.year


def last_reminder_moment(today_now: datetime, calendar: WorkingCalendar) -> datetime:
    """The latest send time on a working day at or before `today_now` (local, aware)."""
    send = DEFAULT_POLICY.send_time
    day = today_now.date()
    if not (calendar.is_working_day(day) and today_now.timetz().replace(tzinfo=None) >= send):
        day = calendar.previous_working_day(day)
    return datetime.combine(day, send, tzinfo=today_now.tzinfo)


@dataclass(frozen=True, slots=True)
class Cast:
    """Who acts in the story: the chair, and the officer answering for each task (by code)."""

    chair: Officer
    officer_of: dict[str, Officer]


@dataclass
class _Story:
    """Events to play, each at its moment (local time), in order."""

    zone: ZoneInfo
    events: list[tuple[datetime, int, Callable[[Clock], object]]] = field(default_factory=list)

    def at(self, day: date, hour: int, action: Callable[[Clock], object]) -> None:
        moment = datetime.combine(day, time(hour, len(self.events) % 60), tzinfo=self.zone)
        self.events.append((moment, len(self.events), action))

    def play(self, clock: SteppedClock, until: datetime) -> int:
        played = 0
        for moment, _order, action in sorted(self.events, key=lambda e: (e[0], e[1])):
            if moment >= until:
                continue
            clock.move_to(moment)
            action(clock)
            played += 1
        return played


def tell(session: Session, clock: Clock, org_id: int, cast: Cast) -> datetime:
    """Play the demo ward's past up to now and plan its reminders; returns the reminder moment
    whose messages are waiting. Commits."""
    now = clock.now().astimezone(clock.zone)
    today = now.date()
    calendar = calendar_for(session, org_id)
    reminder = last_reminder_moment(now, calendar)
    due, occurrence = _tasks(session, org_id)
    start = today - timedelta(days=HISTORY_DAYS)
    story = _Story(clock.zone)

    def done(code: str, day: date) -> None:
        story.at(
            day, 16, lambda c: mark_done(session, c, _who(cast, code), occurrence[code], via=VIA)
        )

    def progress(code: str, day: date, percent: int, comment: str) -> None:
        story.at(
            day,
            15,
            lambda c: record_progress(
                session, c, _who(cast, code), occurrence[code], percent=percent, comment=comment,
                via=VIA,
            ),
        )  # fmt: skip

    def extended(code: str, day: date, until: date, reason: str) -> None:
        """Asked on `day`, granted by the chair the next morning."""
        story.at(
            day,
            9,
            lambda c: request_extension(
                session, c, _who(cast, code), occurrence[code], until=until, reason=reason,
                via=VIA,
            ),
        )  # fmt: skip
        story.at(day + timedelta(days=1), 10, lambda c: _grant(session, c, cast, occurrence[code]))

    def in_past(day: date) -> date:
        """`day`, or a day soon after the import when it came before it."""
        return max(day, start + timedelta(days=2))

    # 6 (Quý III of the year before): late, moved by the chair, late again by three working
    # days: its overdue reminder is the first officer's message waiting today.
    late_6 = calendar.add_working_days(reminder.date(), -3)
    extended("6", start + timedelta(days=2), late_6, "Chờ hướng dẫn của Phòng Nội vụ")
    progress("6", late_6 - timedelta(days=6), 80, "Đã có dự thảo, đang xin ý kiến")

    # 7 (Quý III): late by five working days after its extension, when its quarter has passed.
    late_7 = calendar.add_working_days(reminder.date(), -5)
    if due["7"] < late_7:
        extended("7", in_past(due["7"] - timedelta(days=3)), late_7, "Đang tổng hợp số liệu")
    else:
        progress("7", today - timedelta(days=9), 40, "Đã lập đề cương báo cáo")

    # 1 (Quý I): late by a working day, and a second extension asked today, waiting for the
    # chair with its two buttons.
    late_1 = calendar.add_working_days(reminder.date(), -1)
    if due["1"] < late_1:
        extended("1", in_past(due["1"] - timedelta(days=2)), late_1, "Chờ kinh phí in tài liệu")
    current_1 = max(due["1"], late_1) if due["1"] < late_1 else due["1"]

    # 4 (Quý II): due this week once its quarter has passed, nearly done.
    this_week = _end_of_week(today, calendar)
    if due["4"] < today:
        extended("4", in_past(due["4"] - timedelta(days=4)), this_week, "Chờ số liệu khảo sát")
        progress("4", today - timedelta(days=3), 70, "Đã xong phần đánh giá")
    else:
        progress("4", today - timedelta(days=5), 20, "Đang thu thập số liệu")

    # 2 and 3 (Quý II): done on time, or one done early while the quarter runs.
    if due["2"] < today:
        done("2", in_past(due["2"] - timedelta(days=6)))
        done("3", in_past(due["3"] - timedelta(days=1)))
    else:
        done("2", today - timedelta(days=10))
        progress("3", today - timedelta(days=4), 50, "Đã phân tích xong hai chỉ số")

    # The year's tasks: under way, one done early, one blocked.
    progress("5", today - timedelta(days=20), 30, "Đã ban hành kế hoạch đánh giá")
    progress("8", today - timedelta(days=12), 60, "Đã tổng hợp báo cáo các tổ dân phố")
    progress("10", today - timedelta(days=30), 25, "")
    done("11", today - timedelta(days=8))
    story.at(
        today - timedelta(days=6),
        14,
        lambda c: report_blocker(
            session, c, _who(cast, "9"), occurrence["9"],
            reason="Chưa bố trí được hội trường cho hội nghị đối thoại", via=VIA,
        ),
    )  # fmt: skip

    history = SteppedClock(now, clock.zone)
    played = story.play(history, until=now)
    # What those events told people then is the past: only today's messages are waiting.
    session.execute(delete(Outbox).where(col(Outbox.organization_id) == org_id))
    session.commit()

    asked = min(now - timedelta(minutes=1), reminder + timedelta(hours=2))
    history.move_to(asked)
    request_extension(
        session, history, _who(cast, "1"), occurrence["1"],
        until=calendar.add_working_days(max(current_1, today), 7),
        reason="Chờ Phòng Nội vụ góp ý dự thảo kế hoạch tuyên truyền", via=VIA,
    )  # fmt: skip

    # The story moved the weekly summary along; it is planned afresh, as every reminder is.
    session.execute(
        update(ReminderPolicy)
        .where(col(ReminderPolicy.organization_id) == org_id)
        .values(next_summary_at=None)
    )
    before = SteppedClock(reminder - timedelta(minutes=1), clock.zone)
    reschedule_organization(session, before, org_id)
    session.commit()
    result = scan(session, clock)
    greeted = _greet_the_quiet(session, clock, cast, occurrence)
    session.commit()
    logger.info(
        "demo story: %d events, reminders of %s waiting (%d digests, %d welcomes)",
        played,
        reminder.isoformat(),
        result.digests,
        greeted,
    )
    return reminder


def _greet_the_quiet(
    session: Session, clock: Clock, cast: Cast, occurrence: dict[str, int]
) -> int:
    """Everyone in the picker finds a message: a demo officer the policy tells nothing today
    (their tasks due in some weeks, or blocked) is welcomed with their open tasks and the
    buttons of the most urgent one. Returns how many were welcomed."""
    waiting = set(
        session.exec(select(Outbox.officer_id).where(Outbox.state == OutboxState.PENDING))
    )
    codes_of: dict[int, list[str]] = {}
    officers: dict[int, Officer] = {}
    for code, officer in cast.officer_of.items():
        assert officer.id is not None
        officers[officer.id] = officer
        codes_of.setdefault(officer.id, []).append(code)
    greeted = 0
    for officer_id, codes in codes_of.items():
        if officer_id in waiting:
            continue
        rows = session.exec(
            select(Occurrence, Task)
            .join(Task, col(Task.id) == Occurrence.task_id)
            .where(
                col(Occurrence.id).in_([occurrence[code] for code in codes]),
                col(Occurrence.status).in_([TaskStatus.OPEN, TaskStatus.BLOCKED]),
            )
        ).all()
        if not rows:
            continue
        rows = sorted(rows, key=lambda row: (row[0].due or date.max, row[1].position))
        officer = officers[officer_id]
        lines = [Text(WELCOME, {"name": officer.name})]
        for open_, task in rows:
            lines.append(
                Text(
                    WELCOME_BLOCKED if open_.status is TaskStatus.BLOCKED else WELCOME_OPEN,
                    {
                        "code": task.code,
                        "title": shorten(task.title, 80),
                        "due": open_.due or "—",
                    },
                )
            )
        first, task = rows[0]
        assert first.id is not None
        lines.append(Text(WELCOME_BUTTONS, {"code": task.code}))
        token = issue_token(
            session, clock, officer, TokenSubject.OCCURRENCE, occurrence_id=first.id
        )
        notify(
            session,
            clock.now(),
            officer,
            key="demo-welcome",
            lines=lines,
            buttons=task_buttons(token),
        )
        greeted += 1
    return greeted


def _who(cast: Cast, code: str) -> Officer:
    return cast.officer_of[code]


def _grant(session: Session, clock: Clock, cast: Cast, occurrence_id: int) -> None:
    """The chair grants the extension asked for this occurrence."""
    request = pending_request(session, occurrence_id)
    assert request is not None
    decide_extension(session, clock, cast.chair, request, grant=True, via=VIA)


def _plan_ids(session: Session, org_id: int) -> list[int]:
    return [
        plan_id
        for plan_id in session.exec(select(Plan.id).where(Plan.organization_id == org_id))
        if plan_id is not None
    ]


def _tasks(session: Session, org_id: int) -> tuple[dict[str, date], dict[str, int]]:
    """Each task's due date as imported and its (only) occurrence, by code."""
    due: dict[str, date] = {}
    occurrence: dict[str, int] = {}
    rows = session.exec(
        select(col(Task.code), col(Occurrence.id), col(Occurrence.due))
        .join(Task, col(Task.id) == Occurrence.task_id)
        .where(col(Task.plan_id).in_(_plan_ids(session, org_id)))
    ).all()
    for code, occurrence_id, day in rows:
        assert occurrence_id is not None
        assert day is not None
        due[code] = day
        occurrence[code] = occurrence_id
    return due, occurrence


def _end_of_week(today: date, calendar: WorkingCalendar) -> date:
    """The last working day of this week, when one is still to come; else two working days on."""
    sunday = today + timedelta(days=6 - today.weekday())
    last = calendar.on_or_before_working_day(sunday)
    return last if last >= today else calendar.add_working_days(today, 2)
