"""page indexes: a plan's moves and the audit log read a page at a time by the database

The console and the API page through a plan's moves in teacher order, or those of one
school, and through the audit log newest first under a filter (an action, an actor, an
object). Each of these reads now finds its page through an index in the order it returns,
instead of sorting every row of the plan or of the log (issue 15: pages under 200 ms).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 04:40:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES: tuple[tuple[str, str, list[str]], ...] = (
    ("ix_assignment_plan_teacher", "assignment", ["plan_id", "teacher_id"]),
    ("ix_assignment_plan_from", "assignment", ["plan_id", "from_school_id"]),
    ("ix_assignment_plan_to", "assignment", ["plan_id", "to_school_id"]),
    ("ix_audit_log_action_id", "audit_log", ["action", "id"]),
    ("ix_audit_log_actor_id", "audit_log", ["actor", "id"]),
    ("ix_audit_log_object_id", "audit_log", ["object_kind", "object_id", "id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
