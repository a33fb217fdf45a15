"""Every backend of the engine and the PuLP+CBC peer agree on the optimum of small
instances solved to optimality (gap 0), on the same objective scale."""

from __future__ import annotations

import pytest

from bench.measure import plan_from_moves
from bench.pulp_peer import chosen_teachers, solve_pulp
from rotation.checker import check_plan
from rotation.locks import Locks
from rotation.policy import ObjectiveWeights, Policy
from sample_data import generate
from solver.candidates import build_candidates
from solver.options import SolveOptions
from workflows.plan import run_plan as plan_year

YEAR = 2026
CASES = [("tiny", 1), ("small", 1), ("small", 2), ("small", 3)]


@pytest.mark.parametrize(("preset", "seed"), CASES)
def test_backends_and_peer_reach_the_same_optimum(preset: str, seed: int) -> None:
    dataset = generate(preset, seed=seed, year=YEAR)
    # the improvement pass (solver.indicator_pass) solves a second model that prices the
    # CVs; the peer builds the first one: compare the backends on that model alone
    policy = Policy(weights=ObjectiveWeights(indicator_cv=0))
    optima: dict[str, float] = {}
    for backend in ("highs", "cpsat", "scip"):
        options = SolveOptions(backend=backend, time_limit=30, relative_gap=0.0, workers=1)
        plan = plan_year(dataset, YEAR, policy, Locks(), options)
        assert plan.status == "optimal", (backend, plan.status)
        assert plan.check is not None and plan.check.ok, (backend, plan.check)
        assert plan.solve is not None and plan.solve.objective is not None
        optima[backend] = plan.solve.objective
    peer = solve_pulp(
        build_candidates(dataset, YEAR, policy, Locks()), time_limit=30, relative_gap=0.0
    )
    assert peer.status == "optimal"
    assert peer.objective is not None
    optima["pulp_cbc"] = peer.objective
    peer_plan = plan_from_moves(
        dataset,
        chosen_teachers(build_candidates(dataset, YEAR, policy, Locks()), peer.chosen),
        policy,
        "pulp_cbc",
    )
    assert check_plan(dataset, peer_plan, policy).ok
    # objectives are integers in tenths of a policy unit: equal to the tenth
    tenths = {name: round(value * 10) for name, value in optima.items()}
    assert len(set(tenths.values())) == 1, optima
