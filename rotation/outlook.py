"""The outlook: rolling a county forward one school year after its exchange plan.

``roll_forward(state, plan, policy, assumptions)`` applies year Y's plan and returns the
county as it stands at the start of year Y + 1. What happens, in this order:

1. **Exchange terms start.** Every teacher in the plan moves to the destination
   (``school_id`` becomes the receiving school) for ``start_year..end_year``; the home
   school is kept in the state's ``ExchangeRecord``. ``last_exchange_year`` is set to the
   term's end year at the start, so the cooldown rule keeps the teacher out of every
   plan until the term ends (and ``exchange_cooldown_years`` after it); the outlook also
   locks teachers on exchange to "stay" (``stay_locks``).
   **Leaders move.** The plan's principal exchange (校长交流) is carried out as
   ``rotation apply`` does it (``rotation.leader_moves``): a leader who leaves holds the
   post at the new school from Y (``school_id``, ``position``, ``post_start_year`` and
   ``school_start_year``), a vice-principal promoted in place is 校长 from Y, so the same
   leaders are not due again next year.
2. **Terms end.** An exchange whose ``end_year`` is Y ends: the teacher returns home,
   or stays at the destination (a share ``stay_after_term_share``, chosen by the seeded
   draw), in which case the destination becomes the teacher's school from the term's
   start year. Either way ``last_exchange_year`` is the end year. The post stays at home
   during the term, so ``school_start_year`` is not changed by a return.
3. **Promotions.** A promotion seeker (``seeks_promotion``) whose term at a receiving
   school ended this year has the rural service the senior title requires; a share
   ``promotion_share`` of them (the longest-serving first) is promoted to 高级
   (``senior``) and stops seeking.
4. **Tenure grows** by itself: eligibility counts ``year − school_start_year``.
5. **Retirements.** A teacher whose statutory retirement month (``rotation/retirement.py``:
   the 2025 reform by gender, birth month and post type, or the policy's fixed ages) falls
   by 1 September of Y + 1 leaves (an exchange in progress ends with the departure).
6. **New hires.** A share ``replace_leavers`` of the leavers is replaced by a new teacher
   at the leaver's home school, same stage and subject, aged ``hire_age``, degree
   ``hire_degree``, title 未定级, not a backbone teacher, starting in Y + 1.
7. **Enrolment** changes by ``rural_enrolment_growth`` for 农村 schools (the policy's
   ``rural_areas``, ``rotation/areas.py``: by default every school outside the county town
   and every 三所学校) and ``urban_enrolment_growth`` for the others, a year, rounded to
   whole students.
8. **Needs.** With ``needs="declared"`` the declared posts recur every year, less those
   held by exchange teachers whose term continues; with ``needs="derived"`` they are the
   shortages against the staffing norms (``rotation.staffing``) of the rolled roster.
   When the roster has no declared needs, "declared" falls back to "derived".
   The 走教 hour needs (``hours_needs.csv``) recur every year too, less a full load
   (``itinerant_full_load_hours``) for each exchange teacher of that stage and subject whose
   term continues there, as the declared posts do (``year_hour_needs``); each year's plan
   then schedules 走教 as ``rotation plan`` does.

The roster's teachers on exchange now (optional columns ``exchange_school_id`` and
``exchange_end_year``) start on exchange: they teach at the exchange school, are locked
to stay, and return home at the end of their term (``OutlookState.start``).
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from rotation.areas import is_rural
from rotation.enums import Area, BackboneLevel, Degree, ExchangeForm, Stage, Subject, Title
from rotation.exchange_forms import serves_rural_or_weak
from rotation.indicators import EVALUATED_STAGES, INDICATORS, county_indicators, cv_limit, target
from rotation.itinerant import hours_left
from rotation.leader_moves import LeadersRolled, leaders_moved_by_teacher_plan, roll_leaders
from rotation.locks import Lock, LockKind, Locks
from rotation.models import Dataset, HourNeed, Need, School, Teacher
from rotation.plan import Plan
from rotation.policy import Policy
from rotation.retirement import retired_by, teacher_retirement
from rotation.roles import school_role
from rotation.standard_2017 import first_year_holding


def _halves(description: str) -> tuple[str, str, str]:
    """``中文 / English`` → (中文, "/", English); a ``）/`` join counts as well."""
    parts = re.split(r"\s*/\s+", description, maxsplit=1)
    return (parts[0], "/", parts[1]) if len(parts) == 2 else (description, "", "")


class OutlookAssumptions(BaseModel):
    """Every assumption about the future, a documented parameter (``--assume key=value``)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    stay_after_term_share: float = Field(
        0.0, ge=0, le=1, description="期满后留在交流学校的比例 / share staying at the destination after the term"
    )
    promotion_share: float = Field(
        1.0, ge=0, le=1, description="完成农村任教的评职教师晋升高级的比例 / share of title seekers with rural service promoted to senior"
    )
    replace_leavers: float = Field(
        1.0, ge=0, le=5, description="每名退休教师补充新教师人数 / new hires per leaver"
    )
    hire_age: int = Field(23, ge=18, le=40, description="新教师年龄 / age of a new hire")
    hire_degree: Degree = Field(Degree.BACHELOR, description="新教师学历 / degree of a new hire")
    urban_enrolment_growth: float = Field(
        0.0, ge=-0.5, le=0.5, description="非农村学校年招生增长率 / enrolment growth of the other schools"
    )
    rural_enrolment_growth: float = Field(
        0.0, ge=-0.5, le=0.5, description="农村学校（见 rural_areas）年招生增长率 / enrolment growth of the rural schools (see rural_areas)"
    )
    needs: Literal["declared", "derived"] = Field(
        "declared", description="每年岗位需求：沿用申报（declared）或按编制测算（derived）/ needs each year: as declared, or derived from the norms"
    )
    seed: int = Field(1, ge=0, description="随机种子 / seed of the stay-after-term draw")

    @classmethod
    def describe(cls) -> list[tuple[str, str, str, str]]:
        """Each key: (key, default, meaning in Chinese, meaning in English)."""
        rows = []
        for key, field in cls.model_fields.items():
            zh, _, en = _halves(field.description or "")
            default = field.default.value if isinstance(field.default, Degree) else field.default
            rows.append((key, str(default), zh, en or zh))
        return rows

    @classmethod
    def keys_text(cls, lang: str = "zh") -> str:
        """``key (meaning)`` for every key, for an error that names what is allowed."""
        return ", ".join(
            f"{key} ({en if lang == 'en' else zh})" for key, _, zh, en in cls.describe()
        )

    @classmethod
    def from_items(cls, items: list[str]) -> OutlookAssumptions:
        """``key=value`` items (``--assume``) → assumptions, validated: an unknown key or an
        unusable value raises ``ValueError`` naming it and what is allowed, in Chinese and
        English."""
        data: dict[str, Any] = {}
        for item in items:
            if "=" not in item:
                raise ValueError(
                    f"假设须为 key=value 形式：{item!r} / an assumption must be key=value: {item!r}"
                )
            key, value = (p.strip() for p in item.split("=", 1))
            if key not in cls.model_fields:
                raise ValueError(
                    f"未知的假设参数 {key!r}；可用：{cls.keys_text('zh')} / unknown assumption "
                    f"{key!r}; known: {cls.keys_text('en')}"
                )
            data[key] = value
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            parts_zh, parts_en = [], []
            for err in exc.errors():
                key = str(err["loc"][0]) if err["loc"] else ""
                field = cls.model_fields.get(key)
                zh, _, en = _halves((field.description if field else "") or "")
                got = data.get(key)
                parts_zh.append(f"{key}={got}（{zh}）不可用：{err['msg']}")
                parts_en.append(f"{key}={got} ({en or zh}) is not usable: {err['msg']}")
            raise ValueError("；".join(parts_zh) + " / " + "; ".join(parts_en)) from None


class ExchangeRecord(BaseModel):
    """A teacher on exchange: home and destination, and the term."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    home_school_id: str
    dest_school_id: str
    start_year: int
    end_year: int
    form: ExchangeForm = ExchangeForm.TRANSFER  # a 支教 always comes back at its end


class YearEvents(BaseModel):
    """What rolling one year changed (counts and who)."""

    model_config = ConfigDict(frozen=True)

    year: int = Field(description="the school year that ended")
    started: tuple[str, ...] = ()
    returned: tuple[str, ...] = ()
    stayed: tuple[str, ...] = ()
    promoted: tuple[str, ...] = ()
    retired: tuple[str, ...] = ()
    hired: tuple[str, ...] = ()
    support_started: tuple[str, ...] = ()  # 支教 begun this year (also in ``started``)
    support_back: tuple[str, ...] = ()  # 支教 ended: back at the home school next year
    shadowing: tuple[str, ...] = ()  # 跟岗学习 this year: back at the home school next year
    leaders: LeadersRolled = LeadersRolled()  # 校长交流: due and moved this year

    def counts(self) -> dict[str, int]:
        return {
            k: len(getattr(self, k))
            for k in (
                "started", "returned", "stayed", "promoted", "retired", "hired",
                "support_started", "support_back", "shadowing",
            )
        } | {
            "leaders_due": self.leaders.due,
            "leaders_moved": self.leaders.moved,
            "leaders_promoted_in_place": self.leaders.promoted_in_place,
        }  # fmt: skip


class OutlookState(BaseModel):
    """The county at the start of a school year, with who is on exchange."""

    model_config = ConfigDict(frozen=True)

    year: int
    dataset: Dataset
    exchanges: tuple[ExchangeRecord, ...] = ()
    base_needs: tuple[Need, ...] = Field((), description="the declared needs that recur")
    base_hour_needs: tuple[HourNeed, ...] = Field(
        (), description="the roster's 走教 hour needs, which recur (issue 18)"
    )

    @classmethod
    def start(cls, dataset: Dataset, year: int, term_years: int = 3) -> OutlookState:
        """The county at the start of ``year``, with the roster's exchanges in progress.

        A teacher whose ``exchange_school_id`` is set and whose term runs into ``year``
        teaches there (``school_id`` is the destination, as while rolling) and returns home
        at the end of ``exchange_end_year`` (this year when the end is blank); a term that
        ended before ``year`` only counts for the cooldown.
        """
        teachers: list[Teacher] = []
        exchanges: list[ExchangeRecord] = []
        for t in dataset.teachers:
            if t.exchange_school_id is None:
                teachers.append(t)
                continue
            home = t.model_copy(
                update={
                    "exchange_school_id": None,
                    "exchange_end_year": None,
                    "last_exchange_year": t.last_exchange_end,
                }
            )
            if not t.on_exchange_in(year):
                teachers.append(home)
                continue
            end = t.exchange_end_year if t.exchange_end_year is not None else year
            exchanges.append(
                ExchangeRecord(
                    teacher_id=t.teacher_id,
                    home_school_id=t.school_id,
                    dest_school_id=t.exchange_school_id,
                    start_year=min(year, end - term_years + 1),
                    end_year=end,
                )
            )
            teachers.append(
                home.model_copy(
                    update={"school_id": t.exchange_school_id, "last_exchange_year": end}
                )
            )
        rolled = Dataset.build(
            dataset.schools, teachers, dataset.needs, needs_declared=dataset.needs_declared,
            hour_needs=dataset.hour_needs,
        )  # fmt: skip
        return cls(
            year=year,
            dataset=rolled,
            exchanges=tuple(exchanges),
            base_needs=dataset.needs if dataset.needs_declared else (),
            base_hour_needs=dataset.hour_needs,
        )

    @property
    def on_exchange(self) -> dict[str, ExchangeRecord]:
        return {e.teacher_id: e for e in self.exchanges}

    def plan_dataset(self) -> Dataset:
        """The roster the year's plan reads: a teacher on exchange is away from the home post,
        so gives no 走教 hours (the state keeps them at the destination, where the roster's
        exchange columns, which ``rotation.itinerant.home_post_problem`` reads, are blank)."""
        ds = self.dataset
        away = self.on_exchange
        if not away or not ds.hour_needs:
            return ds
        teachers = [
            t.model_copy(update={"itinerant_hours": 0}) if t.teacher_id in away else t
            for t in ds.teachers
        ]
        return Dataset.build(
            ds.schools, teachers, ds.needs, needs_declared=ds.needs_declared,
            absent_columns=ds.absent_columns, hour_needs=ds.hour_needs,
        )  # fmt: skip

    def stay_locks(self) -> Locks:
        """Teachers on exchange are not moved again while their term runs."""
        return Locks(
            items=tuple(
                Lock(kind=LockKind.STAY, teacher_id=e.teacher_id, note="交流期内 / on exchange")
                for e in self.exchanges
            )
        )


def roll_forward(
    state: OutlookState, plan: Plan, policy: Policy, assumptions: OutlookAssumptions
) -> tuple[OutlookState, YearEvents]:
    """Apply the year's plan and age the county by one year (see the module's steps)."""
    year, ds = state.year, state.dataset
    if plan.year != year:
        raise ValueError(f"方案年度 {plan.year} 与推演年度 {year} 不符 / plan year mismatch")
    teachers: dict[str, Teacher] = {t.teacher_id: t for t in ds.teachers}
    exchanges: dict[str, ExchangeRecord] = dict(state.on_exchange)
    rng = random.Random(assumptions.seed * 10_007 + year)

    # 1. terms start
    started: list[str] = []
    for a in sorted(plan.assignments, key=lambda a: a.teacher_id):
        if a.teacher_id in exchanges:
            raise ValueError(f"教师 {a.teacher_id} 已在交流期内 / teacher already on exchange")
        t = teachers[a.teacher_id]
        exchanges[a.teacher_id] = ExchangeRecord(
            teacher_id=t.teacher_id,
            home_school_id=t.school_id,
            dest_school_id=a.to_school_id,
            start_year=a.start_year,
            end_year=a.end_year,
            form=a.form,
        )
        teachers[t.teacher_id] = t.model_copy(
            update={"school_id": a.to_school_id, "last_exchange_year": a.end_year}
        )
        started.append(t.teacher_id)
    leaving = leaders_moved_by_teacher_plan(ds, started, policy)
    teachers, leaders = roll_leaders(ds, teachers, plan.principals, year, policy, left_post=leaving)
    for p in plan.shadowing:  # 跟岗学习 done: the application is fulfilled (as rotation apply)
        if p.teacher_id in teachers:
            teachers[p.teacher_id] = teachers[p.teacher_id].model_copy(
                update={"seeks_shadowing": False}
            )

    # 2. terms end; 3. promotions after completed rural service
    returned: list[str] = []
    stayed: list[str] = []
    completed_service: list[str] = []
    ending = sorted(
        (e for e in exchanges.values() if e.end_year <= year), key=lambda e: e.teacher_id
    )
    support_back: list[str] = []
    for e in ending:
        t = teachers[e.teacher_id]
        del exchanges[e.teacher_id]
        if serves_rural_or_weak(ds.school[e.dest_school_id], policy):  # the title's service
            served = t.rural_service_years + e.end_year - e.start_year + 1
            t = t.model_copy(update={"rural_service_years": served})
        if e.form is ExchangeForm.SUPPORT:  # one year, then back: never stays
            t = t.model_copy(
                update={"school_id": e.home_school_id, "last_exchange_year": e.end_year}
            )
            returned.append(t.teacher_id)
            support_back.append(t.teacher_id)
        elif rng.random() < assumptions.stay_after_term_share:
            t = t.model_copy(
                update={"school_start_year": e.start_year, "last_exchange_year": e.end_year}
            )
            stayed.append(t.teacher_id)
        else:
            t = t.model_copy(
                update={"school_id": e.home_school_id, "last_exchange_year": e.end_year}
            )
            returned.append(t.teacher_id)
        teachers[t.teacher_id] = t
        if t.seeks_promotion and school_role(ds.school[e.dest_school_id]).receives:
            completed_service.append(t.teacher_id)
    seekers = sorted(completed_service, key=lambda i: (teachers[i].school_start_year, i))
    promoted = seekers[: math.floor(assumptions.promotion_share * len(seekers) + 1e-9)]
    for tid in promoted:
        t = teachers[tid]
        title = t.title if t.title.is_senior else Title.SENIOR
        teachers[tid] = t.model_copy(update={"title": title, "seeks_promotion": False})

    # 5. retirements; 6. new hires
    nxt = year + 1
    retired = sorted(
        tid for tid, t in teachers.items() if retired_by(teacher_retirement(t, policy), nxt)
    )
    hires: list[Teacher] = []
    owed = 0.0
    for tid in retired:
        t = teachers.pop(tid)
        home = exchanges.pop(tid).home_school_id if tid in exchanges else t.school_id
        owed += assumptions.replace_leavers
        while owed >= 1 - 1e-9:
            owed -= 1
            hires.append(_new_hire(t, home, nxt, len(hires) + 1, assumptions))
    for h in hires:
        teachers[h.teacher_id] = h

    # 7. enrolment
    schools = [_grow(s, assumptions, policy.rural_areas) for s in ds.schools]
    rolled = Dataset.build(schools, list(teachers.values()), (), needs_declared=ds.needs_declared)
    # 8. needs
    needs = year_needs(rolled, tuple(exchanges.values()), state.base_needs, assumptions)
    held = tuple(exchanges.values())
    hour_needs = year_hour_needs(rolled, held, state.base_hour_needs, policy)
    rolled = Dataset.build(
        rolled.schools, rolled.teachers, needs, needs_declared=ds.needs_declared,
        hour_needs=hour_needs,
    )  # fmt: skip
    events = YearEvents(
        year=year,
        started=tuple(started),
        returned=tuple(returned),
        stayed=tuple(stayed),
        promoted=tuple(promoted),
        retired=tuple(retired),
        hired=tuple(h.teacher_id for h in hires),
        support_started=tuple(
            a.teacher_id for a in plan.assignments if a.form is ExchangeForm.SUPPORT
        ),
        support_back=tuple(support_back),
        shadowing=tuple(p.teacher_id for p in plan.shadowing),
        leaders=leaders,
    )
    new_state = OutlookState(
        year=nxt,
        dataset=rolled,
        exchanges=tuple(sorted(exchanges.values(), key=lambda e: e.teacher_id)),
        base_needs=state.base_needs,
        base_hour_needs=state.base_hour_needs,
    )
    return new_state, events


def _new_hire(leaver: Teacher, school_id: str, year: int, n: int, a: OutlookAssumptions) -> Teacher:
    return Teacher(
        teacher_id=f"NEW{year}-{n:04d}",
        name=f"新教师{year}-{n:04d}",
        gender=leaver.gender,
        birth_date=date(year - a.hire_age, 9, 1),
        school_id=school_id,
        stage=leaver.stage,
        subject=leaver.subject,
        title=Title.NONE,
        backbone=BackboneLevel.NONE,
        school_start_year=year,
        degree=a.hire_degree,
    )


def _grow(school: School, a: OutlookAssumptions, rural_areas: tuple[Area, ...]) -> School:
    rate = a.rural_enrolment_growth if is_rural(school, rural_areas) else a.urban_enrolment_growth
    if rate == 0:
        return school
    return school.model_copy(update={"students": max(0, round(school.students * (1 + rate)))})


def year_needs(
    dataset: Dataset,
    exchanges: tuple[ExchangeRecord, ...],
    base_needs: tuple[Need, ...],
    assumptions: OutlookAssumptions,
) -> list[Need]:
    """The posts open to exchange teachers in the coming year (see step 8)."""
    if assumptions.needs == "derived" or not base_needs:
        from rotation.staffing import derived_needs

        return derived_needs(dataset)
    held: Counter[tuple[str, str, str]] = Counter()
    for e in exchanges:
        t = dataset.teacher.get(e.teacher_id)
        if t is not None:
            held[(e.dest_school_id, t.stage.value, t.subject.value)] += 1
    out = []
    for n in base_needs:
        left = n.count - held[(n.school_id, n.stage.value, n.subject.value)]
        if left > 0:
            out.append(n.model_copy(update={"count": left}))
    return out


def year_hour_needs(
    dataset: Dataset,
    exchanges: tuple[ExchangeRecord, ...],
    base: tuple[HourNeed, ...],
    policy: Policy,
) -> list[HourNeed]:
    """The 走教 hour needs of the coming year (see step 8): the roster's, less a full load
    for each exchange teacher of that stage and subject whose term continues at the school."""
    held: Counter[tuple[str, Stage, Subject]] = Counter()
    for e in exchanges:
        t = dataset.teacher.get(e.teacher_id)
        if t is not None:
            held[(e.dest_school_id, t.stage, t.subject)] += 1
    return hours_left(base, held, policy)


# ------------------------------------------------------------------ figures
def indicator_snapshot(dataset: Dataset, policy: Policy) -> dict[str, Any]:
    """The three indicators, county-wide (mean, CV, limit) and school by school."""
    ci = county_indicators(dataset, policy)
    county = [
        {
            "stage": stage.value,
            "indicator": k,
            "mean": round(ci.mean[(stage, k)], 4),
            "cv": round(ci.cv[(stage, k)], 4),
            "limit": cv_limit(policy, stage),
            "cv_met": ci.cv_met[(stage, k)],
            "target": target(policy, stage, k),
            "schools_below": sum(1 for r in ci.schools if r.stage is stage and not r.met[k]),
        }
        for stage in EVALUATED_STAGES
        for k in INDICATORS
    ]
    schools = [
        {
            "school_id": r.school_id,
            "stage": r.stage.value,
            "indicator": k,
            "value": round(r.values[k], 4),
            "target": target(policy, r.stage, k),
            "met": r.met[k],
        }
        for r in ci.schools
        for k in INDICATORS
    ]
    return {
        "county": county,
        "schools": schools,
        "cv_met_all": bool(ci.cv_met) and all(ci.cv_met.values()),
    }


def first_year_meeting_standard(years: list[dict[str, Any]]) -> int | None:
    """The first year from which the teacher part of the 2017 standard (``rotation.standard_2017``)
    holds after that year's plan and keeps holding in every later year of the outlook."""
    return first_year_holding(years)
