"""counties and publication: a dataset's county; one published plan per county and year

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 02:50:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE (no batch rebuild: SQLite refuses to drop ``dataset`` while other
    # tables reference it and foreign keys are enforced)
    op.add_column("dataset", sa.Column("county", sa.String(), nullable=False, server_default=""))
    op.create_index("ix_dataset_county", "dataset", ["county"])
    op.create_table(
        "publication",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("county", sa.String(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_by", sa.String(), nullable=False),
        sa.Column("supersedes_plan_id", sa.Integer(), nullable=True),
        sa.Column("superseded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("superseded_by_plan_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan_run.id"], name=op.f("fk_publication_plan_id_plan_run")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publication")),
    )
    op.create_index(op.f("ix_publication_plan_id"), "publication", ["plan_id"])
    op.create_index(
        "uq_publication_current",
        "publication",
        ["county", "year"],
        unique=True,
        sqlite_where=sa.text("superseded_at IS NULL"),
        postgresql_where=sa.text("superseded_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_table("publication")
    op.drop_index("ix_dataset_county", "dataset")
    op.execute("ALTER TABLE dataset DROP COLUMN county")  # SQLite ≥ 3.35 and PostgreSQL
