"""The plan's forms of exchange besides the transfer, as the console reads them: the principal
exchange (every leader moved, promoted in place, or not moved and why), the 走教 schedule
per teacher with the hour needs covered and left, and the 跟岗学习 placements with the move
that covers each. School names are filled in here so that the page computes nothing."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from pydantic import BaseModel, Field

from api.personal import public_reason
from api.schemas import Page
from rotation.enums import Position, SchoolStage, ShadowingTerm, Stage, Subject, Weekday
from rotation.exchange_forms import ShadowingPlacement, shadowing_applicant, shadowing_covers
from rotation.itinerant import ItinerantFigures, ItinerantSchedule, ItinerantVisit
from rotation.models import Dataset
from rotation.plan import Assignment
from rotation.policy import Policy
from rotation.principals import LeaderMove, PrincipalExchange, leader_table


# ------------------------------------------------------------------ 校长交流
class LeaderMoveRow(BaseModel):
    teacher_id: str
    name: str
    position: Position
    new_position: Position
    kind: LeaderMove
    from_school_id: str
    from_school: str
    to_school_id: str
    to_school: str
    school_stage: SchoolStage
    years_in_post: int | None
    start_year: int
    end_year: int
    distance_km: float | None
    reasons: str


class LeaderStayRow(BaseModel):
    """A principal or vice-principal the plan does not move to another school, and why."""

    teacher_id: str
    name: str
    position: Position
    school_id: str
    school: str
    years_in_post: int | None
    due: bool = Field(description="任职期满 / past the terms that make a leader due")
    reason_zh: str
    reason_en: str


class LeaderVacancyRow(BaseModel):
    school_id: str
    school: str
    reason_zh: str
    reason_en: str


class PlanLeaders(BaseModel):
    """校长交流 as the console shows it."""

    principals: int
    vice_principals: int
    due: int
    required: int
    moved: int
    promoted_in_place: int
    met: bool
    counts_toward_teacher_quota: bool
    headline_zh: str
    headline_en: str
    moves: list[LeaderMoveRow] = Field(description="交流与本校提任 / moves and promotions in place")
    stays: list[LeaderStayRow] = Field(
        description="未交流的校长、副校长，期满的在前，各有原因 / every leader not moved, why"
    )
    vacancies: list[LeaderVacancyRow] = Field(description="交流后缺校长的学校 / left without one")


def _school(dataset: Dataset, school_id: str) -> str:
    s = dataset.school.get(school_id)
    return s.name if s is not None else school_id


def plan_leaders(
    exchange: PrincipalExchange,
    dataset: Dataset,
    year: int,
    policy: Policy,
    *,
    personal: bool,
) -> PlanLeaders:
    """``personal``: the caller may read retirement months (an officer)."""
    leaving = {m.teacher_id for m in exchange.moves if m.kind.leaves_school}
    stays = [
        LeaderStayRow(
            teacher_id=n.teacher_id,
            name=n.name,
            position=n.position,
            school_id=n.school_id,
            school=_school(dataset, n.school_id),
            years_in_post=n.years_in_post,
            due=True,
            reason_zh=n.reason_zh,
            reason_en=n.reason_en,
        )
        for n in exchange.not_moved
    ]
    told = {r.teacher_id for r in stays} | leaving
    for status in leader_table(dataset, year, policy).values():
        t = status.teacher
        if t.teacher_id in told or status.due:
            continue
        stays.append(
            LeaderStayRow(
                teacher_id=t.teacher_id,
                name=t.name,
                position=t.position,
                school_id=t.school_id,
                school=_school(dataset, t.school_id),
                years_in_post=status.years_in_post,
                due=False,
                reason_zh="未到交流期：" + status.reason_text,
                reason_en="not due: " + status.reason_text_en,
            )
        )
    if not personal:
        stays = [
            r.model_copy(
                update={
                    "reason_zh": public_reason(r.reason_zh),
                    "reason_en": public_reason(r.reason_en),
                }
            )
            for r in stays
        ]
    stays.sort(key=lambda r: (not r.due, r.school_id, r.teacher_id))
    return PlanLeaders(
        principals=exchange.principals,
        vice_principals=exchange.vice_principals,
        due=exchange.due,
        required=exchange.required,
        moved=exchange.moved,
        promoted_in_place=exchange.promoted_in_place,
        met=exchange.met,
        counts_toward_teacher_quota=exchange.counts_toward_teacher_quota,
        headline_zh=exchange.headline_zh(),
        headline_en=exchange.headline_en(),
        moves=[
            LeaderMoveRow(
                **m.model_dump(exclude={"position", "new_position", "kind", "school_stage"}),
                position=m.position,
                new_position=m.new_position,
                kind=m.kind,
                school_stage=m.school_stage,
                from_school=_school(dataset, m.from_school_id),
                to_school=_school(dataset, m.to_school_id),
            )
            for m in exchange.moves
        ],
        stays=stays,
        vacancies=[
            LeaderVacancyRow(
                school_id=v.school_id, school=v.name, reason_zh=v.reason_zh, reason_en=v.reason_en
            )
            for v in exchange.vacancies
        ],
    )


# ------------------------------------------------------------------ 走教
class ItinerantDay(BaseModel):
    """One day of a teacher's week: where, how many hours."""

    day: Weekday
    school_id: str
    school: str
    hours: int
    distance_km: float | None


class ItinerantTeacher(BaseModel):
    """A 走教 teacher's week."""

    teacher_id: str
    name: str
    home_school_id: str
    home_school: str
    stage: Stage
    subject: Subject
    weekly_hours: int
    schools: int = Field(description="走教学校数 / schools served")
    days: list[ItinerantDay] = Field(description="按星期排列 / Monday to Friday")


class HourNeedRow(BaseModel):
    """A school's weekly hour need: covered by transfers, by 走教, and what is left."""

    school_id: str
    school: str
    stage: Stage
    subject: Subject
    hours: int
    by_transfer: int
    by_itinerant: int
    open: int


class PlanItinerant(BaseModel):
    """走教 as the console shows it: the figures, the teachers' weeks (paged), every need."""

    year: int
    figures: ItinerantFigures
    summary_zh: str
    summary_en: str
    teachers: Page[ItinerantTeacher]
    needs: list[HourNeedRow] = Field(description="每所学校每学科的课时需求 / every hour need")
    needs_open: int = Field(description="仍有缺口的需求数 / needs with hours left")


def _weeks(schedule: ItinerantSchedule) -> dict[str, list[ItinerantVisit]]:
    """Each 走教 teacher's visits, by teacher_id, the days in weekday order."""
    order = {d: k for k, d in enumerate(Weekday)}
    visits: dict[str, list[ItinerantVisit]] = defaultdict(list)
    for v in schedule.visits:
        visits[v.teacher_id].append(v)
    return {
        tid: sorted(visits[tid], key=lambda v: (order[v.day], v.school_id))
        for tid in sorted(visits)
    }


def _matches(q: str, week: list[ItinerantVisit], dataset: Dataset) -> bool:
    """``q`` is the teacher's id or part of the name, or a school's id or part of its name
    (the home school or one served)."""
    first = week[0]
    if q == first.teacher_id or q in first.name:
        return True
    schools = {first.home_school_id} | {v.school_id for v in week}
    return any(q == sid or q in _school(dataset, sid) for sid in schools)


def _teacher_row(week: list[ItinerantVisit], dataset: Dataset) -> ItinerantTeacher:
    first = week[0]
    return ItinerantTeacher(
        teacher_id=first.teacher_id,
        name=first.name,
        home_school_id=first.home_school_id,
        home_school=_school(dataset, first.home_school_id),
        stage=first.stage,
        subject=first.subject,
        weekly_hours=sum(v.hours for v in week),
        schools=len({v.school_id for v in week}),
        days=[
            ItinerantDay(
                day=v.day,
                school_id=v.school_id,
                school=_school(dataset, v.school_id),
                hours=v.hours,
                distance_km=v.distance_km,
            )
            for v in week
        ],
    )


@dataclass(frozen=True)
class ItinerantStore:
    """What every page of a plan's 走教 reading shares (kept while the plan is read)."""

    schedule: ItinerantSchedule
    dataset: Dataset
    weeks: tuple[list[ItinerantVisit], ...]
    needs: tuple[HourNeedRow, ...]


def itinerant_store(schedule: ItinerantSchedule, dataset: Dataset) -> ItinerantStore:
    needs = tuple(
        HourNeedRow(
            school_id=n.school_id,
            school=n.school_name,
            stage=n.stage,
            subject=n.subject,
            hours=n.hours,
            by_transfer=n.by_transfer,
            by_itinerant=n.by_itinerant,
            open=n.open,
        )
        for n in schedule.needs
    )
    return ItinerantStore(schedule, dataset, tuple(_weeks(schedule).values()), needs)


def plan_itinerant(
    store: ItinerantStore,
    *,
    q: str | None = None,
    offset: int = 0,
    limit: int = 50,
) -> PlanItinerant:
    """One page of teachers (by teacher_id; ``q``: see ``_matches``) and every hour need."""
    weeks = [w for w in store.weeks if _matches(q, w, store.dataset)] if q else store.weeks
    schedule = store.schedule
    return PlanItinerant(
        year=schedule.year,
        figures=schedule.figures,
        summary_zh=schedule.summary_zh(),
        summary_en=schedule.summary_en(),
        teachers=Page[ItinerantTeacher](
            total=len(weeks),
            offset=offset,
            limit=limit,
            items=[_teacher_row(w, store.dataset) for w in weeks[offset : offset + limit]],
        ),
        needs=list(store.needs),
        needs_open=sum(n.open > 0 for n in store.needs),
    )


# ------------------------------------------------------------------ 跟岗学习
class ShadowingRow(BaseModel):
    """A 跟岗学习 placement and the move that keeps the home school's post filled."""

    teacher_id: str
    name: str
    from_school_id: str
    from_school: str
    host_school_id: str
    host_school: str
    stage: Stage
    subject: Subject
    term: ShadowingTerm
    distance_km: float | None
    reasons: str
    cover_teacher_id: str | None = Field(description="补位的交流教师 / the teacher who covers")
    cover_name: str | None
    cover_from_school: str | None = Field(description="补位教师的原校 / where the cover comes from")


class PlanShadowing(BaseModel):
    applicants: int = Field(description="申请跟岗学习的教师 / teachers who asked for it")
    placed: int
    placements: list[ShadowingRow]


def plan_shadowing(
    placements: tuple[ShadowingPlacement, ...],
    moves: list[Assignment],
    dataset: Dataset,
) -> PlanShadowing:
    covers = shadowing_covers(placements, moves)
    rows = []
    for p in sorted(placements, key=lambda p: p.teacher_id):
        cover = covers.get(p.teacher_id)
        rows.append(
            ShadowingRow(
                teacher_id=p.teacher_id,
                name=p.name,
                from_school_id=p.from_school_id,
                from_school=_school(dataset, p.from_school_id),
                host_school_id=p.host_school_id,
                host_school=_school(dataset, p.host_school_id),
                stage=p.stage,
                subject=p.subject,
                term=p.term,
                distance_km=p.distance_km,
                reasons=p.reasons,
                cover_teacher_id=cover.teacher_id if cover else None,
                cover_name=cover.name if cover else None,
                cover_from_school=_school(dataset, cover.from_school_id) if cover else None,
            )
        )
    return PlanShadowing(
        applicants=sum(shadowing_applicant(t, dataset) for t in dataset.teachers),
        placed=len(rows),
        placements=rows,
    )
