"""`dondoc calendar`: the working-day calendar reminders follow, and the admin's changes to it."""

from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc calendar show | add-day-off | add-working-day`."""
    t = cli.t
    group = typer.Typer(
        help=t(N_("Working days: holidays, announced days off and working Saturdays.")),
        no_args_is_help=True,
    )
    app.add_typer(group, name="calendar")

    @group.command("show", help=t(N_("List a year's days off and working weekend days.")))
    def show(
        year: Annotated[int, typer.Argument(help=t(N_("The year, e.g. 2025.")))],
        org: str | None = cli.org_option(),
    ) -> None:
        from locales import format_day
        from services.reminding.policies import year_entries

        with cli.session() as session:
            entries = year_entries(
                session, cli.organization(session, org), year, language=cli.locale
            )
        if not entries:
            cli.say(N_("No days off known for {year}."), year=year)
        for entry in entries:
            kind = t(N_("working day")) if entry.working else t(N_("day off"))
            mark = "  *" if entry.added_by_admin else ""
            typer.echo(
                f"{format_day(entry.day, locale=cli.locale)}  {_weekday(cli, entry.day)}  {kind}  "
                f"{entry.reason}{mark}"
            )
        if any(entry.added_by_admin for entry in entries):
            cli.say(N_("* added by the office"))

    @group.command("add-day-off", help=t(N_("Declare a day off (e.g. an announced extra day).")))
    def add_day_off(
        day: Annotated[str, typer.Argument(help=t(N_("The date, dd/mm/yyyy.")))],
        reason: Annotated[str, typer.Option("--reason", help=t(N_("Why (shown to people).")))],
        org: str | None = cli.org_option(),
    ) -> None:
        _set(cli, org, day, working=False, reason=reason)

    @group.command(
        "add-working-day",
        help=t(N_("Declare a working day (e.g. a Saturday worked in exchange).")),
    )
    def add_working_day(
        day: Annotated[str, typer.Argument(help=t(N_("The date, dd/mm/yyyy.")))],
        reason: Annotated[str, typer.Option("--reason", help=t(N_("Why (shown to people).")))],
        org: str | None = cli.org_option(),
    ) -> None:
        _set(cli, org, day, working=True, reason=reason)


def _set(cli: "Cli", org: str | None, text: str, *, working: bool, reason: str) -> None:
    from services.reminding.rules import set_day

    day = _parse_day(text)
    if day is None:
        cli.fail(N_("Not a date: {text} (use dd/mm/yyyy)."), code=2, text=text)
    with cli.session() as session:
        office = cli.office(session, cli.organization(session, org))
        set_day(session, cli.clock, office, day, working=working, reason=reason)
    if working:
        cli.say(N_("{date} is now a working day."), date=day)
    else:
        cli.say(N_("{date} is now a day off."), date=day)


def _parse_day(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(text.strip(), pattern).date()  # noqa: DTZ007 - a date only
        except ValueError:
            continue
    return None


WEEKDAYS = (N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"), N_("Fri"), N_("Sat"), N_("Sun"))


def _weekday(cli: "Cli", day: date) -> str:
    return cli.t(WEEKDAYS[day.weekday()])
