"""Round 3 of 县管校聘 (组织调剂) by CP-SAT, and the allocation end to end.

The model is small: one integer per (group, vacancy) arc the domain allowed
(``rotation.hiring.round_three_problem``: a group is the unplaced teachers of one school,
section and subject; an arc is a vacancy of their own subject or, by 转岗, of a compatible
subject), each group placing at most its size, each vacancy at most its count; maximise
the arcs' gains (priority shortages first, own subject before 转岗, short distances).

The model is a transportation problem (its constraint matrix is totally unimodular), so
the same objective is solved exactly as a min-cost flow (OR-Tools ``SimpleMinCostFlow``):
source → group (capacity: its teachers) → vacancy (gain as negative cost) → sink
(capacity: its count), with a zero-cost bypass for teachers left unplaced. That is the
default backend (``"flow"``): on the longchuan sample (about 760 groups, 230,000 arcs) it
proves the optimum in under a second, where CP-SAT with one worker was still short of a
proof after 70 s. ``backend="cpsat"`` builds the CP-SAT model (deterministic: one worker,
a fixed seed, the greedy placement as hint); the tests check both give the same optimum.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Literal

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from rotation.hiring import (
    AllocationResult,
    HiringPolicy,
    RoundThreeProblem,
    RoundThreeSolution,
    finish_allocation,
    greedy_round_three,
    place_groups,
    round_three_problem,
    rounds_one_and_two,
)
from rotation.models import ApprovedPost, Dataset
from rotation.staffing import StaffingNorms

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "model_invalid",
    cp_model.UNKNOWN: "unknown",
}


Backend = Literal["flow", "cpsat"]


def solve_round_three(
    problem: RoundThreeProblem,
    *,
    backend: Backend = "flow",
    time_limit: float = 30.0,
    seed: int = 0,
) -> RoundThreeSolution:
    """Place the unplaced teachers into the remaining vacancies, best total gain."""
    if backend == "flow":
        return solve_round_three_flow(problem)
    return solve_round_three_cpsat(problem, time_limit=time_limit, seed=seed)


def solve_round_three_flow(problem: RoundThreeProblem) -> RoundThreeSolution:
    """The exact optimum as a min-cost flow (see the module docstring)."""
    arcs = [(g, a) for g, group in enumerate(problem.groups) for a in group.arcs]
    if not arcs:
        return RoundThreeSolution(placed={}, status="optimal", objective=0)
    n_groups, n_vac = len(problem.groups), len(problem.vacancies)
    source, sink = n_groups + n_vac, n_groups + n_vac + 1
    total = sum(len(group.teachers) for group in problem.groups)
    flow = min_cost_flow.SimpleMinCostFlow()
    for g, group in enumerate(problem.groups):
        flow.add_arc_with_capacity_and_unit_cost(source, g, len(group.teachers), 0)
    first = flow.num_arcs()
    for g, a in arcs:
        cap = min(len(problem.groups[g].teachers), problem.vacancies[a.vacancy].count)
        flow.add_arc_with_capacity_and_unit_cost(g, n_groups + a.vacancy, cap, -a.gain)
    for v, vac in enumerate(problem.vacancies):
        flow.add_arc_with_capacity_and_unit_cost(n_groups + v, sink, vac.count, 0)
    flow.add_arc_with_capacity_and_unit_cost(source, sink, total, 0)  # left unplaced
    flow.set_node_supply(source, total)
    flow.set_node_supply(sink, -total)
    status = flow.solve()
    if status != flow.OPTIMAL:
        return RoundThreeSolution(placed={}, status=f"flow_{status}", objective=0)
    counts = {(g, a.vacancy): flow.flow(first + i) for i, (g, a) in enumerate(arcs)}
    return RoundThreeSolution(
        placed=place_groups(problem, counts), status="optimal", objective=-flow.optimal_cost()
    )


def solve_round_three_cpsat(
    problem: RoundThreeProblem, *, time_limit: float = 30.0, seed: int = 0
) -> RoundThreeSolution:
    """The same optimum by CP-SAT.

    One integer per (group, vacancy) arc: how many of the group's teachers fill it. Each
    group places at most its size, each vacancy takes at most its count. The greedy
    solution is given as a hint. ``rotation.hiring.place_groups`` then names the teachers.
    """
    arcs = [(g, a) for g, group in enumerate(problem.groups) for a in group.arcs]
    if not arcs:
        return RoundThreeSolution(placed={}, status="optimal", objective=0)
    model = cp_model.CpModel()
    sizes = [len(group.teachers) for group in problem.groups]
    ub = [min(sizes[g], problem.vacancies[a.vacancy].count) for g, a in arcs]
    x = [
        model.new_int_var(
            0,
            ub[i],
            f"place[{problem.groups[g].school_id}/{problem.groups[g].subject.value}"
            f"->{problem.vacancies[a.vacancy].school_id}/{problem.vacancies[a.vacancy].subject.value}]",
        )
        for i, (g, a) in enumerate(arcs)
    ]
    by_group: dict[int, list[int]] = defaultdict(list)
    by_vacancy: dict[int, list[int]] = defaultdict(list)
    for i, (g, a) in enumerate(arcs):
        by_group[g].append(i)
        by_vacancy[a.vacancy].append(i)
    for g, idx in by_group.items():
        if sum(ub[i] for i in idx) > sizes[g]:
            model.add(sum(x[i] for i in idx) <= sizes[g])
    for v, idx in by_vacancy.items():
        if sum(ub[i] for i in idx) > problem.vacancies[v].count:
            model.add(sum(x[i] for i in idx) <= problem.vacancies[v].count)
    model.maximize(sum(a.gain * x[i] for i, (_, a) in enumerate(arcs)))

    hint = _counts(problem, greedy_round_three(problem))
    for i, (g, a) in enumerate(arcs):
        model.add_hint(x[i], hint.get((g, a.vacancy), 0))

    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's and the service's (cli/interrupt.py)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RoundThreeSolution(placed={}, status=_STATUS.get(status, str(status)), objective=0)
    counts = {(g, a.vacancy): solver.value(x[i]) for i, (g, a) in enumerate(arcs)}
    return RoundThreeSolution(
        placed=place_groups(problem, counts),
        status=_STATUS[status],
        objective=round(solver.objective_value),
    )


def _counts(problem: RoundThreeProblem, solution: RoundThreeSolution) -> dict[tuple[int, int], int]:
    group_of = {tid: g for g, group in enumerate(problem.groups) for tid in group.teachers}
    counts: dict[tuple[int, int], int] = defaultdict(int)
    for tid, v in solution.placed.items():
        counts[(group_of[tid], v)] += 1
    return counts


def run_allocation(
    dataset: Dataset,
    year: int,
    *,
    norms: StaffingNorms | None = None,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
    backend: Backend = "flow",
    time_limit: float = 30.0,
    seed: int = 0,
    posts: Sequence[ApprovedPost] | None = None,
) -> AllocationResult:
    """Rounds 1 and 2 (domain), round 3 by CP-SAT, and the result with every reason;
    round 1 against the county's approved ``posts`` when given."""
    policy = policy or HiringPolicy()
    state = rounds_one_and_two(
        dataset, year, norms=norms, policy=policy, scores=scores, posts=posts
    )
    problem = round_three_problem(dataset, state, policy)
    started = time.perf_counter()
    solution = solve_round_three(problem, backend=backend, time_limit=time_limit, seed=seed)
    solve_seconds = round(time.perf_counter() - started, 3)
    result = finish_allocation(dataset, state, problem, solution, policy)
    return result.model_copy(
        update={
            "metrics": {
                **result.metrics,
                "round3_solve_seconds": solve_seconds,
                "round3_backend": backend,
            }
        }
    )
