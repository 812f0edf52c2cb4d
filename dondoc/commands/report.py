"""`dondoc report PLAN --as xlsx|docx|png`: a plan's progress workbook, chart or report draft."""

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.cli import Cli
    from reports.snapshot import Snapshot

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
            list[str], typer.Argument(help=t(N_("The plan's number, or words of its title.")))
        ],
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
        from models import Officer, Role
        from services.clock import SystemClock
        from services.reporting.snapshots import plan_snapshot

        clock = SystemClock()
        with cli.session() as session:
            organization = cli.organization(session, org)
            assert organization.id is not None
            # The command line is the office itself: it sees the whole plan.
            office = Officer(
                organization_id=organization.id,
                name=t(N_("The office")),
                role=Role.ADMIN,
                locale=cli.locale,
                created_at=clock.now(),
            )
            snapshot = plan_snapshot(
                session, clock, office, " ".join(plan), period=chosen, locale=cli.locale
            )
        content = _build(as_, snapshot)
        if out is not None and str(out) == "-":
            sys.stdout.buffer.write(content)
            return
        target = out or Path(
            _file_name(snapshot.plan.number or snapshot.plan.title, snapshot, as_)
        )
        target.write_bytes(content)
        cli.say(N_("Written: {path}"), path=str(target))


def _build(kind: str, snapshot: "Snapshot") -> bytes:
    if kind == "xlsx":
        from reports.workbook import build_workbook

        return build_workbook(snapshot)
    if kind == "docx":
        from reports.draft import build_draft

        return build_draft(snapshot)
    from reports.chart import build_chart

    return build_chart(snapshot)


def _file_name(name: str | None, snapshot: "Snapshot", kind: str) -> str:
    from plans.folding import fold

    slug = re.sub(r"[^a-z0-9]+", "-", fold(name or "ke-hoach")).strip("-")[:40] or "ke-hoach"
    return f"bao-cao-{slug}-{snapshot.period.code}.{kind}"
