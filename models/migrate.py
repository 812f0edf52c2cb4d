"""Alembic, driven from code: upgrade, downgrade, and where a database stands."""

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer dondoc than this one."""


def alembic_config(engine: Engine) -> Config:
    """An Alembic configuration that runs the shipped migrations on `engine`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision this code ships."""
    head = ScriptDirectory.from_config(alembic_config_without_engine()).get_current_head()
    assert head is not None
    return head


def alembic_config_without_engine() -> Config:
    """A configuration for reading the scripts only."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_not_newer(engine: Engine) -> None:
    """Refuse a database whose revision this code does not know (migrated by a newer dondoc)."""
    revision = current_revision(engine)
    if revision is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config_without_engine())
    try:
        known = scripts.get_revision(revision)
    except CommandError as error:
        raise SchemaTooNew(revision) from error
    if known is None:
        raise SchemaTooNew(revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Migrate the database up to `revision`."""
    ensure_not_newer(engine)
    command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    """Migrate the database down to `revision` (`base` empties it)."""
    ensure_not_newer(engine)
    command.downgrade(alembic_config(engine), revision)


def schema_differences(engine: Engine) -> list[object]:
    """What autogenerate would change to make the database match the models (empty: agree)."""
    from alembic.autogenerate import compare_metadata
    from sqlmodel import SQLModel

    import models  # noqa: F401 - registers every table

    tables = SQLModel.metadata.tables

    def include_name(name: str | None, type_: str, _parents: object) -> bool:
        return name in tables if type_ == "table" else True

    with engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "include_name": include_name}
        )
        return list(compare_metadata(context, SQLModel.metadata))
