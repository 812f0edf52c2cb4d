"""Signing in and out: a password, a one-time link from an invite, or (local demo only) a demo
person picked from a list; and the page's language."""

import logging
from datetime import timedelta
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.pages import checked_form, flash, me, render, see_other, web_of
from locales import N_, SUPPORTED
from models import Officer, Role
from services.errors import DomainError
from services.messages import Text
from services.people.web_auth import (
    demo_people,
    sign_in_demo,
    sign_in_with_invite,
    sign_in_with_password,
)

logger = logging.getLogger(__name__)

MAX_FAILURES: Final = 5
LOCKOUT: Final = timedelta(minutes=15)
TOO_MANY: Final = N_(
    "Too many wrong passwords for this name: please try again in {minutes} minutes."
)


def home_of(officer: Officer) -> str:
    """Where an officer lands after signing in."""
    return "/dashboard" if officer.role is Role.CHAIR else "/chat"


async def home(request: Request) -> Response:
    """The root: your page when signed in, the sign-in page otherwise."""
    officer = await me(request)
    return see_other(home_of(officer) if officer else "/login")


async def login_page(request: Request) -> Response:
    """The sign-in page (with the demo people on a local demo)."""
    web = web_of(request)
    people = await web.runner.run(demo_people) if web.demo_login else []
    return render(request, "login.page.html", await me(request), people=people)


async def login(request: Request) -> Response:
    """Sign in with a name and a password the office set."""
    form = await checked_form(request)
    web = web_of(request)
    name, password = str(form.get("name", "")), str(form.get("password", ""))
    key = " ".join(name.split()).casefold()
    now = web.clock.now()
    recent = [at for at in web.failed_logins.get(key, []) if now - at < LOCKOUT]
    if len(recent) >= MAX_FAILURES:
        flash(request, Text(TOO_MANY, {"minutes": int(LOCKOUT.total_seconds() // 60)}))
        return see_other("/login")
    try:
        officer = await web.runner.run(sign_in_with_password, web.clock, name, password)
    except DomainError as error:
        web.failed_logins[key] = [*recent, now]
        logger.warning("web: failed sign-in (%d in a row for that name)", len(recent) + 1)
        flash(request, error)
        return see_other("/login")
    web.failed_logins.pop(key, None)
    return _signed_in(request, officer)


async def login_demo(request: Request) -> Response:
    """Pick a demo person (local demo only)."""
    form = await checked_form(request)
    web = web_of(request)
    if not web.demo_login:
        return see_other("/login")
    try:
        officer = await web.runner.run(sign_in_demo, web.clock, int(str(form.get("officer", "0"))))
    except (DomainError, ValueError):
        return see_other("/login")
    return _signed_in(request, officer)


async def invite_page(request: Request) -> Response:
    """The one-time link from an invite: a button to sign in (a link preview must not use it)."""
    return render(
        request, "invite.page.html", await me(request), token=request.path_params["token"]
    )


async def invite_login(request: Request) -> Response:
    """Use the invite and sign in."""
    await checked_form(request)
    web = web_of(request)
    try:
        officer = await web.runner.run(
            sign_in_with_invite, web.clock, str(request.path_params["token"])
        )
    except DomainError as error:
        flash(request, error)
        return see_other("/login")
    return _signed_in(request, officer)


async def logout(request: Request) -> Response:
    """Sign out of this browser."""
    await checked_form(request)
    request.session.pop("officer_id", None)
    return see_other("/login")


async def language(request: Request) -> Response:
    """Switch the pages' language on this browser."""
    form = await checked_form(request)
    picked = str(form.get("lang", ""))
    if picked in SUPPORTED:
        request.session["lang"] = picked
    back = str(form.get("next", "/"))
    return see_other(back if back.startswith("/") and not back.startswith("//") else "/")


def _signed_in(request: Request, officer: Officer) -> Response:
    request.session["officer_id"] = officer.id
    request.session.pop("csrf", None)  # a new token for the signed-in session
    return see_other(home_of(officer))


def routes() -> list[Route]:
    """The sign-in routes."""
    return [
        Route("/", home),
        Route("/login", login_page, methods=["GET"]),
        Route("/login", login, methods=["POST"]),
        Route("/login/demo", login_demo, methods=["POST"]),
        Route("/login/invite/{token}", invite_page, methods=["GET"]),
        Route("/login/invite/{token}", invite_login, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/lang", language, methods=["POST"]),
    ]
