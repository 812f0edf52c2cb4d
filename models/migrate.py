"""Alembic, driven from code: upgrade, downgrade, and where a database stands.

Alembic takes a third of a second to import: `is_at_head` answers the common question (is the
database already at this code's schema?) from the migration files and one query, so that a
command on an up-to-date database never imports it.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
_REVISION = re.compile(r"^revision(?::[^=]*)?=\s*[\"']([^\"']+)[\"']", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer dondoc than this one."""


class UnknownRevision(ValueError):
    """A revision to migrate to that Alembic cannot find among the shipped migrations."""

    def __init__(self, revision: str) -> None:
        super().__init__(f"no revision {revision!r}")
        self.revision = revision


def shipped_revisions() -> list[str]:
    """The revisions of the migration files, oldest first (read without Alembic)."""
    found = []
    for path in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        revision = _REVISION.search(path.read_text("utf-8"))
        if revision is not None:
            found.append(revision.group(1))
    return found


def shipped_head() -> str | None:
    """The newest revision among the migration files, read without Alembic (None when the
    files do not name exactly one)."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text("utf-8")
        found = _REVISION.search(source)
        if found is None:
            return None
        revisions.add(found.group(1))
        down = _DOWN_REVISION.search(source)
        if down is not None:
            parents.update(re.findall(r"[\"']([^\"']+)[\"']", down.group(1)))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def is_at_head(engine: Engine) -> bool:
    """Whether the database stands at the newest revision this code ships."""
    try:
        with engine.connect() as connection:
            return stands_at_head(connection)
    except DBAPIError:
        return False


def stands_at_head(connection: Connection) -> bool:
    """`is_at_head`, on a connection already open (one statement)."""
    head = shipped_head()
    if head is None:
        return False
    try:
        stamped = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return False  # never migrated
    return [row[0] for row in stamped] == [head]


def alembic_config(engine: Engine) -> "Config":
    """An Alembic configuration that runs the shipped migrations on `engine`."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def head_revision() -> str:
    """The newest revision this code ships."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config_without_engine()).get_current_head()
    assert head is not None
    return head


def alembic_config_without_engine() -> "Config":
    """A configuration for reading the scripts only."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None when it was never migrated."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def ensure_not_newer(engine: Engine) -> None:
    """Refuse a database whose revision this code does not know (migrated by a newer dondoc)."""
    from alembic.script import ScriptDirectory
    from alembic.util import CommandError

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
    from alembic import command

    ensure_not_newer(engine)
    with _known(revision):
        command.upgrade(alembic_config(engine), revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    """Migrate the database down to `revision` (`base` empties it)."""
    from alembic import command

    ensure_not_newer(engine)
    with _known(revision):
        command.downgrade(alembic_config(engine), revision)


@contextmanager
def _known(revision: str) -> Iterator[None]:
    """Alembic's refusal of a revision it cannot locate, as `UnknownRevision`."""
    from alembic.util import CommandError

    try:
        yield
    except CommandError as error:
        if "Can't locate revision" in str(error) or "No such revision" in str(error):
            raise UnknownRevision(revision) from error
        raise


def schema_differences(engine: Engine) -> list[object]:
    """What autogenerate would change to make the database match the models (empty: agree)."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
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
