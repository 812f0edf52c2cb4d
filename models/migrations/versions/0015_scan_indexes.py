"""Fewer index entries and key checks per reminder the scan writes: reminder items lose their
officer foreign key and index (their digest's foreign key names the same officer), occurrences
their task index (the unique (task_id, due) index finds them by task)

Nothing is moved: the columns and their values stay.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 23:55:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reminderitem_officer_id_officer"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_reminderitem_officer_id"))
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_occurrence_task_id"))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("occurrence", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_occurrence_task_id"), ["task_id"], unique=False)
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminderitem_officer_id"), ["officer_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reminderitem_officer_id_officer"),
            "officer",
            ["officer_id"],
            ["id"],
            ondelete="CASCADE",
        )
