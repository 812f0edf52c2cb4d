"""`dondoc WORD …` imports and registers the module of WORD's command only; the table that says
which module holds which command agrees with what every module registers."""

import typer
import typer.main
from typer.core import TyperGroup
from typer.testing import CliRunner

from dondoc.cli import COMMANDS, build_cli


def _names(app: typer.Typer) -> list[str]:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return list(group.commands)


def test_every_command_is_in_the_table() -> None:
    assert sorted(_names(build_cli("vi"))) == sorted(COMMANDS)


def test_a_command_word_registers_its_own_module_s_commands_only() -> None:
    for word, module in COMMANDS.items():
        alike = [other for other, owner in COMMANDS.items() if owner == module]
        assert sorted(_names(build_cli("vi", word))) == sorted(alike), word


def test_an_unknown_first_word_registers_every_command_to_say_so() -> None:
    assert sorted(_names(build_cli("en", "--version"))) == sorted(COMMANDS)
    result = CliRunner().invoke(build_cli("en", "tsks"), ["tsks", "list"])
    assert result.exit_code == 2
    assert "No such command 'tsks'" in result.stderr


def test_a_command_s_help_reads_the_same_registered_alone() -> None:
    for arguments in (["tasks", "--help"], ["tasks", "add", "--help"], ["org", "list", "--help"]):
        alone = CliRunner().invoke(build_cli("vi", arguments[0]), arguments)
        together = CliRunner().invoke(build_cli("vi"), arguments)
        assert (alone.exit_code, alone.stdout) == (together.exit_code, together.stdout)
