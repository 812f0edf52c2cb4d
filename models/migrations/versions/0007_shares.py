"""Shares: each lead unit's own part of a task; "all units" expanded; hand-made tasks' plan

Each lead `taskassignment` gets its own status, progress and completion time, and `share` holds
one lead unit's part of each occurrence. Existing data moves without loss: a lead "all units"
assignment becomes one lead share per body unit of the organization (when it has any), and
every occurrence gets one share per lead assignment, in the occurrence's state.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 17:36:35.524813
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CLOSED_OR_BLOCKED = ("done", "cancelled", "blocked")

_unit = sa.table(
    "unit",
    sa.column("id", sa.Integer),
    sa.column("organization_id", sa.Integer),
    sa.column("kind", sa.String),
    sa.column("external", sa.Boolean),
)
_plan = sa.table("plan", sa.column("id", sa.Integer), sa.column("organization_id", sa.Integer))
_task = sa.table(
    "task",
    sa.column("id", sa.Integer),
    sa.column("plan_id", sa.Integer),
    sa.column("progress", sa.Integer),
)
_assignment = sa.table(
    "taskassignment",
    sa.column("id", sa.Integer),
    sa.column("task_id", sa.Integer),
    sa.column("unit_id", sa.Integer),
    sa.column("officer_id", sa.Integer),
    sa.column("role", sa.String),
    sa.column("status", sa.String),
    sa.column("progress", sa.Integer),
    sa.column("done_at", sa.DateTime(timezone=True)),
    sa.column("expanded", sa.Boolean),
)
_occurrence = sa.table(
    "occurrence",
    sa.column("id", sa.Integer),
    sa.column("task_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("done_at", sa.DateTime(timezone=True)),
)
_share = sa.table(
    "share",
    sa.column("occurrence_id", sa.Integer),
    sa.column("assignment_id", sa.Integer),
    sa.column("status", sa.String),
    sa.column("done_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    """Apply this revision."""
    op.create_table(
        "share",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("occurrence_id", sa.Integer(), nullable=False),
        sa.Column("assignment_id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["assignment_id"],
            ["taskassignment.id"],
            name=op.f("fk_share_assignment_id_taskassignment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["occurrence_id"],
            ["occurrence.id"],
            name=op.f("fk_share_occurrence_id_occurrence"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_share")),
        sa.UniqueConstraint(
            "occurrence_id", "assignment_id", name=op.f("uq_share_occurrence_id_assignment_id")
        ),
    )
    with op.batch_alter_table("share", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_share_assignment_id"), ["assignment_id"])
        batch_op.create_index(batch_op.f("ix_share_occurrence_id"), ["occurrence_id"])

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.add_column(sa.Column("manual", sa.Boolean(), server_default="0", nullable=False))

    with op.batch_alter_table("taskassignment", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=32), server_default="open", nullable=False)
        )
        batch_op.add_column(
            sa.Column("progress", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("done_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("expanded", sa.Boolean(), server_default="0", nullable=False)
        )

    # No foreign key: a share may go (a revised plan drops a unit) while its history stays,
    # and adding one would make SQLite rebuild taskevent, deleting the tokens that cascade
    # from it.
    with op.batch_alter_table("taskevent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("assignment_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_taskevent_assignment_id"), ["assignment_id"])

    connection = op.get_bind()
    _expand_all_units(connection)
    _create_shares(connection)


def _expand_all_units(connection: sa.Connection) -> None:
    """A lead "all units" becomes one lead share per body unit of the organization."""
    rows = connection.execute(
        sa.select(
            _assignment.c.id, _assignment.c.task_id, _task.c.progress, _plan.c.organization_id
        )
        .join(_unit, _unit.c.id == _assignment.c.unit_id)
        .join(_task, _task.c.id == _assignment.c.task_id)
        .join(_plan, _plan.c.id == _task.c.plan_id)
        .where(_unit.c.kind == "all", _assignment.c.role == "lead")
        .order_by(_assignment.c.id)
    ).all()
    bodies: dict[int, list[int]] = {}
    for assignment_id, task_id, progress, org_id in rows:
        if org_id not in bodies:
            bodies[org_id] = list(
                connection.execute(
                    sa.select(_unit.c.id)
                    .where(
                        _unit.c.organization_id == org_id,
                        _unit.c.kind == "body",
                        _unit.c.external == sa.false(),
                    )
                    .order_by(_unit.c.id)
                ).scalars()
            )
        if not bodies[org_id]:
            continue  # nobody to expand to: the task stays waiting for a lead
        leading = set(
            connection.execute(
                sa.select(_assignment.c.unit_id).where(
                    _assignment.c.task_id == task_id, _assignment.c.role == "lead"
                )
            ).scalars()
        )
        new = [
            {
                "task_id": task_id,
                "unit_id": unit_id,
                "officer_id": None,
                "role": "lead",
                "status": "open",
                "progress": progress or 0,
                "done_at": None,
                "expanded": True,
            }
            for unit_id in bodies[org_id]
            if unit_id not in leading
        ]
        if new:
            connection.execute(sa.insert(_assignment), new)
        connection.execute(sa.delete(_assignment).where(_assignment.c.id == assignment_id))


def _create_shares(connection: sa.Connection) -> None:
    """Every occurrence gets one share per lead assignment of its task, in its own state; each
    lead assignment is done when all its shares are."""
    leads: dict[int, list[int]] = {}
    for assignment_id, task_id in connection.execute(
        sa.select(_assignment.c.id, _assignment.c.task_id)
        .where(_assignment.c.role == "lead")
        .order_by(_assignment.c.id)
    ):
        leads.setdefault(task_id, []).append(assignment_id)
    by_assignment: dict[int, list[tuple[str, datetime | None]]] = {}
    batch: list[dict[str, object]] = []
    for occurrence_id, task_id, status, done_at in connection.execute(
        sa.select(
            _occurrence.c.id, _occurrence.c.task_id, _occurrence.c.status, _occurrence.c.done_at
        ).order_by(_occurrence.c.id)
    ):
        share_status = status if status in _CLOSED_OR_BLOCKED else "open"
        for assignment_id in leads.get(task_id, []):
            batch.append(
                {
                    "occurrence_id": occurrence_id,
                    "assignment_id": assignment_id,
                    "status": share_status,
                    "done_at": done_at if share_status == "done" else None,
                }
            )
            by_assignment.setdefault(assignment_id, []).append((share_status, done_at))
        if len(batch) >= 1000:
            connection.execute(sa.insert(_share), batch)
            batch = []
    if batch:
        connection.execute(sa.insert(_share), batch)
    for assignment_id, shares in by_assignment.items():
        statuses = {status for status, _ in shares}
        if statuses <= {"done", "cancelled"} and "done" in statuses:
            finished = [at for status, at in shares if status == "done" and at is not None]
            connection.execute(
                sa.update(_assignment)
                .where(_assignment.c.id == assignment_id)
                .values(status="done", progress=100, done_at=max(finished, default=None))
            )
        elif statuses == {"cancelled"}:
            connection.execute(
                sa.update(_assignment)
                .where(_assignment.c.id == assignment_id)
                .values(status="cancelled")
            )
        elif "blocked" in statuses:
            connection.execute(
                sa.update(_assignment)
                .where(_assignment.c.id == assignment_id)
                .values(status="blocked")
            )


def downgrade() -> None:
    """Revert this revision (the shares "all units" was expanded into stay as lead units)."""
    with op.batch_alter_table("taskevent", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_taskevent_assignment_id"))
        batch_op.drop_column("assignment_id")

    with op.batch_alter_table("taskassignment", schema=None) as batch_op:
        batch_op.drop_column("expanded")
        batch_op.drop_column("done_at")
        batch_op.drop_column("progress")
        batch_op.drop_column("status")

    with op.batch_alter_table("plan", schema=None) as batch_op:
        batch_op.drop_column("manual")

    with op.batch_alter_table("share", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_share_occurrence_id"))
        batch_op.drop_index(batch_op.f("ix_share_assignment_id"))

    op.drop_table("share")
