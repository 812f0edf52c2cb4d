"""`dondoc import FILE`: read a plan, show what was understood, and store it on confirmation."""

import json
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Final

import typer

from locales import N_

CHANGED_FIELDS: Final = {
    "title": N_("title"),
    "section": N_("section"),
    "requirement": N_("target"),
    "lead": N_("lead"),
    "coordinators": N_("coordinating units"),
    "deadline": N_("deadline"),
    "due": N_("due date"),
}
"""What a revision may change in a task, as the preview names it, in the plan's column order."""


def _in_plan_order(name: str) -> int:
    order = list(CHANGED_FIELDS)
    return order.index(name) if name in order else len(order)


if TYPE_CHECKING:
    from dondoc.invocation import Cli
    from plans.draft import ImportDraft
    from plans.units import KnownUnit
    from services.importing.pending import Preview


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
        if not file.is_file():
            cli.fail(N_("There is no file {path}."), code=2, path=str(file))
        if dry_run:
            _dry_run(cli, org, file, as_json=as_json)
            return
        shown = _preview(cli, org, file)  # refused here: the same file again, nothing to do
        if as_json:
            typer.echo(json.dumps(shown.draft.to_json(), ensure_ascii=False, indent=2))
        else:
            _show(cli, shown.draft)
            from services.importing.labels import revision_notice

            revision = revision_notice(shown)
            if revision is not None:
                cli.say(revision.msgid, **revision.params)
        refusal = shown.refusal
        if refusal is not None:  # the preview shows why: nothing to ask
            _cancel(cli, org, shown.pending_id)
            cli.refuse(refusal)
        if not yes and not cli.confirm(N_("Store this plan and assign its tasks?")):
            _cancel(cli, org, shown.pending_id)
            cli.say(N_("Nothing was stored."))
            return
        _store(cli, org, shown.pending_id)


def _dry_run(cli: "Cli", org: str | None, file: Path, *, as_json: bool) -> None:
    """The draft shown and nothing stored: not even a pending import, and no database needed."""
    import dataclasses

    from dondoc.invocation import work_begins
    from plans.isolation import draft_of_file
    from plans.readers.errors import PlanFileError
    from services.importing.imports import NothingToImport

    known_units = _known_units_if_any(cli, org) or ()
    work_begins()  # reading the document
    try:
        draft = draft_of_file(file, known_units=known_units)
    except PlanFileError as error:
        cli.refuse(error)
    draft = dataclasses.replace(draft, source=file.name)
    if draft.is_empty:
        cli.refuse(NothingToImport(file_name=file.name))
    if as_json:
        typer.echo(json.dumps(draft.to_json(), ensure_ascii=False, indent=2))
    else:
        _show(cli, draft)


def _preview(cli: "Cli", org: str | None, file: Path) -> "Preview":
    """The plan read and kept, pending the office's answer."""
    from plans.readers import MAX_FILE_BYTES
    from services.importing.pending import preview

    with file.open("rb") as opened:
        content = opened.read(MAX_FILE_BYTES + 1)  # one byte more says "too large"
    with cli.session() as session:
        office = cli.office(session, cli.organization(session, org))
        return preview(session, cli.clock, office, file_name=file.name, content=content)


def _cancel(cli: "Cli", org: str | None, pending_id: int) -> None:
    from services.importing.pending import cancel_pending

    with cli.session() as session:
        office = cli.office(session, cli.organization(session, org))
        cancel_pending(session, cli.clock, office, pending_id)


def _known_units_if_any(cli: "Cli", org: str | None) -> list["KnownUnit"] | None:
    """The organization's units for a dry run, without creating or migrating anything: none when
    the database does not exist yet, is not migrated, or has no single organization."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import SQLAlchemyError
    from sqlmodel import Session

    from models.db import DatabaseUrlError, make_engine, normalize_url
    from services.errors import DomainError
    from services.importing.imports import known_units
    from services.people.organizations import resolve_organization

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
            return known_units(session, resolve_organization(session, org))
    except (SQLAlchemyError, DomainError):  # none, several, or not the one named
        return None
    finally:
        engine.dispose()


def _store(cli: "Cli", org: str | None, pending_id: int) -> None:
    from services.importing.labels import stored_notice
    from services.importing.pending import confirm_pending

    with cli.session() as session:
        office = cli.office(session, cli.organization(session, org))
        outcome = confirm_pending(session, cli.clock, office, pending_id)
        stored = stored_notice(outcome)
        cli.say(stored.msgid, **stored.params)
        diff = outcome.diff
        for code in diff.added:
            cli.say(N_("  + task {code}"), code=code)
        for code in diff.removed:
            cli.say(N_("  - task {code} (cancelled, history kept)"), code=code)
        for change in diff.changed:
            cli.say(
                N_("  ~ task {code}: {fields}"),
                code=change.code,
                fields=", ".join(
                    cli.t(CHANGED_FIELDS[name]) if name in CHANGED_FIELDS else name
                    for name in sorted(change.fields, key=_in_plan_order)
                ),
            )


def _show(cli: "Cli", draft: "ImportDraft") -> None:
    """The draft as a person reads it: the plan, then one block per task, flags in the open."""
    from plans.flags import flag_sentences
    from services.importing.labels import deadline_summary, unit_names

    t = cli.t
    plan = draft.plan
    cli.say(N_("Plan: {title}"), title=plan.title or "—")
    cli.say(
        N_("Number: {number} · issued: {issued} · by: {organization} · years: {years}"),
        number=plan.number or "—",
        issued=plan.issued or "—",
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
        deadline = deadline_summary(task.deadline)
        typer.echo(f"\n[{task.code}] " + textwrap.shorten(task.title, 90, placeholder="…"))
        typer.echo("    " + t(N_("Lead: {units}"), units=unit_names(task.lead, t)))
        if task.coordinators:
            typer.echo(
                "    " + t(N_("Coordinating: {units}"), units=unit_names(task.coordinators, t))
            )
        typer.echo("    " + t(N_("Deadline: {deadline}"), deadline=deadline))
        for msgid, params in flag_sentences(task):
            typer.echo("    ⚠ " + t(msgid, **params))
        for problem in task.problems:
            typer.echo("    ⚠ " + t(problem))
    if draft.obligations:
        cli.say(N_("Reporting duties: {count}"), count=len(draft.obligations))
        for obligation in draft.obligations:
            typer.echo(f"  • {obligation.what} — {deadline_summary(obligation.deadline)}")
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
            typer.echo(f"\n== {unit_names((item.unit,), t)}")
            for duty in item.duties:
                typer.echo("  • " + textwrap.shorten(duty, 110, placeholder="…"))
    flagged = sum(1 for task in draft.tasks if task.flags or task.problems)
    if flagged:
        cli.say(N_("Tasks to check (⚠): {count}."), count=flagged)
