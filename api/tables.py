"""The database tables (SQLModel). The schema itself is made by the Alembic migrations.

A dataset is an immutable, numbered snapshot of one import: its schools, teachers and
needs are written once with it and never changed. Every long task is one ``job_run``
row (the one queue); a plan run holds a plan's parameters and results, its job the rest.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

# Stable constraint names, so that migrations name what they create and drop.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

QUEUED = "queued"
RUNNING = "running"
DONE = "done"
FAILED = "failed"
CANCELLED = "cancelled"
INTERRUPTED = "interrupted"
PLAN_STATUSES = (QUEUED, RUNNING, DONE, FAILED, CANCELLED, INTERRUPTED)
FINISHED = frozenset({DONE, FAILED, CANCELLED, INTERRUPTED})


def utcnow() -> datetime:
    return datetime.now(UTC)


class DatasetRecord(SQLModel, table=True):
    """One import: an immutable snapshot, numbered by its id."""

    __tablename__ = "dataset"

    id: int | None = Field(default=None, primary_key=True)
    file_name: str
    county: str = Field(
        default="",
        index=True,
        sa_column_kwargs={"server_default": ""},
        description="县区（名称或代码）/ the county the roster belongs to",
    )
    checksum: str = Field(max_length=64, description="sha256 of the uploaded bytes")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    year: int = Field(description="the plan year the stored summary was computed for")
    schools: int
    teachers: int
    needs: int
    needs_declared: bool
    summary: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False)
    )


class SchoolRecord(SQLModel, table=True):
    __tablename__ = "school"
    __table_args__ = (sa.UniqueConstraint("dataset_id", "school_id", name="uq_school_key"),)

    id: int | None = Field(default=None, primary_key=True)
    dataset_id: int = Field(foreign_key="dataset.id", index=True)
    school_id: str
    name: str
    town: str = ""
    area: str
    stage: str
    quality: bool = False
    weak: bool = False
    priority: str | None = None
    community: str = ""
    students: int = 0
    classes: int = 0
    lat: float | None = None
    lon: float | None = None
    role: str | None = None


class TeacherRecord(SQLModel, table=True):
    __tablename__ = "teacher"
    __table_args__ = (
        sa.UniqueConstraint("dataset_id", "teacher_id", name="uq_teacher_key"),
        sa.Index("ix_teacher_dataset_school", "dataset_id", "school_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    dataset_id: int = Field(foreign_key="dataset.id", index=True)
    teacher_id: str
    name: str
    gender: str
    birth_date: date
    school_id: str
    stage: str
    subject: str
    title: str
    backbone: str
    school_start_year: int
    last_exchange_year: int | None = None
    exempt: str = ""
    seeks_promotion: bool = False
    preferences: str = Field(default="", description="school_ids separated by ';'")
    degree: str | None = None
    post_type: str = Field(
        default="professional", sa_column_kwargs={"server_default": "professional"}
    )
    protected: str = Field(default="", sa_column_kwargs={"server_default": ""})
    exchange_school_id: str | None = None
    exchange_end_year: int | None = None
    position: str = Field(default="teacher", sa_column_kwargs={"server_default": "teacher"})
    post_start_year: int | None = None
    rural_service_years: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    seeks_shadowing: bool = Field(default=False, sa_column_kwargs={"server_default": sa.false()})


class NeedRecord(SQLModel, table=True):
    __tablename__ = "need"

    id: int | None = Field(default=None, primary_key=True)
    dataset_id: int = Field(foreign_key="dataset.id", index=True)
    school_id: str
    stage: str
    subject: str
    count: int


class PolicyRecord(SQLModel, table=True):
    """A named set of policy overrides, reusable by plan runs."""

    __tablename__ = "policy"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)
    description: str = ""
    overrides: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False)
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )


class PlanRun(SQLModel, table=True):
    """One plan: its parameters and, once solved, its metrics. Its state (queued, running,
    progress, cancel, lease, error, timings) is that of its job, ``job_id`` (a ``job_run``
    row of kind ``plan``), like every other long task's."""

    __tablename__ = "plan_run"
    __table_args__ = (sa.Index("ix_plan_run_job_id", "job_id", unique=True),)

    id: int | None = Field(default=None, primary_key=True)
    job_id: int | None = Field(default=None, description="the job solving it (job_run.id)")
    dataset_id: int = Field(foreign_key="dataset.id", index=True)
    year: int
    policy_name: str | None = None
    policy_overrides: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False)
    )
    options: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False)
    )
    metrics: dict[str, Any] | None = Field(
        default=None, sa_column=sa.Column(sa.JSON(), nullable=True)
    )
    solver_status: str | None = None
    backend: str | None = None
    notes: list[str] | None = Field(default=None, sa_column=sa.Column(sa.JSON(), nullable=True))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    solve_seconds: float | None = None


class PlanLock(SQLModel, table=True):
    """A lock given with a plan run: assign / stay / block_school."""

    __tablename__ = "plan_lock"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan_run.id", index=True)
    kind: str
    teacher_id: str = ""
    school_id: str = ""
    note: str = ""


class AssignmentRecord(SQLModel, table=True):
    """One move of a plan: a row of plan.csv."""

    __tablename__ = "assignment"
    __table_args__ = (  # a page of moves in teacher order, or of one school (migration 0007)
        sa.Index("ix_assignment_plan_teacher", "plan_id", "teacher_id"),
        sa.Index("ix_assignment_plan_from", "plan_id", "from_school_id"),
        sa.Index("ix_assignment_plan_to", "plan_id", "to_school_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan_run.id", index=True)
    teacher_id: str
    name: str
    from_school_id: str
    to_school_id: str
    stage: str
    subject: str
    title: str
    backbone: str
    start_year: int
    end_year: int
    reasons: str = ""
    distance_km: float | None = None
    preference_rank: int | None = None
    form: str = Field(default="transfer", sa_column_kwargs={"server_default": "transfer"})


class ComplianceRecord(SQLModel, table=True):
    """One quota unit's standing in a plan: a row of compliance.csv."""

    __tablename__ = "compliance"

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan_run.id", index=True)
    school_id: str
    name: str
    role: str
    eligible: int
    required: int
    rotated: int
    backbone_required: int
    backbone_rotated: int
    met: bool
    shortfall_reason: str = ""


PLAN = "plan"
WHATIF = "whatif"
ALLOCATION = "allocation"
OUTLOOK = "outlook"
APPLY = "apply"
JOB_KINDS = (PLAN, WHATIF, ALLOCATION, OUTLOOK, APPLY)


class JobRun(SQLModel, table=True):
    """One long task of any kind (plan, what-if, allocation, outlook, apply): the one queue.

    The queue is the ``queued`` rows in id order; a server claims the first with a lease
    (``lease_owner``, ``lease_expires_at``) and keeps it alive with heartbeats; ``attempts``
    counts the claims and fences every later write of the claim it belongs to.
    """

    __tablename__ = "job_run"

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(index=True, description="plan / whatif / allocation / outlook / apply")
    dataset_id: int = Field(foreign_key="dataset.id", index=True)
    year: int
    status: str = Field(default=QUEUED, index=True)
    params: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False)
    )
    cancel_requested: bool = False
    cancel_requested_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    progress: dict[str, Any] | None = Field(
        default=None, sa_column=sa.Column(sa.JSON(), nullable=True)
    )
    result: dict[str, Any] | None = Field(
        default=None, sa_column=sa.Column(sa.JSON(), nullable=True)
    )
    error: str | None = None
    attempts: int = Field(
        default=0, sa_column=sa.Column(sa.Integer(), nullable=False, server_default="0")
    )
    lease_owner: str | None = Field(default=None, description="the server holding the claim")
    lease_expires_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    heartbeat_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    worker: str | None = Field(default=None, description="where it runs: host:pid or dask:…")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    started_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    finished_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    run_seconds: float | None = None


class AuditEntry(SQLModel, table=True):
    """One thing someone did: append-only (no route edits or deletes a row; on PostgreSQL
    a trigger refuses UPDATE and DELETE). Written through ``api.audit.record`` only."""

    __tablename__ = "audit_log"
    __table_args__ = (
        sa.Index("ix_audit_log_at", "at"),
        sa.Index("ix_audit_log_object", "object_kind", "object_id"),
        # a filtered page, newest first, read in index order (migration 0007)
        sa.Index("ix_audit_log_action_id", "action", "id"),
        sa.Index("ix_audit_log_actor_id", "actor", "id"),
        sa.Index("ix_audit_log_object_id", "object_kind", "object_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(
        default_factory=utcnow, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False)
    )
    actor: str = Field(index=True, description="the caller's name (or role)")
    action: str = Field(index=True, description="imported / planned / locked / cancelled / …")
    object_kind: str = Field(description="dataset / plan / job …")
    object_id: str
    detail: dict[str, Any] = Field(
        default_factory=dict, sa_column=sa.Column(sa.JSON(), nullable=False)
    )


class PublicationRecord(SQLModel, table=True):
    """A plan published as its county's adopted plan for a school year (已发布). The row of
    the current one has no ``superseded_at``; publishing another sets it (both are kept)."""

    __tablename__ = "publication"
    __table_args__ = (
        sa.Index(
            "uq_publication_current",
            "county",
            "year",
            unique=True,
            sqlite_where=sa.text("superseded_at IS NULL"),
            postgresql_where=sa.text("superseded_at IS NULL"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    plan_id: int = Field(foreign_key="plan_run.id", index=True)
    county: str
    year: int
    published_at: datetime = Field(sa_column=sa.Column(sa.DateTime(timezone=True), nullable=False))
    published_by: str
    supersedes_plan_id: int | None = None
    superseded_at: datetime | None = Field(
        default=None, sa_column=sa.Column(sa.DateTime(timezone=True), nullable=True)
    )
    superseded_by_plan_id: int | None = None
