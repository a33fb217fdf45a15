"""exchange forms (issue 18): 支教 moves and the roster's rural service and 跟岗学习 wish

A move's form (``assignment.form``: transfer or support, i.e. 交流 or 支教) and two optional
roster columns (``teacher.rural_service_years``, ``teacher.seeks_shadowing``). Existing
rows get the defaults an old roster or plan reads with: a transfer, no recorded rural
service, no 跟岗学习 wish. 跟岗学习 placements are kept with the plan's figures.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 04:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # plain ALTER TABLE, as in 0005 and 0006
    op.add_column(
        "teacher",
        sa.Column("rural_service_years", sa.Integer(), nullable=False, server_default="0"),
    )
    op.add_column(
        "teacher",
        sa.Column("seeks_shadowing", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "assignment",
        sa.Column("form", sa.String(), nullable=False, server_default="transfer"),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE assignment DROP COLUMN form")  # SQLite ≥ 3.35 and PostgreSQL
    op.execute("ALTER TABLE teacher DROP COLUMN seeks_shadowing")
    op.execute("ALTER TABLE teacher DROP COLUMN rural_service_years")
