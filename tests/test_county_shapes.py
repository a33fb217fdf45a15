"""Counties shaped unlike the usual presets (issue 11 item 7): each small stress preset
is what it says, its plan passes the independent checker, every quota the data allows
is met, and every shortfall is proven minimal and named. The solver's shortcuts for
these shapes (backbone-deficit cuts, repairing a rounded LP plan) change no optimum."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rotation.checker import check_plan
from rotation.enums import QuotaScope, Stage
from rotation.io import read_dataset, write_dataset
from rotation.locks import Locks
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from sample_data import PRESETS, generate
from sample_data.presets import STRESS
from solver.backends.highs import solve_highs, solve_lp_relaxation
from solver.build import build_model
from solver.candidates import build_candidates
from solver.cuts import with_backbone_cuts
from solver.lexicographic import is_feasible
from solver.linear_model import with_objective
from solver.options import SolveOptions
from solver.plan_year import arcs_to_values, plan_year
from solver.repair import repair_shortfall

YEAR = 2026
POLICY = Policy()
SMALL_STRESS = [p.name for p in STRESS if p.name.endswith("_small")]


def _plan(dataset: Dataset, **options: object) -> Plan:
    return plan_year(dataset, YEAR, POLICY, Locks(), SolveOptions(relative_gap=0.0, **options))  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def datasets() -> dict[str, Dataset]:
    return {name: generate(name, seed=1, year=YEAR) for name in [*SMALL_STRESS, "small"]}


@pytest.fixture(scope="module")
def plans(datasets: dict[str, Dataset]) -> dict[str, Plan]:
    return {name: _plan(datasets[name]) for name in SMALL_STRESS}


def test_every_stress_shape_has_a_small_variant_for_the_quick_runs() -> None:
    big = [p.name for p in STRESS if not p.name.endswith("_small")]
    assert set(SMALL_STRESS) == {f"{n}_small" for n in big if n != "big_county"}
    assert all(name in PRESETS for name in (*SMALL_STRESS, *big))


@pytest.mark.parametrize("name", SMALL_STRESS)
def test_every_stress_plan_passes_the_checker_with_its_shortfall_proven_minimal(
    name: str, datasets: dict[str, Dataset], plans: dict[str, Plan]
) -> None:
    plan = plans[name]
    report = check_plan(datasets[name], plan, POLICY, Locks())
    assert report.ok, report.violations
    assert plan.status == "optimal"
    assert plan.solve is not None and plan.solve.shortfall_proven_minimal
    assert plan.metrics.moved > 0
    for row in plan.compliance:
        assert row.met or row.shortfall_reason, row


def test_many_posts_declares_five_times_the_posts_and_meets_every_quota(
    datasets: dict[str, Dataset], plans: dict[str, Plan]
) -> None:
    posts = sum(n.count for n in datasets["many_posts_small"].needs)
    usual = sum(n.count for n in datasets["small"].needs)
    assert posts >= 4 * usual
    plan = plans["many_posts_small"]
    assert plan.metrics.quota_units_met == plan.metrics.quota_units
    assert plan.metrics.needs_filled > usual  # more posts filled than the usual county offers


def test_unmet_quotas_are_short_for_the_reasons_the_data_gives(
    datasets: dict[str, Dataset], plans: dict[str, Plan]
) -> None:
    dataset = datasets["unmet_quotas_small"]
    assert {n.stage for n in dataset.needs} <= {Stage.KINDERGARTEN, Stage.PRIMARY, Stage.SENIOR}
    plan = plans["unmet_quotas_small"]
    short = {r.school_id: r.shortfall_reason for r in plan.compliance if not r.met}
    no_post = [s for s, why in short.items() if "初中" in why and "在接收学校无空缺岗位" in why]
    assert no_post and set(no_post) == set(short), short  # every shortfall: no junior post
    for school_id in no_post:  # a junior school: none of its teachers has a post to go to
        assert dataset.school[school_id].stage.value == "junior"
    required = sum(r.required - r.rotated for r in plan.compliance if not r.met)
    assert plan.solve is not None and plan.solve.shortfall_units == required


def test_small_schools_is_mostly_small_schools(datasets: dict[str, Dataset]) -> None:
    dataset = datasets["small_schools_small"]
    assert len(dataset.schools) >= 100
    assert sum(s.students < 300 for s in dataset.schools) >= 0.8 * len(dataset.schools)


def test_bare_roster_has_no_optional_column_and_reads_back(
    datasets: dict[str, Dataset], plans: dict[str, Plan], tmp_path: Path
) -> None:
    dataset = datasets["bare_small"]
    assert all(s.lat is None and s.lon is None and not s.community for s in dataset.schools)
    assert all(not t.preferences and t.degree is None for t in dataset.teachers)
    write_dataset(dataset, tmp_path)
    back = read_dataset(tmp_path)
    assert (back.schools, back.teachers, back.needs) == (
        dataset.schools,
        dataset.teachers,
        dataset.needs,
    )
    assert all(a.distance_km is None for a in plans["bare_small"].assignments)


def test_backbone_cuts_raise_the_lp_bound_but_not_the_least_shortfall(
    datasets: dict[str, Dataset],
) -> None:
    # the backbone share reckoned school by school: senders without backbone owe one
    policy = POLICY.model_copy(update={"backbone_scope": QuotaScope.SCHOOL})
    ctx = build_model(build_candidates(datasets["unmet_quotas_small"], YEAR, policy, Locks()))
    slack = np.array([s.column for s in ctx.slacks])
    least = np.zeros(ctx.model.num_vars, dtype=np.int64)
    least[slack] = -1
    plain = with_objective(ctx.model, least)
    strong = with_objective(ctx.model, least)
    owing = sum(q.backbone_required > 0 for q in ctx.cands.backbone_quotas.values())
    assert 0 < with_backbone_cuts(ctx, strong) <= owing  # at most one per unit owing backbone
    options = SolveOptions(relative_gap=0.0)
    lp_plain, lp_strong = solve_lp_relaxation(plain, options), solve_lp_relaxation(strong, options)
    assert lp_plain is not None and lp_strong is not None
    assert -lp_strong[1] > -lp_plain[1] + 0.5  # the cuts close most of the LP's gap
    mip_plain, mip_strong = solve_highs(plain, options), solve_highs(strong, options)
    assert mip_plain.status == mip_strong.status == "optimal"
    assert mip_plain.objective == mip_strong.objective
    assert lp_strong[1] == pytest.approx(mip_strong.objective)  # the LP bound is now exact


@pytest.mark.parametrize("name", SMALL_STRESS)
def test_repair_puts_back_a_dropped_teacher_a_quota_leaned_on(
    name: str, datasets: dict[str, Dataset], plans: dict[str, Plan]
) -> None:
    ctx = build_model(build_candidates(datasets[name], YEAR, POLICY, Locks()))
    c = ctx.cands
    moves = plans[name].moves
    arcs = np.array(
        [
            a
            for a in range(c.num_arcs)
            if moves.get(c.teachers[int(c.arc_teacher[a])].teacher_id) == c.arc_school[a]
        ],
        dtype=np.int64,
    )
    slack = [s.column for s in ctx.slacks]
    owed = arcs_to_values(ctx, arcs)[slack].sum()
    dropped = 0
    # drop, one at a time, each move whose school then falls (further) short of its quota
    for k in range(len(arcs)):
        fewer = np.delete(arcs, k)
        if arcs_to_values(ctx, fewer)[slack].sum() <= owed:
            continue
        dropped += 1
        repaired = repair_shortfall(ctx, fewer, np.zeros(ctx.model.num_vars))
        values = arcs_to_values(ctx, repaired)
        assert values[slack].sum() <= owed
        assert is_feasible(ctx.model, values)  # no teacher twice, no need overfilled, no cap broken
    # many_posts_small sends more than its quotas ask, so no single move is load-bearing
    assert dropped > 0 or name == "many_posts_small"
