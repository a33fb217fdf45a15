"""Candidate moves: which eligible teacher may fill which open need.

An arc (teacher, need) exists only when the teacher is eligible and not locked to
stay; the need is at a receiving school that offers the teacher's stage, is not the
teacher's own school and is not blocked; stage and subject match; and the distance
is within the policy's limit (unknown distances are allowed and reported); each of
these is also a hard rule of ``solver.arc_rules``, under its one name. Each
teacher keeps arcs to the nearest ``candidate_schools_per_teacher`` schools only, plus
the schools the teacher asked for and those of the teacher's own community: a far post
is never worth its distance while nearer ones of the same kind exist, and the model
stays linear in the teachers. A teacher
locked to a school gets arcs to that school only; if that school has no matching
need and the policy allows locks outside declared needs, one arc outside the needs is
made so the lock can still be honoured (``rotation.locks.validate_locks`` refuses such a
lock otherwise, before any solving).

Everything is ordered canonically (teacher id, then need key) so the model, and so
the plan, never depend on hash order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from rotation.eligibility import Eligibility, eligibility_table
from rotation.enums import Stage, Subject
from rotation.exchange_forms import support_counted_out
from rotation.locks import Locks
from rotation.models import Dataset, Need, Teacher
from rotation.policy import Policy
from rotation.quotas import (
    Quota,
    backbone_quotas,
    backbone_unit,
    counts_toward_quota,
    quota_base_teachers,
    quota_unit,
    quotas,
)
from rotation.roles import school_role

NO_NEED = -1  # need index of an arc made only to honour an assignment lock


@dataclass
class Candidates:
    """The arcs of the model as parallel arrays, plus what the rules need to read."""

    dataset: Dataset
    year: int
    policy: Policy
    locks: Locks
    teachers: list[Teacher]  # eligible teachers with at least one arc, canonical order
    needs: list[Need]  # open needs at receiving schools, canonical order
    arc_teacher: npt.NDArray[np.int64]  # index into teachers
    arc_need: npt.NDArray[np.int64]  # index into needs, or NO_NEED
    arc_school: list[str]  # destination school id
    arc_distance: list[float | None]
    eligibility: dict[str, Eligibility]
    quotas: dict[str, Quota]
    eligible: list[Teacher]  # every eligible teacher (with or without arcs)
    pruned: dict[str, str] = field(default_factory=dict)  # teacher_id → why no arc (Chinese)
    relaxed: bool = False  # built without the distance limit and the locks (for diagnosis)
    cache: dict[str, object] = field(default_factory=dict)  # computed once per candidate set
    backbone_quotas: dict[str, Quota] = field(default_factory=dict)  # units of the backbone share

    @property
    def num_arcs(self) -> int:
        return len(self.arc_teacher)

    def teacher_unit(self, t: Teacher) -> str | None:
        """The quota unit a teacher's move counts toward, or None when not a quota stage (or a
        支教 the policy does not count)."""
        if not counts_toward_quota(t, self.policy) or support_counted_out(t, self.dataset, self.policy):
            return None
        return quota_unit(t, self.policy)

    def teacher_backbone_unit(self, t: Teacher) -> str | None:
        """The unit of the backbone share a teacher counts toward (rotation.quotas)."""
        if not counts_toward_quota(t, self.policy) or support_counted_out(t, self.dataset, self.policy):
            return None
        return backbone_unit(t, self.policy)


def build_candidates(
    dataset: Dataset, year: int, policy: Policy, locks: Locks, *, relaxed: bool = False
) -> Candidates:
    """The arcs; with ``relaxed``, as if there were no distance limit and no locks (the
    diagnosis asks what those take away; ``locks`` is still carried for the rules)."""
    table = eligibility_table(dataset, year, policy)
    eligible = [t for t in dataset.teachers if table[t.teacher_id].eligible]
    kept = Locks() if relaxed else locks
    blocked = kept.blocked_schools
    staying = kept.staying
    assigned = kept.assigned

    open_needs: list[Need] = [
        n
        for n in dataset.needs
        if school_role(dataset.school[n.school_id]).receives
        and n.school_id not in blocked
        and dataset.school[n.school_id].offers(n.stage)
    ]
    by_post: dict[tuple[Stage, Subject], list[int]] = {}
    for j, n in enumerate(open_needs):
        by_post.setdefault((n.stage, n.subject), []).append(j)

    limit = None if relaxed else policy.max_distance_km
    distance_cache: dict[tuple[str, str], float | None] = {}

    def distance(a: str, b: str) -> float | None:
        key = (a, b)
        if key not in distance_cache:
            distance_cache[key] = dataset.distance_km(a, b)
        return distance_cache[key]

    Row = tuple[int, str, float | None]
    group_rows: dict[tuple[str, Stage, Subject], tuple[list[Row], frozenset[str] | None]] = {}

    def rows_of_group(home: str, stage: Stage, subject: Subject) -> tuple[list[Row], frozenset[str] | None]:
        """The open posts a teacher of this school and post may take, within the distance
        limit, and the schools kept for the whole group (None = all); computed once a group."""
        key = (home, stage, subject)
        if key not in group_rows:
            rows: list[Row] = []
            for j in by_post.get((stage, subject), ()):
                school_id = open_needs[j].school_id
                if school_id == home:
                    continue
                d = distance(home, school_id)
                if limit is not None and d is not None and d > limit:
                    continue
                rows.append((j, school_id, d))
            keep = nearest_school_set(rows, home, dataset, policy.candidate_schools_per_teacher)
            group_rows[key] = (rows, keep)
        return group_rows[key]

    teachers: list[Teacher] = []
    arc_t: list[int] = []
    arc_n: list[int] = []
    arc_s: list[str] = []
    arc_d: list[float | None] = []
    pruned: dict[str, str] = {}
    for t in eligible:
        if t.teacher_id in staying:
            pruned[t.teacher_id] = "已锁定留任"
            continue
        target = assigned.get(t.teacher_id)
        if target is None:
            group, keep = rows_of_group(t.school_id, t.stage, t.subject)
            if keep is None:
                rows = group
            else:
                wanted = keep | set(t.preferences)
                rows = [r for r in group if r[1] in wanted]
        else:  # the officer's lock: that school only, whatever the distance
            rows = [
                (j, target, distance(t.school_id, target))
                for j in by_post.get((t.stage, t.subject), ())
                if open_needs[j].school_id == target != t.school_id
            ]
            if not rows and policy.locks_outside_needs and target != t.school_id:
                rows = [(NO_NEED, target, distance(t.school_id, target))]
        if not rows:
            pruned[t.teacher_id] = (
                f"接收学校无{t.stage.label_zh}{t.subject.label_zh}空缺岗位"
                + (f"（{limit:g}公里内）" if limit is not None else "")
            )
            continue
        i = len(teachers)
        teachers.append(t)
        for j, school_id, d in rows:
            arc_t.append(i)
            arc_n.append(j)
            arc_s.append(school_id)
            arc_d.append(d)
    units = quotas(dataset, quota_base_teachers(dataset, table, policy), policy)
    return Candidates(
        dataset=dataset,
        year=year,
        policy=policy,
        locks=locks,
        teachers=teachers,
        needs=open_needs,
        arc_teacher=np.asarray(arc_t, dtype=np.int64),
        arc_need=np.asarray(arc_n, dtype=np.int64),
        arc_school=arc_s,
        arc_distance=arc_d,
        eligibility=table,
        quotas=units,
        eligible=eligible,
        pruned=pruned,
        relaxed=relaxed,
        backbone_quotas=backbone_quotas(units, policy),
    )


def nearest_school_set(
    rows: list[tuple[int, str, float | None]], home: str, dataset: Dataset, keep: int | None
) -> frozenset[str] | None:
    """The ``keep`` nearest schools among ``rows`` plus those of the home school's
    community (which the objective rewards); None when nothing needs pruning. A teacher
    also keeps the schools they asked for. Unknown distances sort last."""
    schools = {s for _, s, _ in rows}
    if keep is None or len(schools) <= keep:
        return None
    nearest: dict[str, float] = {}
    for _, s, d in rows:
        nearest[s] = min(nearest.get(s, float("inf")), d if d is not None else float("inf"))
    chosen = set(sorted(schools, key=lambda s: (nearest[s], s))[:keep])
    community = dataset.school[home].community
    if community:
        chosen |= {s for s in schools if dataset.school[s].community == community}
    return frozenset(chosen)
