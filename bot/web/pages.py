"""What every page needs: the wiring, who is signed in, the page's language, CSRF, rendering."""

import hmac
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from sqlmodel import Session
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from bot.conversation.incoming import ConversationHandler
from bot.web.hub import ChatHub
from bot.web.sender import WebSender
from jobs.runner import JobRunner
from locales import N_, SUPPORTED, format_day, format_moment, translate
from models import Officer, Role
from plans.roman import roman
from services.access import is_manager
from services.clock import Clock, ScaledClock
from services.errors import DomainError
from services.messages import Text, render_text
from services.people.units import unit_words
from services.people.web_sessions import session_officer

TEMPLATES: Final = Path(__file__).with_name("templates")
STATIC: Final = Path(__file__).with_name("static")
CSRF_FIELD: Final = "csrf"
CSRF_HEADER: Final = "X-CSRF-Token"
T = TypeVar("T")
SESSION_KEY: Final = "sid"  # the cookie's name for the server-side session's token
CSRF_PLACEHOLDER: Final = "csrf-placeholder-3f9c2e7a"
"""Stands for the reader's CSRF token in what is rendered once for many readers (a stored
board, shared by the replicas; the page around it); the same words typed into a task only show
the readers their own token."""
INSIDE_PLACEHOLDER: Final = "inside-placeholder-8d41b6c2"
SHELL_FIELDS: Final = ("name", "role", "active", "is_demo")
"""What base.html shows of the officer signed in (`me`): a page around is kept for each."""
SHELLS_KEPT: Final = 256  # pages around kept by a process, the oldest forgotten first


MAX_ID_DIGITS: Final = 9  # every id below a billion: within any database's integer


class IdConvertor(Convertor[int]):
    """A row's id in a path (`{task:id}`): at most `MAX_ID_DIGITS` digits, so that a longer
    number is no page (404) instead of an integer the database refuses (500)."""

    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def convert(self, value: str) -> int:
        """The id."""
        return int(value)

    def to_string(self, value: int) -> str:
        """The id in a path."""
        return str(value)


register_url_convertor("id", IdConvertor())


def id_param(value: str) -> int | None:
    """An id given in a query string or a form, None unless it is one (`IdConvertor`)."""
    return (
        int(value)
        if value.isascii() and value.isdecimal() and len(value) <= MAX_ID_DIGITS
        else None
    )


@dataclass
class Web:
    """The web app's wiring, built once by `build_web_app`."""

    runner: JobRunner
    clock: Clock
    hub: ChatHub
    sender: WebSender
    conversation: ConversationHandler
    zone: ZoneInfo
    default_locale: str = "vi"
    demo_login: bool = False
    public_url: str = "http://127.0.0.1:8080"
    env: Environment = field(
        default_factory=lambda: Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            trim_blocks=True,
            lstrip_blocks=True,
            # The templates are this build's (`dashboard.build` fingerprints them once, and a
            # stored board is served only by the build that rendered it): no file is looked at
            # again on each page.
            auto_reload=False,
        )
    )
    shells: dict[tuple[object, ...], str] = field(default_factory=dict)  # `page_around`


def web_of(request: Request) -> Web:
    """The app's wiring."""
    web = request.app.state.web
    assert isinstance(web, Web)
    return web


async def me(request: Request) -> Officer | None:
    """The officer signed in on this browser, if any (their session still live)."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None
    web = web_of(request)
    officer = await web.runner.run(session_officer, web.clock, token)
    if officer is None:
        request.session.pop(SESSION_KEY, None)
    return officer


async def me_with(
    request: Request, use: Callable[[Session, Officer, str], T]
) -> tuple[Officer | None, T | DomainError | None]:
    """`me`, and for the officer signed in what `use(session, officer, page's language)`
    returns (or the `DomainError` it raised), in one call to the database: one worker thread,
    one session, on the runner's reader (the dashboard, loaded by every chair at once); `use`
    only reads."""
    token = request.session.get(SESSION_KEY)
    if not isinstance(token, str):
        return None, None
    web = web_of(request)
    picked = request.session.get("lang")
    officer, used = await web.runner.read(
        _officer_then, web.clock, token, picked, web.default_locale, use
    )
    if officer is None:
        request.session.pop(SESSION_KEY, None)
    return officer, used


def _officer_then(
    session: Session,
    clock: Clock,
    token: str,
    picked: object,
    default: str,
    use: Callable[[Session, Officer, str], T],
) -> tuple[Officer | None, T | DomainError | None]:
    officer = session_officer(session, clock, token)
    if officer is None:
        return None, None
    try:
        return officer, use(session, officer, _locale(picked, officer, default))
    except DomainError as error:
        return officer, error


def locale_of(request: Request, officer: Officer | None) -> str:
    """The page's language: the one picked on this browser, else the officer's, else the
    default."""
    return _locale(request.session.get("lang"), officer, web_of(request).default_locale)


def _locale(picked: object, officer: Officer | None, default: str) -> str:
    if isinstance(picked, str) and picked in SUPPORTED:
        return picked
    if officer is not None and officer.locale in SUPPORTED:
        return officer.locale
    return default


def csrf_token(request: Request) -> str:
    """This browser session's CSRF token, made on first use."""
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(24)
        request.session[CSRF_FIELD] = token
    return token


async def checked_form(request: Request) -> FormData:
    """The posted form, refused (403) unless it carries this session's CSRF token. The body was
    capped before (`bot.web.limits`): a small form is read in memory, never spooled."""
    form = await request.form(max_files=0)
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not _is_csrf(request, given):
        await form.close()
        raise HTTPException(status_code=403, detail="csrf")
    return form


async def checked_upload(request: Request) -> FormData:
    """A posted form with a file: its CSRF token comes in the address (`?csrf=`) or a header
    and is checked before a byte of the body is read, so no stranger's upload is ever spooled
    to disk."""
    given = request.query_params.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER) or ""
    if not _is_csrf(request, given):
        raise HTTPException(status_code=403, detail="csrf")
    return await request.form(max_files=1)


def upload_name(file_name: str) -> str:
    """The last part of an uploaded file's name (a browser may send a path); `HTTPException`
    400 when nothing usable is left (".", "..", a bare separator)."""
    name = file_name.replace("\\", "/").rsplit("/", 1)[-1].strip()[:200]
    if name in ("", ".", "..") or "\x00" in name:
        raise HTTPException(status_code=400, detail="file name")
    return name


def _is_csrf(request: Request, given: object) -> bool:
    expected = request.session.get(CSRF_FIELD)
    return (
        isinstance(given, str)
        and isinstance(expected, str)
        and hmac.compare_digest(given.encode(), expected.encode())
    )


def flash(request: Request, error: DomainError | Text) -> None:
    """A line to show on the next page (a refusal, or what was done)."""
    text = error if isinstance(error, Text) else Text(error.msgid, dict(error.params))
    request.session["flash"] = text.to_json()


def see_other(path: str) -> RedirectResponse:
    """Go to `path` after a form (303, so the browser fetches it)."""
    return RedirectResponse(path, status_code=303)


def render(
    request: Request,
    template: str,
    officer: Officer | None,
    *,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    """The page `template` in the request's language."""
    return HTMLResponse(
        render_fragment(request, template, officer, **context), status_code=status_code
    )


def render_fragment(
    request: Request, template: str, officer: Officer | None, **context: Any
) -> str:
    """`template` rendered to a string for this request (pages, and chat messages pushed live);
    `context` may replace what every page gets (the dashboard's body takes a placeholder for the
    CSRF token)."""
    web = web_of(request)
    locale = locale_of(request, officer)
    notice = request.session.pop("flash", None) if template.endswith("page.html") else None
    values: dict[str, Any] = dict(
        _=lambda msgid, **params: translate(locale, msgid, **params),
        text=lambda data: render_text(locale, Text.from_json(data)),
        day=lambda value: show_day(locale, value),
        unit_label=lambda name: unit_name(locale, name),
        roman=roman,
        unit_labels=lambda names: ", ".join(unit_name(locale, name) for name in names) or "—",
        moment=lambda value: show_moment(locale, web.zone, value),
        iso=lambda value: show_iso(locale, web.zone, value),
        locale=locale,
        csrf=csrf_token(request),
        request_path=request.url.path,
        me=officer,
        is_manager=officer is not None and is_manager(officer),
        is_admin=officer is not None and officer.role is Role.ADMIN,
        notice=notice if isinstance(notice, Mapping) else None,
        demo_clock=_demo_clock(web.clock),
        zone_name=web.zone.key,
    )
    values.update(context)
    return web.env.get_template(template).render(**values)


def page_around(
    request: Request, template: str, officer: Officer, inside_name: str, inside: str
) -> HTMLResponse:
    """The page `template` with `inside` (HTML, where `CSRF_PLACEHOLDER` stands for the
    reader's token) as its `inside_name`. The page around it is rendered once per template,
    path, language and what the header shows of the officer (`SHELL_FIELDS`), and kept by the
    process: its templates and words do not change while it runs. Rendered anew when the header
    shows something of this load's own (a notice shown once, the demo clock)."""
    web = web_of(request)
    own = "flash" in request.session or isinstance(web.clock, ScaledClock)
    key = (
        template,
        request.scope["path"],
        locale_of(request, officer),
        *(getattr(officer, name) for name in SHELL_FIELDS),
    )
    shell = None if own else web.shells.get(key)
    if shell is None:
        shell = render_fragment(
            request,
            template,
            officer,
            csrf=CSRF_PLACEHOLDER,
            **{inside_name: Markup(INSIDE_PLACEHOLDER)},
        )
        if not own:
            if len(web.shells) >= SHELLS_KEPT:
                del web.shells[next(iter(web.shells))]
            web.shells[key] = shell
    head, found, tail = shell.rpartition(INSIDE_PLACEHOLDER)  # the header comes before it
    assert found, template
    return HTMLResponse((head + inside + tail).replace(CSRF_PLACEHOLDER, csrf_token(request)))


def _demo_clock(clock: Clock) -> dict[str, object] | None:
    """The demo clock's instant and pace, for the header to show and keep going; None when
    dondoc runs on the real clock."""
    if not isinstance(clock, ScaledClock):
        return None
    now = clock.now()
    return {"now": now, "epoch_ms": int(now.timestamp() * 1000), "factor": f"{clock.factor:g}"}


def unit_name(locale: str, name: str) -> str:
    """A unit as people say it: the pseudo-units ("@all", "@related") and "no lead" in words."""
    if name == "—":
        return translate(locale, N_("no lead unit"))
    return unit_words(name, partial(translate, locale))


def show_day(locale: str, value: date | None) -> str:
    """A date as people of `locale` write it (dd/MM/yyyy in vi)."""
    return "—" if value is None else format_day(value, locale=locale)


def show_moment(locale: str, zone: ZoneInfo, value: datetime | None) -> str:
    """An instant in the ward's time."""
    return "—" if value is None else format_moment(value, zone, locale=locale)


def show_iso(locale: str, zone: ZoneInfo, value: object) -> str:
    """A date or an instant kept as ISO text in an event's payload, as people read it."""
    text = str(value)
    try:
        if "T" in text:
            return show_moment(locale, zone, datetime.fromisoformat(text))
        return show_day(locale, date.fromisoformat(text))
    except ValueError:
        return text


def refuse(request: Request, officer: Officer | None, error: DomainError) -> Response:
    """A page that says why not (403)."""
    return render(request, "refused.page.html", officer, status_code=403, error=error)
