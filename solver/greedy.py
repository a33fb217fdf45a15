"""The greedy office baseline: how an HR office fills the quotas by hand.

Locked moves first. Then, school by school, the backbone teachers the 20% rule needs
and then the rest of the quota, longest tenure first, each to the nearest open post
of the same stage and subject. A move is taken only when every hard rule's greedy
test (``GREEDY_TESTS``, one per rule under its one name) allows it. It fills quotas
only: filling further needs is the model's job. Used as the starting plan of every
solve, as the fallback, and as the benchmark peer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from rotation.quotas import allowed_maximum, group_leave_cap, group_sizes, locked_per_unit
from rotation.rule_names import RuleName
from solver.arc_rules import arc_masks
from solver.candidates import NO_NEED, Candidates


@dataclass
class GreedyState:
    """What the office has decided so far."""

    c: Candidates
    masks: dict[RuleName, npt.NDArray[np.bool_]]
    remaining: list[int]  # per need, posts still open
    sizes: dict[tuple[str, str, str], int]
    locked_units: Counter[str]
    leaving: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    unit_count: Counter[str] = field(default_factory=Counter)
    taken: set[int] = field(default_factory=set)  # teachers already moved

    def locked(self, i: int) -> bool:
        return self.c.teachers[i].teacher_id in self.c.locks.assigned

    def group(self, i: int) -> tuple[str, str, str]:
        t = self.c.teachers[i]
        return (t.school_id, t.stage.value, t.subject.value)


GreedyTest = Callable[[GreedyState, int, int], bool]  # (state, teacher index, arc) → may take it


def _arc_allowed(rule: RuleName) -> GreedyTest:
    def test(s: GreedyState, i: int, a: int) -> bool:
        return bool(s.masks[rule][a])

    return test


def _one_school(s: GreedyState, i: int, a: int) -> bool:
    return i not in s.taken


def _need_open(s: GreedyState, i: int, a: int) -> bool:
    j = int(s.c.arc_need[a])
    return j == NO_NEED or s.remaining[j] > 0


def _below_maximum(s: GreedyState, i: int, a: int) -> bool:
    unit = s.c.teacher_unit(s.c.teachers[i])
    if unit is None or unit not in s.c.quotas:
        return True
    return s.unit_count[unit] < allowed_maximum(s.c.quotas[unit], s.locked_units[unit])


def _group_may_leave(s: GreedyState, i: int, a: int) -> bool:
    if s.locked(i):
        return True  # a lock is the officer's decision
    key = s.group(i)
    return s.leaving[key] < group_leave_cap(s.sizes[key], s.c.policy)


def _minimum_never_forbids(s: GreedyState, i: int, a: int) -> bool:
    """A minimum with a reported shortfall (rotation quota, backbone share, title tilt)
    never forbids a move; the greedy's order (backbone first, then the quota) pursues it."""
    return True


def _shadowing_never_forbids(s: GreedyState, i: int, a: int) -> bool:
    """The office's plan places no 跟岗学习 (the model does): nothing to forbid a move."""
    return True


GREEDY_TESTS: dict[RuleName, GreedyTest] = {
    RuleName.SUPPORT_RURAL_OR_WEAK: _arc_allowed(RuleName.SUPPORT_RURAL_OR_WEAK),
    RuleName.SHADOWING_HOST: _shadowing_never_forbids,
    RuleName.SHADOWING_COVER: _shadowing_never_forbids,
    RuleName.ONE_SCHOOL_PER_TEACHER: _one_school,
    RuleName.NEED_NOT_OVERFILLED: _need_open,
    RuleName.ROTATION_QUOTA: _minimum_never_forbids,
    RuleName.ROTATION_MAXIMUM: _below_maximum,
    RuleName.BACKBONE_SHARE: _minimum_never_forbids,
    RuleName.GROUP_LEAVE_LIMIT: _group_may_leave,
    RuleName.SENIOR_TITLE_TILT: _minimum_never_forbids,
    RuleName.ONLY_ELIGIBLE_TEACHERS: _arc_allowed(RuleName.ONLY_ELIGIBLE_TEACHERS),
    RuleName.RECEIVING_SCHOOL: _arc_allowed(RuleName.RECEIVING_SCHOOL),
    RuleName.DISTANCE_LIMIT: _arc_allowed(RuleName.DISTANCE_LIMIT),
    RuleName.MATCHING_NEED: _arc_allowed(RuleName.MATCHING_NEED),
    RuleName.LOCK_STAY: _arc_allowed(RuleName.LOCK_STAY),
    RuleName.LOCK_BLOCK_SCHOOL: _arc_allowed(RuleName.LOCK_BLOCK_SCHOOL),
    RuleName.LOCK_ASSIGN: _arc_allowed(RuleName.LOCK_ASSIGN),
}
_TESTS = tuple(GREEDY_TESTS.values())


def greedy_arcs(c: Candidates) -> npt.NDArray[np.int64]:
    """Indices of the chosen arcs."""
    s = GreedyState(
        c=c,
        masks=arc_masks(c),
        remaining=[n.count for n in c.needs],
        sizes=group_sizes(c.dataset),
        locked_units=locked_per_unit(c.dataset, c.locks.assigned, c.policy),
    )
    chosen: list[int] = []
    arcs_of: dict[int, list[int]] = {}
    for a, i in enumerate(c.arc_teacher.tolist()):
        arcs_of.setdefault(i, []).append(a)

    def nearest(i: int) -> int | None:
        options = []
        for a in arcs_of.get(i, []):
            if all(test(s, i, a) for test in _TESTS):
                d = c.arc_distance[a]
                options.append((d if d is not None else 1e9, c.arc_school[a], a))
        return min(options)[2] if options else None

    def take(i: int, a: int) -> None:
        chosen.append(a)
        s.taken.add(i)
        j = int(c.arc_need[a])
        if j != NO_NEED:
            s.remaining[j] -= 1
        if not s.locked(i):
            s.leaving[s.group(i)] += 1
        unit = c.teacher_unit(c.teachers[i])
        if unit is not None:
            s.unit_count[unit] += 1

    index = {t.teacher_id: i for i, t in enumerate(c.teachers)}
    for tid in sorted(c.locks.assigned):
        if tid in index and (arc := nearest(index[tid])) is not None:
            take(index[tid], arc)

    by_unit: dict[str, list[int]] = {}
    for i, t in enumerate(c.teachers):
        unit = c.teacher_unit(t)
        if unit is not None and unit in c.quotas:
            by_unit.setdefault(unit, []).append(i)

    for unit in sorted(by_unit):
        q = c.quotas[unit]
        order = sorted(
            by_unit[unit], key=lambda i: (c.teachers[i].school_start_year, c.teachers[i].teacher_id)
        )
        backbone = [i for i in order if c.policy.is_backbone(c.teachers[i].backbone)]
        for pool, goal in ((backbone, q.backbone_required), (order, q.required)):
            got = sum(1 for i in pool if i in s.taken) if pool is backbone else s.unit_count[unit]
            for i in pool:
                if got >= goal or s.unit_count[unit] >= allowed_maximum(q, s.locked_units[unit]):
                    break
                if i in s.taken:
                    continue
                arc = nearest(i)
                if arc is None:
                    continue
                take(i, arc)
                got += 1
    return np.array(sorted(chosen), dtype=np.int64)
