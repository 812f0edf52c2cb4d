"""Reminder policy: how many working days before a required report is due its draft is sent

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 18:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("reminderpolicy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "report_draft_working_days", sa.Integer(), server_default="3", nullable=False
            )
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("reminderpolicy", schema=None) as batch_op:
        batch_op.drop_column("report_draft_working_days")
