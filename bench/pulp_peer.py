"""The peer: the model a competent user would write instead, in PuLP, solved by CBC.

The same rules straight from the policy, written the way PuLP's tutorials write
them (a dict of binary variables, one ``lpSum`` per constraint), on the same
candidate arcs (``solver.candidates.build_candidates``) and with the same integer
objective coefficients and shortfall penalty as the engine, so the two objectives
are on one scale and can be compared value for value. Only the modelling layer and
the solver differ: PuLP + its bundled CBC against ours.
"""

from __future__ import annotations

import re
import tempfile
import time
import warnings
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pulp

from rotation.quotas import (
    PER_MILLE,
    backbone_allowance,
    group_leave_cap,
    group_sizes,
    per_mille,
    senior_target_per_mille,
)
from solver.build import shortfall_penalty
from solver.candidates import NO_NEED, Candidates
from solver.indicator_terms import capped_terms
from solver.rules import OBJECTIVE_SCALE, SOFT_RULES


@dataclass
class PeerResult:
    """The peer's answer; objective and bound in the engine's units (divided by the scale)."""

    chosen: np.ndarray  # indices of the chosen arcs
    objective: float | None
    bound: float | None
    status: str
    build_seconds: float  # writing the PuLP model
    solve_seconds: float  # CBC, including PuLP writing the MPS file and reading the answer
    solutions: list[tuple[float, float]] = field(
        default_factory=list
    )  # (seconds after start, objective)

    @property
    def gap(self) -> float | None:
        if self.objective is None or self.bound is None:
            return None
        return abs(self.bound - self.objective) / max(1.0, abs(self.objective))


def objective_coefficients(c: Candidates) -> np.ndarray:
    """Per arc, the engine's integer objective coefficient (shared so objectives compare)."""
    total = np.zeros(c.num_arcs)
    for _, rule in SOFT_RULES:
        total += rule(c)
    return np.rint(total * OBJECTIVE_SCALE).astype(np.int64)


def build_pulp_model(c: Candidates) -> tuple[pulp.LpProblem, list[pulp.LpVariable]]:
    """The rotation model in plain PuLP: maximise the plan's value less the shortfall penalty."""
    policy = c.policy
    coef = objective_coefficients(c)
    penalty = shortfall_penalty(c, coef)
    prob = pulp.LpProblem("rotation", pulp.LpMaximize)
    x = [prob.add_variable(f"x_{a}", 0, 1, cat=pulp.LpBinary) for a in range(c.num_arcs)]
    slacks: list[pulp.LpVariable] = []

    arcs_of_teacher: dict[int, list[int]] = {}
    arcs_of_need: dict[int, list[int]] = {}
    for a in range(c.num_arcs):
        arcs_of_teacher.setdefault(int(c.arc_teacher[a]), []).append(a)
        if c.arc_need[a] != NO_NEED:
            arcs_of_need.setdefault(int(c.arc_need[a]), []).append(a)

    # each teacher goes to at most one school (exactly one when locked there)
    assigned = c.locks.assigned
    for i, arcs in arcs_of_teacher.items():
        total = pulp.lpSum(x[a] for a in arcs)
        if c.teachers[i].teacher_id in assigned:
            prob += total == 1, f"one_school_{i}"
        else:
            prob += total <= 1, f"one_school_{i}"

    # no need takes more teachers than it asks for
    for j, arcs in arcs_of_need.items():
        prob += pulp.lpSum(x[a] for a in arcs) <= c.needs[j].count, f"need_{j}"

    # rotation quota, its maximum, and the backbone share, per quota unit
    unit_arcs: dict[str, list[int]] = {}
    for a in range(c.num_arcs):
        unit = c.teacher_unit(c.teachers[int(c.arc_teacher[a])])
        if unit is not None and unit in c.quotas:
            unit_arcs.setdefault(unit, []).append(a)
    locked_in_unit: dict[str, int] = {}
    for tid in assigned:
        t = c.dataset.teacher.get(tid)
        if t is not None and (u := c.teacher_unit(t)) in c.quotas:
            locked_in_unit[u] = locked_in_unit.get(u, 0) + 1
    share = per_mille(policy.backbone_share)
    for k, unit in enumerate(sorted(c.quotas)):
        q = c.quotas[unit]
        arcs = unit_arcs.get(unit, [])
        rotated = pulp.lpSum(x[a] for a in arcs)
        short = prob.add_variable(f"short_quota_{k}", 0, q.required, cat=pulp.LpInteger)
        slacks.append(short)
        prob += rotated + short >= q.required, f"quota_{k}"
        prob += rotated <= max(q.maximum, locked_in_unit.get(unit, 0)), f"quota_max_{k}"

    # the backbone share, per unit of the backbone share (the county by default)
    bb_arcs: dict[str, list[int]] = {}
    for a in range(c.num_arcs):
        unit = c.teacher_backbone_unit(c.teachers[int(c.arc_teacher[a])])
        if unit is not None and unit in c.backbone_quotas:
            bb_arcs.setdefault(unit, []).append(a)
    allowance = backbone_allowance(policy.backbone_rounding)
    for k, unit in enumerate(sorted(c.backbone_quotas) if share > 0 else []):
        arcs = bb_arcs.get(unit, [])
        rotated = pulp.lpSum(x[a] for a in arcs)
        backbone = pulp.lpSum(
            x[a] for a in arcs if policy.is_backbone(c.teachers[int(c.arc_teacher[a])].backbone)
        )
        short_bb = prob.add_variable(
            f"short_backbone_{k}", 0, c.backbone_quotas[unit].maximum, cat=pulp.LpInteger
        )
        slacks.append(short_bb)
        prob += (
            PER_MILLE * backbone - share * rotated + PER_MILLE * short_bb >= -allowance,
            f"backbone_{k}",
        )

    # at most the policy's share of a school's stage-and-subject group leaves
    sizes = group_sizes(c.dataset)
    group_arcs: dict[tuple[str, str, str], list[int]] = {}
    group_members: dict[tuple[str, str, str], int] = {}
    for i, t in enumerate(c.teachers):
        if t.teacher_id in assigned:
            continue
        key = (t.school_id, t.stage.value, t.subject.value)
        group_members[key] = group_members.get(key, 0) + 1
        group_arcs.setdefault(key, []).extend(arcs_of_teacher.get(i, []))
    for g, key in enumerate(sorted(group_arcs)):
        cap = group_leave_cap(sizes[key], policy)
        if group_members[key] > cap:
            prob += pulp.lpSum(x[a] for a in group_arcs[key]) <= cap, f"group_{g}"

    # senior titles tilted toward the receiving schools
    target = senior_target_per_mille(c.dataset, policy)
    if target > 0 and c.num_arcs:
        senior = pulp.lpSum(
            x[a] for a in range(c.num_arcs) if c.teachers[int(c.arc_teacher[a])].title.is_senior
        )
        everyone = pulp.lpSum(x)
        short_sr = prob.add_variable("short_senior", 0, None, cat=pulp.LpInteger)
        slacks.append(short_sr)
        prob += PER_MILLE * senior - target * everyone + PER_MILLE * short_sr >= 0, "senior_tilt"

    # the 2017 indicators: raising a school toward its target counts up to the target only
    capped = []
    for term in capped_terms(c):
        for j, part in enumerate(term.parts.tolist()):
            z = prob.add_variable(
                f"ind_{term.indicator}_{j}",
                float(term.lb[j]),
                float(term.deficit[j]),
                cat=pulp.LpInteger,
            )
            arrive = np.flatnonzero(term.pc.arc_in == part).tolist()
            leave = np.flatnonzero(term.pc.arc_out == part).tolist()
            net = pulp.lpSum(x[a] for a in arrive) - pulp.lpSum(x[a] for a in leave)
            prob += z - net <= float(term.surplus[j]), f"ind_{term.indicator}_{j}"
            capped.append(term.coef * z)
        penalty += term.penalty_bound(c)
    prob += pulp.lpSum(
        int(coef[a]) * x[a] for a in range(c.num_arcs) if coef[a] != 0
    ) + pulp.lpSum(capped) - penalty * pulp.lpSum(slacks)
    return prob, x


_SOLUTION = re.compile(r"Integer solution of (-?[\d.e+]+) .*?\(([\d.]+) seconds\)")
_BOUND = re.compile(r"^Lower bound:\s+(-?[\d.e+]+)", re.MULTILINE)
_OBJECTIVE = re.compile(r"^Objective value:\s+(-?[\d.e+]+)", re.MULTILINE)


def parse_cbc_log(text: str) -> tuple[list[tuple[float, float]], float | None, float | None]:
    """(solutions as (CBC seconds, objective), final objective, best bound) of a maximisation.

    PuLP hands CBC the negated objective, so CBC's values are negated back here.
    """
    solutions = [(float(s), -float(v)) for v, s in _SOLUTION.findall(text)]
    bound = _BOUND.findall(text)
    obj = _OBJECTIVE.findall(text)
    return (
        solutions,
        -float(obj[-1]) if obj else None,
        -float(bound[-1]) if bound else None,
    )


def solve_pulp(
    c: Candidates, *, time_limit: float, relative_gap: float, threads: int = 1
) -> PeerResult:
    """Build the PuLP model and solve it with the bundled CBC under the same limits."""
    t0 = time.perf_counter()
    prob, x = build_pulp_model(c)
    built = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-cbc-") as tmp:
        log = Path(tmp) / "cbc.log"
        with warnings.catch_warnings():  # PuLP 3.x warns that 4.0 unbundles CBC
            warnings.simplefilter("ignore", DeprecationWarning)
            cmd = pulp.PULP_CBC_CMD(
                msg=False,
                timeLimit=time_limit,
                gapRel=relative_gap,
                threads=threads,
                logPath=str(log),
            )
        cbc_start = time.perf_counter()
        prob.solve(cmd)
        text = log.read_text(errors="replace") if log.exists() else ""
    done = time.perf_counter()
    solutions, log_obj, log_bound = parse_cbc_log(text)
    values = np.array([v.value() or 0.0 for v in x]) if x else np.zeros(0)
    has = prob.sol_status in (pulp.LpSolutionOptimal, pulp.LpSolutionIntegerFeasible)
    objective = pulp.value(prob.objective) if has else None
    status = {
        pulp.LpSolutionOptimal: "optimal",
        pulp.LpSolutionIntegerFeasible: "feasible",
        pulp.LpSolutionInfeasible: "infeasible",
    }.get(prob.sol_status, "no_solution")
    bound = log_bound if log_bound is not None else (objective if status == "optimal" else None)
    offset = cbc_start - t0
    return PeerResult(
        chosen=np.flatnonzero(values > 0.5),
        objective=None if objective is None else float(objective) / OBJECTIVE_SCALE,
        bound=None if bound is None else bound / OBJECTIVE_SCALE,
        status=status,
        build_seconds=built - t0,
        solve_seconds=done - built,
        solutions=[(offset + s, v / OBJECTIVE_SCALE) for s, v in solutions]
        or ([(done - t0, float(objective) / OBJECTIVE_SCALE)] if objective is not None else []),
    )


def chosen_teachers(c: Candidates, chosen: Iterable[int]) -> dict[str, str]:
    """teacher_id → destination school of the chosen arcs."""
    return {c.teachers[int(c.arc_teacher[a])].teacher_id: c.arc_school[a] for a in chosen}
