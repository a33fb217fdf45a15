"""Parameters of the three hiring rounds (``HiringPolicy``) and its default 转岗 tables."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from rotation.areas import OUTSIDE_COUNTY_TOWN
from rotation.enums import Area, RetirementRule, Stage, Subject
from rotation.policy import DEFAULT_SHORTAGE_SUBJECTS

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
        100, ge=0, description="农村学校空缺的额外收益 / rural school vacancy"
    )
    rural_areas: tuple[Area, ...] = Field(
        OUTSIDE_COUNTY_TOWN,
        description="农村：享受优先的学校所在区域（rotation/areas.py）/ areas favoured as rural",
    )
    shortage_subject_gain: int = Field(
        100, ge=0, description="紧缺学科空缺的额外收益 / shortage subject"
    )
    shortage_subjects: tuple[Subject, ...] = Field(
        DEFAULT_SHORTAGE_SUBJECTS, description="紧缺学科 / shortage subjects"
    )
    lottery_seed: int | None = Field(
        None,
        ge=0,
        description=(
            "同等条件抽签的种子，空则取学年；公开抽签时填入公开的号码 / seed of the tie-break "
            "lottery; blank = the school year"
        ),
    )
    protect_exempt: bool = Field(
        True, description="已批准免交流的教师直接留任，不列入待岗 / exempt teachers are kept"
    )
    protect_retirement_years: int = Field(
        5,
        ge=0,
        le=20,
        description="距法定退休不足此年数的教师直接留任（0 不保护）/ kept within this many years of retirement",
    )
    retirement_rule: RetirementRule = Field(
        RetirementRule.REFORM_2025,
        description="计算退休时间的规则（rotation/retirement.py）/ statutory retirement rule",
    )
    final_placement: bool = Field(
        True,
        description=(
            "组织调剂兜底：允许转岗时，仍未安置者安排到本学段任何剩余空缺（须转岗培训，不受层级限制），"
            "待岗人数不超过结构性超编 / place the rest into any vacancy of their section"
        ),
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

    def seed_for(self, year: int) -> int:
        """The lottery seed used in school year ``year``."""
        return year if self.lottery_seed is None else self.lottery_seed
