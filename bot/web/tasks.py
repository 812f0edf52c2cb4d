"""Tasks one at a time on the web: a task's page (its requirement, note, the row as the plan
prints it, each lead unit's share, its history) and, for the chair and the admins, giving a task,
re-dating, assigning, closing a unit's share, cancelling and reopening it. A deadline typed as a
phrase is shown back as a date, to confirm, before anything is stored."""

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.dashboard import CHANNEL_NAMES, EVENT_NAMES, STATUS_NAMES
from bot.web.forms import form_text, submit
from bot.web.pages import flash, me, refuse, render, see_other, web_of
from locales import N_
from models import Channel, Officer
from plans.deadlines import Deadline
from services.clock import Clock
from services.errors import DomainError
from services.messages import Text
from services.people.units import unit_ids_named
from services.tracking.closing import close_task
from services.tracking.giving import (
    DeadlineMovedSince,
    deadline_as_shown,
    preview_deadline,
    preview_redate,
    redate_as_shown,
    said,
)
from services.tracking.handmade import assign, cancel, give_task, redate
from services.tracking.reopening import Reopened, reopen_task
from services.tracking.task_changes import Given
from services.tracking.task_page import task_page
from services.tracking.tasks import TaskRef

ACTIONS = frozenset(("assign", "cancel", "done", "reopen"))


async def page(request: Request) -> Response:
    """A task's page: what it asks, who leads it (each unit's share) and its history."""
    officer = await me(request)
    if officer is None:
        return see_other("/login")
    web = web_of(request)
    try:
        shown = await web.runner.run(
            task_page, web.clock, officer, int(request.path_params["task"])
        )
    except DomainError as error:
        return refuse(request, officer, error)
    return render(
        request,
        "task.page.html",
        officer,
        row=shown.row,
        task=shown.history,
        units=shown.units,
        event_names=EVENT_NAMES,
        channel_names=CHANNEL_NAMES,
        status_names={s.value: n for s, n in STATUS_NAMES.items()},
    )


def _unit_ids(session: Session, actor: Officer, names: list[str]) -> list[int]:
    """The units a form names (its blank choices left out)."""
    return unit_ids_named(session, actor, [name for name in names if name.strip()])


def _give(
    session: Session,
    clock: Clock,
    actor: Officer,
    title: str,
    units: list[str],
    coordinators: list[str],
    deadline: Deadline | None,
) -> Given:
    return give_task(
        session,
        clock,
        actor,
        title=title,
        lead_unit_ids=_unit_ids(session, actor, units),
        coordinator_unit_ids=_unit_ids(session, actor, coordinators),
        deadline=deadline,
        via=Channel.WEB,
    )


async def new(request: Request) -> Response:
    """Give a task by hand (the chair and the admins): the deadline is shown back first."""
    return await submit(request, _new, back="/dashboard")


async def _new(request: Request, officer: Officer, form: FormData) -> Response:
    web = web_of(request)
    title = form_text(form, "title")
    units = [str(v) for v in form.getlist("units")]
    coordinators = [str(v) for v in form.getlist("coordinators")]
    phrase = form_text(form, "due").strip()
    fields: dict[str, object] = {
        "title": title, "units": units, "coordinators": coordinators, "due": phrase,
    }  # fmt: skip
    deadline = None
    if phrase and not form.get("confirm"):
        shown = preview_deadline(web.clock, officer, phrase)
        return _confirm(request, officer, "/tasks/new", fields, shown)
    if phrase:
        try:
            deadline = deadline_as_shown(web.clock, officer, phrase, _shown(form))
        except DeadlineMovedSince as moved:  # shown again, with the date it names now
            flash(request, moved)
            return _confirm(request, officer, "/tasks/new", fields, moved.deadline)
    given = await web.runner.run(_give, web.clock, officer, title, units, coordinators, deadline)
    flash(request, Text(N_("Task {code} is given; its officers are told."), {"code": given.code}))
    return see_other(f"/tasks/{given.task_id}")


async def due(request: Request) -> Response:
    """Re-date a task: the new date is shown back, then stored."""
    return await submit(request, _due, back=f"/tasks/{int(request.path_params['task'])}")


async def _due(request: Request, officer: Officer, form: FormData) -> Text | Response:
    web = web_of(request)
    task_id = int(request.path_params["task"])
    phrase = form_text(form, "due")
    path = f"/tasks/{task_id}/due"
    if not form.get("confirm"):
        shown = await web.runner.run(preview_redate, web.clock, officer, task_id, phrase)
        return _confirm(request, officer, path, {"due": phrase}, shown.deadline)
    try:
        shown = await web.runner.run(
            redate_as_shown, web.clock, officer, task_id, phrase, _shown(form)
        )
    except DeadlineMovedSince as moved:  # shown again, with the date it names now
        flash(request, moved)
        return _confirm(request, officer, path, {"due": phrase}, moved.deadline)
    given = await web.runner.run(
        redate, web.clock, officer, task_id, deadline=shown.deadline, via=Channel.WEB
    )
    return Text(
        N_("Task {code} is now due {due}."),
        {"code": given.code, "due": given.due or "—"},
    )


def _assign(
    session: Session, clock: Clock, actor: Officer, task_id: int, names: list[str]
) -> object:
    return assign(
        session, clock, actor, task_id, unit_ids=_unit_ids(session, actor, names), via=Channel.WEB
    )


def _done(
    session: Session, clock: Clock, actor: Officer, task_id: int, unit: str | None
) -> TaskRef:
    """Close the task (the named unit's share): `close_task` picks the period."""
    unit_id = _unit_ids(session, actor, [unit])[0] if unit else None
    return close_task(session, clock, actor, task_id, via=Channel.WEB, unit_id=unit_id)


def _reopen(
    session: Session, clock: Clock, actor: Officer, task_id: int, unit: str | None
) -> Reopened:
    unit_id = _unit_ids(session, actor, [unit])[0] if unit else None
    return reopen_task(session, clock, actor, task_id, via=Channel.WEB, unit_id=unit_id)


async def act(request: Request) -> Response:
    """Assign, close a unit's share, cancel or reopen a task (the use cases authorise)."""
    if request.path_params["action"] not in ACTIONS:
        return Response(status_code=404)
    return await submit(request, _act, back=f"/tasks/{int(request.path_params['task'])}")


async def _act(request: Request, officer: Officer, form: FormData) -> Text:
    web = web_of(request)
    task_id = int(request.path_params["task"])
    action = request.path_params["action"]
    unit = form_text(form, "unit") or None
    if action == "assign":
        names = [str(v) for v in form.getlist("units")]
        await web.runner.run(_assign, web.clock, officer, task_id, names)
        return Text(N_("The task's lead units are changed; their officers are told."), {})
    if action == "cancel":
        reason = form_text(form, "reason")
        await web.runner.run(cancel, web.clock, officer, task_id, reason=reason, via=Channel.WEB)
        return Text(N_("The task is cancelled; its officers are told."), {})
    if action == "done":
        await web.runner.run(_done, web.clock, officer, task_id, unit)
        return Text(N_("Recorded as done."), {})
    await web.runner.run(_reopen, web.clock, officer, task_id, unit)
    return Text(N_("The task is open again; reminders resume."), {})


def _confirm(
    request: Request,
    officer: Officer,
    action: str,
    fields: dict[str, object],
    deadline: Deadline,
) -> Response:
    hidden: list[tuple[str, str]] = [("shown", said(deadline.due))]
    for name, value in fields.items():
        if isinstance(value, list):
            hidden.extend((name, str(item)) for item in value)
        else:
            hidden.append((name, str(value)))
    return render(
        request, "confirm_due.page.html", officer, action=action, hidden=hidden,
        phrase=deadline.text, due=deadline.due,
    )  # fmt: skip


def _shown(form: FormData) -> str | None:
    """The date the confirmed form said (None: it said none)."""
    shown = form.get("shown")
    return shown if isinstance(shown, str) else None


def routes() -> list[Route]:
    """The task routes."""
    return [
        Route("/tasks/new", new, methods=["POST"]),
        Route("/tasks/{task:id}", page, methods=["GET"]),
        Route("/tasks/{task:id}/due", due, methods=["POST"]),
        Route("/tasks/{task:id}/{action:str}", act, methods=["POST"]),
    ]
