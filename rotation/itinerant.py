"""走教: a town or central-school teacher teaches weekly hours at village schools, keeping the post.

The 2014 opinion and county practice name 走教 beside the transfer (交流): a music, art, PE,
English or IT teacher of a central school (中心小学) or a town school gives a few hours a week
at several village schools and 教学点 that cannot use a whole teacher. The schools state
their need in weekly hours (``hours_needs.csv``, 课时需求); the bureau's policy bounds each
teacher's weekly 走教 hours, schools and travel (``Policy.itinerant_*``).

This module is the domain side, solver-free: who may 走教 (``home_post_problem``), how far
(``travel_km``, ``within_travel``), what is left of each hour need once the transfer plan's
teachers arrived (``remaining_hours``), the schedule's records, its figures, and how a
走教 teacher counts for the 2017 PE/arts indicator (``arts_pe_below``).

Indicator reading (``Policy.itinerant_reading``): the 2017 method counts a school's PE and
arts 专任教师 per 100 students, i.e. the teachers on its staff; a 走教 teacher keeps the post
at the home school, so under the default reading ``staff`` the schools served gain nothing
and the home school keeps the teacher. A county whose provincial rules let 走教 count may
choose ``hours_fraction``: weekly 走教 hours ÷ a full load (``itinerant_full_load_hours``)
counts at the school served. Every report gives the figure under both readings and says
which one the policy counts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import ItinerantReading, Priority, Stage, Subject, Weekday
from rotation.indicators import ARTS_PE_SUBJECTS, county_indicators, target
from rotation.models import Dataset, HourNeed, School, Teacher
from rotation.policy import Policy

WEEKDAYS: tuple[Weekday, ...] = tuple(Weekday)
HourKey = tuple[str, Stage, Subject]


class ItinerantVisit(BaseModel):
    """One day's 走教: a teacher at a school for some hours (a row of itinerant_schedule.csv)."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    home_school_id: str
    school_id: str
    stage: Stage
    subject: Subject
    day: Weekday
    hours: int = Field(ge=1)
    distance_km: float | None = None
    stated_weekly_hours: int | None = Field(
        None, exclude=True, description="the file's weekly_hours, read back for a warning"
    )

    @property
    def need_key(self) -> HourKey:
        return (self.school_id, self.stage, self.subject)


class OpenHours(BaseModel):
    """An hour need's standing after the transfer plan and the 走教 schedule."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    school_name: str
    stage: Stage
    subject: Subject
    hours: int  # declared weekly hours
    by_transfer: int  # covered by teachers the transfer plan sends there
    by_itinerant: int  # covered by 走教

    @property
    def open(self) -> int:
        return max(0, self.hours - self.by_transfer - self.by_itinerant)


class ItinerantFigures(BaseModel):
    """What the schedule achieves, as the summary, the workbook and the API report it."""

    model_config = ConfigDict(frozen=True)

    hours_needed: int = 0  # declared weekly hours
    hours_by_transfer: int = 0  # covered by the transfer plan's teachers
    hours_covered: int = 0  # covered by 走教
    hours_open: int = 0
    teachers: int = 0  # 走教 teachers
    schools_served: int = 0
    schools_with_needs: int = 0
    visits: int = 0  # teacher-days
    total_km: float = 0.0  # one way, per visit day, summed
    reading: ItinerantReading = ItinerantReading.STAFF
    primary_arts_pe_schools: int = 0  # primary school parts evaluated
    arts_pe_below_before: int = 0  # roster as it is
    arts_pe_below_after_plan: int = 0  # after the transfer plan
    arts_pe_below_with_itinerant: int = 0  # after the plan, 走教 counted as hours ÷ full load
    arts_pe_below_counted: int = 0  # under the policy's reading
    status: str = ""
    seconds: float = 0.0


class ItinerantSchedule(BaseModel):
    """The year's 走教 schedule: every visit, every hour need's standing, the figures."""

    model_config = ConfigDict(frozen=True)

    year: int
    visits: tuple[ItinerantVisit, ...] = ()
    needs: tuple[OpenHours, ...] = ()
    figures: ItinerantFigures = Field(default_factory=ItinerantFigures)

    def weekly_hours(self) -> dict[tuple[str, str, Subject], int]:
        """(teacher, school, subject) → weekly hours."""
        out: dict[tuple[str, str, Subject], int] = defaultdict(int)
        for v in self.visits:
            out[(v.teacher_id, v.school_id, v.subject)] += v.hours
        return dict(out)

    def summary_zh(self) -> str:
        f = self.figures
        return (
            f"走教：课时需求 {f.hours_needed} 节/周，交流教师承担 {f.hours_by_transfer} 节，"
            f"走教安排 {f.hours_covered} 节（{f.teachers} 名教师，服务 {f.schools_served} 所学校），"
            f"仍缺 {f.hours_open} 节；小学体育艺术教师指标未达标学校 {f.arts_pe_below_after_plan} 所"
            f"（按课时折算计入走教为 {f.arts_pe_below_with_itinerant} 所；"
            f"本方案口径：{f.reading.label_zh}）"
        )

    def summary_en(self) -> str:
        f = self.figures
        return (
            f"Itinerant teaching: {f.hours_needed} weekly hours needed, {f.hours_by_transfer} covered by "
            f"transfers, {f.hours_covered} by itinerant teachers ({f.teachers} teachers, {f.schools_served} "
            f"schools), {f.hours_open} open; primary schools below the PE/arts indicator "
            f"{f.arts_pe_below_after_plan} ({f.arts_pe_below_with_itinerant} counting itinerant hours "
            f"as a fraction; reading used: {f.reading.value})"
        )


# ------------------------------------------------------------------ who, where, how much
def hours_left(
    hour_needs: Sequence[HourNeed],
    held: Mapping[tuple[str, Stage, Subject], int],
    policy: Policy,
) -> list[HourNeed]:
    """Next year's 走教 hour needs: each need less a full load (``itinerant_full_load_hours``)
    for every exchange teacher of its stage and subject whose term goes on at its school
    (``held``: by school, stage and subject); needs fully covered are gone."""
    out = []
    for h in hour_needs:
        left = h.hours - held.get(h.key, 0) * policy.itinerant_full_load_hours
        if left > 0:
            out.append(h.model_copy(update={"hours": left}))
    return out


def is_home_school(school: School, policy: Policy) -> bool:
    """A school a 走教 teacher may be based at: in 城镇 (``urban_areas``) or a 中心小学."""
    return school.area in policy.urban_areas or school.priority is Priority.CENTRAL_PRIMARY


def home_post_problem(
    teacher: Teacher, dataset: Dataset, year: int, policy: Policy, moved: Mapping[str, str]
) -> str | None:
    """Why ``teacher`` may not 走教 this year (Chinese), or None when they may."""
    if teacher.teacher_id in moved:
        return "本年已列入交流名单，不在原岗位"
    if teacher.on_exchange_in(year):
        return "正在交流期内，不在原岗位"
    if teacher.exempt:
        return f"免交流（{teacher.exempt}）"
    if not is_home_school(dataset.school[teacher.school_id], policy):
        return "所在学校不是城镇学校或乡镇中心小学"
    if teacher.subject not in policy.itinerant_subjects:
        return f"任教学科（{teacher.subject.label_zh}）不在走教学科之列"
    if teacher_hour_limit(teacher, policy) <= 0:
        return "无可走教课时"
    return None


def teacher_hour_limit(teacher: Teacher, policy: Policy) -> int:
    """Weekly 走教 hours the teacher may give: the policy's limit, less when the roster
    states fewer (``itinerant_hours``; blank = the policy's limit)."""
    limit = policy.itinerant_max_weekly_hours
    return limit if teacher.itinerant_hours is None else min(limit, teacher.itinerant_hours)


def travel_km(dataset: Dataset, home: str, school: str) -> float | None:
    return dataset.distance_km(home, school)


def within_travel(dataset: Dataset, home: str, school: str, policy: Policy) -> bool:
    """Within ``itinerant_max_km``; without coordinates, only within the same town."""
    if policy.itinerant_max_km is None:
        return True
    km = travel_km(dataset, home, school)
    if km is None:
        a, b = dataset.school[home], dataset.school[school]
        return bool(a.town) and a.town == b.town
    return km <= policy.itinerant_max_km + 1e-9


def open_days(need: HourNeed) -> tuple[Weekday, ...]:
    """The days the school takes visits: those it stated, else Monday to Friday."""
    return need.days or WEEKDAYS


def remaining_hours(
    dataset: Dataset, moves: Mapping[str, str], policy: Policy
) -> dict[HourKey, tuple[int, int]]:
    """Each hour need → (declared hours, hours the transfer plan's teachers cover there):
    a teacher the plan sends to the school in that stage and subject covers a full load."""
    arriving: dict[HourKey, int] = defaultdict(int)
    for tid, school_id in moves.items():
        t = dataset.teacher[tid]
        arriving[(school_id, t.stage, t.subject)] += 1
    return {
        h.key: (h.hours, min(h.hours, arriving[h.key] * policy.itinerant_full_load_hours))
        for h in dataset.hour_needs
    }


def hour_value(school: School, policy: Policy) -> float:
    """Objective value of one weekly hour at ``school``: a filled need's worth in the
    transfer plan (with the 三所学校 / weak / rural extras), per hour of a full load."""
    w = policy.weights
    value = w.fill_need
    if school.priority is not None:
        value += w.priority_school
    if school.weak:
        value += w.weak_school
    if school.area in policy.rural_areas:
        value += w.rural_school
    return value / policy.itinerant_full_load_hours


# ------------------------------------------------------------------ the PE/arts indicator
def arts_pe_below(
    dataset: Dataset,
    policy: Policy,
    moves: Mapping[str, str] | None = None,
    visits: Sequence[ItinerantVisit] = (),
) -> tuple[int, int]:
    """(primary school parts evaluated, those below the PE/arts target), after ``moves``,
    with ``visits`` counted as weekly hours ÷ full load at the schools served."""
    ind = county_indicators(dataset, policy, moves)
    extra: dict[str, float] = defaultdict(float)
    for v in visits:
        if v.subject in ARTS_PE_SUBJECTS and v.stage is Stage.PRIMARY:
            extra[v.school_id] += v.hours / policy.itinerant_full_load_hours
    parts = [s for s in ind.schools if s.stage is Stage.PRIMARY]
    goal = target(policy, Stage.PRIMARY, "arts_pe")
    below = sum(
        1
        for s in parts
        if s.values["arts_pe"] + 100.0 * extra[s.school_id] / s.students < goal - 1e-9
    )
    return len(parts), below


def schedule_figures(
    dataset: Dataset,
    policy: Policy,
    moves: Mapping[str, str],
    visits: Sequence[ItinerantVisit],
    needs: Sequence[OpenHours],
    *,
    status: str = "",
    seconds: float = 0.0,
) -> ItinerantFigures:
    total, before = arts_pe_below(dataset, policy)
    _, after_plan = arts_pe_below(dataset, policy, moves)
    _, with_itinerant = arts_pe_below(dataset, policy, moves, visits)
    counted = (
        with_itinerant
        if policy.itinerant_reading is ItinerantReading.HOURS_FRACTION
        else after_plan
    )
    return ItinerantFigures(
        hours_needed=sum(n.hours for n in needs),
        hours_by_transfer=sum(n.by_transfer for n in needs),
        hours_covered=sum(v.hours for v in visits),
        hours_open=sum(n.open for n in needs),
        teachers=len({v.teacher_id for v in visits}),
        schools_served=len({v.school_id for v in visits}),
        schools_with_needs=len({n.school_id for n in needs}),
        visits=len(visits),
        total_km=round(sum(v.distance_km or 0.0 for v in visits), 1),
        reading=policy.itinerant_reading,
        primary_arts_pe_schools=total,
        arts_pe_below_before=before,
        arts_pe_below_after_plan=after_plan,
        arts_pe_below_with_itinerant=with_itinerant,
        arts_pe_below_counted=counted,
        status=status,
        seconds=round(seconds, 3),
    )


def open_hours(
    dataset: Dataset, policy: Policy, moves: Mapping[str, str], visits: Sequence[ItinerantVisit]
) -> tuple[OpenHours, ...]:
    """Every hour need with what the transfer plan and the visits cover."""
    base = remaining_hours(dataset, moves, policy)
    by_visits: dict[HourKey, int] = defaultdict(int)
    for v in visits:
        by_visits[v.need_key] += v.hours
    return tuple(
        OpenHours(
            school_id=h.school_id,
            school_name=dataset.school[h.school_id].name,
            stage=h.stage,
            subject=h.subject,
            hours=h.hours,
            by_transfer=base[h.key][1],
            by_itinerant=by_visits[h.key],
        )
        for h in dataset.hour_needs
    )


def in_file_order(visits: Sequence[ItinerantVisit]) -> list[ItinerantVisit]:
    """The order of itinerant_schedule.csv: by teacher, then day, then school."""
    days = {d: i for i, d in enumerate(WEEKDAYS)}
    return sorted(visits, key=lambda v: (v.teacher_id, days[v.day], v.school_id, v.subject))
