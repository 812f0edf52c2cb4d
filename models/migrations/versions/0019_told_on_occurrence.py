"""Occurrences keep the keys of what the scan told of them (`occurrence.told`): the scan no
longer writes a reminder item per thing told about an occurrence, only the weekly summaries'

Each occurrence's told keys are filled from its items, so nothing told before is told again;
the items stay until the clean-up forgets them with their digests.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 00:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Apply this revision."""
    op.add_column("occurrence", sa.Column("told", sa.String(), nullable=True))
    joined = (
        "string_agg(idempotency_key, ' ' ORDER BY id)"
        if op.get_bind().dialect.name == "postgresql"
        else "group_concat(idempotency_key, ' ')"
    )
    op.execute(
        f"UPDATE occurrence SET told = (SELECT {joined} FROM reminderitem"
        " WHERE reminderitem.occurrence_id = occurrence.id)"
        " WHERE id IN (SELECT occurrence_id FROM reminderitem)"
    )


def downgrade() -> None:
    """Revert this revision (what was told after it is told again: it had no item)."""
    # (not a batch: on SQLite that rebuilds the table, which the triggers on it refer to)
    op.execute("ALTER TABLE occurrence DROP COLUMN told")
