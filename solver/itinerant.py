"""The 走教 schedule: a small CP-SAT model after the transfer plan.

Candidates are the teachers who keep their home post at a town or central school and
teach a 走教 subject (``rotation.itinerant.home_post_problem``), paired with the hour needs
of their stage and subject within the travel limit, each need keeping its
``itinerant_candidates_per_school`` nearest teachers. Per (teacher, need, open day) the
model has a visit boolean and the hours taught that day; every rule of the schedule is
one function below, registered in ``ITINERANT_CONSTRAINTS`` under its one name, the name
under which ``rotation.checker.ITINERANT_CHECKS`` checks it without the solver.

Objective: priority-weighted hours covered (a filled need's worth per hour of a full
load, ``rotation.itinerant.hour_value``) minus ``weights.distance_per_km`` for each km of
each visit day. The hours the transfer plan's teachers cover are taken off first.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from rotation.enums import Weekday
from rotation.itinerant import (
    ItinerantSchedule,
    ItinerantVisit,
    home_post_problem,
    hour_value,
    open_days,
    open_hours,
    remaining_hours,
    schedule_figures,
    teacher_hour_limit,
    travel_km,
    within_travel,
)
from rotation.models import Dataset, HourNeed, Teacher
from rotation.policy import Policy
from rotation.rule_names import RuleName
from solver.options import SolveOptions

_SCALE = 100  # objective coefficients in hundredths


@dataclass(slots=True)
class Arc:
    teacher: Teacher
    need: HourNeed
    km: float | None


@dataclass
class ItinerantModel:
    """The candidates, the model and its variables; rules read and add to it."""

    dataset: Dataset
    year: int
    policy: Policy
    moves: Mapping[str, str]
    open: dict[tuple[str, object, object], int]  # hour need → hours left after transfers
    teachers: list[Teacher]
    arcs: list[Arc] = field(default_factory=list)
    model: cp_model.CpModel = field(default_factory=cp_model.CpModel)
    hours: dict[tuple[int, Weekday], cp_model.IntVar] = field(default_factory=dict)
    visit: dict[tuple[int, Weekday], cp_model.IntVar] = field(default_factory=dict)

    def arc_days(self, a: int) -> tuple[Weekday, ...]:
        return tuple(d for d in Weekday if (a, d) in self.visit)

    def by_teacher(self) -> dict[str, list[int]]:
        out: dict[str, list[int]] = defaultdict(list)
        for i, arc in enumerate(self.arcs):
            out[arc.teacher.teacher_id].append(i)
        return out


ItinerantRule = Callable[[ItinerantModel], None]


# ------------------------------------------------------------------ candidate rules (masks)
def keep_home_posts(m: ItinerantModel) -> None:
    """Only teachers who keep their post at a town or central school, of a 走教 subject,
    with hours to spare; each paired only with needs of their stage and subject, never
    at their own school."""
    m.teachers = [
        t
        for t in m.teachers
        if home_post_problem(t, m.dataset, m.year, m.policy, m.moves) is None
    ]
    by_kind: dict[tuple[object, object], list[HourNeed]] = defaultdict(list)
    for h in m.dataset.hour_needs:
        if m.open[h.key] > 0:
            by_kind[(h.stage, h.subject)].append(h)
    m.arcs = [
        Arc(t, h, travel_km(m.dataset, t.school_id, h.school_id))
        for t in m.teachers
        for h in by_kind.get((t.stage, t.subject), ())
        if h.school_id != t.school_id
    ]


def within_travel_limit(m: ItinerantModel) -> None:
    m.arcs = [a for a in m.arcs if within_travel(m.dataset, a.teacher.school_id, a.need.school_id, m.policy)]


def nearest_candidates(m: ItinerantModel) -> None:
    """Each need keeps its ``itinerant_candidates_per_school`` nearest teachers (a pruning,
    not a rule: the checker does not need it)."""
    per_need: dict[tuple[str, object, object], list[Arc]] = defaultdict(list)
    for a in m.arcs:
        per_need[a.need.key].append(a)
    k = m.policy.itinerant_candidates_per_school
    kept: list[Arc] = []
    for arcs in per_need.values():
        arcs.sort(key=lambda a: (a.km if a.km is not None else 0.0, a.teacher.teacher_id))
        kept.extend(arcs[:k])
    m.arcs = sorted(kept, key=lambda a: (a.teacher.teacher_id, a.need.key))


# ------------------------------------------------------------------ variables and rules
def make_variables(m: ItinerantModel) -> None:
    """Per arc and open day of the school: a visit and its hours (0 without a visit)."""
    daily = m.policy.itinerant_max_daily_hours
    for i, a in enumerate(m.arcs):
        for d in open_days(a.need):
            v = m.model.new_bool_var(f"visit[{a.teacher.teacher_id},{a.need.school_id},{d.value}]")
            h = m.model.new_int_var(0, daily, f"hours[{a.teacher.teacher_id},{a.need.school_id},{d.value}]")
            m.visit[(i, d)] = v
            m.hours[(i, d)] = h
            m.model.add(h >= v)  # a visit teaches at least one hour


def itinerant_days(m: ItinerantModel) -> None:
    """Only on the school's open days (no variable otherwise), at most the daily hours,
    and one school a day per teacher."""
    daily = m.policy.itinerant_max_daily_hours
    for (i, d), h in m.hours.items():
        m.model.add(h <= daily * m.visit[(i, d)])
    for arcs in m.by_teacher().values():
        for d in Weekday:
            day = [m.visit[(i, d)] for i in arcs if (i, d) in m.visit]
            if len(day) > 1:
                m.model.add_at_most_one(day)


def itinerant_weekly_hours(m: ItinerantModel) -> None:
    for arcs in m.by_teacher().values():
        limit = teacher_hour_limit(m.arcs[arcs[0]].teacher, m.policy)
        m.model.add(sum(m.hours[(i, d)] for i in arcs for d in m.arc_days(i)) <= limit)


def itinerant_schools(m: ItinerantModel) -> None:
    for arcs in m.by_teacher().values():
        schools: dict[str, list[int]] = defaultdict(list)
        for i in arcs:
            schools[m.arcs[i].need.school_id].append(i)
        if len(schools) <= m.policy.itinerant_max_schools:
            continue
        served = []
        for school_id, idx in schools.items():
            s = m.model.new_bool_var(f"serves[{m.arcs[idx[0]].teacher.teacher_id},{school_id}]")
            for i in idx:
                for d in m.arc_days(i):
                    m.model.add_implication(m.visit[(i, d)], s)
            served.append(s)
        m.model.add(sum(served) <= m.policy.itinerant_max_schools)


def itinerant_hours_not_overcovered(m: ItinerantModel) -> None:
    per_need: dict[tuple[str, object, object], list[cp_model.IntVar]] = defaultdict(list)
    for (i, _d), h in m.hours.items():
        per_need[m.arcs[i].need.key].append(h)
    for key, hs in per_need.items():
        m.model.add(sum(hs) <= m.open[key])


ITINERANT_CONSTRAINTS: dict[RuleName, ItinerantRule] = {
    RuleName.ITINERANT_HOME_POST: keep_home_posts,
    RuleName.ITINERANT_DISTANCE: within_travel_limit,
    RuleName.ITINERANT_DAYS: itinerant_days,
    RuleName.ITINERANT_WEEKLY_HOURS: itinerant_weekly_hours,
    RuleName.ITINERANT_SCHOOLS: itinerant_schools,
    RuleName.ITINERANT_HOURS_NOT_OVERCOVERED: itinerant_hours_not_overcovered,
}
_MASKS = (RuleName.ITINERANT_HOME_POST, RuleName.ITINERANT_DISTANCE)


def objective(m: ItinerantModel) -> None:
    per_km = m.policy.weights.distance_per_km
    terms = []
    for (i, d), h in m.hours.items():
        a = m.arcs[i]
        value = round(_SCALE * hour_value(m.dataset.school[a.need.school_id], m.policy))
        terms.append(value * h)
        cost = round(_SCALE * per_km * (a.km or 0.0))
        if cost:
            terms.append(-cost * m.visit[(i, d)])
    m.model.maximize(sum(terms))


def build_itinerant_model(
    dataset: Dataset, year: int, policy: Policy, moves: Mapping[str, str]
) -> ItinerantModel:
    base = remaining_hours(dataset, moves, policy)
    m = ItinerantModel(
        dataset=dataset,
        year=year,
        policy=policy,
        moves=moves,
        open={k: hours - by_transfer for k, (hours, by_transfer) in base.items()},
        teachers=list(dataset.teachers),
    )
    for rule in _MASKS:
        ITINERANT_CONSTRAINTS[rule](m)
    nearest_candidates(m)
    make_variables(m)
    for rule, add in ITINERANT_CONSTRAINTS.items():
        if rule not in _MASKS:
            add(m)
    objective(m)
    return m


def plan_itinerant(
    dataset: Dataset,
    year: int,
    policy: Policy,
    moves: Mapping[str, str],
    options: SolveOptions | None = None,
    time_limit: float | None = None,
) -> ItinerantSchedule:
    """The year's 走教 schedule after the transfer plan's ``moves`` (empty without hour needs)."""
    t0 = time.perf_counter()
    options = options or SolveOptions()
    m = build_itinerant_model(dataset, year, policy, moves)
    visits: list[ItinerantVisit] = []
    status_name = "no_candidates"
    if m.hours:
        solver = cp_model.CpSolver()
        limit = time_limit if time_limit is not None else min(30.0, max(2.0, options.time_limit / 4))
        solver.parameters.max_time_in_seconds = limit
        solver.parameters.num_workers = max(1, options.workers)
        solver.parameters.random_seed = options.seed
        solver.parameters.relative_gap_limit = options.relative_gap
        status = solver.solve(m.model)
        status_name = {cp_model.OPTIMAL: "optimal", cp_model.FEASIBLE: "feasible"}.get(
            status, "no_solution"
        )
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            for (i, d), h in sorted(m.hours.items(), key=lambda kv: (kv[0][0], kv[0][1].value)):
                taught = solver.value(h)
                if taught > 0:
                    a = m.arcs[i]
                    visits.append(
                        ItinerantVisit(
                            teacher_id=a.teacher.teacher_id,
                            name=a.teacher.name,
                            home_school_id=a.teacher.school_id,
                            school_id=a.need.school_id,
                            stage=a.need.stage,
                            subject=a.need.subject,
                            day=d,
                            hours=taught,
                            distance_km=None if a.km is None else round(a.km, 2),
                        )
                    )
    needs = open_hours(dataset, policy, moves, visits)
    return ItinerantSchedule(
        year=year,
        visits=tuple(visits),
        needs=needs,
        figures=schedule_figures(
            dataset,
            policy,
            moves,
            visits,
            needs,
            status=status_name,
            seconds=time.perf_counter() - t0,
        ),
    )
