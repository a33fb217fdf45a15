"""The hard rules that say which single move is allowed, as masks over the candidate arcs.

``build_candidates`` already makes no arc these rules forbid (that is how the model
stays small); each mask here is the rule itself, read from the policy, the roster
and the locks, so that the model (``rules.py``), the greedy office plan
(``greedy.py``) and the diagnosis (``diagnose.py``) enforce the same rule under the
same name whatever the candidate generation does. On candidates built ``relaxed``
(without the distance limit and the locks) the masks say which arcs those rules take
away: the diagnosis reads causes from that.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import numpy as np
import numpy.typing as npt

from rotation.enums import Stage, Subject
from rotation.exchange_forms import serves_rural_or_weak, support_due
from rotation.roles import school_role
from rotation.rule_names import RuleName
from solver.candidates import NO_NEED, Candidates

BoolArray = npt.NDArray[np.bool_]
ArcMask = Callable[[Candidates], BoolArray]


def _school_index(c: Candidates) -> tuple[dict[str, int], npt.NDArray[np.int64]]:
    """Every school's index, and each arc's destination as that index (computed once)."""
    cached = c.cache.get("school_index")
    if cached is None:
        index = {s.school_id: k for k, s in enumerate(c.dataset.schools)}
        cached = (index, np.array([index[s] for s in c.arc_school], dtype=np.int64))
        c.cache["school_index"] = cached
    return cast(tuple[dict[str, int], npt.NDArray[np.int64]], cached)


def _everywhere(c: Candidates) -> BoolArray:
    return np.ones(c.num_arcs, dtype=bool)


def _per_teacher(c: Candidates, values: list[bool]) -> BoolArray:
    array = np.array(values, dtype=bool)
    return array[c.arc_teacher] if c.num_arcs else np.zeros(0, dtype=bool)


def locked_here(c: Candidates) -> BoolArray:
    """Arcs that carry out an assign lock (the officer's decision, exempt where the policy says)."""
    assigned = c.locks.assigned
    if not assigned:
        return np.zeros(c.num_arcs, dtype=bool)
    index, arc_school = _school_index(c)
    target = np.array(
        [index.get(assigned.get(t.teacher_id, ""), -1) for t in c.teachers], dtype=np.int64
    )
    if not c.num_arcs:
        return np.zeros(0, dtype=bool)
    return np.asarray(target[c.arc_teacher] == arc_school, dtype=bool)


def only_eligible_teachers(c: Candidates) -> BoolArray:
    return _per_teacher(c, [c.eligibility[t.teacher_id].eligible for t in c.teachers])


def _codes(values: list[object], members: list[object]) -> npt.NDArray[np.int64]:
    index = {m: k for k, m in enumerate(members)}
    return np.array([index[v] for v in values], dtype=np.int64)


def receiving_school(c: Candidates) -> BoolArray:
    """To a receiving school that offers the teacher's stage, never the teacher's own."""
    if not c.num_arcs:
        return np.zeros(0, dtype=bool)
    index, arc_school = _school_index(c)
    schools = c.dataset.schools
    stages = list(Stage)
    receives = np.array([school_role(s).receives for s in schools], dtype=bool)
    offers = np.array([[s.offers(st) for st in stages] for s in schools], dtype=bool).reshape(
        len(schools), len(stages)
    )
    home = np.array([index[t.school_id] for t in c.teachers], dtype=np.int64)[c.arc_teacher]
    stage = _codes([t.stage for t in c.teachers], list(stages))[c.arc_teacher]
    return np.asarray(
        receives[arc_school] & offers[arc_school, stage] & (home != arc_school), dtype=bool
    )


def distance_limit(c: Candidates) -> BoolArray:
    """Within the policy's limit; unknown distances pass; a locked move is exempt."""
    limit = c.policy.max_distance_km
    if limit is None:
        return _everywhere(c)
    d = np.array([np.nan if x is None else x for x in c.arc_distance], dtype=np.float64)
    with np.errstate(invalid="ignore"):
        within = np.isnan(d) | (d <= limit + 1e-9)
    return np.asarray(within | locked_here(c), dtype=bool)


def matching_need(c: Candidates) -> BoolArray:
    """Into a need of the teacher's stage and subject; outside the needs only a locked
    move, and only when the policy allows locks outside declared needs."""
    if not c.num_arcs:
        return np.zeros(0, dtype=bool)
    posts: list[object] = [(st, sj) for st in Stage for sj in Subject]
    teacher_post = _codes([(t.stage, t.subject) for t in c.teachers], posts)[c.arc_teacher]
    need_post = np.append(_codes([(n.stage, n.subject) for n in c.needs], posts), -1)
    has_need = c.arc_need != NO_NEED
    same = has_need & (need_post[c.arc_need] == teacher_post)  # NO_NEED (-1) reads the -1 sentinel
    outside_ok = ~has_need & locked_here(c) & c.policy.locks_outside_needs
    return np.asarray(same | outside_ok, dtype=bool)


def support_rural_or_weak(c: Candidates) -> BoolArray:
    """A teacher the policy sends on 支教 goes to a rural or weak school (the title's service)."""
    if not c.num_arcs:
        return np.zeros(0, dtype=bool)
    support = _per_teacher(c, [support_due(t, c.dataset, c.policy) for t in c.teachers])
    if not support.any():
        return _everywhere(c)
    index, arc_school = _school_index(c)
    serves = np.array(
        [serves_rural_or_weak(s, c.policy) for s in c.dataset.schools], dtype=bool
    )
    return np.asarray(~support | serves[arc_school], dtype=bool)


def lock_stay(c: Candidates) -> BoolArray:
    staying = c.locks.staying
    if not staying:
        return _everywhere(c)
    return _per_teacher(c, [t.teacher_id not in staying for t in c.teachers])


def lock_block_school(c: Candidates) -> BoolArray:
    blocked = c.locks.blocked_schools
    if not blocked:
        return _everywhere(c)
    return np.array([s not in blocked for s in c.arc_school], dtype=bool)


def lock_assign(c: Candidates) -> BoolArray:
    """A teacher locked to a school goes there and nowhere else."""
    assigned = c.locks.assigned
    if not assigned:
        return _everywhere(c)
    locked = _per_teacher(c, [t.teacher_id in assigned for t in c.teachers])
    return np.asarray(~locked | locked_here(c), dtype=bool)


ARC_MASKS: dict[RuleName, ArcMask] = {
    RuleName.ONLY_ELIGIBLE_TEACHERS: only_eligible_teachers,
    RuleName.RECEIVING_SCHOOL: receiving_school,
    RuleName.DISTANCE_LIMIT: distance_limit,
    RuleName.MATCHING_NEED: matching_need,
    RuleName.SUPPORT_RURAL_OR_WEAK: support_rural_or_weak,
    RuleName.LOCK_STAY: lock_stay,
    RuleName.LOCK_BLOCK_SCHOOL: lock_block_school,
    RuleName.LOCK_ASSIGN: lock_assign,
}


def arc_masks(c: Candidates) -> dict[RuleName, BoolArray]:
    """Every arc rule's mask, computed once per candidate set."""
    cached = c.cache.get("arc_masks")
    if cached is None:
        cached = {rule: mask(c) for rule, mask in ARC_MASKS.items()}
        c.cache["arc_masks"] = cached
    return cast(dict[RuleName, BoolArray], cached)
