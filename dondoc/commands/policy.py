"""`dondoc policy`: the reminder policy of the organization, or of one task."""

from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli
    from services.reminding.policies import Policy

CADENCE_NAMES = {
    "monthly": N_("monthly"),
    "quarterly": N_("quarterly"),
    "yearly": N_("yearly"),
    "off": N_("off"),
}
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc policy show | set`."""
    t = cli.t
    group = typer.Typer(
        help=t(N_("When reminders go out: offsets, overdue notices, escalation, hours.")),
        no_args_is_help=True,
    )
    app.add_typer(group, name="policy")

    def task_option() -> str | None:
        return typer.Option(None, "--task", help=t(N_("A task's code: its own policy.")))  # type: ignore[no-any-return]

    @group.command("show", help=t(N_("Show the reminder policy in force.")))
    def show(org: str | None = cli.org_option(), task: str | None = task_option()) -> None:
        from services.reminding.policies import find_policy_task, show_policy

        with cli.session() as session:
            organization = cli.organization(session, org)
            found = find_policy_task(session, organization, task) if task else None
            _print(cli, show_policy(session, organization, found))

    @group.command("set", help=t(N_("Change the reminder policy (then re-plan reminders).")))
    def set_(
        offsets: Annotated[
            str | None,
            typer.Option("--offsets", help=t(N_("Days before the due date, e.g. 14,7,3,1,0."))),
        ] = None,
        coordinator_offsets: Annotated[
            str | None,
            typer.Option(
                "--coordinator-offsets", help=t(N_("Days before the due date for coordinators."))
            ),
        ] = None,
        overdue_every: Annotated[
            str | None,
            typer.Option("--overdue-every", help=t(N_("Working days between overdue notices."))),
        ] = None,
        escalate_after: Annotated[
            str | None,
            typer.Option(
                "--escalate-after", help=t(N_("Working days overdue before the chair is told."))
            ),
        ] = None,
        send_time: Annotated[
            str | None, typer.Option("--send-time", help=t(N_("Daily send time, HH:MM.")))
        ] = None,
        quiet: Annotated[
            str | None, typer.Option("--quiet", help=t(N_("Quiet hours, e.g. 21:00-07:00.")))
        ] = None,
        summary_weekday: Annotated[
            str | None,
            typer.Option("--summary-weekday", help=t(N_("Weekly summary day, 0 = Monday."))),
        ] = None,
        ongoing_checkin: Annotated[
            str | None,
            typer.Option(
                "--ongoing-checkin", help=t(N_("Ongoing tasks: monthly, quarterly or off."))
            ),
        ] = None,
        long_window_checkin: Annotated[
            str | None,
            typer.Option(
                "--long-window-checkin", help=t(N_("Windows over a year: yearly or off."))
            ),
        ] = None,
        report_draft_days: Annotated[
            str | None,
            typer.Option(
                "--report-draft-days",
                help=t(N_("Working days before a required report when its draft is sent.")),
            ),
        ] = None,
        duty_checkin: Annotated[
            str | None,
            typer.Option(
                "--duty-checkin",
                help=t(N_("Standing duties, before each quarter's report: quarterly or off.")),
            ),
        ] = None,
        reset: Annotated[
            bool, typer.Option("--reset", help=t(N_("Drop the task's own policy.")))
        ] = False,
        org: str | None = cli.org_option(),
        task: str | None = task_option(),
    ) -> None:
        from services.reminding.policies import find_policy_task, parse_changes
        from services.reminding.rules import set_policy

        given = {
            "offsets": offsets,
            "coordinator_offsets": coordinator_offsets,
            "overdue_every": overdue_every,
            "escalate_after": escalate_after,
            "send_time": send_time,
            "quiet": quiet,
            "summary_weekday": summary_weekday,
            "ongoing_checkin": ongoing_checkin,
            "long_window_checkin": long_window_checkin,
            "report_draft_days": report_draft_days,
            "duty_checkin": duty_checkin,
        }
        with cli.session() as session:
            changes = parse_changes({k: v for k, v in given.items() if v is not None})
            organization = cli.organization(session, org)
            found = find_policy_task(session, organization, task) if task else None
            office = cli.office(session, organization)
            policy = set_policy(session, cli.clock, office, changes, task=found, reset=reset)
            cli.say(N_("Reminder policy saved; reminders re-planned."))
            _print(cli, policy)


def _print(cli: "Cli", policy: "Policy") -> None:
    days = ", ".join(str(day) for day in policy.offsets)
    coordinator = ", ".join(str(day) for day in policy.coordinator_offsets) or "—"
    cli.say(N_("Reminders before the due date (days): {days}"), days=days)
    cli.say(N_("Coordinators (days before): {days}"), days=coordinator)
    cli.say(
        N_(
            "Overdue notices: every {every} working days, every {slow} after {slow_after}, "
            "every {rare} after {rare_after}"
        ),
        every=policy.overdue_every,
        slow=policy.overdue_slow_every,
        slow_after=policy.overdue_slow_after,
        rare=policy.overdue_rare_every,
        rare_after=policy.overdue_rare_after,
    )
    cli.say(
        N_("Escalation to the chair after {days} working days overdue"), days=policy.escalate_after
    )
    cli.say(
        N_("Report drafts {days} working days before a required report is due"),
        days=policy.report_draft_days,
    )
    cli.say(
        N_("Send time {time}; quiet hours {start}-{end}"),
        time=f"{policy.send_time:%H:%M}",
        start=f"{policy.quiet_start:%H:%M}",
        end=f"{policy.quiet_end:%H:%M}",
    )
    cli.say(N_("Weekly summary: {day}"), day=cli.t(WEEKDAYS[policy.summary_weekday]))
    cli.say(
        N_("Check-ins: ongoing tasks {ongoing}, windows over a year {long}"),
        ongoing=cli.t(CADENCE_NAMES[policy.ongoing_checkin.value]),
        long=cli.t(CADENCE_NAMES[policy.long_window_checkin.value]),
    )
    cli.say(
        N_("Standing duties: check-in before each quarter's report {cadence}"),
        cadence=cli.t(CADENCE_NAMES[policy.duty_checkin.value]),
    )
