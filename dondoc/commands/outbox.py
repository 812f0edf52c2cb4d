"""`dondoc outbox`: what the bot sent or could not send, and sending a message again."""

from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli

STATES = ("pending", "sending", "sent", "failed", "dead")


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc outbox list | retry`."""
    t = cli.t
    group = typer.Typer(
        help=t(N_("Messages to send, sent, and undelivered.")), no_args_is_help=True
    )
    app.add_typer(group, name="outbox")

    @group.command(
        "list",
        help=t(N_("List the latest messages; --state failed lists every undelivered one.")),
    )
    def list_(
        state: Annotated[
            str | None, typer.Option("--state", help="pending | sending | sent | failed | dead")
        ] = None,
        limit: Annotated[int, typer.Option("--limit", help=t(N_("How many.")))] = 50,
        org: str | None = cli.org_option(),
    ) -> None:
        from locales import format_moment
        from models import OutboxState
        from services.reminding.deliveries import list_outbox

        if state is not None and state not in STATES:
            cli.fail(N_("Unknown state {state}."), code=2, state=state)
        with cli.session() as session:
            office = cli.office(session, cli.organization(session, org))
            views = list_outbox(
                session,
                office,
                state=OutboxState(state) if state else None,
                limit=limit,
            )
        if not views:
            cli.say(N_("No messages."))
        zone = cli.clock.zone
        for view in views:
            typer.echo(
                f"{view.id}\t{view.state.value}\t{view.kind.value}\t{view.officer}\t"
                f"{format_moment(view.scheduled_for, zone, locale=cli.locale)}\t{view.attempts}\t"
                f"{view.channel.value if view.channel else '-'}\t{view.last_error or ''}"
            )

    @group.command("retry", help=t(N_("Send an undelivered message again, now.")))
    def retry(
        row_id: Annotated[int, typer.Argument(help=t(N_("The message's id.")))],
        org: str | None = cli.org_option(),
    ) -> None:
        from services.reminding.deliveries import retry_outbox

        with cli.session() as session:
            office = cli.office(session, cli.organization(session, org))
            retry_outbox(session, cli.clock, office, row_id)
        cli.say(N_("Message {id} will be sent again."), id=row_id)
