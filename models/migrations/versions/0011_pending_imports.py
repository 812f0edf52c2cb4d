"""Pending imports: a previewed plan file kept in the database

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 20:35:29.439198
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "pendingimport",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sa.Integer(), nullable=True),
        sa.Column("file_name", sa.String(length=300), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("draft", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["officer_id"],
            ["officer.id"],
            name=op.f("fk_pendingimport_officer_id_officer"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_pendingimport_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pendingimport")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("pendingimport", schema=None) as batch_op:
        batch_op.create_index("ix_pendingimport_expires_at", ["expires_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_pendingimport_officer_id"), ["officer_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_pendingimport_organization_id"), ["organization_id"], unique=False
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("pendingimport", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pendingimport_organization_id"))
        batch_op.drop_index(batch_op.f("ix_pendingimport_officer_id"))
        batch_op.drop_index("ix_pendingimport_expires_at")

    op.drop_table("pendingimport")
