"""Rounds 1 and 2 of 县管校聘.

- Round 1, 校内竞聘 (``kept``): every school keeps its own teachers, post by post (a post
  is a school's section and subject, with the count from ``rotation.staffing``), best
  evaluated first, up to its posts.
- Round 2, 跨校竞聘 (``cross``): the teachers not kept apply to schools with a vacancy in
  their section and subject, in their preference order, and only to schools whose level
  is no higher than their own school's (``HiringPolicy.level_rule``). Schools rank the
  applicants by the same evaluation. Teacher-proposing deferred acceptance, so the result
  is stable and the best stable outcome for the teachers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from rotation.hiring.levels import may_move
from rotation.hiring.policy import HiringPolicy
from rotation.hiring.posts import PostKey, _distance, _post_sort
from rotation.hiring.protection import protected_teachers
from rotation.hiring.ranking import merit_order
from rotation.models import ApprovedPost, Dataset, School, Teacher
from rotation.staffing import SchoolStaffing, StaffingNorms, allocation_staffing

T = TypeVar("T", bound=Hashable)
H = TypeVar("H", bound=Hashable)


def deferred_acceptance(
    preferences: Mapping[T, Sequence[H]],
    capacities: Mapping[H, int],
    rank: Mapping[T, int],
) -> dict[T, H]:
    """Proposer-optimal stable matching (Gale–Shapley) with capacities.

    ``preferences``: each proposer's acceptable receivers, best first. Receivers rank
    proposers by ``rank`` (lower is better) and hold at most ``capacities[h]``.
    """
    nxt: dict[T, int] = dict.fromkeys(preferences, 0)
    held: dict[H, list[T]] = defaultdict(list)
    free = sorted(preferences, key=lambda p: rank[p], reverse=True)  # pop() → best first
    while free:
        p = free.pop()
        prefs = preferences[p]
        while nxt[p] < len(prefs):
            h = prefs[nxt[p]]
            nxt[p] += 1
            cap = capacities.get(h, 0)
            if cap <= 0:
                continue
            current = held[h]
            if len(current) < cap:
                current.append(p)
                break
            worst = max(current, key=lambda q: rank[q])
            if rank[p] < rank[worst]:
                current.remove(worst)
                current.append(p)
                free.append(worst)  # the displaced teacher proposes on
                break
        # p is now held somewhere or has exhausted its list
    return {p: h for h, ps in held.items() for p in ps}


@dataclass
class RoundsState:
    """What rounds 1 and 2 produced, carried into round 3 and the result."""

    year: int
    staffing: dict[str, SchoolStaffing]
    order: dict[str, int]
    kept: dict[str, tuple[int, int]]  # teacher_id → (rank at the post, posts)
    released: dict[str, tuple[int, int]]  # teacher_id → (rank at the post, posts)
    vacancies: dict[PostKey, int]  # after round 1
    preferences: dict[str, list[str]]  # round 2 applications, best first
    cross: dict[str, str] = field(default_factory=dict)  # teacher_id → school_id
    scored: frozenset[str] = frozenset()  # teachers ranked by an evaluation score
    seed: int = 0  # the tie-break lottery's seed
    protected: dict[str, str] = field(default_factory=dict)  # teacher_id → why kept (protection)
    approved_posts: bool = False  # round 1 against the county's approved posts (核定岗位)

    def remaining(self, dataset: Dataset) -> dict[PostKey, int]:
        """Vacancies left after round 2."""
        left = dict(self.vacancies)
        for tid, sid in self.cross.items():
            t = dataset.teacher[tid]
            left[(sid, t.stage, t.subject)] -= 1
        return left


def round_one(
    dataset: Dataset,
    staffing: Mapping[str, SchoolStaffing],
    order: Mapping[str, int],
    protected: Mapping[str, str] | None = None,
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """校内竞聘: (kept, released), each teacher_id → (rank among the post's holders, posts).

    Protected teachers (``rotation.hiring.protection``) are kept first, outside the
    ranking, even beyond the posts; the others compete for the posts left."""
    protected = protected or {}
    groups: dict[PostKey, list[Teacher]] = defaultdict(list)
    for t in dataset.teachers:
        groups[(t.school_id, t.stage, t.subject)].append(t)
    kept: dict[str, tuple[int, int]] = {}
    released: dict[str, tuple[int, int]] = {}
    for (sid, stage, subject), teachers in sorted(groups.items(), key=_post_sort):
        posts = staffing[sid].post_count(stage, subject)
        ranked = sorted(teachers, key=lambda x: (x.teacher_id not in protected, order[x.teacher_id]))
        for i, t in enumerate(ranked):
            keep = i < posts or t.teacher_id in protected
            (kept if keep else released)[t.teacher_id] = (i + 1, posts)
    return kept, released


def vacancies_after_round_one(
    dataset: Dataset, staffing: Mapping[str, SchoolStaffing], kept: Iterable[str]
) -> dict[PostKey, int]:
    """Open posts per (school, section, subject): posts minus the teachers kept there."""
    held = Counter(
        (dataset.teacher[tid].school_id, dataset.teacher[tid].stage, dataset.teacher[tid].subject)
        for tid in kept
    )
    out: dict[PostKey, int] = {}
    for sid, row in staffing.items():
        for s in row.subjects:
            key = (sid, s.stage, s.subject)
            if s.posts - held.get(key, 0) > 0:
                out[key] = s.posts - held.get(key, 0)
    return out


def round_two_preferences(
    dataset: Dataset,
    released: Sequence[str],
    vacancies: Mapping[PostKey, int],
    policy: HiringPolicy,
) -> dict[str, list[str]]:
    """Each released teacher's applications, best first: their listed preferences that have
    a vacancy in their section and subject and pass the level rule; with no preferences
    listed (and ``blank_preferences_nearest``), every such school, nearest first."""
    out: dict[str, list[str]] = {}
    for tid in released:
        t = dataset.teacher[tid]
        home = dataset.school[t.school_id]

        def acceptable(sid: str, t: Teacher = t, home: School = home) -> bool:
            return (
                sid != t.school_id
                and vacancies.get((sid, t.stage, t.subject), 0) > 0
                and may_move(home, dataset.school[sid], policy)
            )

        if t.preferences:
            seen: list[str] = []
            for sid in t.preferences:
                if sid not in seen and acceptable(sid):
                    seen.append(sid)
            out[tid] = seen
        elif policy.blank_preferences_nearest:
            options = [s.school_id for s in dataset.schools if acceptable(s.school_id)]

            def by_distance(sid: str, t: Teacher = t) -> tuple[int, float, str]:
                d = _distance(dataset, t.school_id, sid)
                return (1 if d is None else 0, d or 0.0, sid)

            out[tid] = sorted(options, key=by_distance)
        else:
            out[tid] = []
    return out


def rounds_one_and_two(
    dataset: Dataset,
    year: int,
    *,
    norms: StaffingNorms | None = None,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
    posts: Sequence[ApprovedPost] | None = None,
) -> RoundsState:
    """Rounds 1 and 2; round 1 against the approved ``posts`` when given, else derived ones."""
    policy = policy or HiringPolicy()
    staffing = {row.school_id: row for row in allocation_staffing(dataset, norms, posts)}
    order = merit_order(dataset, year, scores, policy.seed_for(year))
    protected = protected_teachers(dataset, year, policy)
    kept, released = round_one(dataset, staffing, order, protected)
    vacancies = vacancies_after_round_one(dataset, staffing, kept)
    prefs = round_two_preferences(dataset, sorted(released), vacancies, policy)
    # A teacher's applications are schools; the post is fixed by their section and subject.
    post_prefs = {
        tid: [(sid, dataset.teacher[tid].stage, dataset.teacher[tid].subject) for sid in schools]
        for tid, schools in prefs.items()
    }
    matched = deferred_acceptance(post_prefs, vacancies, order)
    return RoundsState(
        year=year,
        staffing=staffing,
        order=order,
        kept=kept,
        released=released,
        vacancies=vacancies,
        preferences=prefs,
        cross={tid: post[0] for tid, post in matched.items()},
        scored=frozenset(scores or ()),
        seed=policy.seed_for(year),
        protected=protected,
        approved_posts=posts is not None,
    )
