"""`dondoc tasks`: list tasks with each unit's share; give, close, reopen, re-date, assign and
cancel them one at a time. The command line is the office: it acts as the organization's first
admin (or, with none, as "the office")."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_, format_day

if TYPE_CHECKING:
    from sqlmodel import Session

    from dondoc.invocation import Cli
    from models import Officer, Task
    from services.tracking.task_list import TaskRow

STATUSES = ("open", "done", "overdue", "blocked", "cancelled")


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc tasks list | add | done | reopen | cancel | due | assign`."""
    t = cli.t
    group = typer.Typer(
        help=t(N_("Tasks one at a time: list, give, close, reopen, re-date, assign, cancel.")),
        no_args_is_help=True,
    )
    app.add_typer(group, name="tasks")

    def plan_option() -> str | None:
        return typer.Option(  # type: ignore[no-any-return]
            None, "--plan", help=t(N_("The plan's number, or words of its title."))
        )

    @group.command("list", help=t(N_("List tasks with each lead unit's status.")))
    def list_(
        plan: str | None = plan_option(),
        unit: Annotated[str | None, typer.Option("--unit", help=t(N_("A unit.")))] = None,
        officer: Annotated[
            str | None, typer.Option("--officer", help=t(N_("An officer's name.")))
        ] = None,
        status: Annotated[
            str | None,
            typer.Option(
                "--status",
                help=t(
                    N_(
                        "open | done | overdue | blocked | cancelled. With --unit, open, done, "
                        "overdue and blocked are that unit's own part: a task one unit has "
                        "finished and another has not is done for the first and open for the "
                        "other (a unit that only coordinates follows the task)."
                    )
                ),
            ),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help=t(N_("Print JSON.")))] = False,
        org: str | None = cli.org_option(),
    ) -> None:
        from services.tracking.task_list import ListStatus, list_tasks

        if status is not None and status not in STATUSES:
            cli.fail(N_("Unknown status {status}."), code=2, status=status)
        clock = cli.clock
        with _office(cli, org) as office:
            rows = list_tasks(
                office.session,
                clock,
                office.actor,
                plan=plan,
                unit=unit,
                officer=officer,
                status=ListStatus(status) if status else None,
            )
        if as_json:
            typer.echo(json.dumps([row.to_json() for row in rows], ensure_ascii=False, indent=2))
            return
        if not rows:
            cli.say(N_("No tasks."))
        for row in rows:
            _print_row(cli, row)

    @group.command("add", help=t(N_("Give a task by hand; prints its code.")))
    def add(
        title: Annotated[list[str], typer.Argument(help=t(N_("What is to be done.")))],
        unit: Annotated[
            list[str], typer.Option("--unit", help=t(N_("A lead unit (repeat for several).")))
        ],
        coordinator: Annotated[
            list[str] | None,
            typer.Option("--coordinator", help=t(N_("A coordinating unit (repeatable)."))),
        ] = None,
        due: Annotated[
            str | None,
            typer.Option("--due", help=t(N_("The deadline as people write it: “trước 15/12”."))),
        ] = None,
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.tracking.giving import preview_deadline
        from services.tracking.handmade import give_task

        clock = cli.clock
        with _office(cli, org) as office:
            deadline = preview_deadline(clock, office.actor, due) if due else None
            if deadline is not None:
                _echo_deadline(cli, deadline.text, deadline.due)
            leads = office.unit_ids(unit)
            coordinators = office.unit_ids(coordinator or [])
            plan_id = None
            if plan:
                from services.tracking.plans import find_plan

                plan_id = find_plan(office.session, office.actor, plan).id
            given = give_task(
                office.session,
                clock,
                office.actor,
                title=" ".join(title),
                lead_unit_ids=leads,
                coordinator_unit_ids=coordinators,
                deadline=deadline,
                plan_id=plan_id,
                via=Channel.CONSOLE,
            )
        typer.echo(given.code)

    @group.command("done", help=t(N_("Record a task (or one unit's part of it) as done.")))
    def done(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        unit: Annotated[str | None, typer.Option("--unit", help=t(N_("A lead unit.")))] = None,
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.tracking.closing import close_task

        clock = cli.clock
        with _office(cli, org) as office:
            task_id = _id(office.task(code, plan))
            ref = close_task(
                office.session,
                clock,
                office.actor,
                task_id,
                via=Channel.CONSOLE,
                unit_id=office.unit_id(unit),
            )
        _say_shares(cli, ref.code, ref.status.value, ref.units_done, ref.units_total)

    @group.command("reopen", help=t(N_("Open a done or cancelled task (or one unit's part).")))
    def reopen_(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        unit: Annotated[str | None, typer.Option("--unit", help=t(N_("A lead unit.")))] = None,
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.tracking.reopening import reopen_task

        clock = cli.clock
        with _office(cli, org) as office:
            task_id = _id(office.task(code, plan))
            reopened = reopen_task(
                office.session,
                clock,
                office.actor,
                task_id,
                via=Channel.CONSOLE,
                unit_id=office.unit_id(unit),
            )
        if reopened.was_cancelled:
            cli.say(N_("Task {code} is open again."), code=reopened.code)
            return
        _say_shares(cli, reopened.code, "open", reopened.units_done, reopened.units_total)

    @group.command("cancel", help=t(N_("Cancel a task, with the reason.")))
    def cancel_(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        reason: Annotated[str, typer.Option("--reason", help=t(N_("Why it is cancelled.")))],
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.tracking.handmade import cancel

        clock = cli.clock
        with _office(cli, org) as office:
            task_id = _id(office.task(code, plan))
            given = cancel(
                office.session, clock, office.actor, task_id, reason=reason, via=Channel.CONSOLE
            )
        cli.say(N_("Task {code} is cancelled."), code=given.code)

    @group.command("due", help=t(N_("Give a task a new deadline, written as people write it.")))
    def due_(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        phrase: Annotated[list[str], typer.Argument(help=t(N_("The new deadline.")))],
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.tracking.giving import preview_redate
        from services.tracking.handmade import redate

        clock = cli.clock
        with _office(cli, org) as office:
            task_id = _id(office.task(code, plan))
            shown = preview_redate(office.session, clock, office.actor, task_id, " ".join(phrase))
            _echo_deadline(cli, shown.deadline.text, shown.deadline.due)
            given = redate(
                office.session,
                clock,
                office.actor,
                task_id,
                deadline=shown.deadline,
                via=Channel.CONSOLE,
            )
        cli.say(
            N_("Task {code} is now due {due}."),
            code=given.code,
            due=given.due or "—",
        )

    @group.command("assign", help=t(N_("Make these units the task's lead units.")))
    def assign_(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        unit: Annotated[
            list[str], typer.Option("--unit", help=t(N_("A lead unit (repeat for several).")))
        ],
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.tracking.handmade import assign

        clock = cli.clock
        with _office(cli, org) as office:
            task_id = _id(office.task(code, plan))
            ids = office.unit_ids(unit)
            given = assign(
                office.session, clock, office.actor, task_id, unit_ids=ids, via=Channel.CONSOLE
            )
        cli.say(
            N_("Task {code} is led by {units}."), code=given.code, units=", ".join(given.units)
        )


@dataclass(frozen=True, slots=True)
class _Office:
    """The office acting on one organization's tasks in one session."""

    session: "Session"
    actor: "Officer"

    def task(self, code: str, plan: str | None) -> "Task":
        """The task `code` names (in `plan`, when given) among the current plans."""
        from services.tracking.task_list import find_task

        return find_task(self.session, self.actor, code, plan=plan)

    def unit_id(self, name: str | None) -> int | None:
        """The unit `name` names, if any."""
        return None if name is None else self.unit_ids([name])[0]

    def unit_ids(self, names: list[str]) -> list[int]:
        """The units `names` name, in order."""
        from services.people.units import unit_ids_named

        return unit_ids_named(self.session, self.actor, names)


@contextmanager
def _office(cli: "Cli", org: str | None) -> Iterator[_Office]:
    """A session on the organization `org` names, with the office acting on it."""
    with cli.session() as session:
        organization = cli.organization(session, org)
        yield _Office(session, cli.office(session, organization, managers=True))


def _id(row: "Task") -> int:
    """The id of a saved row."""
    assert row.id is not None
    return row.id


def _echo_deadline(cli: "Cli", phrase: str, due: "object") -> None:
    from datetime import date

    if isinstance(due, date):
        cli.say(N_("Deadline “{phrase}”: {date}."), phrase=phrase, date=due)
    else:
        cli.say(N_("Deadline “{phrase}”: no fixed date."), phrase=phrase)


def _say_shares(cli: "Cli", code: str, status: str, done: int, total: int) -> None:
    if total > 1 and status != "done":
        cli.say(N_("Task {code}: {done}/{total} units done."), code=code, done=done, total=total)
    elif status == "done":
        cli.say(N_("Task {code} is done."), code=code)
    else:
        cli.say(N_("Task {code} is open again."), code=code)


def _print_row(cli: "Cli", row: "TaskRow") -> None:
    from services.people.units import unit_words

    due = format_day(row.due, locale=cli.locale) if row.due else "—"
    leads = row.leads
    status = cli.t(_STATUS_WORDS.get("overdue" if row.overdue else row.status, row.status))
    if len(leads) > 1:
        share = cli.t(N_("{done}/{total} units done"), done=row.leads_done, total=len(leads))
        status = f"{status} ({share})"
    plan = row.plan or cli.t(N_("no plan"))
    units = ", ".join(unit_words(s.unit, cli.t) + (" ✅" if s.is_done else "") for s in leads)
    units = units or cli.t(N_("awaiting a lead"))
    typer.echo(f"{row.code}\t{row.title}\t{plan}\t{due}\t{status}\t{units}")


_STATUS_WORDS = {
    "open": N_("open"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
    "overdue": N_("overdue"),
}
