"""The principals' exchange (校长交流): a small assignment model, solved in the plan run.

Decisions, for the principals and vice-principals due under ``rotation.principals``:

- a due principal goes to another school of the same stage as its principal (校长交流);
- a due vice-principal goes to another school of the same stage as vice-principal
  (副校长交流) or is promoted into that school's principal post (交流提任校长);
- any vice-principal of a school whose principal leaves may be promoted in place
  (本校提任校长); that is not an exchange.

Each rule is one function below, registered in ``PRINCIPAL_CONSTRAINTS`` under its
``RuleName``; its solver-free twin is in ``rotation.principal_checks``. Every school that
had a principal keeps exactly one (an outgoing principal is replaced by an incoming one or
a vice-principal promoted in place, solved together); no school gains vice-principal posts
(职数): a vice-principal comes in only where one leaves or is promoted. Destinations are of
the same stage, within the distance limit, not blocked, at most
``candidate_schools_per_teacher`` nearest.

Objective, lexicographic by weights: no school without a principal; then the quota
(``principal_exchange_rate`` of the due, every one by default); then weak and rural
destinations first (``weights.weak_school``, ``weights.rural_school``), then shorter
distance (``weights.distance_per_km``). Every move also costs a little more than any
bonus, so nobody is moved beyond what the quota and the replacements need.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rotation.areas import is_rural
from rotation.enums import Position
from rotation.locks import Locks
from rotation.models import Dataset, Teacher
from rotation.plan import Assignment
from rotation.policy import Policy
from rotation.principals import (
    LeaderMove,
    LeaderStatus,
    PrincipalExchange,
    PrincipalMove,
    PrincipalNotMoved,
    PrincipalVacancy,
    leader_table,
    principals_by_school,
    principals_required,
    same_stage,
)
from rotation.rule_names import RuleName
from solver.cpsat_stop import solve_stoppable
from solver.progress import StopFn

PRINCIPAL_SECONDS = 10.0  # the small model's own time limit, within the run's budget
_UNSOLVED = "校长交流模型未在时限内求得方案（可延长 --time-limit）"


def leaders_moved_as_teachers(
    dataset: Dataset, assignments: Sequence[Assignment], policy: Policy
) -> frozenset[str]:
    """Principals and vice-principals the teacher plan moves (``principals_in_teacher_quota``
    only; otherwise they are never in the teacher pool): their posts must be refilled."""
    if not policy.principals_in_teacher_quota:
        return frozenset()
    return frozenset(
        a.teacher_id for a in assignments if dataset.teacher[a.teacher_id].position.leads
    )


@dataclass(frozen=True, slots=True)
class LeaderArc:
    teacher_id: str
    to_school_id: str
    kind: LeaderMove
    distance_km: float | None
    bonus: int  # weak / rural destination, scaled


@dataclass
class LeaderModel:
    """The model's variables, kept in one place so rules never poke at raw dicts."""

    dataset: Dataset
    policy: Policy
    status: dict[str, LeaderStatus]
    leaving: frozenset[str]  # leaders the teacher plan already moves (fixed departures)
    arcs: list[LeaderArc] = field(default_factory=list)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    x: list[cp_model.IntVar] = field(default_factory=list)  # one per arc
    vacancy: dict[str, cp_model.IntVar] = field(default_factory=dict)
    short: cp_model.IntVar | None = None
    required: int = 0

    def index(self) -> None:
        """Arcs by teacher, by destination and by the post they vacate (built once)."""
        self.by_teacher: dict[str, list[cp_model.IntVar]] = {}
        self.into: dict[tuple[str, LeaderMove], list[cp_model.IntVar]] = {}
        self.out_of: dict[tuple[str, Position], list[cp_model.IntVar]] = {}
        for a, v in zip(self.arcs, self.x, strict=True):
            t = self.dataset.teacher[a.teacher_id]
            self.by_teacher.setdefault(a.teacher_id, []).append(v)
            self.into.setdefault((a.to_school_id, a.kind), []).append(v)
            self.out_of.setdefault((t.school_id, t.position), []).append(v)

    def arcs_into(self, school_id: str, *kinds: LeaderMove) -> list[cp_model.IntVar]:
        return [v for k in kinds for v in self.into.get((school_id, k), [])]

    def arcs_of(self, teacher_id: str) -> list[cp_model.IntVar]:
        return self.by_teacher.get(teacher_id, [])

    def departures(self, school_id: str, position: Position) -> list[cp_model.IntVar]:
        """Moves that take a leader of ``position`` out of that post at ``school_id``."""
        return self.out_of.get((school_id, position), [])


def one_move_per_leader(m: LeaderModel) -> None:
    """Each leader moves at most once (one destination, one new post)."""
    for tid in sorted({a.teacher_id for a in m.arcs}):
        m.model.add_at_most_one(m.arcs_of(tid))


def one_principal_per_school(m: LeaderModel) -> None:
    """A school that had a principal keeps exactly one (else a reported vacancy); a school
    without one gets at most one."""
    heads = principals_by_school(m.dataset)
    for s in m.dataset.schools:
        sid = s.school_id
        staying = sum(1 for tid in heads[sid] if tid not in m.leaving)
        incoming = m.arcs_into(
            sid, LeaderMove.PRINCIPAL, LeaderMove.PROMOTED, LeaderMove.PROMOTED_IN_PLACE
        )
        outgoing = m.departures(sid, Position.PRINCIPAL)
        if heads[sid]:  # one principal; a roster listing two keeps at most two
            vac = m.model.new_bool_var(f"vacancy[{sid}]")
            m.vacancy[sid] = vac
            after = staying - sum(outgoing) + sum(incoming)
            m.model.add(after + vac >= 1)
            m.model.add(after <= max(1, staying))
        elif incoming:
            m.model.add(sum(incoming) <= 1)


def vice_posts_not_increased(m: LeaderModel) -> None:
    """A vice-principal comes into a school only where one leaves or is promoted (职数)."""
    for s in m.dataset.schools:
        sid = s.school_id
        incoming = m.arcs_into(sid, LeaderMove.VICE_PRINCIPAL)
        if not incoming:
            continue
        fixed = sum(
            1
            for tid in m.leaving
            if m.dataset.teacher[tid].school_id == sid
            and m.dataset.teacher[tid].position is Position.VICE_PRINCIPAL
        )
        m.model.add(sum(incoming) <= fixed + sum(m.departures(sid, Position.VICE_PRINCIPAL)))


def principal_quota(m: LeaderModel) -> None:
    """At least ``required`` due leaders leave their school, or the shortfall is counted."""
    moved = [
        v
        for a, v in zip(m.arcs, m.x, strict=True)
        if a.kind.leaves_school and m.status[a.teacher_id].due
    ]
    m.short = m.model.new_int_var(0, m.required, "principal_quota_short")
    m.model.add(sum(moved) + m.short >= m.required)


def only_due_leaders_leave(m: LeaderModel) -> None:
    """Only due leaders leave their school (arcs exist for nobody else, ``leader_arcs``);
    promotion in place is open to any vice-principal; each leader has one move at most."""
    one_move_per_leader(m)


def same_stage_destinations(m: LeaderModel) -> None:
    """Destinations of the same stage, within the distance limit, not blocked. Enforced
    when arcs are made (``leader_arcs``)."""


PRINCIPAL_CONSTRAINTS: dict[RuleName, Callable[[LeaderModel], None]] = {
    RuleName.PRINCIPAL_DUE: only_due_leaders_leave,
    RuleName.PRINCIPAL_DESTINATION: same_stage_destinations,
    RuleName.ONE_PRINCIPAL_PER_SCHOOL: one_principal_per_school,
    RuleName.VICE_PRINCIPAL_POSTS: vice_posts_not_increased,
    RuleName.PRINCIPAL_QUOTA: principal_quota,
}


def leader_arcs(
    dataset: Dataset,
    policy: Policy,
    status: dict[str, LeaderStatus],
    locks: Locks,
    leaving: frozenset[str],
) -> tuple[list[LeaderArc], dict[str, str]]:
    """Every allowed move, and for each due leader without one, why (Chinese)."""
    arcs: list[LeaderArc] = []
    why: dict[str, str] = {}
    blocked = locks.blocked_schools
    limit = policy.max_distance_km
    w = policy.weights
    per = policy.candidate_schools_per_teacher
    heads = principals_by_school(dataset)
    bonus_of = {
        s.school_id: round(
            10 * (w.weak_school * s.weak + w.rural_school * is_rural(s, policy.rural_areas))
        )
        for s in dataset.schools
    }
    for tid, st in sorted(status.items()):
        t = st.teacher
        if tid in leaving:
            continue
        if t.position is Position.VICE_PRINCIPAL and heads[t.school_id]:
            arcs.append(LeaderArc(tid, t.school_id, LeaderMove.PROMOTED_IN_PLACE, None, 0))
        if not st.due:
            continue
        if tid in locks.staying:
            why[tid] = "锁定留任"
            continue
        home = dataset.school[t.school_id]
        options: list[tuple[float, str, float | None, int]] = []
        peers = 0
        for s in dataset.schools:
            if s.school_id == home.school_id or not same_stage(home, s):
                continue
            peers += 1
            if s.school_id in blocked:
                continue
            d = dataset.distance_km(home.school_id, s.school_id)
            if limit is not None and d is not None and d > limit:
                continue
            options.append((d if d is not None else 0.0, s.school_id, d, bonus_of[s.school_id]))
        if not options:
            why[tid] = (
                f"全县没有其他同类学校（{home.stage.label_zh}）"
                if not peers
                else "同学段学校均超出距离上限或本年不接收交流"
            )
            continue
        options.sort()
        if per is not None:
            options = options[:per]
        for _, sid, d, bonus in options:
            kinds = (
                (LeaderMove.PRINCIPAL,)
                if t.position is Position.PRINCIPAL
                else (LeaderMove.VICE_PRINCIPAL, LeaderMove.PROMOTED)
            )
            arcs.extend(LeaderArc(tid, sid, k, d, bonus) for k in kinds)
    return arcs, why


def plan_principals(
    dataset: Dataset,
    year: int,
    policy: Policy,
    locks: Locks | None = None,
    *,
    leaving: frozenset[str] = frozenset(),
    time_limit: float = 10.0,
    should_stop: StopFn | None = None,
) -> PrincipalExchange:
    """The year's principal exchange. ``leaving``: leaders the teacher plan already moves
    (only when ``principals_in_teacher_quota``); their posts are refilled here too."""
    t0 = time.perf_counter()
    locks = locks or Locks()
    status = leader_table(dataset, year, policy)
    heads = principals_by_school(dataset)
    due = [tid for tid, st in status.items() if st.due and tid not in leaving]
    m = LeaderModel(dataset, policy, status, leaving)
    m.required = principals_required(len(due), policy)
    m.arcs, why = leader_arcs(dataset, policy, status, locks, leaving)
    m.x = [
        m.model.new_bool_var(f"x[{a.teacher_id}->{a.to_school_id}:{a.kind.value}]") for a in m.arcs
    ]
    m.index()
    for rule in PRINCIPAL_CONSTRAINTS.values():
        rule(m)
    assert m.short is not None
    w = policy.weights
    bonus_max = round(10 * (w.weak_school + w.rural_school))
    km = 10 * w.distance_per_km
    move_cost = bonus_max + 1
    per_move_max = move_cost + bonus_max + round(km * _longest(m)) + 1
    quota_weight = per_move_max * (len(m.arcs) + 1)
    vacancy_weight = quota_weight * (m.required + 1)
    terms = []
    for a, v in zip(m.arcs, m.x, strict=True):
        cost = 0 if a.kind is LeaderMove.PROMOTED_IN_PLACE else move_cost - a.bonus
        cost += round(km * (a.distance_km or 0.0))
        if a.kind is LeaderMove.PROMOTED_IN_PLACE and status[a.teacher_id].due:
            cost += 1  # a due vice-principal promoted in place loses the exchange
        terms.append(cost * v)
    m.model.minimize(vacancy_weight * sum(m.vacancy.values()) + quota_weight * m.short + sum(terms))
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C is the CLI's and the service's (cli/interrupt.py)
    solver.parameters.max_time_in_seconds = max(0.5, time_limit)
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = 1
    code = solve_stoppable(solver, m.model, should_stop)
    status_name = solver.status_name(code).lower()
    chosen: list[LeaderArc] = []
    if code in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        chosen = [a for a, v in zip(m.arcs, m.x, strict=True) if solver.value(v)]
    moves = [_move(dataset, policy, status, a, year) for a in chosen]
    moved_ids = {a.teacher_id for a in chosen if a.kind.leaves_school}
    in_place = {a.teacher_id for a in chosen if not a.kind.leaves_school}
    moved = sum(1 for tid in due if tid in moved_ids)
    required = m.required
    solved = code in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    not_moved = [
        _not_moved(
            status[tid], why.get(tid) if solved else _UNSOLVED, tid in in_place, moved >= required
        )
        for tid in sorted(due)
        if tid not in moved_ids
    ]
    after = _principals_after(dataset, heads, leaving, chosen)
    vacancies = [
        PrincipalVacancy(
            school_id=sid,
            name=dataset.school[sid].name,
            reason_zh="校长离任后无同学段校长交流到任，本校亦无可提任的副校长",
            reason_en="no principal of the stage can come and no vice-principal here can be promoted",
        )
        for sid, had in sorted(heads.items())
        if had and after.get(sid, 0) == 0
    ]
    return PrincipalExchange(
        principals=sum(1 for st in status.values() if st.teacher.position is Position.PRINCIPAL),
        vice_principals=sum(
            1 for st in status.values() if st.teacher.position is Position.VICE_PRINCIPAL
        ),
        due=len(due),
        required=required,
        moved=moved,
        moves=tuple(sorted(moves, key=lambda mv: (mv.from_school_id, mv.teacher_id))),
        not_moved=tuple(not_moved),
        vacancies=tuple(vacancies),
        counts_toward_teacher_quota=policy.principals_in_teacher_quota,
        status=status_name,
        solve_seconds=round(time.perf_counter() - t0, 3),
    )


def _longest(m: LeaderModel) -> float:
    return max((a.distance_km or 0.0 for a in m.arcs), default=0.0)


def _principals_after(
    dataset: Dataset, heads: dict[str, list[str]], leaving: frozenset[str], chosen: list[LeaderArc]
) -> dict[str, int]:
    after = {sid: sum(1 for tid in ids if tid not in leaving) for sid, ids in heads.items()}
    for a in chosen:
        t = dataset.teacher[a.teacher_id]
        if t.position is Position.PRINCIPAL:
            after[t.school_id] -= 1
        if a.kind.new_position is Position.PRINCIPAL:
            after[a.to_school_id] = after.get(a.to_school_id, 0) + 1
    return after


def _move(
    dataset: Dataset, policy: Policy, status: dict[str, LeaderStatus], a: LeaderArc, year: int
) -> PrincipalMove:
    t: Teacher = dataset.teacher[a.teacher_id]
    to = dataset.school[a.to_school_id]
    st = status[a.teacher_id]
    if a.kind is LeaderMove.PROMOTED_IN_PLACE:
        reason = "本校校长离任，由本校副校长提任校长，学校不缺校长"
    else:
        served = f"在本校任现职{st.years_in_post}年，满{policy.principal_terms}届（每届{policy.principal_term_years}年）"
        where = "、".join(
            w
            for w, on in (("薄弱学校", to.weak), ("农村学校", is_rural(to, policy.rural_areas)))
            if on
        )
        reason = f"{served}；去往同学段{to.stage.label_zh}" + (f"（{where}优先）" if where else "")
        if a.kind is LeaderMove.PROMOTED:
            reason += "，提任校长"
    return PrincipalMove(
        teacher_id=t.teacher_id,
        name=t.name,
        position=t.position,
        new_position=a.kind.new_position,
        kind=a.kind,
        from_school_id=t.school_id,
        to_school_id=a.to_school_id,
        school_stage=to.stage,
        years_in_post=st.years_in_post,
        start_year=year,
        end_year=year + policy.principal_term_years - 1,
        distance_km=None if a.distance_km is None else round(a.distance_km, 2),
        reasons=reason,
    )


def _not_moved(
    st: LeaderStatus, why: str | None, in_place: bool, quota_met: bool
) -> PrincipalNotMoved:
    t = st.teacher
    if why == "锁定留任":
        zh, en = "人事股锁定留任", "locked to stay by the office"
    elif why == _UNSOLVED:
        zh, en = why, "the principals' model found no plan within the time limit"
    elif why is not None:
        zh, en = f"{why}，本年无法交流", "no other school of the same stage it may go to"
    elif in_place:
        zh, en = (
            "本校校长交流离任，提任本校校长以保证学校有校长（任期自提任起重新计算）",
            "promoted to principal in place so the school keeps a principal",
        )
    elif quota_met:
        zh, en = (
            "本年校长交流比例已满足，留待下一年交流",
            "this year's principal quota is met; due next year",
        )
    else:
        zh, en = (
            "同学段学校本年腾不出相应的校长或副校长职位（校长、副校长须成对调整），留待下一年交流",
            "no principal or vice-principal post of the stage can be freed this year; due next year",
        )
    return PrincipalNotMoved(
        teacher_id=t.teacher_id,
        name=t.name,
        position=t.position,
        school_id=t.school_id,
        years_in_post=st.years_in_post,
        reason_zh=zh,
        reason_en=en,
    )
