"""`dondoc tasks`: list tasks with each unit's share; give, close, reopen, re-date, assign and
cancel them one at a time. The command line is the office: it acts as the organization's first
admin (or, with none, as "the office")."""

import json
from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from sqlmodel import Session

    from dondoc.cli import Cli
    from models import Organization
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
            typer.Option("--status", help="open | done | overdue | blocked | cancelled"),
        ] = None,
        as_json: Annotated[bool, typer.Option("--json", help=t(N_("Print JSON.")))] = False,
        org: str | None = cli.org_option(),
    ) -> None:
        from services.tracking.task_list import ListStatus, list_tasks

        if status is not None and status not in STATUSES:
            cli.fail(N_("Unknown status {status}."), code=2, status=status)
        clock = cli.clock
        with cli.session() as session:
            actor = cli.office(session, cli.organization(session, org), managers=True)
            rows = list_tasks(
                session,
                clock,
                actor,
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
        from services.clock import local_now
        from services.people.units import get_unit
        from services.reporting.snapshots import find_plan
        from services.tracking.handmade import give_task
        from services.tracking.typed_deadlines import read_deadline

        clock = cli.clock
        with cli.session() as session:
            organization = cli.organization(session, org)
            actor = cli.office(session, organization, managers=True)
            deadline = read_deadline(due, now=local_now(clock)) if due else None
            if deadline is not None:
                _echo_deadline(cli, deadline.text, deadline.due)
            leads = [get_unit(session, organization, name).id or 0 for name in unit]
            coordinators = [
                get_unit(session, organization, name).id or 0 for name in coordinator or []
            ]
            plan_id = find_plan(session, actor, plan).id if plan else None
            given = give_task(
                session,
                clock,
                actor,
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
        from services.tracking.task_list import find_task, occurrence_to_act_on
        from services.tracking.tasks import mark_done

        clock = cli.clock
        with cli.session() as session:
            organization = cli.organization(session, org)
            actor = cli.office(session, organization, managers=True)
            task = find_task(session, actor, code, plan=plan)
            occurrence = occurrence_to_act_on(session, task, done=False)
            assert occurrence.id is not None
            ref = mark_done(
                session,
                clock,
                actor,
                occurrence.id,
                via=Channel.CONSOLE,
                unit_id=_unit_id(session, organization, unit),
            )
        _say_shares(cli, ref.code, ref.status.value, ref.units_done, ref.units_total)

    @group.command("reopen", help=t(N_("Open a done or cancelled task (or one unit's part).")))
    def reopen_(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        unit: Annotated[str | None, typer.Option("--unit", help=t(N_("A lead unit.")))] = None,
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel, TaskStatus
        from services.tracking.handmade import uncancel
        from services.tracking.task_list import find_task, occurrence_to_act_on
        from services.tracking.tasks import reopen

        clock = cli.clock
        with cli.session() as session:
            organization = cli.organization(session, org)
            actor = cli.office(session, organization, managers=True)
            task = find_task(session, actor, code, plan=plan)
            assert task.id is not None
            if task.status is TaskStatus.CANCELLED:
                given = uncancel(session, clock, actor, task.id, via=Channel.CONSOLE)
                cli.say(N_("Task {code} is open again."), code=given.code)
                return
            occurrence = occurrence_to_act_on(session, task, done=True)
            assert occurrence.id is not None
            ref = reopen(
                session,
                clock,
                actor,
                occurrence.id,
                via=Channel.CONSOLE,
                unit_id=_unit_id(session, organization, unit),
            )
        _say_shares(cli, ref.code, ref.status.value, ref.units_done, ref.units_total)

    @group.command("cancel", help=t(N_("Cancel a task, with the reason.")))
    def cancel_(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        reason: Annotated[str, typer.Option("--reason", help=t(N_("Why it is cancelled.")))],
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.tracking.handmade import cancel
        from services.tracking.task_list import find_task

        clock = cli.clock
        with cli.session() as session:
            actor = cli.office(session, cli.organization(session, org), managers=True)
            task = find_task(session, actor, code, plan=plan)
            assert task.id is not None
            given = cancel(session, clock, actor, task.id, reason=reason, via=Channel.CONSOLE)
        cli.say(N_("Task {code} is cancelled."), code=given.code)

    @group.command("due", help=t(N_("Give a task a new deadline, written as people write it.")))
    def due_(
        code: Annotated[str, typer.Argument(help=t(N_("The task's code.")))],
        phrase: Annotated[list[str], typer.Argument(help=t(N_("The new deadline.")))],
        plan: str | None = plan_option(),
        org: str | None = cli.org_option(),
    ) -> None:
        from models import Channel
        from services.clock import local_now
        from services.tracking.handmade import redate
        from services.tracking.task_list import find_task
        from services.tracking.typed_deadlines import read_deadline

        clock = cli.clock
        with cli.session() as session:
            actor = cli.office(session, cli.organization(session, org), managers=True)
            deadline = read_deadline(" ".join(phrase), now=local_now(clock))
            _echo_deadline(cli, deadline.text, deadline.due)
            task = find_task(session, actor, code, plan=plan)
            assert task.id is not None
            given = redate(session, clock, actor, task.id, deadline=deadline, via=Channel.CONSOLE)
        cli.say(
            N_("Task {code} is now due {due}."),
            code=given.code,
            due=given.due.strftime("%d/%m/%Y") if given.due else "—",
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
        from services.people.units import get_unit
        from services.tracking.handmade import assign
        from services.tracking.task_list import find_task

        clock = cli.clock
        with cli.session() as session:
            organization = cli.organization(session, org)
            actor = cli.office(session, organization, managers=True)
            task = find_task(session, actor, code, plan=plan)
            assert task.id is not None
            ids = [get_unit(session, organization, name).id or 0 for name in unit]
            given = assign(session, clock, actor, task.id, unit_ids=ids, via=Channel.CONSOLE)
        cli.say(
            N_("Task {code} is led by {units}."), code=given.code, units=", ".join(given.units)
        )


def _unit_id(session: "Session", org: "Organization", name: str | None) -> int | None:
    from services.people.units import get_unit

    return None if name is None else get_unit(session, org, name).id


def _echo_deadline(cli: "Cli", phrase: str, due: "object") -> None:
    from datetime import date

    if isinstance(due, date):
        cli.say(N_("Deadline “{phrase}”: {date}."), phrase=phrase, date=due.strftime("%d/%m/%Y"))
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
    due = row.due.strftime("%d/%m/%Y") if row.due else "—"
    leads = row.leads
    status = cli.t(_STATUS_WORDS.get("overdue" if row.overdue else row.status, row.status))
    if len(leads) > 1:
        share = cli.t(N_("{done}/{total} units done"), done=row.leads_done, total=len(leads))
        status = f"{status} ({share})"
    plan = row.plan or cli.t(N_("no plan"))
    units = ", ".join(s.unit + (" ✅" if s.is_done else "") for s in leads) or cli.t(
        N_("awaiting a lead")
    )
    typer.echo(f"{row.code}\t{row.title}\t{plan}\t{due}\t{status}\t{units}")


_STATUS_WORDS = {
    "open": N_("open"),
    "done": N_("done"),
    "cancelled": N_("cancelled"),
    "overdue": N_("overdue"),
}
