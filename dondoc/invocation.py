"""One invocation of the `dondoc` command line, as its commands see it: its language, its
settings, its database and who acts (`Cli`), and when its own work begins (`work_begins`).
`dondoc/cli.py` builds the application and imports the commands (`dondoc/commands/`); they
import this module, never the command line itself."""

import gc
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn, Protocol

import typer

from locales import N_, translate

if TYPE_CHECKING:
    from pydantic_core import ErrorDetails
    from sqlalchemy import Engine
    from sqlmodel import Session

    from dondoc.settings import Settings
    from models import Officer, Organization
    from services.clock import Clock


class Refusal(Protocol):
    """An error people read: an English msgid and its params."""

    @property
    def msgid(self) -> str:
        """The English sentence, translated when shown."""
        ...

    @property
    def params(self) -> Mapping[str, object]:
        """What fills its placeholders (a day as a `date`, written in the reader's locale)."""
        ...


class Cli:
    """One invocation's locale and settings, and the commands that use them."""

    def __init__(self, locale: str) -> None:
        self.locale = locale
        self._settings: Settings | None = None

    def t(self, msgid: str, **params: object) -> str:
        """`msgid` in this invocation's language."""
        return translate(self.locale, msgid, **params)

    def say(self, msgid: str, **params: object) -> None:
        """Print a translated line."""
        typer.echo(self.t(msgid, **params))

    def fail(self, msgid: str, /, *, code: int = 1, **params: object) -> NoReturn:
        """Print one translated line to stderr and stop with `code`."""
        typer.echo(self.t(msgid, **params), err=True)
        raise typer.Exit(code)

    def org_option(self) -> Any:
        """The `--org NAME` option every command that works on one organization takes."""
        return typer.Option(None, "--org", help=self.t(N_("Organization (ward) name.")))

    def refuse(self, error: "Refusal", *, code: int = 1) -> NoReturn:
        """Print a domain refusal (msgid + params) to stderr and stop with `code`."""
        typer.echo(self.t(error.msgid, **error.params), err=True)
        raise typer.Exit(code)

    @property
    def settings(self) -> "Settings":
        """The settings, validated once; a bad value ends the command with exit code 2."""
        if self._settings is None:
            from pydantic import ValidationError

            from dondoc.settings import Settings

            try:
                self._settings = Settings()
            except ValidationError as error:
                first = error.errors()[0]
                name = "DONDOC_" + "_".join(str(p) for p in first["loc"]).upper()
                if not first["loc"]:
                    name = "DONDOC_*"
                self.fail(
                    N_("Invalid setting {name}: {reason}"),
                    code=2,
                    name=name,
                    reason=self._setting_reason(first),
                )
        return self._settings

    @property
    def clock(self) -> "Clock":
        """The real clock, in the zone of `DONDOC_TIMEZONE`."""
        from services.clock import SystemClock

        return SystemClock(self.settings.zone)

    def office(
        self, session: "Session", org: "Organization", *, managers: bool = False
    ) -> "Officer":
        """The office acting from the command line: the organization's first active admin (with
        `managers`, else its chair), or an unsaved admin, "the office", whose acts name no one."""
        from models import Role
        from services.people.officers import office_actor

        return office_actor(
            session,
            self.clock,
            org,
            roles=(Role.ADMIN, Role.CHAIR) if managers else (Role.ADMIN,),
            name=self.t(N_("The office")),
            locale=self.locale,
        )

    def _setting_reason(self, error: "ErrorDetails") -> str:
        """Why pydantic refused a setting, in this invocation's language."""
        from dondoc.settings import SettingValueError

        context = error.get("ctx") or {}
        cause = context.get("error")
        if isinstance(cause, SettingValueError):
            return self.t(cause.msgid, **cause.params)
        kind = error["type"]
        if kind == "literal_error":
            choices = str(context.get("expected", "")).replace(" or ", ", ")
            return self.t(N_("use one of {choices}"), choices=choices)
        if kind in ("int_parsing", "int_type", "int_from_float"):
            return self.t(N_("a whole number is expected"))
        if kind in ("greater_than_equal", "greater_than"):
            return self.t(N_("use a number of at least {limit}"), limit=context.get("ge", ""))
        if kind in ("less_than_equal", "less_than"):
            return self.t(N_("use a number of at most {limit}"), limit=context.get("le", ""))
        return self.t(N_("this value is not accepted ({detail})"), detail=error["msg"])

    def confirm(self, msgid: str, /, **params: object) -> bool:
        """Ask a yes-or-no question in this invocation's language ("[c/K]" in Vietnamese); no
        is the default, and so is an ended input."""
        import click

        question = self.t(msgid, **params) + " " + self.t(N_("[y/N]"))
        yes = {word.strip() for word in self.t(N_("y,yes")).split(",")} | {"y", "yes"}
        no = {word.strip() for word in self.t(N_("n,no")).split(",")} | {"n", "no", ""}
        while True:
            try:
                answer = click.prompt(question, default="", show_default=False, prompt_suffix=" ")
            except click.Abort:
                typer.echo("")
                return False
            answer = str(answer).strip().lower()
            if answer in yes or answer in no:
                return answer in yes
            self.say(N_("Please answer {yes} or {no}."), yes=self.t(N_("y")), no=self.t(N_("n")))

    @contextmanager
    def database(self, *, migrate: bool = True) -> Iterator["Engine"]:
        """The configured database, migrated when `migrate`; database and domain errors end
        the command with one translated line."""
        from dondoc.app import DatabaseUnavailable, open_database
        from models.db import DatabaseUrlError
        from models.migrate import SchemaTooNew
        from services.errors import DomainError

        try:
            engine = open_database(self.settings, migrate=migrate)
        except DatabaseUrlError as error:
            self.fail(
                N_("Invalid setting {name}: {reason}"),
                code=2,
                name="DONDOC_DATABASE_URL",
                reason=str(error),
            )
        except DatabaseUnavailable as error:
            self.fail(N_("Cannot reach the database: {reason}"), code=2, reason=str(error))
        except SchemaTooNew:
            self.fail(
                N_(
                    "The database was set up by a newer version of dondoc; "
                    "upgrade dondoc before using it."
                ),
                code=2,
            )
        work_begins()
        try:
            yield engine
        except DomainError as error:
            self.refuse(error)
        except Exception as error:
            # A plan file's refusal (a confirmed draft's date, for one): its module is loaded
            # whenever one exists, and the plan readers are not worth importing otherwise.
            readers = sys.modules.get("plans.readers.errors")
            if readers is not None and isinstance(error, readers.PlanRefusal):
                self.refuse(error)
            raise
        finally:
            engine.dispose()

    @contextmanager
    def session(self, *, migrate: bool = True) -> Iterator["Session"]:
        """A session on the configured database (see `database`)."""
        from dondoc.app import session_scope

        with self.database(migrate=migrate) as engine, session_scope(engine) as session:
            yield session

    def organization(self, session: "Session", name: str | None) -> "Organization":
        """The organization the command is about."""
        from services.people.organizations import resolve_organization

        return resolve_organization(session, name)


@contextmanager
def starting() -> Iterator[None]:
    """A command starts and runs (`cli.main`). A command is a short process, and most of what
    it allocates while it starts (the ~550 modules a database command imports, their classes,
    SQLAlchemy's mappers) lives until it ends: collecting meanwhile walks those objects again
    and again, ~90 ms of a command's ~550. Collection stays off until the command's own work
    begins (`work_begins`)."""
    global _STARTING
    collecting = gc.isenabled()
    gc.disable()
    _STARTING = True
    try:
        yield
    finally:
        _STARTING = False
        # The process ends: its last collection would walk every object of the ~550 modules a
        # database command imports (a sixth of a second) only to free what exit frees anyway.
        gc.freeze()
        if collecting:
            gc.enable()


_STARTING = False
"""Whether this process is a command starting, its collection paused by `starting`."""


def work_begins() -> None:
    """The command's own work begins (a database opened, a plan file about to be read): what
    starting built is frozen, never walked again, and collection is back on for what the work
    allocates. Nothing happens outside a starting command (`dondoc` called from a test)."""
    global _STARTING
    if _STARTING:
        _STARTING = False
        gc.freeze()
        gc.enable()
