"""The shape of the office's pages and forms: who is signed in, the use case run for them (it
refuses anyone but an admin itself, so the page never checks the role again), and what it did
or why not; each handler is then a form, a use case and a message."""

from collections.abc import Awaitable, Callable
from typing import Concatenate, ParamSpec, TypeVar

from sqlmodel import Session
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response

from bot.web.pages import checked_form, flash, me, refuse, see_other, web_of
from models import Officer
from services.errors import AdminOnly, DomainError
from services.messages import Text

P = ParamSpec("P")
T = TypeVar("T")

FormAct = Callable[[Request, Officer, FormData], Awaitable[Text | Response | None]]
"""What a form does for the officer who sent it, and the line it says (None: nothing); or a
page of its own instead of going back (a date said back to confirm, the page of what it made)."""


async def office_page(
    request: Request,
    read: Callable[Concatenate[Session, Officer, P], T],
    *args: P.args,
    **kwargs: P.kwargs,
) -> tuple[Officer, T] | Response:
    """The signed-in officer and what `read` (which refuses anyone but an admin) gives them;
    the login page, or a page saying why not, otherwise."""
    officer = await me(request)
    if officer is None:
        return see_other("/login")
    try:
        return officer, await web_of(request).runner.run(read, officer, *args, **kwargs)
    except AdminOnly as refused:
        return refuse(request, officer, refused)


async def submit(
    request: Request, act: FormAct, *, back: str | Callable[[FormData], str]
) -> Response:
    """An office form: read it (CSRF checked first), run `act` for the signed-in officer, show
    what it says or why it was refused on the next page, and go `back` (a path, or one made from
    the form), unless `act` answers with a page of its own."""
    form = await checked_form(request)
    officer = await me(request)
    if officer is None:
        return see_other("/login")
    try:
        said: Text | Response | DomainError | None = await act(request, officer, form)
    except AdminOnly as refused:
        return refuse(request, officer, refused)
    except DomainError as error:
        said = error
    if isinstance(said, Response):
        return said
    if said is not None:
        flash(request, said)
    return see_other(back if isinstance(back, str) else back(form))


def form_text(form: FormData, name: str, default: str = "") -> str:
    """Field `name` of `form` as text (`default` when absent)."""
    return str(form.get(name, default))
