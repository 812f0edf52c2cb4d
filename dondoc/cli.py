"""The `dondoc` command line: a thin adapter over the use cases, in Vietnamese or English. Its
commands live in `dondoc/commands/`, one module each, imported only when typed; what they share
(`Cli`: the invocation's locale, settings, database and office) is `dondoc/invocation.py`, so
they never import this module back."""

import importlib
import os
import sys
from typing import Annotated, Final

import typer

from dondoc.invocation import Cli, starting
from locales import DEFAULT_LOCALE, N_, SUPPORTED


def _locale_from_environment() -> str:
    locale = os.environ.get("DONDOC_LOCALE", "").strip().lower()
    return locale if locale in SUPPORTED else DEFAULT_LOCALE


COMMANDS: Final = {
    "run": "run",
    "secret": "secret",
    "db": "db",
    "org": "people",
    "units": "people",
    "officers": "people",
    "import": "imports",
    "calendar": "calendar",
    "policy": "policy",
    "outbox": "outbox",
    "simulate": "simulate",
    "users": "users",
    "invite": "invites",
    "report": "report",
    "tasks": "tasks",
}
"""Each command's module in `dondoc.commands` (registered in this order)."""


def build_cli(locale: str, command: str | None = None) -> typer.Typer:
    """The typer application, its help texts in `locale`; with `command` (the first word typed),
    only that command's module is imported and registered when it names one (13 modules, their
    options and help texts: ~10 ms), else every command is."""
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
            from importlib.metadata import version

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

    modules = [COMMANDS[command]] if command in COMMANDS else COMMANDS.values()
    for name in dict.fromkeys(modules):
        importlib.import_module(f"dondoc.commands.{name}").register(app, cli)
    return app


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `dondoc` console script."""
    with starting():
        arguments = argv if argv is not None else sys.argv[1:]
        app = build_cli(_locale_from_environment(), arguments[0] if arguments else None)
        app(args=arguments, prog_name="dondoc")
