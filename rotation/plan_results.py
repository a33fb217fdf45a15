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
    quota_units: int = Field(0, description="考核单位数 / quota units")
    quota_units_met: int = Field(0, description="达标单位数 / quota units met")
    eligible: int = Field(0, description="可交流教师 / eligible teachers")
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
COUNT_KEYS: tuple[str, ...] = ("quota_units", "quota_units_met", "eligible", "candidate_arcs")


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
