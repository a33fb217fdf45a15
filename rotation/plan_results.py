"""What a plan's figures are, as typed results: ``PlanMetrics`` (recomputed from the
roster and the moves, ``rotation.metrics``) and ``SolveStats`` (how the solver got there).

They replace the dict of string keys the layers used to pass around; ``flat_figures``
gives the old flat mapping for ``summary.json`` and the API, whose keys tools read.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class NeedsFilled(BaseModel):
    """Open posts of one priority class and how many the plan fills."""

    model_config = ConfigDict(frozen=True)

    open: int = 0
    filled: int = 0


class IndicatorChange(BaseModel):
    """One 2017 indicator of one stage, before and after the plan's moves.

    ``no_data``: the roster lacks the column the indicator is computed from; its figures
    are then None and it is never met (reports print 无数据).
    """

    model_config = ConfigDict(frozen=True)

    stage: str
    stage_zh: str
    indicator: str
    label: str
    mean_before: float | None
    mean_after: float | None
    cv_before: float | None
    cv_after: float | None
    limit: float
    cv_met_after: bool | None
    schools_below_before: int | None
    schools_below_after: int | None
    no_data: bool = False


class NonQuotaMoves(BaseModel):
    """Moves from one sending school that count toward no quota (stages outside quota_stages)."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    moved: int
    by_stage: dict[str, int]  # stage code → moved
    reason: str = "不计入比例"


class PlanMetrics(BaseModel):
    """A plan's figures, recomputed from the roster and the moves (solver-free)."""

    model_config = ConfigDict(frozen=True)

    moved: int = 0
    backbone_moved: int = 0
    senior_moved: int = 0
    senior_share_sent: float = 0.0
    county_senior_share: float = 0.0
    senior_target_share: float = 0.0
    needs_open: int = 0
    needs_filled: int = 0
    needs_by_priority: dict[str, NeedsFilled] = Field(default_factory=dict)
    moved_with_preferences: int = 0
    preference_first_choice: int = 0
    preference_any_choice: int = 0
    distance_mean_km: float | None = None
    distance_max_km: float | None = None
    indicators: list[IndicatorChange] = Field(default_factory=list)
    moved_to_rural: int = Field(0, description="交流到农村学校的教师 / moved into 农村 schools")
    senior_to_rural: int = Field(
        0, description="其中高级职称 / of them senior titles (the tilt's achievement)"
    )
    senior_share_to_rural: float = Field(
        0.0, description="交流到农村学校教师中高级职称比例 / senior share of those into 农村"
    )
    quota_reading: str = Field("", description="比例口径 / the reading of the 10% and 20%")
    area_reading: str = Field("", description="城乡口径 / who counts as 城镇 and 农村")
    quota_stage_moved: int = Field(0, description="计入比例学段的交流人数 / moved, quota stages")
    non_quota_moved: int = Field(0, description="不计入比例的交流人数 / moved, other stages")
    non_quota_moves: list[NonQuotaMoves] = Field(default_factory=list)
    support_moved: int = Field(0, description="其中支教（一年后返回）/ of the moves, 支教 (one year)")
    support_not_counted: int = Field(
        0, description="不计入交流比例的支教人数（县定）/ 支教 the policy leaves out of the 10%"
    )
    shadowing_placed: int = Field(
        0, description="跟岗学习人数（均有交流教师补位）/ 跟岗学习 placed, each covered"
    )
    quota_units: int = Field(0, description="考核单位数 / quota units")
    quota_units_met: int = Field(0, description="达标单位数 / quota units met")
    eligible: int = Field(0, description="可交流教师 / eligible teachers")
    eligible_quota_base: int = Field(
        0, description="计入比例的符合交流条件教师（达标情况表之和）/ eligible the quotas count"
    )
    candidate_arcs: int = Field(0, description="候选安排数 / candidate moves")


class ShortfallCause(BaseModel):
    """One reason a quota fell short: a stable code, and the words in Chinese and English."""

    model_config = ConfigDict(frozen=True)

    code: str = Field(
        description="e.g. rotation_short, no_post_for_subjects, conflict:others_keep_posts"
    )
    zh: str
    en: str


class Shortfall(BaseModel):
    """A quota the plan does not meet, for one unit, with its causes."""

    model_config = ConfigDict(frozen=True)

    rule: str = Field(description="rotation_quota or backbone_share")
    unit: str = Field(description="the compliance row: a school id, or COUNTY for the county")
    name: str = ""
    causes: list[ShortfallCause] = Field(default_factory=list)

    @property
    def zh(self) -> str:
        return "；".join(c.zh for c in self.causes)

    @property
    def en(self) -> str:
        return "; ".join(c.en for c in self.causes)


class SolveStats(BaseModel):
    """How the plan was found: status, times, objective, bound and gap (solver-neutral).

    ``objective`` and ``bound`` are on the single penalised scale (value − penalty ×
    shortfall); ``gap`` is relative to the plan's value at the fewest shortfalls.
    """

    model_config = ConfigDict(frozen=True)

    status: str = "unknown"
    build_seconds: float = 0.0
    total_seconds: float = 0.0
    shortfall_penalty: float = 0.0
    objective: float | None = None
    bound: float | None = None
    plan_value: float | None = None
    plan_value_bound: float | None = None
    gap: float | None = None
    shortfall_units: float | None = None
    shortfall_proven_minimal: bool | None = None
    solve_seconds: float | None = None
    first_solution_seconds: float | None = None
    solver_status: str | None = None
    phases: list[dict[str, Any]] = Field(default_factory=list)
    slack: dict[str, float] | None = None


SOLVE_KEYS_ALWAYS: tuple[str, ...] = (
    "status",
    "build_seconds",
    "total_seconds",
    "shortfall_penalty",
)
COUNT_KEYS: tuple[str, ...] = (
    "quota_units",
    "quota_units_met",
    "eligible",
    "eligible_quota_base",
    "candidate_arcs",
)


def flat_figures(metrics: PlanMetrics, solve: SolveStats | None) -> dict[str, Any]:
    """The figures as one flat mapping, in the order ``summary.json`` has always had:
    the plan's figures, the solve's (only those known), then the counts."""
    m = metrics.model_dump(mode="json")
    counts = {k: m.pop(k) for k in COUNT_KEYS}
    figures: dict[str, Any] = dict(m)
    if solve is not None:
        ran = solve.solver_status is not None  # a solver ran (not the greedy office plan alone)
        for k, v in solve.model_dump(mode="json").items():
            if k in SOLVE_KEYS_ALWAYS or (ran and (k != "slack" or v is not None)):
                figures[k] = v
    figures.update(counts)
    return figures
