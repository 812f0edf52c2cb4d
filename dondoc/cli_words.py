"""The words typer prints on its own (help headings, usage errors) in the command line's
language. Typer marks some for gettext's global domain, which dondoc does not use, and the click
it carries inside (`typer._click`) writes the rest as plain English; `speak` points typer's `_`
at dondoc's catalogue, translates the headings it reads once at import, and puts the usage
line, the help option and the usage errors into the catalogue's words."""

import importlib
import re
from collections.abc import Callable
from typing import Any, Final

from locales import N_, translations

GETTEXT_MODULES: Final = ("typer.core", "typer.main", "typer.rich_utils")
TYPER_HEADINGS: Final = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "ABORTED_TEXT": N_("Aborted."),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}
TYPER_WORDS: Final = (N_("No such command {name!r}."), N_("Missing command."), N_("Aborted!"))
# The usage errors of typer's click, as it writes them in English, and their msgids.
USAGE_ERRORS: Final = (
    (re.compile(r"Missing argument (?P<name>.+)\.", re.S), N_("Missing argument {name}.")),
    (re.compile(r"Missing option (?P<name>.+)\.", re.S), N_("Missing option {name}.")),
    (
        re.compile(r"Invalid value for (?P<name>[^:]+): Input should be a valid integer.*", re.S),
        N_("Invalid value for {name}: a whole number is expected"),
    ),
    (
        re.compile(r"Invalid value for (?P<name>[^:]+): Input should be a valid number.*", re.S),
        N_("Invalid value for {name}: a number is expected"),
    ),
    (
        re.compile(r"Invalid value for (?P<name>[^:]+): (?P<reason>.*)", re.S),
        N_("Invalid value for {name}: {reason}"),
    ),
    (re.compile(r"Invalid value: (?P<reason>.*)", re.S), N_("Invalid value: {reason}")),
    (
        re.compile(r"Got unexpected extra argument\(s\) \((?P<args>.*)\)", re.S),
        N_("Unexpected extra arguments ({args})"),
    ),
    (
        re.compile(r"Value (?P<value>.+) is not a valid (?P<kind>\w+)\.", re.S),
        N_("{value} is not a valid {kind}."),
    ),
)


def speak(locale: str) -> None:
    """Make typer print its own words in `locale`."""
    catalogue = translations(locale)
    for name in GETTEXT_MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = catalogue.gettext  # type: ignore[attr-defined]
    rich_utils = importlib.import_module("typer.rich_utils")
    for constant, msgid in TYPER_HEADINGS.items():
        setattr(rich_utils, constant, catalogue.gettext(msgid))
    _speak_click(catalogue.gettext)


def _speak_click(gettext: Callable[[str], str]) -> None:
    formatting = importlib.import_module("typer._click.formatting")
    decorators = importlib.import_module("typer._click.decorators")
    exceptions = importlib.import_module("typer._click.exceptions")
    formatter = formatting.HelpFormatter
    write_usage = getattr(formatter.write_usage, "__wrapped__", formatter.write_usage)

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = gettext(N_("Usage:")) + " " if prefix is None else prefix
        write_usage(self, prog, args, prefix)

    usage.__wrapped__ = write_usage  # type: ignore[attr-defined]
    formatter.write_usage = usage
    help_option = getattr(decorators.help_option, "__wrapped__", decorators.help_option)

    def translated_help_option(param_decls: list[str]) -> Callable[[Any], Any]:
        decorate = help_option(param_decls)

        def apply(command: Any) -> Any:
            decorated = decorate(command)
            command.params[-1].help = gettext(N_("Show this message and exit."))
            return decorated

        return apply

    translated_help_option.__wrapped__ = help_option  # type: ignore[attr-defined]
    decorators.help_option = translated_help_option  # type: ignore[attr-defined]
    for name in ("UsageError", "BadParameter", "MissingParameter"):
        error = getattr(exceptions, name)
        if "format_message" in vars(error):
            error.format_message = _translated(vars(error)["format_message"], gettext)


def _translated(format_message: Any, gettext: Callable[[str], str]) -> Any:
    original = getattr(format_message, "__wrapped__", format_message)

    def translated(self: Any) -> str:
        text = str(original(self))
        for pattern, msgid in USAGE_ERRORS:
            if found := pattern.fullmatch(text):
                return gettext(msgid).format(**found.groupdict())
        return text

    translated.__wrapped__ = original  # type: ignore[attr-defined]
    return translated
