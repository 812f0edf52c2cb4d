"""`dondoc org`, `dondoc units`, `dondoc officers`: the ward, its units and its people."""

from typing import TYPE_CHECKING, Annotated

import typer

from locales import N_

if TYPE_CHECKING:
    from dondoc.invocation import Cli


def register(app: typer.Typer, cli: "Cli") -> None:
    """Add `dondoc org`, `dondoc units` and `dondoc officers`."""
    _add_org(app, cli)
    _add_units(app, cli)
    _add_officers(app, cli)


def _add_org(app: typer.Typer, cli: "Cli") -> None:
    t = cli.t
    org = typer.Typer(help=t(N_("Organizations (wards and communes).")), no_args_is_help=True)
    app.add_typer(org, name="org")

    @org.command("create", help=t(N_("Create an organization.")))
    def create(
        name: Annotated[str, typer.Argument(help=t(N_('Its name, e.g. "Phường Bắc Sơn".')))],
    ) -> None:
        from services.people.organizations import create_organization

        with cli.session() as session:
            created = create_organization(session, cli.clock, name)
            cli.say(N_("Created the organization {name}."), name=created.name)

    @org.command("list", help=t(N_("List the organizations.")))
    def list_() -> None:
        from services.people.organizations import organization_names

        with cli.session() as session:
            for name in organization_names(session):
                typer.echo(name)


def _add_units(app: typer.Typer, cli: "Cli") -> None:
    t = cli.t
    units = typer.Typer(
        help=t(N_("Units (bodies and roles that lead or coordinate tasks).")), no_args_is_help=True
    )
    app.add_typer(units, name="units")

    @units.command("list", help=t(N_("List the units with their aliases and officers.")))
    def list_(org: str | None = cli.org_option()) -> None:
        from services.people.units import list_units

        with cli.session() as session:
            views = list_units(session, cli.organization(session, org))
            if not views:
                cli.say(N_("No units yet."))
            for view in views:
                line = view.name
                if view.aliases:
                    line += "  (" + ", ".join(view.aliases) + ")"
                if view.external:
                    line += "  " + t(N_("[external]"))
                if view.officers:
                    line += "  — " + ", ".join(view.officers)
                typer.echo(line)

    @units.command("add", help=t(N_("Add a unit.")))
    def add(
        name: Annotated[str, typer.Argument(help=t(N_("The unit's full name.")))],
        alias: Annotated[
            list[str] | None,
            typer.Option("--alias", help=t(N_("Another printed form (repeatable)."))),
        ] = None,
        external: Annotated[
            bool, typer.Option("--external", help=t(N_("A body outside the ward.")))
        ] = False,
        org: str | None = cli.org_option(),
    ) -> None:
        from services.people.units import add_unit

        with cli.session() as session:
            unit = add_unit(
                session,
                cli.office(session, cli.organization(session, org)),
                name,
                aliases=tuple(alias or ()),
                external=external,
            )
            cli.say(N_("Added the unit {name}."), name=unit.name)

    @units.command("alias", help=t(N_("Teach dondoc that ALIAS means the unit UNIT.")))
    def alias_(
        alias: Annotated[
            str, typer.Argument(help=t(N_('The form printed in plans, e.g. "CC VHXH".')))
        ],
        unit: Annotated[str, typer.Argument(help=t(N_("The unit's name.")))],
        org: str | None = cli.org_option(),
    ) -> None:
        from services.people.units import teach_alias

        with cli.session() as session:
            office = cli.office(session, cli.organization(session, org))
            taught = teach_alias(session, office, alias, unit)
            cli.say(N_("{alias} now means {name}."), alias=alias, name=taught.name)


def _add_officers(app: typer.Typer, cli: "Cli") -> None:
    t = cli.t
    officers = typer.Typer(
        help=t(N_("Officers, the chair and the office's admins.")), no_args_is_help=True
    )
    app.add_typer(officers, name="officers")

    @officers.command("add", help=t(N_("Add an officer to a unit with a role.")))
    def add(
        name: Annotated[str, typer.Option("--name", help=t(N_("Full name.")))],
        unit: Annotated[
            list[str] | None, typer.Option("--unit", help=t(N_("Unit (repeatable).")))
        ] = None,
        role: Annotated[str, typer.Option("--role", help="officer | chair | admin")] = "officer",
        phone: Annotated[str | None, typer.Option("--phone", help=t(N_("Phone number.")))] = None,
        org: str | None = cli.org_option(),
    ) -> None:
        from services.errors import UnknownRole
        from services.people.officers import ROLE_NAMES, add_officer, role_named

        try:
            chosen = role_named(role)
        except UnknownRole as unknown:
            cli.fail(unknown.msgid, code=2, **unknown.params)
        with cli.session() as session:
            officer = add_officer(
                session,
                cli.clock,
                cli.office(session, cli.organization(session, org)),
                name,
                unit_names=tuple(unit or ()),
                role=chosen,
                phone=phone,
                locale=cli.settings.locale,
            )
            cli.say(N_("Added {name} ({role})."), name=officer.name, role=t(ROLE_NAMES[role]))

    @officers.command("list", help=t(N_("List the officers.")))
    def list_(org: str | None = cli.org_option()) -> None:
        from services.people.officers import ROLE_NAMES, list_officers

        with cli.session() as session:
            views = list_officers(session, cli.organization(session, org))
            if not views:
                cli.say(N_("No officers yet."))
            for view in views:
                units = ", ".join(view.units) or "—"
                typer.echo(
                    f"{view.name}\t{t(ROLE_NAMES[view.role.value])}\t{units}\t{view.phone or ''}"
                )
