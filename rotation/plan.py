"""The exchange plan (交流轮岗方案): assignments with reasons, compliance, metrics."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import BackboneLevel, Role, Stage, Subject, Title


class Assignment(BaseModel):
    """One teacher's move: a row of plan.csv."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    from_school_id: str
    to_school_id: str
    stage: Stage
    subject: Subject
    title: Title
    backbone: BackboneLevel
    start_year: int
    end_year: int
    reasons: str = Field("", description="为何选派此人、去往此校，中文 / why, in words")
    distance_km: float | None = None
    preference_rank: int | None = Field(None, description="1 = the teacher's first choice")


class ComplianceRow(BaseModel):
    """One quota unit's standing: a row of compliance.csv."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    role: Role | str
    eligible: int
    required: int
    rotated: int
    backbone_required: int
    backbone_rotated: int
    met: bool
    shortfall_reason: str = ""


class Plan(BaseModel):
    """A year's plan: what the solver (or the greedy baseline) produced, and how it fares."""

    model_config = ConfigDict(frozen=True)

    year: int
    assignments: tuple[Assignment, ...]
    compliance: tuple[ComplianceRow, ...] = ()
    metrics: dict[str, Any] = Field(default_factory=dict)
    status: str = "unknown"  # optimal / feasible / no_solution / greedy / ...
    backend: str = ""
    notes: tuple[str, ...] = ()

    @property
    def moves(self) -> dict[str, str]:
        return {a.teacher_id: a.to_school_id for a in self.assignments}
