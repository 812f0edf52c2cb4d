"""`dondoc run`: upgrade the database, then serve the scheduler, the web pages and every
configured channel until stopped."""

from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    import socket

    from sqlalchemy import Engine

    from dondoc.instance_lock import HeldDatabase
    from dondoc.invocation import Cli
    from dondoc.settings import Settings
    from services.clock import Clock


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc run`."""
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


def _hold_database(cli: "Cli", settings: "Settings") -> "HeldDatabase":
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


def _listen(cli: "Cli", settings: "Settings") -> "socket.socket":
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


def _run_clock(cli: "Cli", demo_clock: float | None) -> "Clock":
    from services.clock import ScaledClock

    return cli.clock if demo_clock is None else ScaledClock(demo_clock, base=cli.clock)


def _web_secret(cli: "Cli", settings: "Settings") -> str:
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


def _load_demo(cli: "Cli", engine: "Engine", clock: "Clock") -> None:
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
