"""Indicators never get worse silently: a plan that raises a county CV says which, how much, why.

Source: 《县域义务教育优质均衡发展督导评估办法》(2017): the coefficient of variation of each
teacher indicator across a county's primary (≤ 0.50) and junior (≤ 0.45) schools. A plan
sends teachers out of the sending schools and into the receiving ones; where that spreads
an indicator further, the solver first tries a plan that prices the CV
(``solver.indicator_pass``); what still rises is said here (``rotation.indicators``),
with what the improvement pass did, and the officer decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from rotation.enums import Stage
from rotation.indicators import (
    EVALUATED_STAGES,
    INDICATOR_LABELS_ZH,
    INDICATORS,
    CountyIndicators,
    counts_for,
    county_indicators,
)
from rotation.models import Dataset
from rotation.policy import Policy

CV_TOLERANCE = 0.0005  # changes below this are rounding, not a worse indicator
MOST_COUNT = 0.8  # from this share of a stage's teachers counting, a rise is hard to avoid

INDICATOR_LABELS_EN: dict[str, str] = {
    "degree": "teachers above the required degree",
    "backbone": "county-level backbone teachers",
    "arts_pe": "PE and art teachers",
}


@dataclass(frozen=True)
class CvRise:
    stage: Stage
    indicator: str
    before: float
    after: float

    @property
    def amount(self) -> float:
        return self.after - self.before


@dataclass(frozen=True)
class ImprovementTried:
    """What the improvement pass did: the rises of the first plan (``first``), and whether
    its plan was kept (it lowered the rises without filling fewer needs or more shortfall)."""

    first: tuple[CvRise, ...]
    kept: bool
    why_not: str = ""  # when not kept, or not run: the reason, "zh / en"


def cv_rises(dataset: Dataset, moves: Mapping[str, str], policy: Policy) -> list[CvRise]:
    """The (stage, indicator) pairs whose county CV the moves raise beyond rounding."""
    if not moves:
        return []
    return _rises(county_indicators(dataset, policy), county_indicators(dataset, policy, moves))


def _rises(before: CountyIndicators, after: CountyIndicators) -> list[CvRise]:
    out = []
    for stage in EVALUATED_STAGES:
        for k in INDICATORS:
            key = (stage, k)
            if (
                key in before.cv
                and k not in before.no_data
                and after.cv[key] > before.cv[key] + CV_TOLERANCE
            ):
                out.append(CvRise(stage, k, before.cv[key], after.cv[key]))
    return out


def indicator_warnings(
    dataset: Dataset,
    moves: Mapping[str, str],
    policy: Policy,
    tried: ImprovementTried | None = None,
) -> list[str]:
    """One sentence per (stage, indicator) whose county CV the moves raise: the indicator,
    the amount, the schools that moved it most away from the county mean, and what the
    improvement pass did about it (``tried``)."""
    if not moves:
        return []
    before = county_indicators(dataset, policy)
    after = county_indicators(dataset, policy, moves)
    out: list[str] = []
    first = {(r.stage, r.indicator): r for r in tried.first} if tried is not None else {}
    for rise in _rises(before, after):
        stage, k = rise.stage, rise.indicator
        key = (stage, k)
        mean = after.mean[key]
        was = {r.school_id: r.values[k] for r in before.schools if r.stage is stage}
        drift = []
        for r in after.schools:
            if r.stage is not stage or r.school_id not in was:
                continue
            farther = abs(r.values[k] - mean) - abs(was[r.school_id] - before.mean[key])
            if farther > 0:
                drift.append((farther, r.school_id, was[r.school_id], r.values[k]))
        drift.sort(reverse=True)
        names = "、".join(
            f"{dataset.school[sid].name}（{a:.2f}→{b:.2f}）" for _, sid, a, b in drift[:3]
        )
        ids = ", ".join(f"{sid} ({a:.2f}→{b:.2f})" for _, sid, a, b in drift[:3])
        why = f"主要因为交流后这些学校离全县均值更远：{names}" if names else "交流改变了各校分布"
        why_en = (
            f"mainly these schools end farther from the county mean: {ids}"
            if ids
            else "the moves change the spread"
        )
        zh_tried, en_tried = _tried_words(tried, first.get(key), rise)
        share = counting_share(dataset, stage, k, policy)
        if share >= MOST_COUNT:
            zh_tried += f"；全县{stage.label_zh}教师 {share:.0%} 计入该指标，接收学校的岗位几乎只能由计入的教师填补"
            en_tried += (
                f"; {share:.0%} of the county's {stage.value} teachers count for it, so the "
                "receiving schools' posts can hardly be filled by others"
            )
        out.append(
            f"{stage.label_zh}{INDICATOR_LABELS_ZH[k]}差异系数由 {rise.before:.3f} 升至 "
            f"{rise.after:.3f}（+{rise.amount:.3f}）：{why}{zh_tried} / the "
            f"{stage.value} CV of {INDICATOR_LABELS_EN[k]} rises from {rise.before:.3f} to "
            f"{rise.after:.3f} (+{rise.amount:.3f}): {why_en}{en_tried}"
        )
    return out


def counting_share(dataset: Dataset, stage: Stage, indicator: str, policy: Policy) -> float:
    """The share of the county's teachers of ``stage`` who count for ``indicator``."""
    staff = [t for t in dataset.teachers if t.stage is stage]
    if not staff:
        return 0.0
    return sum(counts_for(t, stage, policy)[indicator] for t in staff) / len(staff)


def _tried_words(
    tried: ImprovementTried | None, first: CvRise | None, now: CvRise
) -> tuple[str, str]:
    if tried is None:
        return "", ""
    if tried.kept and first is not None and now.after < first.after - CV_TOLERANCE:
        return (
            f"；已按差异系数改进求解，升幅由 +{first.amount:.3f} 降至 +{now.amount:.3f}，"
            "再降低需付出更多方案其他目标（岗位填补与优先、志愿、距离等）的代价，超过 "
            "weights.indicator_cv 对每 0.01 差异系数的定价",
            f"; the improvement pass priced the CV and cut the rise from +{first.amount:.3f} to "
            f"+{now.amount:.3f}; lowering it further costs more of the plan's other aims (needs "
            "and priorities, preferences, distance) than weights.indicator_cv prices 0.01 of CV",
        )
    zh, _, en = tried.why_not.partition(" / ")
    return f"；{zh}", f"; {en or zh}"


def improvement_summary(before: list[CvRise], after: list[CvRise], kept: bool) -> str:
    """One line for the plan's notes when the improvement pass removed or lowered rises."""
    names_zh = "、".join(f"{r.stage.label_zh}{INDICATOR_LABELS_ZH[r.indicator]}" for r in before)
    names_en = ", ".join(f"{r.stage.value} {r.indicator}" for r in before)
    left = {(r.stage, r.indicator) for r in after}
    if not kept:
        return ""
    gone = [r for r in before if (r.stage, r.indicator) not in left]
    if not gone:
        return ""
    return (
        f"初次求解使{names_zh}差异系数升高，已按差异系数改进求解，"
        f"{'、'.join(f'{r.stage.label_zh}{INDICATOR_LABELS_ZH[r.indicator]}' for r in gone)}不再升高"
        f"（岗位填补与交流比例不变或更好） / the first solve raised the CV of {names_en}; the "
        f"improvement pass priced the CV and {', '.join(f'{r.stage.value} {r.indicator}' for r in gone)} "
        "no longer rise (needs filled and quotas met no worse)"
    )
