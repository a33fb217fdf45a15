"""The year's rotation policy: every rule a named parameter with the contract's default.

A Policy is loaded from defaults, then an optional TOML file, then ``key=value``
overrides (the CLI's ``--set``), and validated as a whole. Nested weights are
addressed as ``weights.fill_need=5``.
"""

from __future__ import annotations

import tomllib
from enum import Enum
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.fields import FieldInfo

from rotation.enums import (
    Area,
    BackboneLevel,
    Degree,
    ItinerantReading,
    QuotaBase,
    QuotaScope,
    RetirementRule,
    Rounding,
    ShadowingTerm,
    Stage,
    Subject,
)


class ObjectiveWeights(BaseModel):
    """Weights of the named objective terms of the annual plan (all ≥ 0)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    fill_need: float = Field(
        100.0, ge=0, description="每填补一个岗位的基础收益 / reward per need filled"
    )
    priority_school: float = Field(
        60.0, ge=0, description="三所学校岗位的额外收益 / extra for a need at a \"three schools\" school"
    )
    weak_school: float = Field(
        40.0, ge=0, description="薄弱学校岗位的额外收益 / extra for a weak school"
    )
    rural_school: float = Field(
        20.0, ge=0, description="乡村学校岗位的额外收益 / extra for a rural school"
    )
    shortage_subject: float = Field(
        30.0, ge=0, description="紧缺学科岗位的额外收益 / extra for a shortage subject"
    )
    indicator_degree: float = Field(
        10.0,
        ge=0,
        description="高于规定学历教师数低于标准的学校每接收一名（至标准为止）/ above-degree teacher to a school below, up to the target",
    )
    indicator_backbone: float = Field(
        15.0,
        ge=0,
        description="骨干教师指标低于标准的学校每接收一名骨干（至标准为止）/ backbone to a school below the indicator, up to the target",
    )
    indicator_arts_pe: float = Field(
        15.0,
        ge=0,
        description="体艺教师指标低于标准的学校每接收一名体艺教师（至标准为止）/ PE-arts teacher to a school below, up to the target",
    )
    indicator_cv: float = Field(
        100.0,
        ge=0,
        description=(
            "方案使某指标差异系数升高时的改进求解：每 0.01 差异系数的代价（0 不改进）/ improvement "
            "pass when a plan raises an indicator's CV: cost per 0.01 of CV (0: no pass)"
        ),
    )
    preference: float = Field(
        20.0,
        ge=0,
        description="教师第一志愿的收益，按志愿顺序递减 / first choice, decreasing by rank",
    )
    distance_per_km: float = Field(0.5, ge=0, description="每公里距离的成本 / cost per km")
    tenure_per_year: float = Field(
        2.0,
        ge=0,
        description="超过最低任教年限后每多一年的收益 / per year served beyond the minimum",
    )
    promotion_seeker: float = Field(
        25.0, ge=0, description="有评高级职称需要的教师优先 / teachers seeking a senior title first"
    )
    shadowing: float = Field(
        30.0,
        ge=0,
        description="每安排一名跟岗学习教师（有交流教师补位）的收益 / per shadowing placement (with cover)",
    )
    same_community: float = Field(
        10.0,
        ge=0,
        description="交流到本共同体学校的收益 / destination in the teacher's own community",
    )
    shortfall_penalty: float = Field(
        0.0,
        ge=0,
        description="未达标的每人次惩罚；0 表示自动取大于其余各项之和 / 0 = larger than all else together",
    )


DEFAULT_SHORTAGE_SUBJECTS: tuple[Subject, ...] = (
    Subject.ENGLISH,
    Subject.MUSIC,
    Subject.PE,
    Subject.ART,
    Subject.IT,
    Subject.SCIENCE,
)


ITINERANT_SUBJECTS: tuple[Subject, ...] = (
    Subject.MUSIC,
    Subject.ART,
    Subject.PE,
    Subject.ENGLISH,
    Subject.IT,
)
# The 走教 model's time cap (s). Measured on longchuan (992 hour needs, README "走教"): HiGHS's
# first schedules cover within 1 % of the best hours found in 120 s; a sweep of N scenarios
# and an outlook of N years pay this N times.
ITINERANT_TIME_LIMIT = 5.0


class Policy(BaseModel):
    """Every parameter of the annual exchange rules, with the data contract's defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True, use_enum_values=False)

    # eligibility
    min_tenure_years: int = Field(6, ge=0, le=40, description="在校任教满多少年方可交流 / years at the school")
    retirement_rule: RetirementRule = Field(
        RetirementRule.REFORM_2025,
        description=(
            "法定退休年龄：reform_2025 按渐进式延迟法定退休年龄决定（2024-09-13）逐月计算；"
            "fixed 用下列固定年龄（测算用）/ statutory ages: the 2025 reform, or fixed ages"
        ),
    )
    retirement_age_male: int = Field(
        60, ge=40, le=75, description="男教师退休年龄（仅 fixed）/ men, fixed rule only"
    )
    retirement_age_female: int = Field(
        55, ge=40, le=75, description="女教师退休年龄（仅 fixed）/ women, fixed rule only"
    )
    retirement_age_female_worker: int = Field(
        50, ge=40, le=75, description="工勤岗位女职工退休年龄（仅 fixed）/ women workers, fixed"
    )
    retirement_exempt_years: int = Field(
        5, ge=0, le=20, description="距退休不足多少年免交流 / years before retirement that exempt"
    )
    exchange_cooldown_years: int = Field(
        6, ge=0, le=40, description="上次交流结束后多少年内不再交流 / years since last exchange"
    )
    # quotas
    rotation_rate: float = Field(
        0.10, ge=0, le=1, description="派出学校交流比例下限 / minimum share rotated"
    )
    max_rotation_rate: float = Field(
        0.30, ge=0, le=1, description="派出学校交流比例上限 / maximum share rotated"
    )
    backbone_share: float = Field(
        0.20, ge=0, le=1, description="交流教师中骨干教师比例下限 / backbone share of those sent"
    )
    backbone_min_level: BackboneLevel = Field(
        BackboneLevel.COUNTY,
        description="计为骨干教师的最低级别 / lowest level counted as backbone",
    )
    quota_stages: tuple[Stage, ...] = Field(
        (Stage.PRIMARY, Stage.JUNIOR), description="计入比例的学段（义务教育）/ stages counted"
    )
    quota_scope: QuotaScope = Field(
        QuotaScope.SCHOOL, description="比例按校或按全县考核 / per school or county-wide"
    )
    backbone_scope: QuotaScope = Field(
        QuotaScope.COUNTY,
        description=(
            "骨干教师比例按全县（2017年督导评估办法）或按校考核 / backbone share county-wide "
            "(the 2017 evaluation item) or per sending school"
        ),
    )
    quota_base: QuotaBase = Field(
        QuotaBase.ALL_SCHOOLS,
        description=(
            "全县考核时符合交流条件教师总数的范围：全县义务教育学校（2017年办法）或仅派出学校 / "
            "county base: all compulsory schools (2017 item) or sending schools only"
        ),
    )
    rotation_rounding: Rounding = Field(
        Rounding.CEIL, description="应交流人数取整方式 / rounding of the rotation quota"
    )
    backbone_rounding: Rounding = Field(
        Rounding.CEIL, description="应交流骨干人数取整方式 / rounding of the backbone quota"
    )
    # one meaning each of 城镇 and 农村 (rotation/areas.py)
    urban_areas: tuple[Area, ...] = Field(
        (Area.URBAN, Area.TOWN),
        description="城镇：这些区域的学校派出教师（数据约定的角色）/ areas whose schools send",
    )
    rural_areas: tuple[Area, ...] = Field(
        (Area.TOWN, Area.RURAL),
        description=(
            "农村：职称倾斜和优先保障的学校所在区域（默认县城以外，乡镇及以下；三所学校总在其内）"
            " / areas favoured by the tilt and priorities (default: outside the county town)"
        ),
    )
    # the exchange itself
    term_years: int = Field(3, ge=1, le=6, description="交流期限（年）/ exchange term")
    # forms beside the transfer (rotation/exchange_forms.py)
    support_for_promotion: bool = Field(
        True,
        description=(
            "拟申报高级职称且缺农村或薄弱学校任教经历的城镇教师以支教形式交流（期满返回）"
            " / seekers of a senior title lacking rural service go on one-year support (then back)"
        ),
    )
    support_term_years: int = Field(1, ge=1, le=2, description="支教期限（年）/ support term in years")
    support_counts_toward_quota: bool = Field(
        True,
        description=(
            "支教计入交流比例（县定；默认计入）；关闭则支教不计入已交流人数，仍计入比例基数 / "
            "support moves count toward the 10% (the county's reading; default: counts)"
        ),
    )
    rural_service_required_years: int = Field(
        1,
        ge=0,
        le=10,
        description="申报高级职称须有的农村或薄弱学校任教年限 / rural service a senior title needs",
    )
    shadowing_term: ShadowingTerm = Field(
        ShadowingTerm.SEMESTER,
        description="跟岗学习时长：一学期或一学年 / shadowing term: semester or year",
    )
    shadowing_per_host: int = Field(
        2,
        ge=0,
        le=50,
        description="每所学校每年最多接收跟岗学习教师人数 / shadowing teachers per host school",
    )
    shadowing_hosts_per_teacher: int = Field(
        5, ge=1, le=100, description="每名跟岗教师考虑最近的若干所城镇或优质学校 / nearest hosts"
    )
    max_group_leave_share: float = Field(
        0.34,
        gt=0,
        le=1,
        description="同校同学段同学科教师一年内交流出去的最大比例（至少可走1人）/ largest share of a group",
    )
    max_distance_km: float | None = Field(
        None, gt=0, description="交流最远距离（公里），空为不限 / distance limit, none = unlimited"
    )
    candidate_schools_per_teacher: int | None = Field(
        30,
        ge=1,
        description=(
            "每名教师只考虑最近的若干所有对口岗位的接收学校（另加本人志愿和本共同体学校），"
            "空为不限 / nearest receiving schools considered per teacher (plus preferred and "
            "same-community schools); none = all"
        ),
    )
    locks_outside_needs: bool = Field(
        False,
        description=(
            "允许锁定交流到没有对口岗位需求的学校（否则视为锁定错误）/ allow assign locks "
            "into a school without a matching declared need (a warning instead of an error)"
        ),
    )
    title_tilt: float = Field(
        1.0,
        ge=0,
        le=3,
        description=(
            "派往农村学校的交流教师中高级职称比例不低于全县比例乘以此系数 / senior share of "
            "those sent into rural schools ≥ the county's share × this factor"
        ),
    )
    senior_share_target: float | None = Field(
        None,
        ge=0,
        le=1,
        description=(
            "派往农村学校的交流教师中高级职称比例目标（如 0.25）；空则为全县比例×title_tilt / "
            "senior share of those sent into rural schools, set by the officer; none = county "
            "share × title_tilt"
        ),
    )
    shortage_subjects: tuple[Subject, ...] = Field(
        DEFAULT_SHORTAGE_SUBJECTS, description="紧缺学科 / shortage subjects"
    )
    # 2017 balanced-development teacher indicators, per 100 students
    degree_required_primary: Degree = Field(
        Degree.SECONDARY, description="小学规定学历（高于此学历计入指标）/ primary required degree"
    )
    degree_required_junior: Degree = Field(
        Degree.ASSOCIATE, description="初中规定学历（高于此学历计入指标）/ junior required degree"
    )
    degree_target_primary: float = Field(4.2, ge=0, description="小学高于规定学历教师数/百名学生 / primary teachers above the required degree per 100 pupils")
    degree_target_junior: float = Field(5.3, ge=0, description="初中高于规定学历教师数/百名学生 / junior teachers above the required degree per 100 pupils")
    backbone_target: float = Field(1.0, ge=0, description="县级及以上骨干教师数/百名学生 / county-level or higher backbone teachers per 100 pupils")
    arts_pe_target: float = Field(
        0.9, ge=0, description="体育、艺术（美术、音乐）专任教师数/百名学生 / PE and arts teachers per 100 pupils"
    )
    cv_limit_primary: float = Field(0.50, ge=0, description="小学校际差异系数上限 / primary: largest coefficient of variation between schools")
    cv_limit_junior: float = Field(0.45, ge=0, description="初中校际差异系数上限 / junior: largest coefficient of variation between schools")
    school_indicators_allowed_short: int = Field(
        1, ge=0, le=3,
        description="每校可未达标的教师指标项数（2017年办法：7项中至少6项达标）/ teacher indicators a school may miss",
    )
    school_indicator_floor: float = Field(
        0.85, ge=0, le=1,
        description="未达标指标不得低于标准的比例（2017年办法：85%）/ a missed indicator's floor, share of its target",
    )
    small_school_students: int = Field(
        50, ge=0,
        description="学生数不足此数的学校不逐校评判教师指标（仍计入差异系数）/ schools below this are not judged one by one",
    )
    # 走教 (issue 18): town/central-school teachers teach weekly hours at village schools
    itinerant_subjects: tuple[Subject, ...] = Field(
        ITINERANT_SUBJECTS,
        description="可走教的学科 / subjects taught by itinerant teachers",
    )
    itinerant_max_weekly_hours: int = Field(
        8,
        ge=0,
        le=30,
        description=(
            "走教教师每周走教课时上限（另受本人“可走教课时”限制；0 为不安排走教）/ most weekly "
            "itinerant hours per teacher (also the teacher's own itinerant_hours; 0 = none)"
        ),
    )
    itinerant_max_schools: int = Field(
        3, ge=1, le=10, description="每名走教教师最多服务几所学校 / most schools per itinerant teacher"
    )
    itinerant_max_km: float | None = Field(
        15.0,
        gt=0,
        description=(
            "走教学校距本校最远距离（公里）；无坐标时只限同一乡镇；空为不限 / travel limit "
            "(km) from the home school; without coordinates, same town only; none = unlimited"
        ),
    )
    itinerant_max_daily_hours: int = Field(
        4, ge=1, le=8, description="走教教师每天在一所学校的课时上限 / most hours a visit day"
    )
    itinerant_full_load_hours: int = Field(
        16,
        ge=1,
        le=30,
        description=(
            "专任教师满工作量（周课时）：交流到校的专任教师按此抵减课时需求，按课时折算时的分母"
            " / a full teacher's weekly hours: what a transferred teacher covers, and the "
            "denominator of the hours reading"
        ),
    )
    itinerant_reading: ItinerantReading = Field(
        ItinerantReading.STAFF,
        description=(
            "体育艺术教师指标如何计走教教师：staff 只计编制所在学校（2017年办法按学校专任教师计，"
            "默认）；hours_fraction 按走教课时÷满工作量折算计入走教学校 / how the PE/arts "
            "indicator counts an itinerant teacher: at the home school only (the 2017 method's "
            "staff, default), or as weekly hours ÷ full load at the schools served"
        ),
    )
    itinerant_gap: float = Field(
        0.02,
        ge=0,
        le=1,
        description="走教安排求解的相对间隙，达到即停止 / relative gap at which the itinerant model stops",
    )
    itinerant_time_limit: float = Field(
        ITINERANT_TIME_LIMIT,
        gt=0,
        le=600,
        description=(
            "走教安排求解时限上限（秒；另受整次运行时限所剩时间限制）/ most seconds the itinerant "
            "model may take (also bounded by what the run's time limit leaves)"
        ),
    )
    itinerant_candidates_per_school: int = Field(
        12,
        ge=1,
        le=200,
        description=(
            "每项课时需求只考虑最近的若干名可走教教师 / nearest candidate teachers "
            "considered per hour need"
        ),
    )

    # principals and vice-principals (校长交流; rotation/principals.py)
    principal_term_years: int = Field(
        3, ge=1, le=10, description="校长、副校长一届任期（年） / years of one term of office"
    )
    principal_terms: int = Field(
        2,
        ge=1,
        le=5,
        description=(
            "在同一所学校连续任职满几届后应交流（2014年意见：满两届） / full terms at one "
            "school after which a principal or vice-principal is exchanged"
        ),
    )
    principal_exchange_rate: float = Field(
        1.0,
        ge=0,
        le=1,
        description=(
            "任职期满的校长、副校长中本年安排交流的比例下限（默认全部；未交流者逐一说明） / "
            "share of principals and vice-principals past their terms planned for exchange"
        ),
    )
    principals_in_teacher_quota: bool = Field(
        False,
        description=(
            "校长、副校长是否同时按教师交流（计入10%比例基数，可交流到教师岗位）；默认否："
            "只按校长交流规则交流，不计入教师交流比例 / principals and vice-principals also "
            "count as teachers in the 10% quota (default: no, they are exchanged apart)"
        ),
    )

    weights: ObjectiveWeights = Field(default_factory=ObjectiveWeights)

    @model_validator(mode="after")
    def _consistent(self) -> Policy:
        if self.max_rotation_rate < self.rotation_rate:
            raise ValueError(
                f"max_rotation_rate ({self.max_rotation_rate}) 不能小于 rotation_rate "
                f"({self.rotation_rate}) / must not be below rotation_rate"
            )
        return self

    @property
    def fixed_retirement_ages(self) -> tuple[int, int, int]:
        """(men, women in professional posts, women in worker posts) under the fixed rule."""
        return (
            self.retirement_age_male,
            self.retirement_age_female,
            self.retirement_age_female_worker,
        )

    def is_backbone(self, level: BackboneLevel) -> bool:
        return level.at_least(self.backbone_min_level)

    # ---------------------------------------------------------------- loading
    @classmethod
    def load(cls, path: Path | str | None = None, overrides: list[str] | None = None) -> Policy:
        """Defaults, then the TOML file, then ``key=value`` overrides; validated once."""
        data: dict[str, Any] = {}
        if path is not None:
            p = Path(path)
            try:
                data = tomllib.loads(p.read_text(encoding="utf-8"))
            except tomllib.TOMLDecodeError as exc:
                raise PolicyError(f"{p}: 不是有效的 TOML / not valid TOML: {exc}") from exc
            data = data.get("policy", data)
        for item in overrides or []:
            key, value = parse_override(item)
            _set_path(data, key, value)
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise PolicyError(format_policy_errors(exc)) from exc

    def with_overrides(self, overrides: dict[str, Any]) -> Policy:
        data = self.model_dump(mode="json")
        for key, value in overrides.items():
            _set_path(data, key, value)
        try:
            return Policy.model_validate(data)
        except ValidationError as exc:
            raise PolicyError(format_policy_errors(exc)) from exc

    @classmethod
    def describe(cls) -> list[dict[str, Any]]:
        """Every parameter with its default, accepted range and description (for help and the API)."""
        rows: list[dict[str, Any]] = []
        default = cls().model_dump(mode="json")
        for name, field in cls.model_fields.items():
            if name == "weights":
                continue
            rows.append(
                {
                    "name": name,
                    "default": default[name],
                    "range": accepted_range(field),
                    "description": field.description,
                }
            )
        for name, field in ObjectiveWeights.model_fields.items():
            rows.append(
                {
                    "name": f"weights.{name}",
                    "default": default["weights"][name],
                    "range": accepted_range(field),
                    "description": field.description,
                }
            )
        return rows


def accepted_range(field: FieldInfo) -> str:
    """The values a parameter accepts, from its bounds or its enum: ``0 ≤ x ≤ 1``, ``county | school``."""
    lower = upper = None
    lower_strict = upper_strict = False
    for item in field.metadata:
        for attr, strict in (("ge", False), ("gt", True)):
            if getattr(item, attr, None) is not None:
                lower, lower_strict = getattr(item, attr), strict
        for attr, strict in (("le", False), ("lt", True)):
            if getattr(item, attr, None) is not None:
                upper, upper_strict = getattr(item, attr), strict
    if field.annotation is bool:
        return "true | false"
    members: list[str] = []
    for arg in (field.annotation, *get_args(field.annotation)):
        for inner in (arg, *get_args(arg)):
            if isinstance(inner, type) and issubclass(inner, Enum):
                members = [str(m.value) for m in inner]
    if members:
        many = getattr(field.annotation, "__origin__", None) is tuple
        return " | ".join(members) + (
            "（可多选，逗号分隔 / several, comma-separated）" if many else ""
        )
    low = None if lower is None else f"{'>' if lower_strict else '≥'} {lower}"
    high = None if upper is None else f"{'<' if upper_strict else '≤'} {upper}"
    if low and high:
        text = f"{lower} {'<' if lower_strict else '≤'} x {high}"
    else:
        text = low or high or ""
    if type(None) in get_args(field.annotation):
        text = f"{text}（可空 / may be blank）" if text else "可空 / may be blank"
    return text


class PolicyError(ValueError):
    """A policy that cannot be used, explained in Chinese and English."""


def parse_override(item: str) -> tuple[str, Any]:
    """``rotation_rate=0.15`` → ("rotation_rate", 0.15); lists with commas; blank → None."""
    if "=" not in item:
        raise PolicyError(f"参数覆盖须为 key=value 形式 / override must be key=value: {item!r}")
    key, raw = (part.strip() for part in item.split("=", 1))
    known = set(Policy.model_fields) | {f"weights.{k}" for k in ObjectiveWeights.model_fields}
    if key not in known:
        raise PolicyError(f"未知的政策参数 / unknown policy parameter: {key!r}")
    if raw == "" or raw.lower() in ("none", "null"):
        return key, None
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        value = [v.strip() for v in raw.split(",")] if "," in raw else raw
    if key in (
        "quota_stages",
        "shortage_subjects",
        "urban_areas",
        "rural_areas",
        "itinerant_subjects",
    ) and isinstance(
        value, str
    ):
        value = [v.strip() for v in value.split(",") if v.strip()]
    return key, value


def _set_path(data: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    node = data
    for part in parts[:-1]:
        node = node.setdefault(part, {})
    node[parts[-1]] = value


def format_policy_errors(exc: ValidationError) -> str:
    lines = ["政策参数无效 / invalid policy:"]
    for err in exc.errors():
        loc = ".".join(str(x) for x in err["loc"]) or "(policy)"
        lines.append(f"  {loc} = {err.get('input')!r}: {err['msg']}")
    return "\n".join(lines)
