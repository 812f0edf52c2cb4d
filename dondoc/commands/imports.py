"""`dondoc import FILE`: read a plan, show what was understood, and store it on confirmation."""

import hashlib
import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.cli import Cli
    from plans.draft import ImportDraft
    from plans.units import KnownUnit


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc import`."""
    t = cli.t

    @app.command("import", help=t(N_("Import a plan (.docx, .xlsx, .pdf or .txt).")))
    def import_(
        file: Annotated[Path, typer.Argument(help=t(N_("The plan file.")))],
        dry_run: Annotated[
            bool, typer.Option("--dry-run", help=t(N_("Show the draft; store nothing.")))
        ] = False,
        as_json: Annotated[
            bool, typer.Option("--json", help=t(N_("Print the draft as JSON.")))
        ] = False,
        yes: Annotated[
            bool, typer.Option("--yes", "-y", help=t(N_("Store without asking.")))
        ] = False,
        org: str | None = cli.org_option(),
    ) -> None:
        from plans.isolation import draft_of_file
        from plans.readers.errors import PlanFileError

        if not file.is_file():
            cli.fail(N_("There is no file {path}."), code=2, path=str(file))
        if not dry_run:
            _refuse_if_imported(cli, org, file)  # before a preview that would be for nothing
        known = _known_units_if_any(cli, org) if dry_run else None
        if known is None and not dry_run:
            known = _known_units(cli, org)
        try:
            draft = draft_of_file(file, known_units=known or ())
        except PlanFileError as error:
            cli.refuse(error)
        draft = _named(draft, file.name)
        if draft.is_empty:
            cli.fail(
                N_(
                    "I found no task table, no standing duty for a unit and no reporting duty "
                    "in {file_name}: there is nothing to follow up. Please check that this is "
                    "the plan."
                ),
                file_name=file.name,
            )
        if as_json:
            typer.echo(json.dumps(draft.to_json(), ensure_ascii=False, indent=2))
        else:
            _show(cli, draft)
        if dry_run:
            return
        if not yes and not cli.confirm(N_("Store this plan and assign its tasks?")):
            cli.say(N_("Nothing was stored."))
            return
        _store(cli, org, draft, file)


def _named(draft: "ImportDraft", file_name: str) -> "ImportDraft":
    import dataclasses

    return dataclasses.replace(draft, source=file_name)


def _known_units(cli: "Cli", org: str | None) -> list["KnownUnit"]:
    from services.importing.imports import known_units

    with cli.session() as session:
        return known_units(session, cli.organization(session, org))


def _known_units_if_any(cli: "Cli", org: str | None) -> list["KnownUnit"] | None:
    """The organization's units for a dry run, without creating or migrating anything: none when
    the database does not exist yet, is not migrated, or has no single organization."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session, select

    from models import Organization
    from models.db import DatabaseUrlError, make_engine, normalize_url
    from services.importing.imports import known_units

    try:
        url = normalize_url(cli.settings.database_url)
    except DatabaseUrlError:
        return None
    if url.get_backend_name() == "sqlite" and (
        not url.database or not Path(url.database).exists()
    ):
        return None
    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        if "organization" not in inspect(engine).get_table_names():
            return None
        with Session(engine) as session:
            query = select(Organization)
            if org is not None:
                query = query.where(Organization.name == org)
            orgs = session.exec(query.limit(2)).all()
            return known_units(session, orgs[0]) if len(orgs) == 1 else None
    except SQLAlchemyError:
        return None
    finally:
        engine.dispose()


def _refuse_if_imported(cli: "Cli", org: str | None, file: Path) -> None:
    """Stop with one line when this very file is already stored."""
    from services.importing.imports import AlreadyImported, refuse_if_imported

    sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
    with cli.session() as session:
        organization = cli.organization(session, org)
        assert organization.id is not None
        try:
            refuse_if_imported(session, cli.clock, organization.id, sha256)
        except AlreadyImported as error:
            cli.refuse(error)


def _store(cli: "Cli", org: str | None, draft: "ImportDraft", file: Path) -> None:
    from services.importing.imports import confirm_import

    sha256 = hashlib.sha256(file.read_bytes()).hexdigest()
    with cli.session() as session:
        organization = cli.organization(session, org)
        office = cli.office(session, organization)
        outcome = confirm_import(
            session, cli.clock, office, draft, source_name=file.name, sha256=sha256
        )
        if outcome.revised is None:
            cli.say(
                N_("Plan stored. Tasks assigned: {tasks}."),
                tasks=draft.tracked,
            )
            return
        diff = outcome.diff
        cli.say(
            N_(
                "Stored the revised plan: {added} added, {removed} removed, {changed} changed, "
                "{unchanged} unchanged."
            ),
            added=len(diff.added),
            removed=len(diff.removed),
            changed=len(diff.changed),
            unchanged=diff.unchanged,
        )
        for code in diff.added:
            cli.say(N_("  + task {code}"), code=code)
        for code in diff.removed:
            cli.say(N_("  - task {code} (cancelled, history kept)"), code=code)
        for change in diff.changed:
            cli.say(
                N_("  ~ task {code}: {fields}"),
                code=change.code,
                fields=", ".join(sorted(change.fields)),
            )


def _show(cli: "Cli", draft: "ImportDraft") -> None:
    from locales.dates import format_day
    from plans.flags import flag_sentences

    """The draft as a person reads it: the plan, then one block per task, flags in the open."""
    t = cli.t
    plan = draft.plan
    cli.say(N_("Plan: {title}"), title=plan.title or "—")
    cli.say(
        N_("Number: {number} · issued: {issued} · by: {organization} · years: {years}"),
        number=plan.number or "—",
        issued=format_day(plan.issued) if plan.issued else "—",
        organization=plan.organization or "—",
        years=", ".join(str(y) for y in plan.years) or "—",
    )
    proposed = [u for u in draft.units if not u.is_known]
    cli.say(N_("Units: {count} ({new} new)"), count=len(draft.units), new=len(proposed))
    for unit in proposed:
        extra = (" (" + ", ".join(unit.aliases) + ")") if unit.aliases else ""
        outside = "  " + t(N_("[external]")) if unit.external else ""
        typer.echo(f"  + {unit.name}{extra}{outside}")
    cli.say(N_("Tasks: {count}"), count=len(draft.tasks))
    section = None
    for task in draft.tasks:
        if task.section != section and task.section:
            typer.echo(f"\n== {task.section}")
        section = task.section
        deadline = _deadline_summary(task.deadline)
        typer.echo(f"\n[{task.code}] " + textwrap.shorten(task.title, 90, placeholder="…"))
        typer.echo("    " + t(N_("Lead: {units}"), units=_units(cli, task.lead)))
        if task.coordinators:
            typer.echo(
                "    " + t(N_("Coordinating: {units}"), units=_units(cli, task.coordinators))
            )
        typer.echo("    " + t(N_("Deadline: {deadline}"), deadline=deadline))
        for msgid, params in flag_sentences(task):
            typer.echo("    ⚠ " + t(msgid, **params))
        for problem in task.problems:
            typer.echo("    ⚠ " + t(problem))
    if draft.obligations:
        cli.say(N_("Reporting duties: {count}"), count=len(draft.obligations))
        for obligation in draft.obligations:
            typer.echo(f"  • {obligation.what} — {_deadline_summary(obligation.deadline)}")
    duties = [item for item in draft.responsibilities if item.duties]
    if duties:
        if draft.duties_are_tasks:
            cli.say(
                N_("Standing duties (followed up each quarter): {count}"),
                count=sum(len(item.duties) for item in duties),
            )
        else:
            cli.say(N_("Duties of the units (Tổ chức thực hiện): {count}"), count=len(duties))
        for item in duties:
            typer.echo(f"\n== {_units(cli, (item.unit,))}")
            for duty in item.duties:
                typer.echo("  • " + textwrap.shorten(duty, 110, placeholder="…"))
    flagged = sum(1 for task in draft.tasks if task.flags or task.problems)
    if flagged:
        cli.say(N_("Tasks to check (⚠): {count}."), count=flagged)


def _units(cli: "Cli", names: tuple[str, ...]) -> str:
    from services.people.units import SPECIAL_UNITS

    return ", ".join(cli.t(SPECIAL_UNITS[n]) if n in SPECIAL_UNITS else n for n in names) or "—"


def _deadline_summary(deadline: Any) -> str:
    from locales.dates import format_day

    text = " ".join(str(deadline.text).split())
    due = getattr(deadline, "due", None)
    return f"{text} → {format_day(due)}" if due else text
