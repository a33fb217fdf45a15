"""Round 3 of 县管校聘 (组织调剂) by CP-SAT, and the allocation end to end.

The model is small: one Boolean per (teacher, vacancy) arc the domain allowed
(``rotation.hiring.round_three_problem``), each teacher at most once, each vacancy at
most its count, maximise the arcs' gains (priority shortages first, short distances).
Deterministic: one worker and a fixed seed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping

from ortools.sat.python import cp_model

from rotation.hiring import (
    AllocationResult,
    HiringPolicy,
    RoundThreeProblem,
    RoundThreeSolution,
    finish_allocation,
    round_three_problem,
    rounds_one_and_two,
)
from rotation.models import Dataset
from rotation.staffing import StaffingNorms

_STATUS = {
    cp_model.OPTIMAL: "optimal",
    cp_model.FEASIBLE: "feasible",
    cp_model.INFEASIBLE: "infeasible",
    cp_model.MODEL_INVALID: "model_invalid",
    cp_model.UNKNOWN: "unknown",
}


def solve_round_three(
    problem: RoundThreeProblem, *, time_limit: float = 30.0, seed: int = 0
) -> RoundThreeSolution:
    """Place the unplaced teachers into the remaining vacancies, best total gain."""
    if not problem.arcs:
        return RoundThreeSolution(placed={}, status="optimal", objective=0)
    model = cp_model.CpModel()
    x = [
        model.new_bool_var(f"place[{a.teacher_id}->{problem.vacancies[a.vacancy].school_id}]")
        for a in problem.arcs
    ]
    by_teacher: dict[str, list[int]] = defaultdict(list)
    by_vacancy: dict[int, list[int]] = defaultdict(list)
    for i, a in enumerate(problem.arcs):
        by_teacher[a.teacher_id].append(i)
        by_vacancy[a.vacancy].append(i)
    for idx in by_teacher.values():
        model.add_at_most_one(x[i] for i in idx)
    for v, idx in by_vacancy.items():
        model.add(sum(x[i] for i in idx) <= problem.vacancies[v].count)
    model.maximize(sum(a.gain * x[i] for i, a in enumerate(problem.arcs) if a.gain != 0))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return RoundThreeSolution(placed={}, status=_STATUS.get(status, str(status)), objective=0)
    placed = {a.teacher_id: a.vacancy for i, a in enumerate(problem.arcs) if solver.value(x[i])}
    return RoundThreeSolution(
        placed=placed, status=_STATUS[status], objective=round(solver.objective_value)
    )


def run_allocation(
    dataset: Dataset,
    year: int,
    *,
    norms: StaffingNorms | None = None,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
    time_limit: float = 30.0,
    seed: int = 0,
) -> AllocationResult:
    """Rounds 1 and 2 (domain), round 3 by CP-SAT, and the result with every reason."""
    policy = policy or HiringPolicy()
    state = rounds_one_and_two(dataset, year, norms=norms, policy=policy, scores=scores)
    problem = round_three_problem(dataset, state, policy)
    solution = solve_round_three(problem, time_limit=time_limit, seed=seed)
    return finish_allocation(dataset, state, problem, solution, policy)
