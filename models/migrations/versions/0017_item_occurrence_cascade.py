"""Reminder items lose the foreign key to their occurrence: the scan writes them for the
occurrences it has just locked, and a trigger deletes an occurrence's items with it (what the
key's ON DELETE CASCADE did), so the thousand items of a scan are no longer a look-up and a row
lock each

Nothing is moved: the column, its values and its index stay.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-05 04:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_PG_FUNCTION = """
CREATE FUNCTION reminderitem_cascade() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reminderitem WHERE occurrence_id = OLD.id;
    RETURN NULL;
END $$
"""


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reminderitem_occurrence_id_occurrence"), type_="foreignkey"
        )
    if op.get_context().dialect.name == "postgresql":
        op.execute(_PG_FUNCTION)
        op.execute(
            "CREATE TRIGGER reminderitem_cascade AFTER DELETE ON occurrence"
            " FOR EACH ROW EXECUTE FUNCTION reminderitem_cascade()"
        )
    else:
        op.execute(
            "CREATE TRIGGER reminderitem_cascade AFTER DELETE ON occurrence FOR EACH ROW"
            " BEGIN DELETE FROM reminderitem WHERE occurrence_id = OLD.id; END"
        )


def downgrade() -> None:
    """Revert this revision."""
    if op.get_context().dialect.name == "postgresql":
        op.execute("DROP TRIGGER reminderitem_cascade ON occurrence")
        op.execute("DROP FUNCTION reminderitem_cascade()")
    else:
        op.execute("DROP TRIGGER reminderitem_cascade")
    op.execute(
        "DELETE FROM reminderitem WHERE occurrence_id IS NOT NULL"
        " AND occurrence_id NOT IN (SELECT id FROM occurrence)"
    )
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_reminderitem_occurrence_id_occurrence"),
            "occurrence",
            ["occurrence_id"],
            ["id"],
            ondelete="CASCADE",
        )
