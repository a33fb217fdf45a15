"""县管校聘: the three hiring rounds, and the independent check of their result.

- Round 1, 校内竞聘 (``kept``): every school keeps its own teachers, post by post (a post
  is a school's section and subject, with the count from ``rotation.staffing``), best
  evaluated first, up to its posts.
- Round 2, 跨校竞聘 (``cross``): the teachers not kept apply to schools with a vacancy in
  their section and subject, in their preference order, and only to schools whose level
  is no higher than their own school's (``HiringPolicy.level_rule``). Schools rank the
  applicants by the same evaluation. Teacher-proposing deferred acceptance, so the result
  is stable and the best stable outcome for the teachers.
- Round 3, 组织调剂 (``assigned``): the bureau places those still unplaced into the
  remaining vacancies of their section (same level rule): their own subject, or, by 转岗
  (``HiringPolicy.allow_subject_change``), another subject of the same section that the
  compatibility rule allows (``subject_change_kind``: a 相近学科 pair, or a post that any
  teacher of the section may take, e.g. 小学体育/音乐/美术/科学/道德与法治). 县管校聘 schemes
  place teachers not hired in rounds 1–2 by 转岗 with 转岗培训; which subjects count as
  compatible is the county's choice, so the table is a policy parameter. The objective:
  each placement is worth ``fill_gain``, more at priority / weak / rural schools and in
  shortage subjects ("priority shortages first"), less by ``related_change_cost`` or
  ``open_change_cost`` for a 转岗 ("own subject first"), less ``cost_per_km`` per km
  ("short distances"). A 转岗 into a vacancy of the teacher's own school (校内转岗) is
  allowed and costs no distance. Teachers of one school, section and subject are
  interchangeable for the bureau (``RoundThreeGroup``); within a group the better-evaluated
  are placed first and get the better vacancies (``round_three_candidates`` may cap each
  group's list to its best vacancies; off by default: it loses placements). The optimisation itself is injected
  (``RoundThreeSolver``): ``solver.assign_unplaced`` solves it with CP-SAT;
  ``greedy_round_three`` here is a solver-free fallback. Anyone left goes to the 待岗培训
  list (``unplaced``) with the reason, which says when the county as a whole has more
  teachers of that section (or subject) than posts (结构性超编): no allocation can place them.

Evaluation (评价) order: an optional ``scores`` mapping (teacher_id → score, higher is
better; teachers without a score rank after those with one). Ties, and the whole order
when no scores are given, follow the documented default: backbone level (higher first),
then title (higher first), then years at the current school (more first), then teacher_id.

School level (for the round-2 rule): 城区 > 镇区 > 乡村 by area; within an area a 优质学校
is one step above and a 薄弱学校 one step below an ordinary school (``school_level``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import Area, LabelledEnum, Stage, Subject, Title
from rotation.models import Dataset, School, Teacher
from rotation.policy import DEFAULT_SHORTAGE_SUBJECTS
from rotation.staffing import SchoolStaffing, StaffingNorms, staffing_table

PostKey = tuple[str, Stage, Subject]  # (school_id, stage, subject)
T = TypeVar("T", bound=Hashable)
H = TypeVar("H", bound=Hashable)


DEFAULT_RELATED_SUBJECTS: tuple[tuple[Subject, Subject], ...] = (
    (Subject.CHINESE, Subject.POLITICS),
    (Subject.CHINESE, Subject.HISTORY),
    (Subject.POLITICS, Subject.HISTORY),
    (Subject.POLITICS, Subject.MENTAL_HEALTH),
    (Subject.HISTORY, Subject.GEOGRAPHY),
    (Subject.MATH, Subject.SCIENCE),
    (Subject.MATH, Subject.PHYSICS),
    (Subject.MATH, Subject.IT),
    (Subject.PHYSICS, Subject.SCIENCE),
    (Subject.PHYSICS, Subject.IT),
    (Subject.PHYSICS, Subject.CHEMISTRY),
    (Subject.CHEMISTRY, Subject.SCIENCE),
    (Subject.CHEMISTRY, Subject.BIOLOGY),
    (Subject.BIOLOGY, Subject.SCIENCE),
    (Subject.BIOLOGY, Subject.GEOGRAPHY),
    (Subject.GEOGRAPHY, Subject.SCIENCE),
)
"""相近学科 for 转岗, either way: the subjects a teacher's degree and 教师资格 usually cover
(文科: 语文/道德与法治/历史/地理/心理健康; 理科: 数学/物理/化学/生物/科学/信息技术)."""

DEFAULT_OPEN_SUBJECTS: dict[Stage, tuple[Subject, ...]] = {
    Stage.PRIMARY: (
        Subject.POLITICS,
        Subject.SCIENCE,
        Subject.MENTAL_HEALTH,
        Subject.PE,
        Subject.MUSIC,
        Subject.ART,
        Subject.IT,
    ),
}
"""Posts that any teacher of the stage may take by 转岗 (after 转岗培训): in primary schools a
class teacher (包班/全科) commonly also teaches 道德与法治, 科学 and the arts and PE lessons."""


class HiringPolicy(BaseModel):
    """Parameters of the three rounds (all overridable per run)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    level_rule: bool = Field(
        True,
        description="跨校竞聘和组织调剂只能去层级不高于原校的学校 / move only to schools no higher in level",
    )
    blank_preferences_nearest: bool = Field(
        True,
        description="未填志愿的教师按距离由近到远申报所有可去空缺 / no preferences: apply to all, nearest first",
    )
    fill_gain: int = Field(
        1000, ge=0, description="组织调剂每安置一人的收益 / gain per teacher placed"
    )
    priority_school_gain: int = Field(
        300, ge=0, description="三所学校空缺的额外收益 / 三所学校 vacancy"
    )
    weak_school_gain: int = Field(
        200, ge=0, description="薄弱学校空缺的额外收益 / weak school vacancy"
    )
    rural_school_gain: int = Field(
        100, ge=0, description="乡村学校空缺的额外收益 / rural school vacancy"
    )
    shortage_subject_gain: int = Field(
        100, ge=0, description="紧缺学科空缺的额外收益 / shortage subject"
    )
    shortage_subjects: tuple[Subject, ...] = Field(
        DEFAULT_SHORTAGE_SUBJECTS, description="紧缺学科 / shortage subjects"
    )
    allow_subject_change: bool = Field(
        True,
        description="组织调剂可转岗到同学段其他学科的空缺 / round 3 may place into another subject",
    )
    subject_change_related: tuple[tuple[Subject, Subject], ...] = Field(
        DEFAULT_RELATED_SUBJECTS,
        description="相近学科（双向，各学段通用）/ related subjects, either way, any stage",
    )
    subject_change_open: dict[Stage, tuple[Subject, ...]] = Field(
        default_factory=lambda: {k: tuple(v) for k, v in DEFAULT_OPEN_SUBJECTS.items()},
        description="本学段任何教师均可转岗担任的学科 / posts any teacher of the stage may take",
    )
    related_change_cost: int = Field(
        200, ge=0, description="相近学科转岗的成本 / cost of a change to a related subject"
    )
    open_change_cost: int = Field(
        350, ge=0, description="其他学科转岗的成本 / cost of a change to an open subject"
    )
    round_three_candidates: int | None = Field(
        None,
        ge=1,
        description="组织调剂每组教师只考虑最佳的若干空缺（None 不限）/ best vacancies per group",
    )
    cost_per_km: float = Field(2.0, ge=0, description="每公里距离的成本 / cost per km")
    unknown_distance_km: float = Field(
        30.0,
        ge=0,
        description="缺少坐标时按此距离计算 / distance assumed when a location is missing",
    )


class AllocationRound(LabelledEnum):
    KEPT = "kept", "校内竞聘"
    CROSS = "cross", "跨校竞聘"
    ASSIGNED = "assigned", "组织调剂"
    UNPLACED = "unplaced", "待岗培训"


class AllocationRow(BaseModel):
    """One teacher's outcome: a row of allocation.csv."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    from_school_id: str
    stage: Stage
    subject: Subject
    round: AllocationRound
    to_school_id: str | None = None
    reason: str = ""
    post_subject: Subject | None = Field(
        None, description="聘用岗位学科: the subject of the post filled (≠ subject for 转岗)"
    )
    preference_rank: int | None = Field(None, description="round 2: 1 = the teacher's first choice")
    distance_km: float | None = None


class SchoolAllocationSummary(BaseModel):
    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    posts: int
    holders: int
    kept: int
    released: int
    joined_cross: int
    joined_assigned: int
    vacancies_left: int


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


class AllocationResult(BaseModel):
    """The year's allocation: every teacher's row, a per-school summary and counts."""

    model_config = ConfigDict(frozen=True)

    year: int
    rows: tuple[AllocationRow, ...]
    schools: tuple[SchoolAllocationSummary, ...]
    metrics: dict[str, Any] = Field(default_factory=dict)

    @property
    def by_teacher(self) -> dict[str, AllocationRow]:
        return {r.teacher_id: r for r in self.rows}

    def count(self, rnd: AllocationRound) -> int:
        return sum(r.round is rnd for r in self.rows)


# ------------------------------------------------------------------ levels and evaluation
_AREA_RANK = {Area.RURAL: 0, Area.TOWN: 1, Area.URBAN: 2}


def school_level(school: School) -> int:
    """城区优质 8 > 城区 7 > 城区薄弱 6 > 镇区优质 5 > … > 乡村薄弱 0."""
    return 3 * _AREA_RANK[school.area] + 1 + int(school.quality) - int(school.weak)


def school_level_label(school: School) -> str:
    tag = "优质" if school.quality else ("薄弱" if school.weak else "")
    return f"{school.area.label_zh}{tag}学校"


def may_move(from_school: School, to_school: School, policy: HiringPolicy) -> bool:
    """The level rule: a teacher moves only to a school no higher in level than their own."""
    return not policy.level_rule or school_level(to_school) <= school_level(from_school)


_TITLE_ORDER = list(Title)


def merit_key(teacher: Teacher, year: int, scores: Mapping[str, float] | None) -> tuple:
    """Sort key, best first: score; then backbone, title, years at school, teacher_id."""
    score = (scores or {}).get(teacher.teacher_id)
    return (
        0 if score is not None else 1,
        -(score if score is not None else 0.0),
        -teacher.backbone.rank,
        _TITLE_ORDER.index(teacher.title),
        -(year - teacher.school_start_year),
        teacher.teacher_id,
    )


def merit_order(
    dataset: Dataset, year: int, scores: Mapping[str, float] | None = None
) -> dict[str, int]:
    """Every teacher's evaluation rank in the county, 0 = best (a strict order)."""
    ranked = sorted(dataset.teachers, key=lambda t: merit_key(t, year, scores))
    return {t.teacher_id: i for i, t in enumerate(ranked)}


def post_label(stage: Stage, subject: Subject) -> str:
    return f"{stage.label_zh}{subject.label_zh}"


RELATED_CHANGE = "related"
OPEN_CHANGE = "open"
CHANGE_ZH = {RELATED_CHANGE: "相近学科", OPEN_CHANGE: "本学段通用转岗"}


def subject_change_kind(
    stage: Stage, from_subject: Subject, to_subject: Subject, policy: HiringPolicy
) -> str | None:
    """The 转岗 rule: ``"related"`` (a 相近学科 pair), ``"open"`` (a post any teacher of the
    section may take), or None when the change is not allowed (or the subject is the same)."""
    if not policy.allow_subject_change or from_subject is to_subject:
        return None
    pair = {from_subject, to_subject}
    if any(pair == {a, b} for a, b in policy.subject_change_related):
        return RELATED_CHANGE
    if to_subject in policy.subject_change_open.get(stage, ()):
        return OPEN_CHANGE
    return None


def subject_change_cost(kind: str, policy: HiringPolicy) -> int:
    return policy.related_change_cost if kind == RELATED_CHANGE else policy.open_change_cost


# ------------------------------------------------------------------ deferred acceptance
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


# ------------------------------------------------------------------ rounds 1 and 2
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

    def remaining(self, dataset: Dataset) -> dict[PostKey, int]:
        """Vacancies left after round 2."""
        left = dict(self.vacancies)
        for tid, sid in self.cross.items():
            t = dataset.teacher[tid]
            left[(sid, t.stage, t.subject)] -= 1
        return left


def round_one(
    dataset: Dataset, staffing: Mapping[str, SchoolStaffing], order: Mapping[str, int]
) -> tuple[dict[str, tuple[int, int]], dict[str, tuple[int, int]]]:
    """校内竞聘: (kept, released), each teacher_id → (rank among the post's holders, posts)."""
    groups: dict[PostKey, list[Teacher]] = defaultdict(list)
    for t in dataset.teachers:
        groups[(t.school_id, t.stage, t.subject)].append(t)
    kept: dict[str, tuple[int, int]] = {}
    released: dict[str, tuple[int, int]] = {}
    for (sid, stage, subject), teachers in sorted(groups.items(), key=_post_sort):
        posts = staffing[sid].post_count(stage, subject)
        for i, t in enumerate(sorted(teachers, key=lambda x: order[x.teacher_id])):
            (kept if i < posts else released)[t.teacher_id] = (i + 1, posts)
    return kept, released


def _post_sort(item: tuple[PostKey, Any]) -> tuple[str, int, int]:
    (sid, stage, subject), _ = item
    return (sid, list(Stage).index(stage), list(Subject).index(subject))


def vacancies_after_round_one(
    dataset: Dataset, staffing: Mapping[str, SchoolStaffing], kept: Mapping[str, Any]
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


def _distance(dataset: Dataset, a: str, b: str) -> float | None:
    return dataset.distance_km(a, b)


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
) -> RoundsState:
    policy = policy or HiringPolicy()
    staffing = {row.school_id: row for row in staffing_table(dataset, norms)}
    order = merit_order(dataset, year, scores)
    kept, released = round_one(dataset, staffing, order)
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
    )


# ------------------------------------------------------------------ round 3
def vacancy_gain(school: School, subject: Subject, policy: HiringPolicy) -> int:
    """The worth of filling a vacancy, before the distance cost ("priority shortages first")."""
    gain = policy.fill_gain
    if school.priority is not None:
        gain += policy.priority_school_gain
    if school.weak:
        gain += policy.weak_school_gain
    if school.area is Area.RURAL:
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


# ------------------------------------------------------------------ the result
@dataclass(frozen=True)
class CountyBalance:
    """The county's teachers and posts per section and per (section, subject): where the
    county as a whole is over its posts (结构性超编), no allocation can place everyone."""

    stage_teachers: Mapping[Stage, int]
    stage_posts: Mapping[Stage, int]
    subject_teachers: Mapping[tuple[Stage, Subject], int]
    subject_posts: Mapping[tuple[Stage, Subject], int]

    @classmethod
    def of(cls, staffing: Mapping[str, SchoolStaffing]) -> CountyBalance:
        st_t: Counter[Stage] = Counter()
        st_p: Counter[Stage] = Counter()
        su_t: Counter[tuple[Stage, Subject]] = Counter()
        su_p: Counter[tuple[Stage, Subject]] = Counter()
        for row in staffing.values():
            for s in row.subjects:
                st_t[s.stage] += s.holders
                st_p[s.stage] += s.posts
                su_t[(s.stage, s.subject)] += s.holders
                su_p[(s.stage, s.subject)] += s.posts
        return cls(st_t, st_p, su_t, su_p)

    def stage_surplus(self, stage: Stage) -> int:
        return max(self.stage_teachers.get(stage, 0) - self.stage_posts.get(stage, 0), 0)

    def subject_surplus(self, stage: Stage, subject: Subject) -> int:
        key = (stage, subject)
        return max(self.subject_teachers.get(key, 0) - self.subject_posts.get(key, 0), 0)


def _structural_note(t: Teacher, balance: CountyBalance) -> str:
    stage, label = t.stage.label_zh, post_label(t.stage, t.subject)
    notes = []
    if balance.stage_surplus(t.stage):
        notes.append(
            f"全县{stage}教师{balance.stage_teachers[t.stage]}人、编制岗位"
            f"{balance.stage_posts[t.stage]}个，超编{balance.stage_surplus(t.stage)}人 / the "
            f"county has {balance.stage_surplus(t.stage)} more {t.stage.value} teachers than posts"
        )
    if balance.subject_surplus(t.stage, t.subject):
        key = (t.stage, t.subject)
        notes.append(
            f"全县{label}教师{balance.subject_teachers[key]}人、岗位{balance.subject_posts.get(key, 0)}"
            f"个，超编{balance.subject_surplus(*key)}人 / {balance.subject_surplus(*key)} more "
            f"{t.stage.value} {t.subject.value} teachers than posts"
        )
    return "；".join(notes)


def _unplaced_reason(
    dataset: Dataset,
    t: Teacher,
    problem: RoundThreeProblem,
    policy: HiringPolicy,
    balance: CountyBalance,
    group: RoundThreeGroup | None,
) -> str:
    label = post_label(t.stage, t.subject)
    same = [
        v
        for v in problem.vacancies
        if v.stage is t.stage and v.subject is t.subject and v.school_id != t.school_id
    ]
    open_subjects = {v.subject for v in problem.vacancies if v.stage is t.stage}
    other = [
        su
        for su in Subject
        if su in open_subjects and subject_change_kind(t.stage, t.subject, su, policy)
    ]
    parts = []
    structural = _structural_note(t, balance)
    if structural:
        parts.append(f"结构性超编：{structural}")
    if not same:
        parts.append(
            f"全县{label}岗位已无空缺，本学科无空缺岗位 / no {t.stage.value} {t.subject.value} "
            "vacancy left in the county"
        )
    if policy.allow_subject_change:
        if other:
            names = "、".join(s.label_zh for s in other)
            parts.append(f"可转岗的{t.stage.label_zh}空缺学科：{names} / subjects open by 转岗")
        else:
            parts.append(
                f"按转岗规则，全县没有本学科可转入的{t.stage.label_zh}空缺 / no vacancy left "
                "that the 转岗 rule opens to this subject"
            )
    if (same or other) and (group is None or not group.arcs):
        home = dataset.school[t.school_id]
        parts.append(
            f"剩余可去的空缺均在层级高于原校（{school_level_label(home)}）的学校，按规定不得向上"
            "流动 / the remaining vacancies are at schools above the teacher's own level"
        )
    elif group is not None and group.arcs:
        parts.append(
            "可调剂（含转岗）的空缺已安排给其他教师（按优先顺序、本学科优先与距离） / the "
            "vacancies this teacher could fill went to others by priority, own subject and distance"
        )
    return "；".join([*parts, "列入待岗培训名单 / put on the 待岗培训 list"])


def finish_allocation(
    dataset: Dataset,
    state: RoundsState,
    problem: RoundThreeProblem,
    solution: RoundThreeSolution,
    policy: HiringPolicy | None = None,
) -> AllocationResult:
    """Every teacher's row with its reason, the per-school summary and the counts."""
    policy = policy or HiringPolicy()
    balance = CountyBalance.of(state.staffing)
    group_of = {tid: g for g in problem.groups for tid in g.teachers}
    rows: list[AllocationRow] = []
    for t in dataset.teachers:
        tid = t.teacher_id
        label = post_label(t.stage, t.subject)
        base = {
            "teacher_id": tid,
            "name": t.name,
            "from_school_id": t.school_id,
            "stage": t.stage,
            "subject": t.subject,
        }
        if tid in state.kept:
            k, posts = state.kept[tid]
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.KEPT,
                    to_school_id=t.school_id,
                    post_subject=t.subject,
                    reason=f"校内竞聘：本校{label}岗位{posts}个，按评价排第{k}位，留任 / kept: "
                    f"ranked {k} for {posts} posts at own school",
                )
            )
            continue
        k, posts = state.released[tid]
        why_out = f"本校{label}岗位{posts}个，按评价排第{k}位未获留任 / not kept (ranked {k}, {posts} posts)"
        if tid in state.cross:
            sid = state.cross[tid]
            choice = state.preferences[tid].index(sid) + 1
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.CROSS,
                    to_school_id=sid,
                    post_subject=t.subject,
                    preference_rank=choice,
                    distance_km=_distance(dataset, t.school_id, sid),
                    reason=f"{why_out}；跨校竞聘：第{choice}志愿{dataset.school[sid].name}按评价录用 / "
                    f"cross-school: accepted by choice {choice}",
                )
            )
            continue
        if tid in solution.placed:
            v = problem.vacancies[solution.placed[tid]]
            dest = dataset.school[v.school_id]
            own = v.school_id == t.school_id
            d = 0.0 if own else _distance(dataset, t.school_id, v.school_id)
            tags = "、".join(
                x
                for x in (
                    dest.priority.label_zh if dest.priority else "",
                    "薄弱学校" if dest.weak else "",
                    "乡村学校" if dest.area is Area.RURAL else "",
                    "紧缺学科" if v.subject in policy.shortage_subjects else "",
                )
                if x
            )
            where = f"（{tags}）" if tags else ""
            dist = "，本校" if own else (f"，距离{d:.1f}公里" if d is not None else "")
            kind = subject_change_kind(t.stage, t.subject, v.subject, policy)
            change = (
                f"；转岗：{label} → {post_label(v.stage, v.subject)}（{CHANGE_ZH[kind]}，"
                f"须参加转岗培训） / subject change {t.subject.value} → {v.subject.value}"
                if kind
                else ""
            )
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.ASSIGNED,
                    to_school_id=v.school_id,
                    post_subject=v.subject,
                    distance_km=d,
                    reason=f"{why_out}；组织调剂：安排至{dest.name}{where}"
                    f"{post_label(v.stage, v.subject)}空缺{dist}{change} / assigned by the "
                    "bureau to a vacancy",
                )
            )
            continue
        applied = len(state.preferences.get(tid, []))
        r2 = (
            f"跨校竞聘申报{applied}所学校均未录用 / not accepted by the {applied} schools applied to"
            if applied
            else "跨校竞聘无可申报的学校 / no school to apply to"
        )
        why_left = _unplaced_reason(dataset, t, problem, policy, balance, group_of.get(tid))
        rows.append(
            AllocationRow(
                **base,
                round=AllocationRound.UNPLACED,
                reason=f"{why_out}；{r2}；{why_left}",
            )
        )
    return AllocationResult(
        year=state.year,
        rows=tuple(rows),
        schools=tuple(_summaries(dataset, state, rows)),
        metrics={
            "teachers": len(rows),
            "kept": sum(r.round is AllocationRound.KEPT for r in rows),
            "cross": sum(r.round is AllocationRound.CROSS for r in rows),
            "assigned": sum(r.round is AllocationRound.ASSIGNED for r in rows),
            "unplaced": sum(r.round is AllocationRound.UNPLACED for r in rows),
            "posts": sum(s.posts for s in state.staffing.values()),
            "subject_changes": sum(
                r.round is AllocationRound.ASSIGNED and r.post_subject is not r.subject
                for r in rows
            ),
            "structural_surplus": sum(balance.stage_surplus(st) for st in Stage),
            **{
                f"surplus_{st.value}": balance.stage_surplus(st)
                for st in Stage
                if balance.stage_surplus(st)
            },
            "round3_groups": len(problem.groups),
            "round3_arcs": problem.arc_count,
            "round3_status": solution.status,
            "round3_objective": solution.objective,
        },
    )


def _summaries(
    dataset: Dataset, state: RoundsState, rows: Sequence[AllocationRow]
) -> list[SchoolAllocationSummary]:
    kept = Counter(r.from_school_id for r in rows if r.round is AllocationRound.KEPT)
    released = Counter(r.from_school_id for r in rows if r.round is not AllocationRound.KEPT)
    cross = Counter(r.to_school_id for r in rows if r.round is AllocationRound.CROSS)
    assigned = Counter(r.to_school_id for r in rows if r.round is AllocationRound.ASSIGNED)
    out = []
    for s in dataset.schools:
        st = state.staffing[s.school_id]
        sid = s.school_id
        out.append(
            SchoolAllocationSummary(
                school_id=sid,
                name=s.name,
                posts=st.posts,
                holders=st.holders,
                kept=kept[sid],
                released=released[sid],
                joined_cross=cross[sid],
                joined_assigned=assigned[sid],
                vacancies_left=st.posts - kept[sid] - cross[sid] - assigned[sid],
            )
        )
    return out


def run_allocation(
    dataset: Dataset,
    year: int,
    *,
    norms: StaffingNorms | None = None,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
    round_three: RoundThreeSolver = greedy_round_three,
) -> AllocationResult:
    """The three rounds end to end. Pass ``solver.assign_unplaced.solve_round_three`` (or
    call ``solver.assign_unplaced.run_allocation``) for the CP-SAT round 3."""
    policy = policy or HiringPolicy()
    state = rounds_one_and_two(dataset, year, norms=norms, policy=policy, scores=scores)
    problem = round_three_problem(dataset, state, policy)
    return finish_allocation(dataset, state, problem, round_three(problem), policy)


# ------------------------------------------------------------------ the independent check
@dataclass(frozen=True, slots=True)
class AllocationViolation:
    rule: str
    subject: str
    message: str


def check_allocation(
    dataset: Dataset,
    result: AllocationResult,
    *,
    norms: StaffingNorms | None = None,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
) -> list[AllocationViolation]:
    """Recompute the rules from the input (not from the rounds' code paths) and list breaches:
    everyone exactly once, destinations offer the post, capacities (counted by the subject of
    the post filled), 转岗 only in round 3 and only as the compatibility rule allows, round 1
    by evaluation, the level rule, no blocking pair in round 2, a reason for every unplaced
    teacher."""
    policy = policy or HiringPolicy()
    out: list[AllocationViolation] = []
    seen = Counter(r.teacher_id for r in result.rows)
    for tid, n in seen.items():
        if n > 1:
            out.append(
                AllocationViolation("once", tid, f"教师出现{n}次 / teacher listed {n} times")
            )
        if tid not in dataset.teacher:
            out.append(AllocationViolation("once", tid, "未知教师 / unknown teacher"))
    for t in dataset.teachers:
        if t.teacher_id not in seen:
            out.append(AllocationViolation("once", t.teacher_id, "教师缺失 / teacher missing"))
    rows = [r for r in result.rows if r.teacher_id in dataset.teacher]
    staffing = {row.school_id: row for row in staffing_table(dataset, norms)}
    order = merit_order(dataset, result.year, scores)

    filled: Counter[PostKey] = Counter()
    for r in rows:
        t = dataset.teacher[r.teacher_id]
        if r.round is AllocationRound.UNPLACED:
            if r.to_school_id:
                out.append(AllocationViolation("unplaced", r.teacher_id, "待岗人员不应有去向"))
            if not r.reason.strip():
                out.append(
                    AllocationViolation("reason", r.teacher_id, "待岗人员缺少原因 / no reason")
                )
            continue
        if r.to_school_id not in dataset.school:
            out.append(AllocationViolation("post", r.teacher_id, f"未知学校 {r.to_school_id}"))
            continue
        post = r.post_subject or t.subject
        changed = post is not t.subject
        if r.round is AllocationRound.KEPT and (r.to_school_id != t.school_id or changed):
            out.append(
                AllocationViolation(
                    "round", r.teacher_id, "留任须在本校本学科 / kept means own school and subject"
                )
            )
        if r.round is not AllocationRound.KEPT and r.to_school_id == t.school_id and not changed:
            out.append(
                AllocationViolation(
                    "round", r.teacher_id, "本校本学科岗位应为留任 / own post means kept"
                )
            )
        if changed and (
            r.round is not AllocationRound.ASSIGNED
            or subject_change_kind(t.stage, t.subject, post, policy) is None
        ):
            out.append(
                AllocationViolation(
                    "subject_change",
                    r.teacher_id,
                    f"转岗{post_label(t.stage, t.subject)} → {post_label(t.stage, post)}"
                    "不符合转岗规则 / subject change not allowed by the policy",
                )
            )
        dest = dataset.school[r.to_school_id]
        if not dest.offers(t.stage):
            out.append(
                AllocationViolation("post", r.teacher_id, f"{dest.name}无{t.stage.label_zh}学段")
            )
        if r.round is not AllocationRound.KEPT and not may_move(
            dataset.school[t.school_id], dest, policy
        ):
            out.append(
                AllocationViolation(
                    "level",
                    r.teacher_id,
                    f"从{school_level_label(dataset.school[t.school_id])}流向"
                    f"{school_level_label(dest)}，违反层级规则 / moved up in level",
                )
            )
        filled[(r.to_school_id, t.stage, post)] += 1
    for key, n in filled.items():
        posts = staffing[key[0]].post_count(key[1], key[2])
        if n > posts:
            out.append(
                AllocationViolation(
                    "capacity",
                    f"{key[0]}/{key[1].value}/{key[2].value}",
                    f"{n} 人占 {posts} 个岗位",
                )
            )

    # Round 1: within a post, nobody released outranks someone kept; released only when full.
    kept_at: dict[PostKey, list[str]] = defaultdict(list)
    released_at: dict[PostKey, list[str]] = defaultdict(list)
    for r in rows:
        t = dataset.teacher[r.teacher_id]
        key = (t.school_id, t.stage, t.subject)
        (kept_at if r.round is AllocationRound.KEPT else released_at)[key].append(r.teacher_id)
    for key, rel in released_at.items():
        posts = staffing[key[0]].post_count(key[1], key[2])
        if len(kept_at[key]) < posts:
            out.append(
                AllocationViolation(
                    "round1", rel[0], "本校岗位未满却未留任 / released with a post free"
                )
            )
        worst_kept = max((order[k] for k in kept_at[key]), default=-1)
        out.extend(
            AllocationViolation("round1", tid, "评价高于留任者却未留任 / outranks a kept teacher")
            for tid in rel
            if order[tid] < worst_kept
        )

    out.extend(_blocking_pairs(dataset, rows, staffing, policy, order))
    return out


def _blocking_pairs(
    dataset: Dataset,
    rows: Sequence[AllocationRow],
    staffing: Mapping[str, SchoolStaffing],
    policy: HiringPolicy,
    order: Mapping[str, int],
) -> list[AllocationViolation]:
    """Round 2 stability: no released teacher t and school s with s on t's list above t's
    round-2 outcome, where s has room at t's post after round 2 or took someone t outranks."""
    kept = {r.teacher_id for r in rows if r.round is AllocationRound.KEPT}
    released = sorted(r.teacher_id for r in rows if r.round is not AllocationRound.KEPT)
    vacancies = vacancies_after_round_one(dataset, staffing, kept)
    prefs = round_two_preferences(dataset, released, vacancies, policy)
    got = {r.teacher_id: r.to_school_id for r in rows if r.round is AllocationRound.CROSS}
    taken: dict[PostKey, list[str]] = defaultdict(list)
    for tid, sid in got.items():
        t = dataset.teacher[tid]
        taken[(sid, t.stage, t.subject)].append(tid)
    out: list[AllocationViolation] = []
    for tid in released:
        t = dataset.teacher[tid]
        mine = prefs[tid]
        if tid in got and got[tid] not in mine:
            out.append(AllocationViolation("round2", tid, "录用学校不在其申报之列 / not applied"))
            continue
        better = mine[: mine.index(got[tid])] if tid in got else mine
        for sid in better:
            key = (sid, t.stage, t.subject)
            room = vacancies.get(key, 0) - len(taken[key])
            if room > 0 or any(order[tid] < order[o] for o in taken[key]):
                out.append(
                    AllocationViolation(
                        "stability",
                        f"{tid}/{sid}",
                        f"教师{tid}与{dataset.school[sid].name}构成阻塞对 / blocking pair",
                    )
                )
    return out
