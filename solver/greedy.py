"""The greedy office baseline: how an HR office fills the quotas by hand.

Locked moves first. Then, school by school, the backbone teachers the 20% rule needs
and then the rest of the quota, longest tenure first, each to the nearest open post
of the same stage and subject; never past a need's count, a group's leave limit or a
school's maximum. It fills quotas only: filling further needs is the model's job.
Used as the starting plan of every solve, as the fallback, and as the benchmark peer.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from rotation.quotas import group_leave_cap, group_sizes
from solver.candidates import NO_NEED, Candidates


def greedy_arcs(c: Candidates) -> npt.NDArray[np.int64]:
    """Indices of the chosen arcs."""
    remaining = [n.count for n in c.needs]
    sizes = group_sizes(c.dataset)
    leaving: dict[tuple[str, str, str], int] = {}
    unit_count: dict[str, int] = {}
    chosen: list[int] = []
    taken: set[int] = set()
    arcs_of: dict[int, list[int]] = {}
    for a, i in enumerate(c.arc_teacher.tolist()):
        arcs_of.setdefault(i, []).append(a)

    def nearest(i: int, locked: bool) -> int | None:
        options = []
        for a in arcs_of.get(i, []):
            j = int(c.arc_need[a])
            if j != NO_NEED and remaining[j] <= 0:
                continue
            if j == NO_NEED and not locked:
                continue
            d = c.arc_distance[a]
            options.append((d if d is not None else 1e9, c.arc_school[a], a))
        return min(options)[2] if options else None

    def take(i: int, a: int, count_group: bool) -> None:
        t = c.teachers[i]
        chosen.append(a)
        taken.add(i)
        j = int(c.arc_need[a])
        if j != NO_NEED:
            remaining[j] -= 1
        if count_group:
            key = (t.school_id, t.stage.value, t.subject.value)
            leaving[key] = leaving.get(key, 0) + 1
        unit = c.teacher_unit(t)
        if unit is not None:
            unit_count[unit] = unit_count.get(unit, 0) + 1

    index = {t.teacher_id: i for i, t in enumerate(c.teachers)}
    for tid in sorted(c.locks.assigned):
        if tid in index and (a := nearest(index[tid], locked=True)) is not None:
            take(index[tid], a, count_group=False)

    by_unit: dict[str, list[int]] = {}
    for i, t in enumerate(c.teachers):
        unit = c.teacher_unit(t)
        if unit is not None and unit in c.quotas:
            by_unit.setdefault(unit, []).append(i)

    for unit in sorted(by_unit):
        q = c.quotas[unit]
        order = sorted(by_unit[unit], key=lambda i: (c.teachers[i].school_start_year, c.teachers[i].teacher_id))
        backbone = [i for i in order if c.policy.is_backbone(c.teachers[i].backbone)]
        for pool, goal in ((backbone, q.backbone_required), (order, q.required)):
            got = sum(1 for i in pool if i in taken) if pool is backbone else unit_count.get(unit, 0)
            for i in pool:
                if got >= goal or unit_count.get(unit, 0) >= q.maximum:
                    break
                if i in taken:
                    continue
                t = c.teachers[i]
                key = (t.school_id, t.stage.value, t.subject.value)
                if leaving.get(key, 0) >= group_leave_cap(sizes[key], c.policy):
                    continue
                a = nearest(i, locked=False)
                if a is None:
                    continue
                take(i, a, count_group=True)
                got += 1
    return np.array(sorted(chosen), dtype=np.int64)
