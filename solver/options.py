"""How to solve: backend, limits and determinism knobs."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Backend = Literal["highs", "cpsat", "scip", "greedy"]
BACKENDS: tuple[str, ...] = ("highs", "cpsat", "scip", "greedy")


class SolveOptions(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    backend: Backend = Field("highs", description="求解器 / solver backend")
    time_limit: float = Field(60.0, gt=0, le=86_400, description="求解时间上限（秒）")
    relative_gap: float = Field(0.001, ge=0, le=1, description="相对间隙，达到即停止")
    workers: int = Field(1, ge=1, le=64, description="求解线程数 (CP-SAT workers)")
    seed: int = Field(0, ge=0, description="随机种子 / random seed")
    use_greedy_hint: bool = Field(True, description="以贪心方案为初始解 / start from the greedy plan")
    lp_first: bool = Field(
        True,
        description="HiGHS 先解线性松弛并取整修复，达到间隙即不再分支 / LP relaxation first, rounded",
    )
