"""The office's pages (admins only): officers and invites, units and aliases, the reminder
policy, the working-day calendar. (Importing a plan: `bot/web/plan_import.py`.)"""

import logging
from datetime import date
from functools import partial
from typing import Final, ParamSpec, TypeVar

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.forms import form_text, office_page, submit
from bot.web.pages import me_with, refuse, render, see_other, web_of
from locales import N_
from models import Officer
from services.clock import local_today
from services.errors import DomainError
from services.messages import Text
from services.people.invites import InviteCard, create_invite
from services.people.officers import (
    ROLE_NAMES,
    OfficerView,
    add_officer,
    list_officers,
    role_named,
)
from services.people.organizations import office_of
from services.people.units import UnitView, add_unit, list_units, teach_alias
from services.reminding.policies import (
    CalendarEntry,
    Policy,
    parse_changes,
    show_policy,
    year_entries,
)
from services.reminding.rules import set_day, set_policy

logger = logging.getLogger(__name__)

P = ParamSpec("P")
T = TypeVar("T")

POLICY_FORM: Final = (
    ("offsets", N_("Days before the due date when the lead units are reminded")),
    ("coordinator_offsets", N_("Days before the due date when coordinating units are reminded")),
    ("overdue_every", N_("Working days between overdue reminders")),
    ("escalate_after", N_("Working days overdue before the chair is told")),
    ("send_time", N_("Time reminders are sent (HH:MM)")),
    ("quiet", N_("Quiet hours (HH:MM-HH:MM)")),
)


# --- officers and invites ------------------------------------------------------------------


def _people(session: Session, actor: Officer) -> tuple[list[OfficerView], list[UnitView]]:
    org = office_of(session, actor)
    return list_officers(session, org), list_units(session, org)


def _units(session: Session, actor: Officer) -> list[UnitView]:
    return list_units(session, office_of(session, actor))


def _policy(session: Session, actor: Officer) -> Policy:
    return show_policy(session, office_of(session, actor))


async def people_page(request: Request) -> Response:
    """The officers, a form to add one, and invites."""
    shown = await office_page(request, _people)
    if isinstance(shown, Response):
        return shown
    officer, (officers, units) = shown
    invite = request.session.pop("invite", None)
    if isinstance(invite, dict):
        invite["expires"] = _expiry(invite.get("expires"))
    return render(
        request,
        "people.page.html",
        officer,
        officers=officers,
        units=units,
        roles=ROLE_NAMES,
        invite=invite if isinstance(invite, dict) else None,
    )


def _expiry(value: object) -> object:
    """An invite's last day as the session keeps it (ISO), a date for the page to write in its
    reader's locale (a session written before keeps its text)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value


async def add_person(request: Request) -> Response:
    """Add an officer."""
    return await submit(request, _add_person, back="/admin/people")


async def invite(request: Request) -> Response:
    """Make a one-time invite for an officer and show its link and code."""
    return await submit(request, _invite, back="/admin/people")


async def _add_person(request: Request, officer: Officer, form: FormData) -> Text:
    web = web_of(request)
    role = role_named(form_text(form, "role", "officer"))
    unit = form_text(form, "unit").strip()
    added = await web.runner.run(
        add_officer,
        web.clock,
        officer,
        form_text(form, "name"),
        unit_names=(unit,) if unit else (),
        role=role,
        phone=form_text(form, "phone").strip() or None,
        locale=web.default_locale,  # DONDOC_LOCALE, until they choose with /lang
    )
    return Text(N_("Added {name}."), {"name": added.name})


async def _invite(request: Request, officer: Officer, form: FormData) -> None:
    web = web_of(request)
    card: InviteCard = await web.runner.run(
        create_invite, web.clock, officer, form_text(form, "name")
    )
    request.session["invite"] = {
        "officer": card.officer,
        "link": f"{web.public_url}/login/invite/{card.token}",  # never the request's Host
        "code": card.code,
        "expires": card.expires_at.astimezone(web.clock.zone).date().isoformat(),  # the ward's day
    }


# --- units and aliases ---------------------------------------------------------------------


async def units_page(request: Request) -> Response:
    """The units with their aliases and officers."""
    shown = await office_page(request, _units)
    if isinstance(shown, Response):
        return shown
    officer, units = shown
    return render(request, "units.page.html", officer, units=units)


async def new_unit(request: Request) -> Response:
    """Add a unit."""
    return await submit(request, _new_unit, back="/admin/units")


async def add_alias(request: Request) -> Response:
    """Teach dondoc another printed form of a unit's name."""
    return await submit(request, _add_alias, back="/admin/units")


async def _new_unit(request: Request, officer: Officer, form: FormData) -> Text:
    aliases = tuple(a.strip() for a in form_text(form, "aliases").split(",") if a.strip())
    unit = await web_of(request).runner.run(
        add_unit,
        officer,
        form_text(form, "name"),
        aliases=aliases,
        external=form.get("external") == "on",
    )
    return Text(N_("Added the unit {name}."), {"name": unit.name})


async def _add_alias(request: Request, officer: Officer, form: FormData) -> Text:
    alias = form_text(form, "alias")
    unit = await web_of(request).runner.run(teach_alias, officer, alias, form_text(form, "unit"))
    return Text(N_("{alias} now means {name}."), {"alias": alias, "name": unit.name})


# --- the reminder policy -------------------------------------------------------------------


async def policy_page(request: Request) -> Response:
    """The organization's reminder policy, as a form."""
    shown = await office_page(request, _policy)
    if isinstance(shown, Response):
        return shown
    officer, policy = shown
    return render(
        request, "policy.page.html", officer, fields=POLICY_FORM, values=_policy_values(policy)
    )


async def change_policy(request: Request) -> Response:
    """Change the policy; the reminders are planned again."""
    return await submit(request, _change_policy, back="/admin/policy")


async def _change_policy(request: Request, officer: Officer, form: FormData) -> Text:
    web = web_of(request)
    changes = {name: form_text(form, name) for name, _ in POLICY_FORM if form.get(name)}
    await web.runner.run(set_policy, web.clock, officer, parse_changes(changes))
    return Text(N_("The reminder policy is saved; reminders are planned again."))


def _policy_values(policy: Policy) -> dict[str, str]:
    return {
        "offsets": ",".join(str(d) for d in policy.offsets),
        "coordinator_offsets": ",".join(str(d) for d in policy.coordinator_offsets),
        "overdue_every": str(policy.overdue_every),
        "escalate_after": str(policy.escalate_after),
        "send_time": f"{policy.send_time:%H:%M}",  # a form's value, read back as typed
        "quiet": f"{policy.quiet_start:%H:%M}-{policy.quiet_end:%H:%M}",
    }


# --- the calendar --------------------------------------------------------------------------


async def calendar_page(request: Request) -> Response:
    """The year's days off and weekend working days."""
    clock = web_of(request).clock
    try:
        year = int(request.query_params.get("year", local_today(clock).year))
    except ValueError:
        year = local_today(clock).year
    year = min(max(year, 2000), 2100)
    officer, entries = await me_with(request, partial(_year, year=year))  # in the page's language
    if officer is None:
        return see_other("/login")
    if isinstance(entries, DomainError):
        return refuse(request, officer, entries)
    assert entries is not None
    return render(request, "calendar.page.html", officer, year=year, entries=entries)


def _year(session: Session, actor: Officer, language: str, *, year: int) -> list[CalendarEntry]:
    """The year's days for the office, its holidays named in the page's language (the page
    named them in Vietnamese for an officer reading English who had not picked it here)."""
    return year_entries(session, office_of(session, actor), year, language=language)


async def change_day(request: Request) -> Response:
    """Declare a day off or a working day."""
    return await submit(request, _change_day, back=_calendar_of)


async def _change_day(request: Request, officer: Officer, form: FormData) -> Text:
    day = _day(form)
    if day is None:
        return Text(N_("Please give a date."))
    web = web_of(request)
    await web.runner.run(
        set_day,
        web.clock,
        officer,
        day,
        working=form.get("working") == "yes",
        reason=form_text(form, "reason"),
    )
    return Text(N_("The calendar is saved; reminders are planned again."))


def _day(form: FormData) -> date | None:
    try:
        return date.fromisoformat(form_text(form, "day"))
    except ValueError:
        return None


def _calendar_of(form: FormData) -> str:
    day = _day(form)
    return "/admin/calendar" if day is None else f"/admin/calendar?year={day.year}"


def routes() -> list[Route]:
    """The admin routes."""
    return [
        Route("/admin/people", people_page, methods=["GET"]),
        Route("/admin/officers", add_person, methods=["POST"]),
        Route("/admin/invites", invite, methods=["POST"]),
        Route("/admin/units", units_page, methods=["GET"]),
        Route("/admin/units", new_unit, methods=["POST"]),
        Route("/admin/aliases", add_alias, methods=["POST"]),
        Route("/admin/policy", policy_page, methods=["GET"]),
        Route("/admin/policy", change_policy, methods=["POST"]),
        Route("/admin/calendar", calendar_page, methods=["GET"]),
        Route("/admin/calendar", change_day, methods=["POST"]),
    ]
