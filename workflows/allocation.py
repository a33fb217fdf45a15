"""Run the 县管校聘 hiring rounds: 校内竞聘 → 跨校竞聘 → 组织调剂, then the independent check."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from rotation.hiring import AllocationResult, HiringPolicy, check_allocation
from rotation.models import ApprovedPost, Dataset
from solver.assign_unplaced import run_allocation
from solver.progress import Progress, ProgressFn, StopFn


class AllocationProblem(BaseModel):
    """One breach the allocation check found."""

    model_config = ConfigDict(frozen=True)

    rule: str
    subject: str
    message: str


class AllocationOutcome(BaseModel):
    """The rounds' result and the check's verdict on it."""

    model_config = ConfigDict(frozen=True)

    allocation: AllocationResult
    problems: list[AllocationProblem] = Field(default_factory=list)
    scores_used: int = Field(0, description="teachers with an evaluation score")

    @property
    def ok(self) -> bool:
        return not self.problems

    def check_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "violations": [p.model_dump() for p in self.problems]}


def run_hiring_rounds(
    dataset: Dataset,
    year: int,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
    *,
    backend: Literal["flow", "cpsat"] = "flow",
    time_limit: float = 30.0,
    seed: int = 0,
    progress: ProgressFn | None = None,
    should_stop: StopFn | None = None,
    posts: Sequence[ApprovedPost] | None = None,
) -> AllocationOutcome:
    """The three rounds (round 3 solved exactly) and the independent check of the result."""
    _ = should_stop  # the rounds take about a second: nothing to stop in between
    policy = policy or HiringPolicy()
    if progress is not None:
        progress(Progress(0.0, phase="allocate", message="校内竞聘、跨校竞聘、组织调剂"))
    allocation = run_allocation(
        dataset,
        year,
        policy=policy,
        scores=scores or None,
        backend=backend,
        time_limit=time_limit,
        seed=seed,
        posts=posts,
    )
    if progress is not None:
        progress(Progress(0.0, phase="check", message="独立校验 / checking"))
    problems = check_allocation(
        dataset, allocation, policy=policy, scores=scores or None, posts=posts
    )
    return AllocationOutcome(
        allocation=allocation,
        problems=[
            AllocationProblem(rule=p.rule, subject=p.subject, message=p.message) for p in problems
        ],
        scores_used=len(scores or {}),
    )
