"""Signed reminder buttons: a key per ward instead of a token row per button; reminder items
lose their redundant organization foreign key

The scan signed nothing before: its buttons were `actiontoken` rows, which stay (they expire as
they always did, and `redeem_token` still reads them). Nothing is moved: `tokenkey` starts
empty and each ward's key is made by its next scan. The items keep their `organization_id`
values; only the foreign key and its index go (the officer's foreign key, which cascades from
the organization, stays).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-04 23:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "tokenkey",
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_tokenkey_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("organization_id", name=op.f("pk_tokenkey")),
    )
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_reminderitem_organization_id_organization"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_reminderitem_organization_id"))


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("reminderitem", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_reminderitem_organization_id"), ["organization_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_reminderitem_organization_id_organization"),
            "organization",
            ["organization_id"],
            ["id"],
            ondelete="CASCADE",
        )
    op.drop_table("tokenkey")
