"""Standing duties: their quarterly check-in, a policy setting that can be off

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04 18:21:16.741735
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    with op.batch_alter_table("reminderpolicy", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "duty_checkin", sa.String(length=16), server_default="quarterly", nullable=False
            )
        )


def downgrade() -> None:
    """Revert this revision."""
    with op.batch_alter_table("reminderpolicy", schema=None) as batch_op:
        batch_op.drop_column("duty_checkin")
