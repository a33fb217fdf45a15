"""A plan's status in the office's words (最优, 近似最优（间隙 x%）, 可行, 办公室初始方案,
已中断) instead of the solver's codes; the raw code stays in ``summary.json``."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rotation.plan import Plan

_WORDS: dict[str, tuple[str, str]] = {
    "optimal": ("最优", "optimal"),
    "feasible": ("可行", "feasible"),
    "greedy": ("办公室初始方案", "office's starting plan"),
    "no_solution": ("无可行方案", "no feasible plan"),
    "infeasible": ("无可行方案", "no feasible plan"),
    "unknown": ("未知", "unknown"),
}
_GAP_SHOWN = 1e-6  # a relative gap below this is optimal for any reader


def status_words(
    status: str, gap: float | None = None, *, interrupted: bool = False, lang: str = "zh"
) -> str:
    """The status an officer reads, e.g. ``近似最优（间隙 0.8%）`` or ``已中断（可行）``."""
    zh = lang != "en"
    if status == "optimal" and gap is not None and gap > _GAP_SHOWN:
        text = f"近似最优（间隙 {gap:.1%}）" if zh else f"near-optimal (gap {gap:.1%})"
    elif status == "feasible" and gap is not None:
        text = f"可行（间隙 {gap:.1%}）" if zh else f"feasible (gap {gap:.1%})"
    else:
        pair = _WORDS.get(status)
        text = (pair[0] if zh else pair[1]) if pair else status
    if interrupted:
        return f"已中断（{text}）" if zh else f"interrupted ({text})"
    return text


def plan_status_words(plan: Plan, lang: str = "zh") -> str:
    """``status_words`` for a plan: its status, its gap, whether it was stopped."""
    solve = plan.solve
    status = solve.status if plan.status == "unknown" and solve is not None else plan.status
    gap = solve.gap if solve is not None else None
    return status_words(status, gap, interrupted=plan.interrupted, lang=lang)


def interrupted_lines(plan: Plan) -> list[str]:
    """What an interrupted plan is, in words: the best plan when the stop came and how close
    to the best it is (shared by the workbook and the terminal summary); the bound itself
    stays in summary.json."""
    head = (
        "已中断：中断前本方案已在间隙内证明为最优 / interrupted: the plan was proven optimal "
        "(within the gap) before the stop"
        if plan.status == "optimal"
        else "已中断：本方案为求解被中断时的最优方案，尚未证明最优 / interrupted: the best plan found "
        "before the stop, not proven optimal"
    )
    return [
        head,
        f"方案状态：{plan_status_words(plan)} / status: {plan_status_words(plan, 'en')}",
    ]
