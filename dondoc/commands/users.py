"""`dondoc users passwd NAME`: the office sets the password someone signs in to the web with."""

from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc users passwd`."""
    t = cli.t
    group = typer.Typer(help=t(N_("Web sign-in for officers.")), no_args_is_help=True)
    app.add_typer(group, name="users")

    @group.command("passwd", help=t(N_("Set the web password of the officer called NAME.")))
    def passwd(
        name: Annotated[str, typer.Argument(help=t(N_("The officer's full name.")))],
        org: str | None = cli.org_option(),
    ) -> None:
        from services.people.officers import get_officer
        from services.people.web_auth import set_password

        with cli.session() as session:  # a name that is no one is refused before asking
            get_officer(session, cli.organization(session, org), " ".join(name.split()))
        password = typer.prompt(
            t(N_("New password")),
            hide_input=True,
            confirmation_prompt=t(N_("The same password again")),
        )
        with cli.session() as session:
            office = cli.office(session, cli.organization(session, org))
            officer = set_password(session, office, name, password)
            cli.say(
                N_("{name} can now sign in to the web pages with this password."),
                name=officer.name,
            )
