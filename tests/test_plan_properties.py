"""Properties of whole plans on random small counties and policies: every plan passes
the independent checker, shortfalls always come with a cause, and the solver is never
behind the greedy office baseline on quotas."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rotation.checker import check_plan
from rotation.enums import QuotaScope
from rotation.policy import Policy
from rotation.quotas import senior_target_per_mille
from sample_data import generate
from solver.options import SolveOptions
from solver.plan_year import plan_year

YEAR = 2026


def shortfall(dataset, plan, policy) -> int:
    """Units of quota shortfall, as the rules count them: teachers short of the rotation
    quota, backbone teachers short of the share, senior teachers short of the tilt."""
    quota = sum(max(0, r.required - r.rotated) + max(0, r.backbone_required - r.backbone_rotated) for r in plan.compliance)
    sent = len(plan.assignments)
    senior = sum(a.title.is_senior for a in plan.assignments)
    missing = senior_target_per_mille(dataset, policy) * sent - 1000 * senior
    return quota + max(0, math.ceil(missing / 1000))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(1, 10_000),
    rate=st.sampled_from([0.05, 0.10, 0.15, 0.25]),
    backbone=st.sampled_from([0.0, 0.2, 0.3, 0.5]),
    tilt=st.sampled_from([0.0, 1.0, 1.5]),
    scope=st.sampled_from([QuotaScope.SCHOOL, QuotaScope.COUNTY]),
    group_share=st.sampled_from([0.2, 0.34, 1.0]),
)
def test_random_counties_give_checked_plans(seed, rate, backbone, tilt, scope, group_share) -> None:
    dataset = generate("small", seed=seed, year=YEAR)
    policy = Policy(
        rotation_rate=rate,
        max_rotation_rate=max(rate, 0.3),
        backbone_share=backbone,
        title_tilt=tilt,
        quota_scope=scope,
        max_group_leave_share=group_share,
    )
    plan = plan_year(dataset, YEAR, policy, options=SolveOptions(time_limit=20, relative_gap=0.0))
    report = check_plan(dataset, plan, policy)
    assert report.ok, report.summary_zh()
    assert plan.status == "optimal"
    for row in plan.compliance:
        if not row.met:
            assert row.shortfall_reason and "待人工核实" not in row.shortfall_reason
    greedy = plan_year(dataset, YEAR, policy, options=SolveOptions(backend="greedy"))
    assert check_plan(dataset, greedy, policy).ok
    assert shortfall(dataset, plan, policy) <= shortfall(dataset, greedy, policy)
