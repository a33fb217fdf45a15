"""teacher position columns: 职务 (principal, vice-principal, middle, teacher) and the year
the current post began

The roster's optional columns position and post_start_year (issue 18, principal exchange)
are stored with a snapshot so the service plans the principals' exchange too. Existing
rows get the columns' defaults (an ordinary teacher, no post start year), which is what
the importer gives a roster without those columns.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 04:00:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("position", "post_start_year")


def upgrade() -> None:
    # plain ALTER TABLE, as in 0005 and 0006
    op.add_column(
        "teacher", sa.Column("position", sa.String(), nullable=False, server_default="teacher")
    )
    op.add_column("teacher", sa.Column("post_start_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.execute(f"ALTER TABLE teacher DROP COLUMN {name}")  # SQLite ≥ 3.35 and PostgreSQL
