"""Indicators never get worse silently: a plan that raises a county CV says which, how much, why.

Source: 《县域义务教育优质均衡发展督导评估办法》(2017): the coefficient of variation of each
teacher indicator across a county's primary (≤ 0.50) and junior (≤ 0.45) schools. A plan
sends teachers out of the sending schools and into the receiving ones; where that spreads
an indicator further, the officer reads it here (``rotation.indicators``) and decides.
"""

from __future__ import annotations

from collections.abc import Mapping

from rotation.indicators import EVALUATED_STAGES, INDICATOR_LABELS_ZH, INDICATORS, county_indicators
from rotation.models import Dataset
from rotation.policy import Policy

CV_TOLERANCE = 0.0005  # changes below this are rounding, not a worse indicator


def indicator_warnings(dataset: Dataset, moves: Mapping[str, str], policy: Policy) -> list[str]:
    """One sentence per (stage, indicator) whose county CV the moves raise: the indicator,
    the amount and the schools that moved it most away from the county mean."""
    if not moves:
        return []
    before = county_indicators(dataset, policy)
    after = county_indicators(dataset, policy, moves)
    out: list[str] = []
    for stage in EVALUATED_STAGES:
        for k in INDICATORS:
            key = (stage, k)
            if key not in before.cv or after.cv[key] <= before.cv[key] + CV_TOLERANCE:
                continue
            mean = after.mean[key]
            was = {(r.school_id): r.values[k] for r in before.schools if r.stage is stage}
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
            why = (
                f"主要因为交流后这些学校离全县均值更远：{names}" if names else "交流改变了各校分布"
            )
            out.append(
                f"{stage.label_zh}{INDICATOR_LABELS_ZH[k]}差异系数由 {before.cv[key]:.3f} 升至 "
                f"{after.cv[key]:.3f}（+{after.cv[key] - before.cv[key]:.3f}）：{why} / the "
                f"{stage.value} {k} CV rises by {after.cv[key] - before.cv[key]:.3f}"
            )
    return out
