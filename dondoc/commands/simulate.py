"""`dondoc simulate`: every message the bot would send for a plan, on a simulated clock."""

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_, format_moment

if TYPE_CHECKING:
    from dondoc.invocation import Cli


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc simulate FILE --from DATE --to DATE [--json]`."""
    t = cli.t

    @app.command(
        "simulate",
        help=t(
            N_(
                "Preview the reminders of a plan: import it into a throwaway database with one "
                "officer per unit, a chair and an admin, and run the engine from one date to "
                "another."
            )
        ),
    )
    def simulate(
        file: Annotated[Path, typer.Argument(help=t(N_("The plan file.")))],
        start: Annotated[str, typer.Option("--from", help=t(N_("First day, YYYY-MM-DD.")))],
        end: Annotated[str, typer.Option("--to", help=t(N_("Last day, YYYY-MM-DD.")))],
        as_json: Annotated[bool, typer.Option("--json", help=t(N_("Print JSON.")))] = False,
    ) -> None:
        from dondoc.invocation import work_begins
        from jobs import simulation
        from plans.readers.errors import PlanFileError
        from services.errors import DomainError

        try:
            first, last = date.fromisoformat(start), date.fromisoformat(end)
        except ValueError:
            cli.fail(N_("Dates are written YYYY-MM-DD."), code=2)
        if last < first:
            cli.fail(N_("--to comes before --from."), code=2)
        if not file.is_file():
            cli.fail(N_("There is no file {path}."), code=2, path=str(file))
        zone = cli.settings.zone
        work_begins()  # a whole plan's reminders, on a database of their own
        try:
            messages = simulation.simulate(file, start=first, end=last, zone=zone)
        except (PlanFileError, DomainError) as error:  # unreadable, or nothing to follow up
            cli.refuse(error)
        if as_json:
            typer.echo(json.dumps([m.to_json() for m in messages], ensure_ascii=False, indent=1))
            return
        for message in messages:
            typer.echo(
                f"— {format_moment(message.at, zone, locale=cli.locale)} → {message.recipient}"
            )
            typer.echo(message.text)
        cli.say(N_("{count} messages."), count=len(messages))
