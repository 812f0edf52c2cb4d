"""Signing in and out: a password, a one-time link from an invite, or (local demo only) a demo
person picked from a list; and the page's language. Each sign-in opens a server-side session
whose token the (signed) cookie carries; signing out ends it."""

import logging
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.web.pages import (
    SESSION_KEY,
    checked_form,
    flash,
    id_param,
    me,
    render,
    see_other,
    web_of,
)
from locales import SUPPORTED
from models import Officer, Role
from services.errors import DomainError
from services.people.web_auth import (
    WebSignIn,
    demo_people,
    sign_in_demo,
    sign_in_organizations,
    sign_in_with_invite,
    sign_in_with_password,
)
from services.people.web_sessions import close_session

logger = logging.getLogger(__name__)

KNOWN_KEY: Final = "known"  # the cookie's list of officers who signed in on this browser
MAX_KNOWN: Final = 5  # a shared office computer: a few people, the latest first


def home_of(officer: Officer) -> str:
    """Where an officer lands after signing in."""
    return "/dashboard" if officer.role is Role.CHAIR else "/chat"


async def home(request: Request) -> Response:
    """The root: your page when signed in, the sign-in page otherwise."""
    officer = await me(request)
    return see_other(home_of(officer) if officer else "/login")


async def login_page(request: Request) -> Response:
    """The sign-in page: the organizations to choose from when there are several (`?org=ID`
    picks one), and the demo people on a local demo."""
    web = web_of(request)
    people = await web.runner.run(demo_people) if web.demo_login else []
    organizations = await web.runner.run(sign_in_organizations)
    picked = request.query_params.get("org", "")
    return render(
        request,
        "login.page.html",
        await me(request),
        people=people,
        organizations=organizations,
        picked_org=id_param(picked),
    )


async def login(request: Request) -> Response:
    """Sign in with a name and a password the office set, in the organization chosen."""
    form = await checked_form(request)
    web = web_of(request)
    org = str(form.get("org", ""))
    try:
        signed = await web.runner.run(
            sign_in_with_password,
            web.clock,
            organization_id=id_param(org) or 0,
            name=str(form.get("name", "")),
            password=str(form.get("password", "")),
            address=request.client.host if request.client else "",
            known=_known(request),
        )
    except DomainError as error:
        flash(request, error)
        return see_other("/login")
    return _signed_in(request, signed)


async def login_demo(request: Request) -> Response:
    """Pick a demo person (local demo only)."""
    form = await checked_form(request)
    web = web_of(request)
    if not web.demo_login:
        return see_other("/login")
    try:
        signed = await web.runner.run(
            sign_in_demo, web.clock, id_param(str(form.get("officer", ""))) or 0
        )
    except DomainError:
        return see_other("/login")
    return _signed_in(request, signed)


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
        signed = await web.runner.run(
            sign_in_with_invite, web.clock, str(request.path_params["token"])
        )
    except DomainError as error:
        flash(request, error)
        return see_other("/login")
    return _signed_in(request, signed)


async def logout(request: Request) -> Response:
    """Sign out: the session ends on the server too, so a copy of the cookie is worth nothing."""
    await checked_form(request)
    token = request.session.pop(SESSION_KEY, None)
    if isinstance(token, str):
        await web_of(request).runner.run(close_session, token)
    return see_other("/login")


async def language(request: Request) -> Response:
    """Switch the pages' language on this browser."""
    form = await checked_form(request)
    picked = str(form.get("lang", ""))
    if picked in SUPPORTED:
        request.session["lang"] = picked
    back = str(form.get("next", "/"))
    return see_other(back if back.startswith("/") and not back.startswith("//") else "/")


def _signed_in(request: Request, signed: WebSignIn) -> Response:
    request.session[SESSION_KEY] = signed.token
    request.session.pop("csrf", None)  # a new token for the signed-in session
    officer_id = signed.officer.id
    known = [officer_id, *(i for i in _known(request) if i != officer_id)]
    request.session[KNOWN_KEY] = known[:MAX_KNOWN]
    return see_other(home_of(signed.officer))


def _known(request: Request) -> list[int]:
    """The officers who signed in on this browser (the signed cookie says so; signing out
    keeps it): a name held for failures from many addresses stays open to them here."""
    known = request.session.get(KNOWN_KEY)
    return [i for i in known if isinstance(i, int)] if isinstance(known, list) else []


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
