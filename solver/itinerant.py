"""The 走教 schedule: a small MIP (HiGHS) after the transfer plan, then the days.

Candidates are the teachers who keep their home post at a town or central school and
teach a 走教 subject (``rotation.itinerant.home_post_problem``), paired with the hour needs
of their stage and subject within the travel limit, each need keeping its
``itinerant_candidates_per_school`` nearest teachers. Per (teacher, need) the model has
whether the teacher serves the school, the weekly hours and the visit days; every rule of
the schedule is one function below, registered in ``ITINERANT_CONSTRAINTS`` under its one
name, the name under which ``rotation.checker.ITINERANT_CHECKS`` checks it without the
solver. The weekdays are then given per teacher (``assign_days``): each school's visit
days among its open days, one school a day; the model's day constraints (at most five
visit days a week, at most as many at a school as it has open days, and together no more
than the open days of any set of schools with the same stated days) make that
possible; a visit day that still finds no free weekday is dropped with its hours.

Objective: priority-weighted hours covered (a filled need's worth per hour of a full
load, ``rotation.itinerant.hour_value``) minus ``weights.distance_per_km`` for each km of
each visit day. The hours the transfer plan's teachers cover are taken off first.
(CP-SAT on a per-day formulation found no solution in 30 s on longchuan; this LP is
nearly integral and HiGHS proves it in seconds.)
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import highspy
import numpy as np

from rotation.enums import Stage, Subject, Weekday
from rotation.itinerant import (
    HourKey,
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
from solver.backends.highs import quiet_stdout
from solver.options import SolveOptions
from solver.progress import StopFn

WEEK = len(Weekday)


INF = highspy.kHighsInf


@dataclass
class Columns:
    """A small integer program in HiGHS's arrays: columns, rows, objective (maximized)."""

    lower: list[float] = field(default_factory=list)
    upper: list[float] = field(default_factory=list)
    cost: list[float] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    index: list[int] = field(default_factory=list)
    value: list[float] = field(default_factory=list)
    status: str = ""  # optimal (within the gap) / feasible (time limit) / no_solution

    def new_var(self, lower: float, upper: float) -> int:
        self.lower.append(lower)
        self.upper.append(upper)
        self.cost.append(0.0)
        return len(self.lower) - 1

    def add(self, terms: list[tuple[int, float]], lower: float = -INF, upper: float = INF) -> None:
        """lower ≤ Σ coefficient·column ≤ upper."""
        self.starts.append(len(self.index))
        for col, coef in terms:
            self.index.append(col)
            self.value.append(coef)
        self.row_lower.append(lower)
        self.row_upper.append(upper)

    def solve(
        self, time_limit: float, gap: float, seed: int, should_stop: StopFn | None = None
    ) -> list[float] | None:
        """Solve; ``should_stop`` (Ctrl-C, a cancelled job) ends the search early, keeping
        the best schedule found so far."""
        with quiet_stdout():
            h = highspy.Highs()  # prints a banner on C++ stdout before options can be set
        h.setOptionValue("output_flag", False)
        h.setOptionValue("time_limit", float(time_limit))
        h.setOptionValue("mip_rel_gap", float(gap))
        h.setOptionValue("random_seed", int(seed))
        h.setOptionValue("threads", 1)
        n = len(self.lower)
        h.addVars(n, self.lower, self.upper)
        integer = np.full(n, int(highspy.HighsVarType.kInteger), dtype=np.uint8)
        h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), integer)
        h.changeColsCost(n, list(range(n)), self.cost)
        if self.starts:
            h.addRows(
                len(self.starts), self.row_lower, self.row_upper, len(self.index),
                self.starts, self.index, self.value,
            )  # fmt: skip
        h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        if should_stop is not None:

            def on_interrupt(e: highspy.HighsCallbackEvent) -> None:
                if should_stop():
                    e.interrupt()

            h.cbMipInterrupt.subscribe(on_interrupt)
        h.run()
        self.status = (
            "optimal" if h.getModelStatus() == highspy.HighsModelStatus.kOptimal else "feasible"
        )
        if h.getInfo().primal_solution_status != 2:  # kSolutionStatusFeasible
            self.status = "no_solution"
            return None
        return list(h.getSolution().col_value)


@dataclass(slots=True)
class Arc:
    teacher: Teacher
    need: HourNeed
    km: float | None


@dataclass
class ItinerantModel:
    """The candidates, the model and its variables (one each per arc); rules add to it."""

    dataset: Dataset
    year: int
    policy: Policy
    moves: Mapping[str, str]
    open: dict[HourKey, int]  # hour need → hours left after the transfer plan
    teachers: list[Teacher]
    arcs: list[Arc] = field(default_factory=list)
    model: Columns = field(default_factory=Columns)
    hours: list[int] = field(default_factory=list)  # weekly hours there
    days: list[int] = field(default_factory=list)  # visit days a week there
    km: dict[tuple[str, str], float | None] = field(default_factory=dict)

    def distance(self, home: str, school: str) -> float | None:
        key = (home, school)
        if key not in self.km:
            self.km[key] = travel_km(self.dataset, home, school)
        return self.km[key]

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
        t for t in m.teachers if home_post_problem(t, m.dataset, m.year, m.policy, m.moves) is None
    ]
    by_kind: dict[tuple[Stage, Subject], list[HourNeed]] = defaultdict(list)
    for h in m.dataset.hour_needs:
        if m.open[h.key] > 0:
            by_kind[(h.stage, h.subject)].append(h)
    m.arcs = [
        Arc(t, h, None)
        for t in m.teachers
        for h in by_kind.get((t.stage, t.subject), ())
        if h.school_id != t.school_id
    ]


def within_travel_limit(m: ItinerantModel) -> None:
    ok: dict[tuple[str, str], bool] = {}
    kept = []
    for a in m.arcs:
        key = (a.teacher.school_id, a.need.school_id)
        if key not in ok:
            ok[key] = within_travel(m.dataset, key[0], key[1], m.policy)
        if ok[key]:
            a.km = m.distance(*key)
            kept.append(a)
    m.arcs = kept


def nearest_candidates(m: ItinerantModel) -> None:
    """Each need keeps its ``itinerant_candidates_per_school`` nearest teachers (a pruning,
    not a rule: the checker does not need it)."""
    per_need: dict[HourKey, list[Arc]] = defaultdict(list)
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
    """Per arc: weekly hours and visit days (a visit day costs its travel, so the model
    takes no more days than the hours need; days beyond the hours are dropped after)."""
    for a in m.arcs:
        cap = min(teacher_hour_limit(a.teacher, m.policy), m.open[a.need.key])
        m.hours.append(m.model.new_var(0, cap))
        m.days.append(m.model.new_var(0, len(open_days(a.need))))


def itinerant_days(m: ItinerantModel) -> None:
    """Enough visit days for the hours (at most the daily hours each), within the school's
    open days, one school a day: at most five days, and no more days at schools with the
    same stated days than those days."""
    daily = m.policy.itinerant_max_daily_hours
    for i in range(len(m.arcs)):
        m.model.add([(m.hours[i], 1.0), (m.days[i], -float(daily))], upper=0)
    for arcs in m.by_teacher().values():
        if len(arcs) > 1:
            m.model.add([(m.days[i], 1.0) for i in arcs], upper=WEEK)
        same: dict[tuple[Weekday, ...], list[int]] = defaultdict(list)
        for i in arcs:
            if m.arcs[i].need.days:
                same[open_days(m.arcs[i].need)].append(i)
        for days, idx in same.items():
            if len(idx) > 1:
                m.model.add([(m.days[i], 1.0) for i in idx], upper=len(days))


def itinerant_weekly_hours(m: ItinerantModel) -> None:
    for arcs in m.by_teacher().values():
        limit = teacher_hour_limit(m.arcs[arcs[0]].teacher, m.policy)
        if len(arcs) > 1:
            m.model.add([(m.hours[i], 1.0) for i in arcs], upper=limit)


def itinerant_schools(m: ItinerantModel) -> None:
    """A teacher with more candidate schools than the limit serves at most the limit: a
    0/1 per (teacher, school) that the hours there need."""
    for arcs in m.by_teacher().values():
        if len(arcs) <= m.policy.itinerant_max_schools:
            continue
        served = []
        for i in arcs:
            z = m.model.new_var(0, 1)
            m.model.add([(m.hours[i], 1.0), (z, -float(m.model.upper[m.hours[i]]))], upper=0)
            served.append(z)
        m.model.add([(z, 1.0) for z in served], upper=m.policy.itinerant_max_schools)


def itinerant_hours_not_overcovered(m: ItinerantModel) -> None:
    per_need: dict[HourKey, list[int]] = defaultdict(list)
    for i, a in enumerate(m.arcs):
        per_need[a.need.key].append(i)
    for key, idx in per_need.items():
        if len(idx) > 1:
            m.model.add([(m.hours[i], 1.0) for i in idx], upper=m.open[key])


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
    for i, a in enumerate(m.arcs):
        m.model.cost[m.hours[i]] = hour_value(m.dataset.school[a.need.school_id], m.policy)
        m.model.cost[m.days[i]] = -per_km * (a.km or 0.0)


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


# ------------------------------------------------------------------ the weekdays
def assign_days(visits: list[tuple[Arc, int, int]], daily: int) -> list[tuple[Arc, Weekday, int]]:
    """One teacher's (arc, weekly hours, visit days) → (arc, day, hours): distinct days, each
    among the school's open days, the hours spread evenly (at most ``daily`` a day). Schools
    with the fewest open days choose first; a visit day finding no free day is dropped."""
    taken: set[Weekday] = set()
    out: list[tuple[Arc, Weekday, int]] = []
    order = sorted(visits, key=lambda v: (len(open_days(v[0].need)), v[0].need.school_id))
    for arc, hours, days in order:
        free = [d for d in open_days(arc.need) if d not in taken][:days]
        taken.update(free)
        left = min(hours, daily * len(free))
        for j, d in enumerate(free):
            share = -(-left // (len(free) - j))  # ceil: spread what is left over the days left
            out.append((arc, d, share))
            left -= share
    return [(a, d, h) for a, d, h in out if h > 0]


def plan_itinerant(
    dataset: Dataset,
    year: int,
    policy: Policy,
    moves: Mapping[str, str],
    options: SolveOptions | None = None,
    time_limit: float | None = None,
    should_stop: StopFn | None = None,
) -> ItinerantSchedule:
    """The year's 走教 schedule after the transfer plan's ``moves`` (empty without hour needs)."""
    t0 = time.perf_counter()
    options = options or SolveOptions()
    m = build_itinerant_model(dataset, year, policy, moves)
    visits: list[ItinerantVisit] = []
    status_name = "no_candidates"
    if m.arcs:
        limit = (
            time_limit
            if time_limit is not None
            else min(policy.itinerant_time_limit, max(1.0, options.time_limit / 2))
        )
        gap = max(options.relative_gap, policy.itinerant_gap)
        values = m.model.solve(limit, gap, options.seed, should_stop)
        status_name = m.model.status
        if values is not None:
            per_teacher: dict[str, list[tuple[Arc, int, int]]] = defaultdict(list)
            for i, a in enumerate(m.arcs):
                hours = round(values[m.hours[i]])
                if hours > 0:
                    days = min(hours, max(1, round(values[m.days[i]])))
                    per_teacher[a.teacher.teacher_id].append((a, hours, days))
            for tid in sorted(per_teacher):
                for a, d, h in assign_days(per_teacher[tid], policy.itinerant_max_daily_hours):
                    visits.append(
                        ItinerantVisit(
                            teacher_id=a.teacher.teacher_id,
                            name=a.teacher.name,
                            home_school_id=a.teacher.school_id,
                            school_id=a.need.school_id,
                            stage=a.need.stage,
                            subject=a.need.subject,
                            day=d,
                            hours=h,
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
