"""Outbox rows lose their foreign keys to the officer and the ward, and reminder items their
index on the digest: fewer checks and index entries for each digest and item the scan writes

A digest's officer and ward are the ones the scan has just read (officers are deactivated,
never deleted; wards are not deleted by dondoc), and each key checked cost a look-up and a row
lock on the officer or the ward for each of the scan's digests. The items' `outbox_id` is read
only by the weekly clean-up (`housekeeping.forget_old`), which scans the table once.

Nothing is moved: the columns, their values and the outbox's indexes stay.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 21:40:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_outbox_officer_id_officer"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_organization_id_organization"), type_="foreignkey"
        )
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reminderitem_outbox_id"))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reminderitem_outbox_id"), ["outbox_id"], unique=False)
    op.execute("DELETE FROM outbox WHERE officer_id NOT IN (SELECT id FROM officer)")
    op.execute("DELETE FROM outbox WHERE organization_id NOT IN (SELECT id FROM organization)")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_organization_id_organization"),
            "organization",
            ["organization_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_officer_id_officer"),
            "officer",
            ["officer_id"],
            ["id"],
            ondelete="CASCADE",
        )
