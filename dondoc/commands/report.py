"""`dondoc report PLAN --as xlsx|docx|png`: a plan's progress workbook, chart or report draft."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli

FORMATS = ("xlsx", "docx", "png")


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc report`."""
    t = cli.t

    @app.command(
        "report",
        help=t(
            N_(
                "Write a plan's progress workbook (xlsx), chart (png) or report draft (docx) "
                "for a quarter, half year or year."
            )
        ),
    )
    def report(
        plan: Annotated[
            list[str] | None,
            typer.Argument(help=t(N_("The plan's number, or words of its title."))),
        ] = None,
        as_: Annotated[str, typer.Option("--as", help="xlsx | docx | png")] = "xlsx",
        period: Annotated[
            str | None,
            typer.Option(
                "--period",
                help=t(N_("2025-Q2, 2025-H1 or 2025 (default: the current quarter).")),
            ),
        ] = None,
        out: Annotated[
            Path | None,
            typer.Option("--out", help=t(N_("Where to write the file (- for standard output)."))),
        ] = None,
        org: str | None = cli.org_option(),
    ) -> None:
        from reports.period import BadPeriod, parse_period

        if as_ not in FORMATS:
            cli.fail(N_("Unknown format {format}: use xlsx, docx or png."), code=2, format=as_)
        try:
            chosen = parse_period(period) if period else None
        except BadPeriod:
            cli.fail(
                N_("Unknown period {period}: write 2025-Q2, 2025-H1 or 2025."),
                code=2,
                period=period,
            )
        from reports.files import Kind, build_file
        from services.reporting.snapshots import plan_snapshot

        clock = cli.clock
        with cli.session() as session:
            organization = cli.organization(session, org)
            assert organization.id is not None
            office = cli.office(session, organization)  # it sees the whole plan
            snapshot = plan_snapshot(
                session, clock, office, " ".join(plan or ()), period=chosen, locale=cli.locale
            )
        report_file = build_file(Kind(as_), snapshot)
        if out is not None and str(out) == "-":
            sys.stdout.buffer.write(report_file.content)
            return
        target = out or Path(report_file.name)
        try:
            target.write_bytes(report_file.content)
        except OSError:
            cli.fail(
                N_("Cannot write {path}: check that its folder exists and may be written to."),
                path=str(target),
            )
        cli.say(N_("Written: {path}"), path=str(target))
