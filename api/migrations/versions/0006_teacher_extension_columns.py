"""teacher extension columns: post type, protected group, current exchange school and term end

The roster's optional columns (post_type, protected, exchange_school_id, exchange_end_year)
were read by the importer but not stored with a snapshot, so the service planned without
them. Existing rows get the columns' defaults (a professional post, no protection, not on
exchange), which is what the importer gives a roster without those columns.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 03:10:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("post_type", "protected", "exchange_school_id", "exchange_end_year")


def upgrade() -> None:
    # plain ALTER TABLE, as in 0005: no batch rebuild of a table others reference
    op.add_column(
        "teacher",
        sa.Column("post_type", sa.String(), nullable=False, server_default="professional"),
    )
    op.add_column("teacher", sa.Column("protected", sa.String(), nullable=False, server_default=""))
    op.add_column("teacher", sa.Column("exchange_school_id", sa.String(), nullable=True))
    op.add_column("teacher", sa.Column("exchange_end_year", sa.Integer(), nullable=True))


def downgrade() -> None:
    for name in reversed(COLUMNS):
        op.execute(f"ALTER TABLE teacher DROP COLUMN {name}")  # SQLite ≥ 3.35 and PostgreSQL
