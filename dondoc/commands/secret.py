"""`dondoc secret`: a new random key for DONDOC_SECRET_KEY."""

from typing import TYPE_CHECKING

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc secret`."""
    t = cli.t

    @app.command(
        "secret",
        help=t(N_("Print a new random key for DONDOC_SECRET_KEY (32 random bytes).")),
    )
    def secret() -> None:
        import secrets

        typer.echo(secrets.token_urlsafe(32))
