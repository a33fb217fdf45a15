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
  remaining vacancies of their section and subject (same level rule), priority shortages
  first and distances short. The optimisation itself is injected (``RoundThreeSolver``):
  ``solver.assign_unplaced`` solves it with CP-SAT; ``greedy_round_three`` here is a
  solver-free fallback. Anyone left goes to the 待岗培训 list (``unplaced``) with the reason.

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
    """Teacher ``teacher_id`` may fill vacancy number ``vacancy``; ``gain`` is its worth."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    vacancy: int
    gain: int
    distance_km: float | None = None


class RoundThreeProblem(BaseModel):
    model_config = ConfigDict(frozen=True)

    teachers: tuple[str, ...]
    vacancies: tuple[RoundThreeVacancy, ...]
    arcs: tuple[RoundThreeArc, ...]


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
    """The bureau's placement problem for those still unplaced after round 2."""
    policy = policy or HiringPolicy()
    left = state.remaining(dataset)
    vacancies = [
        RoundThreeVacancy(school_id=k[0], stage=k[1], subject=k[2], count=n)
        for k, n in sorted(left.items(), key=_post_sort)
        if n > 0
    ]
    index: dict[tuple[Stage, Subject], list[int]] = defaultdict(list)
    for i, v in enumerate(vacancies):
        index[(v.stage, v.subject)].append(i)
    teachers = tuple(sorted(tid for tid in state.released if tid not in state.cross))
    arcs: list[RoundThreeArc] = []
    for tid in teachers:
        t = dataset.teacher[tid]
        home = dataset.school[t.school_id]
        for i in index.get((t.stage, t.subject), []):
            v = vacancies[i]
            dest = dataset.school[v.school_id]
            if v.school_id == t.school_id or not may_move(home, dest, policy):
                continue
            d = _distance(dataset, t.school_id, v.school_id)
            km = policy.unknown_distance_km if d is None else d
            gain = vacancy_gain(dest, t.subject, policy) - round(policy.cost_per_km * km)
            arcs.append(RoundThreeArc(teacher_id=tid, vacancy=i, gain=gain, distance_km=d))
    return RoundThreeProblem(teachers=teachers, vacancies=tuple(vacancies), arcs=tuple(arcs))


def greedy_round_three(problem: RoundThreeProblem) -> RoundThreeSolution:
    """Solver-free fallback: take the arcs by gain, best first, while capacity lasts."""
    cap = [v.count for v in problem.vacancies]
    placed: dict[str, int] = {}
    total = 0
    for arc in sorted(problem.arcs, key=lambda a: (-a.gain, a.teacher_id, a.vacancy)):
        if arc.gain <= 0 or arc.teacher_id in placed or cap[arc.vacancy] <= 0:
            continue
        placed[arc.teacher_id] = arc.vacancy
        cap[arc.vacancy] -= 1
        total += arc.gain
    return RoundThreeSolution(placed=placed, status="greedy", objective=total)


# ------------------------------------------------------------------ the result
def _unplaced_reason(
    dataset: Dataset, t: Teacher, problem: RoundThreeProblem, policy: HiringPolicy
) -> str:
    same = [
        v
        for v in problem.vacancies
        if v.stage is t.stage and v.subject is t.subject and v.school_id != t.school_id
    ]
    label = post_label(t.stage, t.subject)
    if not same:
        why = f"全县{label}岗位已无空缺 / no {t.stage.value} {t.subject.value} vacancy left in the county"
    elif not any(a.teacher_id == t.teacher_id for a in problem.arcs):
        home = dataset.school[t.school_id]
        why = (
            f"剩余{label}空缺（{sum(v.count for v in same)}个）均在层级高于原校（{school_level_label(home)}）"
            f"的学校，按规定不得向上流动 / the remaining vacancies are at schools above the "
            "teacher's own level"
        )
    else:
        why = (
            f"可调剂的{label}空缺已安排给其他教师（按优先顺序与距离） / the vacancies this "
            "teacher could fill went to others by priority and distance"
        )
    return f"{why}；列入待岗培训名单 / put on the 待岗培训 list"


def finish_allocation(
    dataset: Dataset,
    state: RoundsState,
    problem: RoundThreeProblem,
    solution: RoundThreeSolution,
    policy: HiringPolicy | None = None,
) -> AllocationResult:
    """Every teacher's row with its reason, the per-school summary and the counts."""
    policy = policy or HiringPolicy()
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
            d = _distance(dataset, t.school_id, v.school_id)
            tags = "、".join(
                x
                for x in (
                    dest.priority.label_zh if dest.priority else "",
                    "薄弱学校" if dest.weak else "",
                    "乡村学校" if dest.area is Area.RURAL else "",
                    "紧缺学科" if t.subject in policy.shortage_subjects else "",
                )
                if x
            )
            where = f"（{tags}）" if tags else ""
            dist = f"，距离{d:.1f}公里" if d is not None else ""
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.ASSIGNED,
                    to_school_id=v.school_id,
                    distance_km=d,
                    reason=f"{why_out}；组织调剂：安排至{dest.name}{where}{label}空缺{dist} / "
                    "assigned by the bureau to a vacancy",
                )
            )
            continue
        applied = len(state.preferences.get(tid, []))
        r2 = (
            f"跨校竞聘申报{applied}所学校均未录用 / not accepted by the {applied} schools applied to"
            if applied
            else "跨校竞聘无可申报的学校 / no school to apply to"
        )
        rows.append(
            AllocationRow(
                **base,
                round=AllocationRound.UNPLACED,
                reason=f"{why_out}；{r2}；{_unplaced_reason(dataset, t, problem, policy)}",
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
    everyone exactly once, destinations offer the post, capacities, round 1 by evaluation,
    the level rule, no blocking pair in round 2, a reason for every unplaced teacher."""
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
        if (r.round is AllocationRound.KEPT) != (r.to_school_id == t.school_id):
            out.append(
                AllocationViolation("round", r.teacher_id, "留任须在本校 / kept means own school")
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
        filled[(r.to_school_id, t.stage, t.subject)] += 1
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
