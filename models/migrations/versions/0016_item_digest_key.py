"""Reminder items lose the foreign key to their digest: written with it in the same statement,
and unlinked or deleted before it by whoever deletes digests

Nothing is moved: the column, its values and its index stay.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05 00:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reminderitem_outbox_id_outbox"), type_="foreignkey"
        )


def downgrade() -> None:
    """Revert this revision."""
    op.execute(
        "UPDATE reminderitem SET outbox_id = NULL"
        " WHERE outbox_id IS NOT NULL AND outbox_id NOT IN (SELECT id FROM outbox)"
    )
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_reminderitem_outbox_id_outbox"),
            "outbox",
            ["outbox_id"],
            ["id"],
            ondelete="SET NULL",
        )
