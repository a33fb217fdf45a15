"""one job queue: plans become job_run rows; claims carry a lease and a heartbeat

Every long task (plan, what-if, allocation, outlook) is one ``job_run`` row. A plan
keeps its parameters and results in ``plan_run``, which points at its job
(``plan_run.job_id``); the state columns move from ``plan_run`` to that job. Each
existing plan gets a job of kind ``plan`` carrying its status, progress, cancel flag,
error and timings, so nothing is lost.

``plan_run.job_id`` is a unique integer without a foreign key: SQLite can neither add
a foreign key to an existing table nor drop such a column again without rebuilding
the table, and rebuilding ``plan_run`` (which other tables reference) is refused while
foreign keys are enforced. The service writes a plan and its job in one transaction.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 01:30:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOVED = ("status", "cancel_requested", "progress", "error", "started_at", "finished_at")

job_run = sa.table(
    "job_run",
    sa.column("id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("dataset_id", sa.Integer()),
    sa.column("year", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("params", sa.JSON()),
    sa.column("cancel_requested", sa.Boolean()),
    sa.column("progress", sa.JSON()),
    sa.column("error", sa.String()),
    sa.column("attempts", sa.Integer()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("finished_at", sa.DateTime(timezone=True)),
    sa.column("run_seconds", sa.Float()),
)
plan_run = sa.table(
    "plan_run",
    sa.column("id", sa.Integer()),
    sa.column("job_id", sa.Integer()),
    sa.column("dataset_id", sa.Integer()),
    sa.column("year", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("cancel_requested", sa.Boolean()),
    sa.column("progress", sa.JSON()),
    sa.column("error", sa.String()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("started_at", sa.DateTime(timezone=True)),
    sa.column("finished_at", sa.DateTime(timezone=True)),
    sa.column("solve_seconds", sa.Float()),
)


def upgrade() -> None:
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("cancel_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("lease_owner", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(
            sa.Column("lease_expires_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("worker", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column("plan_run", sa.Column("job_id", sa.Integer(), nullable=True))
    op.create_index("ix_plan_run_job_id", "plan_run", ["job_id"], unique=True)

    conn = op.get_bind()
    plans = conn.execute(sa.select(plan_run).order_by(plan_run.c.id)).mappings().all()
    for p in plans:
        job_id = conn.execute(
            sa.insert(job_run)
            .values(
                kind="plan",
                dataset_id=p["dataset_id"],
                year=p["year"],
                status=p["status"],
                params={"plan_id": p["id"]},
                cancel_requested=bool(p["cancel_requested"]),
                progress=p["progress"],
                error=p["error"],
                attempts=0 if p["started_at"] is None else 1,
                created_at=p["created_at"],
                started_at=p["started_at"],
                finished_at=p["finished_at"],
                run_seconds=p["solve_seconds"],
            )
            .returning(job_run.c.id)
        ).scalar_one()
        conn.execute(sa.update(plan_run).where(plan_run.c.id == p["id"]).values(job_id=job_id))

    op.drop_index("ix_plan_run_status", table_name="plan_run")
    for column in MOVED:  # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35 and PostgreSQL)
        op.drop_column("plan_run", column)


def downgrade() -> None:
    op.add_column(
        "plan_run",
        sa.Column(
            "status", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default="queued"
        ),
    )
    op.add_column(
        "plan_run",
        sa.Column("cancel_requested", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("plan_run", sa.Column("progress", sa.JSON(), nullable=True))
    op.add_column("plan_run", sa.Column("error", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.add_column("plan_run", sa.Column("started_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column("plan_run", sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_plan_run_status", "plan_run", ["status"], unique=False)

    conn = op.get_bind()
    jobs = conn.execute(
        sa.select(job_run, plan_run.c.id.label("plan_id")).join(
            plan_run, plan_run.c.job_id == job_run.c.id
        )
    ).mappings()
    for j in list(jobs):
        conn.execute(
            sa.update(plan_run)
            .where(plan_run.c.id == j["plan_id"])
            .values(
                status=j["status"],
                cancel_requested=bool(j["cancel_requested"]),
                progress=j["progress"],
                error=j["error"],
                started_at=j["started_at"],
                finished_at=j["finished_at"],
            )
        )
    conn.execute(sa.delete(job_run).where(job_run.c.kind == "plan"))
    op.drop_index("ix_plan_run_job_id", table_name="plan_run")
    op.drop_column("plan_run", "job_id")
    # Outlook jobs did not exist before this revision.
    conn.execute(sa.delete(job_run).where(job_run.c.kind == "outlook"))
    with op.batch_alter_table("job_run", schema=None) as batch_op:
        for column in (
            "worker",
            "heartbeat_at",
            "lease_expires_at",
            "lease_owner",
            "attempts",
            "cancel_requested_at",
        ):
            batch_op.drop_column(column)
