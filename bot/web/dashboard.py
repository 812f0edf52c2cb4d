"""The chair's dashboard: where the ward's work stands, what is late, what is blocked, which
extensions wait for an answer; and each task's history."""

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.forms import form_text, submit
from bot.web.pages import (
    CSRF_PLACEHOLDER,
    me,
    me_with,
    page_around,
    refuse,
    render,
    render_fragment,
    see_other,
    web_of,
)
from locales import N_
from models import Channel, Officer, TaskStatus
from reports.wording import show_rate
from services.clock import local_today
from services.errors import DomainError
from services.messages import Text
from services.tracking.board import read_board
from services.tracking.board_store import keep_board, stored_board
from services.tracking.extensions import decide_extension
from services.tracking.queries import (
    Summary,
)
from services.tracking.task_page import occurrence_history

REPO_ROOT: Final = Path(__file__).resolve().parents[2]
BUILD_SOURCES: Final = tuple(
    REPO_ROOT / name for name in ("bot/web", "services", "reports", "plans", "locales", "models")
)
BUILD_SUFFIXES: Final = (".py", ".html", ".po", ".mo", ".json", ".toml")  # code, words, days off

STATUS_NAMES = {
    TaskStatus.OPEN: N_("open"),
    TaskStatus.DONE: N_("done"),
    TaskStatus.BLOCKED: N_("blocked"),
    TaskStatus.AWAITING_DIRECTION: N_("awaiting direction"),
    TaskStatus.CANCELLED: N_("cancelled"),
}
EVENT_NAMES = {
    "created": N_("created"),
    "updated": N_("changed by a new version of the plan"),
    "done": N_("marked done"),
    "reopened": N_("reopened"),
    "progress": N_("progress reported"),
    "blocker_reported": N_("blocker reported"),
    "blocker_resolved": N_("blocker resolved"),
    "extension_requested": N_("extension requested"),
    "extension_granted": N_("extension granted"),
    "extension_denied": N_("extension denied"),
    "snoozed": N_("reminders paused"),
    "comment": N_("comment"),
    "evidence": N_("evidence attached"),
    "reminded": N_("reminded"),
    "cancelled": N_("cancelled"),
    "redated": N_("deadline changed"),
    "reassigned": N_("lead units changed"),
}
CHANNEL_NAMES = {
    "telegram": N_("Telegram"),
    "zalo": N_("Zalo"),
    "web": N_("web"),
    "console": N_("command line"),
}


async def page(request: Request) -> Response:
    """The dashboard (the chair and the admins): its body as stored for the ward, this view,
    today and the ward's change stamp, else read, rendered and stored for the next load."""
    web = web_of(request)
    today = local_today(web.clock)

    def stored(session: Session, officer: Officer, locale: str) -> tuple[str, int, str | None]:
        view = f"{officer.role.value}:{locale}"
        return view, *stored_board(session, officer, view, today, build())

    officer, found = await me_with(request, stored)
    if officer is None:
        return see_other("/login")
    if isinstance(found, DomainError):
        return refuse(request, officer, found)
    assert found is not None
    view, version, body = found
    if body is None:
        try:
            board = await web.runner.run(read_board, web.clock, officer)
        except DomainError as error:
            return refuse(request, officer, error)
        body = render_fragment(
            request,
            "dashboard.board.html",
            officer,
            csrf=CSRF_PLACEHOLDER,
            board=board,
            today=today,
            status_names=STATUS_NAMES,
            chart=_chart(board.summary),
            unit_rates={tally.name: tally for tally in board.rates.units},
            officer_rates={tally.name: tally for tally in board.rates.officers},
            show_rate=show_rate,
        )
        await web.runner.run(keep_board, officer, view, today, build(), version, body)
    return page_around(request, "dashboard.page.html", officer, "board_html", body)


@functools.cache
def build() -> str:
    """This code's fingerprint: a stored board is served only by the code that rendered it
    (its templates, catalogues and the figures' code), so that replicas of two releases never
    serve each other's pages."""
    digest = hashlib.sha256()
    for folder in BUILD_SOURCES:
        for path in sorted(folder.rglob("*")):
            if path.suffix in BUILD_SUFFIXES and path.is_file():
                digest.update(str(path.relative_to(REPO_ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


async def history(request: Request) -> Response:
    """One task's history, from its events."""
    officer = await me(request)
    if officer is None:
        return see_other("/login")
    web = web_of(request)
    try:
        occurrence_id = int(request.path_params["occurrence"])
        found = await web.runner.run(occurrence_history, officer, occurrence_id)
    except DomainError as error:
        return refuse(request, officer, error)
    return render(
        request,
        "history.page.html",
        officer,
        task=found,
        event_names=EVENT_NAMES,
        channel_names=CHANNEL_NAMES,
        status_names={s.value: n for s, n in STATUS_NAMES.items()},
    )


async def decide(request: Request) -> Response:
    """Grant or deny an extension request."""
    return await submit(request, _decide, back="/dashboard")


async def _decide(request: Request, officer: Officer, form: FormData) -> Text:
    web = web_of(request)
    decision = await web.runner.run(
        decide_extension,
        web.clock,
        officer,
        int(request.path_params["request"]),
        grant=form_text(form, "decision") == "grant",
        via=Channel.WEB,
    )
    msgid = (
        N_("Task {code}: the extension to {date} is granted; {officer} is told.")
        if decision.granted
        else N_("Task {code}: the extension is denied; {officer} is told.")
    )
    return Text(
        msgid,
        {
            "code": decision.task.code,
            "date": decision.until,
            "officer": decision.requester,
        },
    )


@dataclass(frozen=True, slots=True)
class Bar:
    """One unit's bar in the progress chart: widths in percent of the longest bar."""

    unit: str
    done: int
    open: int
    overdue: int
    done_width: float
    open_width: float
    overdue_width: float


def _chart(figures: Summary) -> list[Bar]:
    longest = max((open_ + done for _, open_, done, _ in figures.by_unit), default=0) or 1
    return [
        Bar(
            unit=unit,
            done=done,
            open=open_ - late,
            overdue=late,
            done_width=100 * done / longest,
            open_width=100 * (open_ - late) / longest,
            overdue_width=100 * late / longest,
        )
        for unit, open_, done, late in figures.by_unit
    ]


def routes() -> list[Route]:
    """The dashboard routes."""
    return [
        Route("/dashboard", page, methods=["GET"]),
        Route("/history/{occurrence:id}", history, methods=["GET"]),
        Route("/extensions/{request:id}", decide, methods=["POST"]),
    ]
