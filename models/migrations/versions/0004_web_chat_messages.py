"""web chat messages

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:25:44.529161
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "webmessage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=False),
        sa.Column("from_officer", sa.Boolean(), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
            name=op.f("fk_webmessage_officer_id_officer"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webmessage")),
    )
    with op.batch_alter_table("webmessage", schema=None) as batch_op:
        batch_op.create_index("ix_webmessage_officer_id_id", ["officer_id", "id"], unique=False)


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("webmessage", schema=None) as batch_op:
        batch_op.drop_index("ix_webmessage_officer_id_id")

    op.drop_table("webmessage")
