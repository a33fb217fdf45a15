"""Principals and vice-principals (校长交流): who is due, and the plan's leadership moves.

The 2014 opinion (教师〔2014〕4号): 校长、副校长在同一所学校连续任职满两届后，原则上应交流轮岗.
A term (届) is set locally: ``policy.principal_term_years`` (3 by default; some counties
use 5 or 6), and ``policy.principal_terms`` full terms (2) make a principal or
vice-principal due (任职期满). Continuous service at the school counts from the later of
the year the post began (``post_start_year``) and the year the teacher came to the school
(``school_start_year``): a post held elsewhere before does not count here.

Who is due is decided here, solver-free; which school each one goes to is the solver's
(``solver/principal_exchange.py``); whether the result keeps the rules is the checker's
(``rotation/principal_checks.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import LabelledEnum, Position, Role, SchoolStage
from rotation.models import Dataset, School, Teacher
from rotation.policy import Policy
from rotation.retirement import teacher_retirement, within_window
from rotation.roles import school_role


class LeaderMove(LabelledEnum):
    """What a leadership move does (a row of principal_exchanges.csv)."""

    PRINCIPAL = "principal", "校长交流"
    VICE_PRINCIPAL = "vice_principal", "副校长交流"
    PROMOTED = "promoted", "副校长交流提任校长"
    PROMOTED_IN_PLACE = "promoted_in_place", "副校长本校提任校长"

    @property
    def leaves_school(self) -> bool:
        return self is not LeaderMove.PROMOTED_IN_PLACE

    @property
    def new_position(self) -> Position:
        return Position.VICE_PRINCIPAL if self is LeaderMove.VICE_PRINCIPAL else Position.PRINCIPAL


@dataclass(frozen=True, slots=True)
class LeaderStatus:
    """One principal or vice-principal in plan year Y: years in the post here, due or not."""

    teacher: Teacher
    years_in_post: int | None  # None: post_start_year blank
    due: bool  # 任职期满 and free to move
    reasons: tuple[str, ...]  # why not due, in Chinese (empty when due)
    reasons_en: tuple[str, ...] = ()  # the same, in English

    @property
    def reason_text(self) -> str:
        return "；".join(self.reasons)

    @property
    def reason_text_en(self) -> str:
        return "; ".join(self.reasons_en)


def is_leader(teacher: Teacher) -> bool:
    return teacher.position.leads


def years_in_post(teacher: Teacher, year: int) -> int | None:
    """Continuous years in the post at this school by plan year ``year`` (None: no data)."""
    if teacher.post_start_year is None:
        return None
    return year - max(teacher.post_start_year, teacher.school_start_year)


def years_due(policy: Policy) -> int:
    return policy.principal_terms * policy.principal_term_years


def leader_status(teacher: Teacher, dataset: Dataset, year: int, policy: Policy) -> LeaderStatus:
    served = years_in_post(teacher, year)
    reasons: list[str] = []
    english: list[str] = []
    need = years_due(policy)
    if served is None:
        reasons.append("任现职年份空缺，无法判定任期")
        english.append("the year the post began is blank: the term cannot be told")
    elif served < need:
        reasons.append(
            f"在本校任现职未满{policy.principal_terms}届（{need}年，现{max(served, 0)}年）"
        )
        english.append(
            f"fewer than {policy.principal_terms} terms in the post at this school "
            f"({max(served, 0)} of {need} years)"
        )
    if school_role(dataset.school[teacher.school_id], policy.urban_areas) is Role.NONE:
        reasons.append("所在学校不参与交流")
        english.append("the school takes no part in the exchange")
    retires = teacher_retirement(teacher, policy)
    if within_window(retires, year, policy.retirement_exempt_years):
        reasons.append(
            f"距退休不足{policy.retirement_exempt_years}年（{retires.year}年{retires.month}月退休）"
        )
        english.append(
            f"fewer than {policy.retirement_exempt_years} years to retirement "
            f"(retires {retires.year}-{retires.month:02d})"
        )
    if teacher.exempt.strip():
        reasons.append(f"已申请免交流：{teacher.exempt.strip()}")
        english.append(f"exempted on request: {teacher.exempt.strip()}")
    if teacher.on_exchange_in(year):
        reasons.append(f"正在交流期内（在{teacher.exchange_school_id}）")
        english.append(f"on an exchange this year (at {teacher.exchange_school_id})")
    return LeaderStatus(teacher, served, not reasons, tuple(reasons), tuple(english))


def leader_table(dataset: Dataset, year: int, policy: Policy) -> dict[str, LeaderStatus]:
    """Every principal and vice-principal of the roster, by teacher_id."""
    return {
        t.teacher_id: leader_status(t, dataset, year, policy)
        for t in dataset.teachers
        if is_leader(t)
    }


def principals_required(due: int, policy: Policy) -> int:
    """The leaders to plan for exchange: ceil(rate × due), every one by default."""
    return math.ceil(policy.principal_exchange_rate * due - 1e-9)


def same_stage(a: School, b: School) -> bool:
    """Principals go to a school of the same stage (办学类型)."""
    return a.stage is b.stage


def principals_by_school(dataset: Dataset) -> dict[str, list[str]]:
    """School → its principals' teacher_ids (normally one) as the roster has them."""
    out: dict[str, list[str]] = {s.school_id: [] for s in dataset.schools}
    for t in dataset.teachers:
        if t.position is Position.PRINCIPAL:
            out[t.school_id].append(t.teacher_id)
    return out


class PrincipalMove(BaseModel):
    """One leadership move: a row of principal_exchanges.csv and the 校长交流 sheet."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    position: Position = Field(description="职务 before the move")
    new_position: Position
    kind: LeaderMove
    from_school_id: str
    to_school_id: str
    school_stage: SchoolStage
    years_in_post: int | None = None
    start_year: int
    end_year: int
    distance_km: float | None = None
    reasons: str = ""


class PrincipalNotMoved(BaseModel):
    """A due principal or vice-principal the plan does not move, and why."""

    model_config = ConfigDict(frozen=True)

    teacher_id: str
    name: str
    position: Position
    school_id: str
    years_in_post: int | None = None
    reason_zh: str
    reason_en: str


class PrincipalVacancy(BaseModel):
    """A school the plan leaves without a principal, and why (never silently)."""

    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    reason_zh: str
    reason_en: str


class PrincipalExchange(BaseModel):
    """The plan's principal exchange: due, required, moved, and every one not moved explained."""

    model_config = ConfigDict(frozen=True)

    principals: int = Field(0, description="校长人数 in the roster")
    vice_principals: int = Field(0, description="副校长人数 in the roster")
    due: int = Field(0, description="任职期满应交流的校长、副校长")
    required: int = 0
    moved: int = Field(0, description="due leaders moved to another school")
    moves: tuple[PrincipalMove, ...] = ()
    move_rows: tuple[int, ...] = Field(
        (),
        exclude=True,
        description="each move's row in the file it was read from (check-plan); "
        "empty: the rows principal_exchanges.csv gives them",
    )
    not_moved: tuple[PrincipalNotMoved, ...] = ()
    vacancies: tuple[PrincipalVacancy, ...] = ()
    counts_toward_teacher_quota: bool = False
    status: str = ""
    solve_seconds: float = 0.0

    @property
    def promoted_in_place(self) -> int:
        return sum(m.kind is LeaderMove.PROMOTED_IN_PLACE for m in self.moves)

    @property
    def met(self) -> bool:
        return self.moved >= self.required

    def headline_zh(self) -> str:
        return (
            f"校长交流：任职期满的校长、副校长 {self.due} 人，"
            f"应交流 {self.required} 人，已安排 {self.moved} 人，未交流 {len(self.not_moved)} 人"
            f"（逐一说明）；本校提任校长 {self.promoted_in_place} 人；"
            + ("计入" if self.counts_toward_teacher_quota else "不计入")
            + "教师交流比例"
        )

    def headline_en(self) -> str:
        return (
            f"principal exchange: {self.due} principals and vice-principals past their terms, "
            f"{self.required} required, {self.moved} moved, {len(self.not_moved)} not moved "
            f"(each explained); {self.promoted_in_place} vice-principals promoted in place; "
            + ("counted in" if self.counts_toward_teacher_quota else "not counted in")
            + " the teachers' quota"
        )


def recounted(
    ex: PrincipalExchange,
    dataset: Dataset,
    year: int,
    policy: Policy,
    leaving: frozenset[str] = frozenset(),
) -> PrincipalExchange:
    """``ex`` with its figures counted from the roster as the plan run counts them (a
    principal exchange read back from principal_exchanges.csv, which has none): leaders and
    the due, required and moved; ``leaving``: leaders the teacher plan moves."""
    status = leader_table(dataset, year, policy)
    due = {tid for tid, st in status.items() if st.due and tid not in leaving}
    moved = {m.teacher_id for m in ex.moves if m.kind.leaves_school} & due
    return ex.model_copy(
        update={
            "principals": sum(st.teacher.position is Position.PRINCIPAL for st in status.values()),
            "vice_principals": sum(
                st.teacher.position is Position.VICE_PRINCIPAL for st in status.values()
            ),
            "due": len(due),
            "required": principals_required(len(due), policy),
            "moved": len(moved),
            "counts_toward_teacher_quota": policy.principals_in_teacher_quota,
        }
    )
