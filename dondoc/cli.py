"""The `dondoc` command line: a thin adapter over the use cases, in Vietnamese or English."""

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from importlib.metadata import version
from typing import TYPE_CHECKING, Annotated, Any, NoReturn, Protocol

import typer

from locales import DEFAULT_LOCALE, N_, SUPPORTED, translate

if TYPE_CHECKING:
    import socket

    from pydantic_core import ErrorDetails
    from sqlalchemy import Engine
    from sqlmodel import Session

    from dondoc.instance_lock import HeldDatabase
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
    def params(self) -> Mapping[str, str | int]:
        """What fills its placeholders."""
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
        from plans.readers.errors import PlanRefusal
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
        try:
            yield engine
        except (DomainError, PlanRefusal) as error:  # a confirmed draft's date, for one
            self.refuse(error)
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


def _locale_from_environment() -> str:
    locale = os.environ.get("DONDOC_LOCALE", "").strip().lower()
    return locale if locale in SUPPORTED else DEFAULT_LOCALE


def build_cli(locale: str) -> typer.Typer:
    """The typer application, its help texts in `locale`."""
    from dondoc.cli_words import speak

    speak(locale)
    cli = Cli(locale)
    t = cli.t

    app = typer.Typer(
        help=t(N_("dondoc chases the tasks of a ward's plans on Telegram, Zalo and the web.")),
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )

    def show_version(value: bool) -> None:
        if value:
            typer.echo(f"dondoc {version('dondoc')}")
            raise typer.Exit()

    @app.callback()
    def main_options(
        _version: Annotated[
            bool,
            typer.Option(
                "--version",
                callback=show_version,
                is_eager=True,
                help=t(N_("Show the version and exit.")),
            ),
        ] = False,
    ) -> None:
        """dondoc."""

    _add_run(app, cli)
    _add_secret(app, cli)
    from dondoc.commands import (
        calendar,
        db,
        imports,
        invites,
        outbox,
        people,
        policy,
        report,
        simulate,
        tasks,
        users,
    )

    db.register(app, cli)
    people.register(app, cli)
    imports.register(app, cli)
    calendar.register(app, cli)
    policy.register(app, cli)
    outbox.register(app, cli)
    simulate.register(app, cli)
    users.register(app, cli)
    invites.register(app, cli)
    report.register(app, cli)
    tasks.register(app, cli)
    return app


def _add_run(app: typer.Typer, cli: Cli) -> None:
    t = cli.t

    @app.command(
        "run",
        help=t(N_("Upgrade the database, then run the scheduler and every configured channel.")),
    )
    def run(
        demo_clock: Annotated[
            float | None,
            typer.Option(
                "--demo-clock",
                min=1,
                help=t(N_("Run the clock N times faster, so that reminders come within minutes.")),
            ),
        ] = None,
    ) -> None:
        import asyncio

        from dondoc.app import configure_logging, serve

        settings = cli.settings
        listening = _listen(cli, settings)  # a busy port stops dondoc before it creates anything
        held = None
        try:
            secret_key = _web_secret(cli, settings)  # refused before the database is held
            held = _hold_database(cli, settings)  # one dondoc run per SQLite file
            configure_logging(settings.log_level, file=_log_file(settings))
            clock = _run_clock(cli, demo_clock)
            with cli.database() as engine:
                if settings.configured_channels() == ["web"]:
                    _load_demo(cli, engine, clock)
            channels = settings.configured_channels()
            cli.say(N_("Database: {url}"), url=_safe_url(settings.database_url))
            if (log_file := _log_file(settings)) is not None:
                cli.say(N_("Log (in English): {file}"), file=log_file)
            cli.say(N_("Channels configured: {channels}"), channels=", ".join(channels))
            if "telegram" not in channels:
                cli.say(N_("Telegram is off: set DONDOC_TELEGRAM_TOKEN to turn it on."))
            if "zalo" not in channels:
                cli.say(N_("Zalo is off: set DONDOC_ZALO_TOKEN to turn it on."))
            if demo_clock is not None:
                cli.say(N_("Demo clock: time runs {factor}× faster."), factor=f"{demo_clock:g}")

            def ready(address: str) -> None:
                cli.say(
                    N_("The web chat and the dashboard: open {address} in a browser."),
                    address=address,
                )
                cli.say(N_("Press Ctrl+C to stop."))

            try:
                asyncio.run(
                    serve(
                        settings,
                        engine,
                        clock=clock,
                        secret_key=secret_key,
                        on_ready=ready,
                        scan_seconds=max(1.0, 60.0 / (demo_clock or 1.0)),
                        listening=listening,
                    )
                )
            except KeyboardInterrupt:
                cli.say(N_("Stopped."))
        finally:
            if held is not None:
                held.release()  # also when the command fails after holding it
            listening.close()


def _hold_database(cli: Cli, settings: "Settings") -> "HeldDatabase":
    """Hold the SQLite file for this run; another dondoc holding it ends the command."""
    from dondoc.instance_lock import DatabaseHeld, hold_database
    from models.db import DatabaseUrlError, normalize_url

    try:
        url = normalize_url(settings.database_url)
    except DatabaseUrlError:
        return hold_database(None)  # `cli.database` says what is wrong with the URL
    if url.get_backend_name() != "sqlite":
        return hold_database(None)
    try:
        return hold_database(url.database)
    except DatabaseHeld as held:
        cli.fail(
            N_(
                "Another dondoc (process {pid}) is running on the database {path}. Stop it "
                "first, or give this one another database (DONDOC_DATABASE_URL)."
            ),
            code=2,
            pid=held.pid or "?",
            path=str(held.path),
        )


def _listen(cli: Cli, settings: "Settings") -> "socket.socket":
    """The web pages' socket, bound now; a port in use ends the command with a hint."""
    import errno

    from bot.web.server import bind

    try:
        return bind(settings.web_host, settings.web_port)
    except OSError as error:
        if error.errno == errno.EADDRINUSE:
            cli.fail(
                N_(
                    "Port {port} on {host} is already in use (another dondoc run?). Stop "
                    "that program, or choose another port: DONDOC_WEB_PORT={other} dondoc run"
                ),
                code=2,
                host=settings.web_host,
                port=settings.web_port,
                other=settings.web_port + 1 if settings.web_port < 65535 else 8081,
            )
        cli.fail(
            N_(
                "Cannot serve the web pages on {host}:{port} ({reason}); check "
                "DONDOC_WEB_HOST and DONDOC_WEB_PORT."
            ),
            code=2,
            host=settings.web_host,
            port=settings.web_port,
            reason=errno.errorcode.get(error.errno or 0, str(error)),
        )


def _log_file(settings: "Settings") -> str | None:
    """Where the log goes: the file named by DONDOC_LOG_FILE, or stderr for "-"."""
    return None if settings.log_file in ("", "-") else settings.log_file


def _add_secret(app: typer.Typer, cli: Cli) -> None:
    t = cli.t

    @app.command(
        "secret",
        help=t(N_("Print a new random key for DONDOC_SECRET_KEY (32 random bytes).")),
    )
    def secret() -> None:
        import secrets

        typer.echo(secrets.token_urlsafe(32))


def _run_clock(cli: Cli, demo_clock: float | None) -> "Clock":
    from services.clock import ScaledClock

    return cli.clock if demo_clock is None else ScaledClock(demo_clock, base=cli.clock)


def _web_secret(cli: Cli, settings: "Settings") -> str:
    """The key that signs web sessions. Served beyond this machine, it must be set (with the
    public address); on this machine only, one is made once and kept in a file beside the
    working directory's database, so a newcomer needs no configuration and sign-ins survive a
    restart."""
    from pathlib import Path

    from bot.web.app import is_loopback
    from dondoc.app import LOCAL_SECRET_FILE, local_secret_key

    if settings.secret_key is not None:
        key = settings.secret_key.get_secret_value()
    elif not is_loopback(settings.web_host):
        cli.fail(
            N_(
                "Set DONDOC_SECRET_KEY (`dondoc secret` prints one): the web pages are "
                "served on {host}, beyond this machine."
            ),
            code=2,
            host=settings.web_host,
        )
    else:
        key, made = local_secret_key(Path(LOCAL_SECRET_FILE))
        cli.say(
            N_("No DONDOC_SECRET_KEY: made one for this machine and kept it in {path}.")
            if made
            else N_("No DONDOC_SECRET_KEY: using the one kept in {path}."),
            path=LOCAL_SECRET_FILE,
        )
    if settings.public_url is None and not is_loopback(settings.web_host):
        cli.fail(
            N_(
                "Set DONDOC_PUBLIC_URL to the address people open (https://…): the web pages "
                "are served on {host}, beyond this machine."
            ),
            code=2,
            host=settings.web_host,
        )
    return key


def _load_demo(cli: Cli, engine: "Engine", clock: "Clock") -> None:
    from dondoc.app import session_scope
    from services.importing.demo import load_demo_ward

    with session_scope(engine) as session:
        ward = load_demo_ward(session, clock, locale=cli.settings.locale)
    if ward is not None:
        cli.say(
            N_(
                "The database was empty: loaded the demo ward {name} ({tasks} tasks, "
                "{people} demo people). Its people and answers are made up."
            ),
            name=ward.organization.name,
            tasks=ward.tasks,
            people=len(ward.people),
        )


def _safe_url(url: str) -> str:
    from models.db import normalize_url

    try:
        return normalize_url(url).render_as_string(hide_password=True)
    except ValueError:
        return "?"


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `dondoc` console script."""
    app = build_cli(_locale_from_environment())
    app(args=argv if argv is not None else sys.argv[1:], prog_name="dondoc")
