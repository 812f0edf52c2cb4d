"""`dondoc db`: the database's schema, up to the newest revision or down to an older one."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc db upgrade | downgrade`."""
    t = cli.t
    db = typer.Typer(help=t(N_("Create or migrate the database.")), no_args_is_help=True)
    app.add_typer(db, name="db")

    @db.command("upgrade", help=t(N_("Migrate the database to the newest schema.")))
    def upgrade(
        revision: Annotated[str, typer.Argument(help=t(N_("Target revision.")))] = "head",
    ) -> None:
        from models.migrate import current_revision, is_at_head, shipped_head, upgrade

        with cli.database(migrate=False) as engine:
            if revision == "head" and is_at_head(engine):
                cli.say(N_("Database at revision {revision}."), revision=shipped_head() or "head")
                return  # answered without importing Alembic
            with _revision_named(cli):
                upgrade(engine, revision)
            cli.say(
                N_("Database at revision {revision}."), revision=current_revision(engine) or "base"
            )

    @db.command("downgrade", help=t(N_("Migrate the database back (default: one revision).")))
    def downgrade(
        revision: Annotated[str, typer.Argument(help=t(N_("Target revision, or base.")))] = "-1",
        yes: Annotated[
            bool, typer.Option("--yes", "-y", help=t(N_("Do it without asking.")))
        ] = False,
    ) -> None:
        from models.migrate import current_revision, downgrade

        with cli.database(migrate=False) as engine:
            if (
                revision == "base"
                and not yes
                and not cli.confirm(
                    N_("Going back to base deletes every table and all their data. Go on?")
                )
            ):
                cli.say(N_("Nothing was changed."))
                return
            with _revision_named(cli):
                downgrade(engine, revision)
            cli.say(
                N_("Database at revision {revision}."), revision=current_revision(engine) or "base"
            )


@contextmanager
def _revision_named(cli: "Cli") -> Iterator[None]:
    """A revision Alembic cannot find: one line naming the ones there are, exit code 2."""
    from models.migrate import UnknownRevision, shipped_revisions

    try:
        yield
    except UnknownRevision as error:
        cli.fail(
            N_("There is no revision {revision}: use head, base, or one of {revisions}."),
            code=2,
            revision=error.revision,
            revisions=", ".join(shipped_revisions()),
        )
