"""The outcome of the hiring rounds: each teacher's row, the per-school summary, the counts."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import LabelledEnum, Stage, Subject


class AllocationRound(LabelledEnum):
    KEPT = "kept", "校内竞聘"
    CROSS = "cross", "跨校竞聘"
    ASSIGNED = "assigned", "组织调剂"
    UNPLACED = "unplaced", "待岗培训"


class AllocationRow(BaseModel):
    """One teacher's outcome: a row of allocation.csv."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    from_school_id: str
    stage: Stage
    subject: Subject
    round: AllocationRound
    to_school_id: str | None = None
    reason: str = ""
    post_subject: Subject | None = Field(
        None, description="聘用岗位学科: the subject of the post filled (≠ subject for 转岗)"
    )
    preference_rank: int | None = Field(None, description="round 2: 1 = the teacher's first choice")
    distance_km: float | None = None
    final_placement: bool = Field(
        False,
        description="组织调剂兜底安置：跨学科转岗或不受层级限制 / placed by the final step",
    )


class SchoolAllocationSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    posts: int
    holders: int
    kept: int
    released: int
    joined_cross: int
    joined_assigned: int
    vacancies_left: int


class AllocationResult(BaseModel):
    """The year's allocation: every teacher's row, a per-school summary and counts."""

    model_config = ConfigDict(frozen=True)

    year: int
    rows: tuple[AllocationRow, ...]
    schools: tuple[SchoolAllocationSummary, ...]
    metrics: dict[str, Any] = Field(default_factory=dict)

    @property
    def by_teacher(self) -> dict[str, AllocationRow]:
        return {r.teacher_id: r for r in self.rows}

    def count(self, rnd: AllocationRound) -> int:
        return sum(r.round is rnd for r in self.rows)
