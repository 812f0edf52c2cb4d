"""Board stamps: each organization's change stamp, raised by triggers, and the shared cache of
rendered dashboards

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-04 23:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The organization of a row (`R` stands for NEW or OLD), per table the dashboard reads.
_THROUGH_TASK = (
    "(SELECT p.organization_id FROM task t JOIN plan p ON p.id = t.plan_id WHERE t.id = R.task_id)"
)
ORGANIZATION_OF: dict[str, str] = {
    "organization": "R.id",
    "plan": "R.organization_id",
    "unit": "R.organization_id",
    "unitalias": "R.organization_id",
    "officer": "R.organization_id",
    "calendarday": "R.organization_id",
    "officerunit": "(SELECT organization_id FROM officer WHERE id = R.officer_id)",
    "task": "(SELECT organization_id FROM plan WHERE id = R.plan_id)",
    "planresponsibility": "(SELECT organization_id FROM plan WHERE id = R.plan_id)",
    "occurrence": _THROUGH_TASK,
    "taskassignment": _THROUGH_TASK,
    "taskevent": _THROUGH_TASK,
    "share": (
        "(SELECT p.organization_id FROM occurrence o JOIN task t ON t.id = o.task_id"
        " JOIN plan p ON p.id = t.plan_id WHERE o.id = R.occurrence_id)"
    ),
}
# Updates of other columns are not shown (the scan moves `occurrence.next_reminder_at` every
# minute; a new password changes no figure): they raise no stamp. A column added to these two
# tables later must be added here by its migration if the dashboard shows it.
COLUMNS: dict[str, tuple[str, ...]] = {
    "occurrence": ("task_id", "period_start", "due", "status", "snoozed_until", "done_at"),
    "officer": (
        "organization_id",
        "name",
        "role",
        "phone",
        "locale",
        "active",
        "is_demo",
        "created_at",
    ),
}

_PG_BUMP = """
CREATE FUNCTION board_bump(org integer) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    seen text := coalesce(current_setting('dondoc.board_bumped', true), '');
BEGIN
    IF org IS NULL OR position(',' || org || ',' IN seen) > 0 THEN
        RETURN;
    END IF;
    INSERT INTO boardstamp (organization_id, version) VALUES (org, 1)
        ON CONFLICT (organization_id) DO UPDATE SET version = boardstamp.version + 1;
    PERFORM set_config(
        'dondoc.board_bumped', CASE WHEN seen = '' THEN ',' ELSE seen END || org || ',', true
    );
END $$
"""


def _pg_touch() -> str:
    branches: list[str] = []
    for table, expression in ORGANIZATION_OF.items():
        keyword = "IF" if not branches else "ELSIF"
        branches.append(
            f"    {keyword} TG_TABLE_NAME = '{table}' THEN\n"
            f"        IF TG_OP <> 'DELETE' THEN PERFORM board_bump("
            f"{expression.replace('R.', 'NEW.')}); END IF;\n"
            f"        IF TG_OP <> 'INSERT' THEN PERFORM board_bump("
            f"{expression.replace('R.', 'OLD.')}); END IF;"
        )
    body = "\n".join(branches)
    return (
        "CREATE FUNCTION board_touch() RETURNS trigger LANGUAGE plpgsql AS $$\n"
        f"BEGIN\n{body}\n    END IF;\n    RETURN NULL;\nEND $$"
    )


def _events(table: str) -> str:
    update = f"UPDATE OF {', '.join(COLUMNS[table])}" if table in COLUMNS else "UPDATE"
    return "UPDATE" if table == "organization" else f"INSERT OR {update} OR DELETE"


def _sqlite_triggers(table: str) -> list[str]:
    expression = ORGANIZATION_OF[table]
    statements = []
    for operation, row in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
        if table == "organization" and operation != "UPDATE":
            continue
        event = operation
        if operation == "UPDATE" and table in COLUMNS:
            event = f"UPDATE OF {', '.join(COLUMNS[table])}"
        statements.append(
            f"CREATE TRIGGER board_{table}_{operation.lower()} AFTER {event} ON {table}"
            " FOR EACH ROW BEGIN"
            " INSERT INTO boardstamp (organization_id, version)"
            f" SELECT org, 1 FROM (SELECT {expression.replace('R.', row + '.')} AS org)"
            " WHERE org IS NOT NULL"
            " ON CONFLICT (organization_id) DO UPDATE SET version = version + 1; END"
        )
    return statements


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "boardstamp",
        sa.Column("organization_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_boardstamp")),
    )
    op.create_table(
        "boardcache",
        sa.Column("organization_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("view", sa.String(length=32), nullable=False),
        sa.Column("build", sa.String(length=32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("html", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("organization_id", "view", name=op.f("pk_boardcache")),
    )
    if op.get_context().dialect.name == "postgresql":
        op.execute("ALTER TABLE boardcache SET UNLOGGED")  # a cache: lost in a crash, rebuilt
        op.execute(_PG_BUMP)
        op.execute(_pg_touch())
        for table in ORGANIZATION_OF:
            op.execute(
                f"CREATE CONSTRAINT TRIGGER board_touch AFTER {_events(table)} ON {table}"
                " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION board_touch()"
            )
    else:
        for table in ORGANIZATION_OF:
            for statement in _sqlite_triggers(table):
                op.execute(statement)


def downgrade() -> None:
    """Revert this revision."""
    if op.get_context().dialect.name == "postgresql":
        for table in ORGANIZATION_OF:
            op.execute(f"DROP TRIGGER board_touch ON {table}")
        op.execute("DROP FUNCTION board_touch()")
        op.execute("DROP FUNCTION board_bump(integer)")
    else:
        for table in ORGANIZATION_OF:
            for operation in ("insert", "update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS board_{table}_{operation}")
    op.drop_table("boardcache")
    op.drop_table("boardstamp")
