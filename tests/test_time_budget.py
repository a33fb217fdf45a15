"""The time limit bounds the whole run: reading and building count, the solver gets the
rest less the shares of explaining and checking, and diagnosis stops at its deadline.
Machine-independent: a fake clock stands in for the passing of time."""

from __future__ import annotations

from typing import Any

import pytest
from builders import YEAR, county, math_teachers, need, rural, school

import solver.plan_year
import workflows.plan
from rotation.policy import Policy
from sample_data import generate
from solver.budget import CHECK_SHARE, EXPLAIN_SHARE, LATER_SHARE, RunBudget
from solver.options import SolveOptions
from solver.principal_exchange import PRINCIPAL_SECONDS
from workflows.plan import run_plan


class FakeClock:
    def __init__(self, now: float = 0.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_the_solver_gets_the_limit_less_what_reading_took_and_the_later_phases_shares(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[float] = []
    real = solver.plan_year.solve_phased

    def spy(ctx: Any, options: SolveOptions, *args: Any) -> Any:
        seen.append(options.time_limit)
        return real(ctx, options, *args)

    monkeypatch.setattr(solver.plan_year, "solve_phased", spy)
    clock = FakeClock()
    budget = RunBudget(60.0, clock=clock)
    clock.now = 10.0  # reading the roster took ten seconds
    dataset = generate("tiny", seed=1, year=YEAR)
    assert dataset.hour_needs, "the tiny county states hour needs: 走教 runs after the plan"
    policy = Policy()
    plan = run_plan(dataset, YEAR, policy, options=SolveOptions(time_limit=60), budget=budget)
    assert any(t.position.leads for t in dataset.teachers), "and principals: 校长交流 too"
    kept = min(policy.itinerant_time_limit + PRINCIPAL_SECONDS, 60 * LATER_SHARE)
    assert seen == [pytest.approx(60 - 10 - 60 * (EXPLAIN_SHARE + CHECK_SHARE) - kept)]
    assert plan.check is not None and plan.check.ok


def test_a_solver_that_uses_its_whole_share_still_leaves_the_itinerant_schedule_its_seconds(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A what-if scenario of 10 s on a big county: the plan's solve runs to its limit, and
    走教 must still get its share (it used to get the 1 s floor and could find nothing)."""
    clock = FakeClock()
    real_solve = solver.plan_year.solve_phased
    given: list[float] = []

    def slow_solve(ctx: Any, options: SolveOptions, *args: Any) -> Any:
        out = real_solve(ctx, options, *args)
        clock.now += options.time_limit  # the solver used every second it was given
        return out

    real_itinerant = workflows.plan.plan_itinerant

    def spy(*args: Any, time_limit: float, **kwargs: Any) -> Any:
        given.append(time_limit)
        return real_itinerant(*args, time_limit=time_limit, **kwargs)

    monkeypatch.setattr(solver.plan_year, "solve_phased", slow_solve)
    monkeypatch.setattr(workflows.plan, "plan_itinerant", spy)
    budget = RunBudget(10.0, clock=clock)
    clock.now = 2.0  # reading took two seconds
    plan = run_plan(
        generate("tiny", seed=1, year=YEAR), YEAR, Policy(), options=SolveOptions(time_limit=10),
        budget=budget,
    )  # fmt: skip
    assert given and given[0] > 1.0  # more than the 1 s floor it used to get
    assert plan.itinerant is not None


def test_a_limit_used_up_before_solving_gives_the_greedy_start_plan_and_says_what_limit_would_work() -> (
    None
):
    clock = FakeClock()
    budget = RunBudget(5.0, clock=clock)
    clock.now = 7.5  # reading and building took longer than the whole limit
    plan = run_plan(
        generate("tiny", seed=1, year=YEAR),
        YEAR,
        Policy(),
        options=SolveOptions(time_limit=5),
        budget=budget,
    )
    assert plan.status == "greedy_fallback"
    (note,) = [n for n in plan.notes if n.startswith("时限")]
    assert "时限 5 秒不足以求解" in note and "贪心初始方案" in note and "greedy start plan" in note
    assert "建议时限至少 16 秒" in note  # ceil((1.5 × 7.5 + 2) / 0.87)
    assert plan.check is not None and plan.check.ok


def test_a_shortfall_diagnosed_past_its_deadline_gets_the_data_cause_labelled_as_undiagnosed() -> (
    None
):
    teachers = math_teachers(5, "U1") + math_teachers(5, "U2", prefix="V")
    d = county([school("U1"), school("U2"), rural("R1")], teachers, [need("R1", 1)])
    options = SolveOptions(time_limit=20, relative_gap=0.0)
    clock = FakeClock()
    budget = RunBudget(20.0, clock=clock)

    def late(*args: Any, **kwargs: Any) -> Any:
        clock.now = 19.9  # the solve used everything but the checker's share
        return real(*args, **kwargs)

    real = solver.plan_year.make_assignments
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(solver.plan_year, "make_assignments", late)
        plan = run_plan(d, YEAR, Policy(backbone_share=0), options=options, budget=budget)
    (short,) = [r for r in plan.compliance if not r.met]
    assert "未能在时限内诊断" in short.shortfall_reason
    assert "接收学校对口岗位已被其他学校教师占满" not in short.shortfall_reason
    assert plan.check is not None and plan.check.ok  # the shortfall is still reported, with words


def test_a_stop_asked_during_the_lp_relaxation_ends_it_and_keeps_the_start_plan() -> None:
    from rotation.locks import Locks
    from solver.backends.highs import solve_lp_relaxation
    from solver.build import build_model
    from solver.candidates import build_candidates

    dataset = generate("small", seed=1, year=YEAR)
    ctx = build_model(build_candidates(dataset, YEAR, Policy(), Locks()))
    asked: list[bool] = []

    def stop() -> bool:
        asked.append(True)
        return True

    assert solve_lp_relaxation(ctx.model, SolveOptions()) is not None
    assert solve_lp_relaxation(ctx.model, SolveOptions(), stop) is None
    assert asked, "the simplex asked whether to stop"
    plan = run_plan(dataset, YEAR, Policy(), should_stop=lambda: True)
    greedy = run_plan(dataset, YEAR, Policy(), options=SolveOptions(backend="greedy"))
    assert plan.status == "stopped" and plan.interrupted
    assert plan.moves == greedy.moves  # nothing better was found before the stop
    assert any("贪心初始方案" in n and "被中断" in n for n in plan.notes)
    assert plan.check is not None and plan.check.ok
