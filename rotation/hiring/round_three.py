"""Round 3, 组织调剂: the bureau's placement problem for those unplaced after round 2.

The bureau places those still unplaced into the remaining vacancies of their section (same
level rule): their own subject, or, by 转岗 (``HiringPolicy.allow_subject_change``), another
subject of the same section that the compatibility rule allows (``subject_change_kind``).
The objective: each placement is worth ``fill_gain``, more at priority / weak / rural
schools and in shortage subjects ("priority shortages first"), less by
``related_change_cost`` or ``open_change_cost`` for a 转岗 ("own subject first"), less
``cost_per_km`` per km ("short distances"). A 转岗 into a vacancy of the teacher's own
school (校内转岗) is allowed and costs no distance. Teachers of one school, section and
subject are interchangeable for the bureau (``RoundThreeGroup``); within a group the
better-evaluated are placed first and get the better vacancies (``round_three_candidates``
may cap each group's list to its best vacancies; off by default: it loses placements). The
optimisation itself is injected (``RoundThreeSolver``): ``solver.assign_unplaced`` solves it
with CP-SAT; ``greedy_round_three`` here is a solver-free fallback.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Mapping

from pydantic import BaseModel, ConfigDict, Field

from rotation.areas import is_rural
from rotation.enums import Stage, Subject
from rotation.hiring.levels import may_move
from rotation.hiring.policy import HiringPolicy
from rotation.hiring.posts import PostKey, _distance, _post_sort
from rotation.hiring.rounds import RoundsState
from rotation.hiring.subject_change import subject_change_cost, subject_change_kind
from rotation.models import Dataset, School


class RoundThreeVacancy(BaseModel):
    model_config = ConfigDict(frozen=True)

    school_id: str
    stage: Stage
    subject: Subject
    count: int


class RoundThreeArc(BaseModel):
    """A group's teachers may fill vacancy number ``vacancy``; ``gain`` is its worth each."""

    model_config = ConfigDict(frozen=True)

    vacancy: int
    gain: int
    distance_km: float | None = None
    subject_change: bool = False


class RoundThreeGroup(BaseModel):
    """Unplaced teachers of one school, section and subject (best evaluated first): the
    bureau sees them as interchangeable, so they share one list of arcs."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    stage: Stage
    subject: Subject
    teachers: tuple[str, ...]
    arcs: tuple[RoundThreeArc, ...]


class RoundThreeProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    vacancies: tuple[RoundThreeVacancy, ...]
    groups: tuple[RoundThreeGroup, ...]

    @property
    def teachers(self) -> tuple[str, ...]:
        return tuple(tid for g in self.groups for tid in g.teachers)

    @property
    def arc_count(self) -> int:
        return sum(len(g.arcs) for g in self.groups)


class RoundThreeSolution(BaseModel):
    model_config = ConfigDict(frozen=True)

    placed: dict[str, int] = Field(default_factory=dict, description="teacher_id → vacancy index")
    status: str = "unknown"
    objective: int = 0


RoundThreeSolver = Callable[[RoundThreeProblem], RoundThreeSolution]


def vacancy_gain(school: School, subject: Subject, policy: HiringPolicy) -> int:
    """The worth of filling a vacancy, before the distance cost ("priority shortages first")."""
    gain = policy.fill_gain
    if school.priority is not None:
        gain += policy.priority_school_gain
    if school.weak:
        gain += policy.weak_school_gain
    if is_rural(school, policy.rural_areas):
        gain += policy.rural_school_gain
    if subject in policy.shortage_subjects:
        gain += policy.shortage_subject_gain
    return gain


def round_three_problem(
    dataset: Dataset, state: RoundsState, policy: HiringPolicy | None = None
) -> RoundThreeProblem:
    """The bureau's placement problem for those still unplaced after round 2: one group per
    (school, section, subject), its arcs to the remaining vacancies of that section in its
    own subject or a subject the 转岗 rule allows, within the level rule, best
    ``round_three_candidates`` by worth."""
    policy = policy or HiringPolicy()
    left = state.remaining(dataset)
    vacancies = [
        RoundThreeVacancy(school_id=k[0], stage=k[1], subject=k[2], count=n)
        for k, n in sorted(left.items(), key=_post_sort)
        if n > 0
    ]
    gains = [vacancy_gain(dataset.school[v.school_id], v.subject, policy) for v in vacancies]
    at_school: dict[tuple[Stage, str], list[int]] = defaultdict(list)
    for i, v in enumerate(vacancies):
        at_school[(v.stage, v.school_id)].append(i)
    members: dict[PostKey, list[str]] = defaultdict(list)
    for tid in sorted(
        (t for t in state.released if t not in state.cross), key=state.order.__getitem__
    ):
        t = dataset.teacher[tid]
        members[(t.school_id, t.stage, t.subject)].append(tid)
    distances: dict[tuple[str, str], float | None] = {}
    groups: list[RoundThreeGroup] = []
    for (sid, stage, subject), tids in sorted(members.items(), key=_post_sort):
        home = dataset.school[sid]
        change_cost: dict[Subject, int] = {}
        for su in Subject:
            kind = subject_change_kind(stage, subject, su, policy)
            if su is subject or kind is not None:
                change_cost[su] = 0 if kind is None else subject_change_cost(kind, policy)
        arcs: list[RoundThreeArc] = []
        for (st, dest_id), idx in at_school.items():
            if st is not stage or not may_move(home, dataset.school[dest_id], policy):
                continue
            if dest_id == sid:
                d: float | None = 0.0
            else:
                key = (sid, dest_id) if sid < dest_id else (dest_id, sid)
                if key not in distances:
                    distances[key] = _distance(dataset, sid, dest_id)
                d = distances[key]
            km_cost = round(policy.cost_per_km * (policy.unknown_distance_km if d is None else d))
            for i in idx:
                v = vacancies[i]
                if v.subject not in change_cost or (v.subject is subject and dest_id == sid):
                    continue
                gain = gains[i] - change_cost[v.subject] - km_cost
                if gain > 0:
                    arcs.append(
                        RoundThreeArc.model_construct(  # 10^5 arcs: skip re-validation
                            vacancy=i,
                            gain=gain,
                            distance_km=d,
                            subject_change=v.subject is not subject,
                        )
                    )
        arcs.sort(key=lambda a: (-a.gain, a.vacancy))
        if policy.round_three_candidates is not None:
            arcs = arcs[: policy.round_three_candidates]
        groups.append(
            RoundThreeGroup(
                school_id=sid, stage=stage, subject=subject, teachers=tuple(tids), arcs=tuple(arcs)
            )
        )
    return RoundThreeProblem(vacancies=tuple(vacancies), groups=tuple(groups))


def place_groups(
    problem: RoundThreeProblem, counts: Mapping[tuple[int, int], int]
) -> dict[str, int]:
    """Turn ``(group index, vacancy) → number placed`` into teacher_id → vacancy: within a
    group, the better-evaluated teachers take the better (higher-gain) vacancies."""
    placed: dict[str, int] = {}
    for g, group in enumerate(problem.groups):
        queue = iter(group.teachers)
        for arc in group.arcs:  # best gain first
            for _ in range(counts.get((g, arc.vacancy), 0)):
                placed[next(queue)] = arc.vacancy
    return placed


def greedy_round_three(problem: RoundThreeProblem) -> RoundThreeSolution:
    """Solver-free fallback: take the arcs by gain, best first, while capacity lasts."""
    cap = [v.count for v in problem.vacancies]
    free = [len(g.teachers) for g in problem.groups]
    counts: Counter[tuple[int, int]] = Counter()
    total = 0
    ranked = sorted(
        ((g, a) for g, group in enumerate(problem.groups) for a in group.arcs),
        key=lambda ga: (-ga[1].gain, ga[0], ga[1].vacancy),
    )
    for g, arc in ranked:
        n = min(free[g], cap[arc.vacancy])
        if n <= 0 or arc.gain <= 0:
            continue
        counts[(g, arc.vacancy)] += n
        free[g] -= n
        cap[arc.vacancy] -= n
        total += n * arc.gain
    return RoundThreeSolution(
        placed=place_groups(problem, counts), status="greedy", objective=total
    )
