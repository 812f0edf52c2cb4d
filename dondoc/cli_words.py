"""The words typer prints on its own (help headings, usage errors) in the command line's
language. Typer marks some for gettext's global domain, which dondoc does not use, and the click
it carries inside (`typer._click`) writes the rest as plain English; `speak` points typer's `_`
at dondoc's catalogue, translates the headings it reads once at import, and puts the usage
line, the help option and the usage errors into the catalogue's words.

Typer imports its rich help (`typer.rich_utils`, with rich's markdown, a fifth of a second)
only to print help or an error: its headings are translated when it is imported, so a command
that prints neither never imports it."""

import importlib
import importlib.abc
import importlib.util
import re
import sys
from collections.abc import Callable, Sequence
from importlib.machinery import ModuleSpec
from types import ModuleType
from typing import Any, Final

from locales import N_, translations

GETTEXT_MODULES: Final = ("typer.core", "typer.main")
RICH_UTILS: Final = "typer.rich_utils"
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
USAGE_PLACEHOLDERS: Final = (N_("COMMAND [ARGS]..."), N_("[OPTIONS]"))
"""What typer's usage line says in place of a command's options and subcommand."""
TYPER_WORDS: Final = (N_("No such command {name!r}."), N_("Missing command."), N_("Aborted!"))
# The usage errors of typer's click, as it writes them in English, and their msgids.
USAGE_ERRORS: Final = (
    (re.compile(r"Missing argument (?P<name>.+)\.", re.S), N_("Missing argument {name}.")),
    (re.compile(r"Missing option (?P<name>.+)\.", re.S), N_("Missing option {name}.")),
    (
        re.compile(r"Option (?P<name>.+) requires an argument\.", re.S),
        N_("Option {name} needs a value."),
    ),
    (
        re.compile(r"Option (?P<name>.+) requires (?P<count>\d+) arguments\.", re.S),
        N_("Option {name} needs {count} values."),
    ),
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
        re.compile(r"No such option: (?P<name>\S+) \(Possible options: (?P<choices>.*)\)", re.S),
        N_("No such option {name} (options: {choices})."),
    ),
    (re.compile(r"No such option: (?P<name>.+)", re.S), N_("No such option {name}.")),
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
    for finder in [f for f in sys.meta_path if isinstance(f, _RichHelpFinder)]:
        sys.meta_path.remove(finder)  # an earlier `speak`, in another language
    if RICH_UTILS in sys.modules:
        _speak_rich(sys.modules[RICH_UTILS], catalogue.gettext)
    else:
        sys.meta_path.insert(0, _RichHelpFinder(catalogue.gettext))
    _speak_click(catalogue.gettext)


def _speak_rich(rich_utils: ModuleType, gettext: Callable[[str], str]) -> None:
    """Typer's rich help headings, in the catalogue's words."""
    rich_utils._ = gettext  # type: ignore[attr-defined]
    for constant, msgid in TYPER_HEADINGS.items():
        setattr(rich_utils, constant, gettext(msgid))


class _RichHelpFinder(importlib.abc.MetaPathFinder):
    """Translates `typer.rich_utils` as soon as typer imports it, then steps aside."""

    def __init__(self, gettext: Callable[[str], str]) -> None:
        self._gettext = gettext

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        """The usual spec of `typer.rich_utils`, with a loader that translates it once run."""
        if fullname != RICH_UTILS:
            return None
        sys.meta_path.remove(self)
        spec = importlib.util.find_spec(fullname)
        if spec is None or not isinstance(spec.loader, importlib.abc.Loader):
            return spec
        spec.loader = _TranslatingLoader(spec.loader, self._gettext)
        return spec


class _TranslatingLoader(importlib.abc.Loader):
    """Runs a module with its own loader, then puts its headings into the catalogue's words."""

    def __init__(self, loader: importlib.abc.Loader, gettext: Callable[[str], str]) -> None:
        self._loader = loader
        self._gettext = gettext

    def create_module(self, spec: ModuleSpec) -> ModuleType | None:
        """What the module's own loader creates."""
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        """Run the module, then translate it; it keeps its own loader, as if never wrapped."""
        if module.__spec__ is not None:
            module.__spec__.loader = self._loader
        module.__loader__ = self._loader
        self._loader.exec_module(module)
        _speak_rich(module, self._gettext)


def _speak_click(gettext: Callable[[str], str]) -> None:
    formatting = importlib.import_module("typer._click.formatting")
    decorators = importlib.import_module("typer._click.decorators")
    exceptions = importlib.import_module("typer._click.exceptions")
    formatter = formatting.HelpFormatter
    write_usage = getattr(formatter.write_usage, "__wrapped__", formatter.write_usage)

    def usage(self: Any, prog: str, args: str = "", prefix: str | None = None) -> None:
        prefix = gettext(N_("Usage:")) + " " if prefix is None else prefix
        for placeholder in USAGE_PLACEHOLDERS:
            args = args.replace(placeholder, gettext(placeholder))
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
    # UsageError inherits its format_message (typer's own exception's): it is translated on
    # UsageError, so that its subclasses without one of their own (an option missing its
    # value, extra arguments) are translated too.
    for name in ("UsageError", "BadParameter", "MissingParameter", "NoSuchOption"):
        error = getattr(exceptions, name)
        error.format_message = _translated(error.format_message, gettext)


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
