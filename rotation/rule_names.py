"""Every rule of the annual plan by its one name, with its Chinese and English label.

A hard rule has several faces: its solver-free check (``rotation.checker.CHECKS``) and,
in the solver, its constraint, explanation words, diagnosis rows and greedy feasibility
test (``solver.rule_faces.RULE_FACES``). Each face is registered under the member
below; ``tests/test_rule_registry.py`` fails when a hard rule lacks one. The plan
integrity rules (the plan's rows agree with the roster, the term, the compliance table)
are the checker's alone: the solver cannot break them, so they have no solver face.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class RuleName(StrEnum):
    """A rule's one name (its value is the code in reports), with its labels."""

    label_zh: str
    label_en: str
    hard: bool  # a rule of the policy the solver enforces (False: plan integrity only)
    itinerant: bool  # a rule of the 走教 schedule (its own model, solver.itinerant)

    def __new__(
        cls, value: str, label_zh: str, label_en: str, hard: bool = True, itinerant: bool = False
    ) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label_zh = label_zh
        member.label_en = label_en
        member.hard = hard
        member.itinerant = itinerant
        return member

    # who may be sent, and where
    ONLY_ELIGIBLE_TEACHERS = (
        "eligibility",
        "只交流符合交流条件的教师",
        "only eligible teachers are sent",
    )
    RECEIVING_SCHOOL = (
        "destination",
        "去往开设该学段的接收学校，不回本校",
        "to a receiving school that offers the stage, never the own school",
    )
    DISTANCE_LIMIT = "distance", "交流距离不超过上限", "within the distance limit"
    MATCHING_NEED = (
        "need",
        "填补同学段同学科的岗位需求",
        "into a declared need of the same stage and subject",
    )
    # how many
    ONE_SCHOOL_PER_TEACHER = (
        "one_school_per_teacher",
        "每名教师至多交流到一所学校",
        "one school per teacher",
    )
    NEED_NOT_OVERFILLED = "need_not_overfilled", "岗位需求数不超额", "no need over its count"
    ROTATION_QUOTA = (
        "rotation_quota",
        "交流比例不低于规定（未达须说明原因）",
        "rotation quota met, or its shortfall reported",
    )
    ROTATION_MAXIMUM = "rotation_maximum", "交流比例不高于上限", "rotation maximum"
    BACKBONE_SHARE = (
        "backbone_share",
        "骨干教师比例不低于规定（未达须说明原因）",
        "backbone share met, or its shortfall reported",
    )
    GROUP_LEAVE_LIMIT = (
        "group_leave_limit",
        "同校同学段同学科教师一年内交流不超过规定比例",
        "group leave limit",
    )
    SENIOR_TITLE_TILT = (
        "senior_title_tilt",
        "派往农村学校的教师中高级职称比例不低于目标（未达须说明原因）",
        "senior share of those sent into rural schools meets its target, or its shortfall reported",
    )
    # the officer's locks
    LOCK_ASSIGN = "lock_assign", "锁定交流的教师按锁定安排", "assign locks carried out"
    LOCK_STAY = "lock_stay", "锁定留任的教师不交流", "stay locks kept"
    LOCK_BLOCK_SCHOOL = (
        "lock_block_school",
        "不接收的学校不安排交流教师",
        "nobody sent to a blocked school",
    )
    # principals and vice-principals (校长交流): their own small model in the same run
    PRINCIPAL_DUE = (
        "principal_due",
        "只交流在同一所学校任职满两届的校长、副校长",
        "only principals and vice-principals past their terms leave their school",
    )
    PRINCIPAL_DESTINATION = (
        "principal_destination",
        "校长、副校长交流到同学段的其他学校",
        "principals go to another school of the same stage",
    )
    ONE_PRINCIPAL_PER_SCHOOL = (
        "one_principal_per_school",
        "每所学校有且只有一名校长（空缺须说明原因）",
        "every school keeps exactly one principal, or the vacancy is reported",
    )
    VICE_PRINCIPAL_POSTS = (
        "vice_principal_posts",
        "副校长职数不增加",
        "no school gains vice-principal posts",
    )
    PRINCIPAL_QUOTA = (
        "principal_quota",
        "任职期满的校长、副校长按规定比例交流，未交流者逐一说明",
        "principals past their terms exchanged, each one not moved explained",
    )
    # 走教 (issue 18): the weekly schedule's rules, its own model (solver/itinerant.py) and
    # checks (rotation.checker.ITINERANT_CHECKS)
    ITINERANT_HOME_POST = (
        "itinerant_home_post",
        "走教教师保留原岗位：城镇或中心学校在编、本年未交流、同学段同学科",
        "an itinerant teacher keeps the home post: at a town or central school, not moved, same stage and subject",
        True,
        True,
    )
    ITINERANT_WEEKLY_HOURS = (
        "itinerant_weekly_hours",
        "走教教师每周走教课时不超过上限",
        "itinerant weekly hours within the teacher's limit",
        True,
        True,
    )
    ITINERANT_SCHOOLS = (
        "itinerant_schools",
        "走教教师服务学校数不超过上限",
        "itinerant schools per teacher within the limit",
        True,
        True,
    )
    ITINERANT_DISTANCE = (
        "itinerant_distance",
        "走教距离不超过上限",
        "itinerant travel within the distance limit",
        True,
        True,
    )
    ITINERANT_HOURS_NOT_OVERCOVERED = (
        "itinerant_hours_not_overcovered",
        "学校课时需求不超额安排",
        "no school's hour need over-covered",
        True,
        True,
    )
    ITINERANT_DAYS = (
        "itinerant_days",
        "走教安排在学校可接受的日子，每人每天至多一所学校，每天课时不超过上限",
        "itinerant visits on the school's open days, one school a day per teacher, daily hours within the limit",
        True,
        True,
    )
    # plan integrity: the checker's alone
    ROSTER = "roster", "方案与名单一致", "plan rows match the roster", False
    TERM = "term", "交流期限与政策一致", "term as the policy sets it", False
    COMPLIANCE = (
        "compliance",
        "达标情况表与方案一致",
        "compliance table recomputed from the plan",
        False,
    )

    @classmethod
    def named(cls, code: str) -> RuleName:
        """The rule whose code (value) this is; ``KeyError`` otherwise."""
        return {r.value: r for r in cls}[code]

    def label(self, lang: str = "zh") -> str:
        return self.label_en if lang == "en" else self.label_zh


PRINCIPAL_RULES: tuple[RuleName, ...] = (
    RuleName.PRINCIPAL_DUE,
    RuleName.PRINCIPAL_DESTINATION,
    RuleName.ONE_PRINCIPAL_PER_SCHOOL,
    RuleName.VICE_PRINCIPAL_POSTS,
    RuleName.PRINCIPAL_QUOTA,
)
"""The principals' rules: constraints in ``solver.principal_exchange.PRINCIPAL_CONSTRAINTS``,
checks in ``rotation.principal_checks`` (the teachers' model has no face of them)."""

HARD_RULES: tuple[RuleName, ...] = tuple(
    r for r in RuleName if r.hard and not r.itinerant and r not in PRINCIPAL_RULES
)
"""The transfer plan's hard rules: each has every face of ``solver.rule_faces``."""
ITINERANT_RULES: tuple[RuleName, ...] = tuple(r for r in RuleName if r.itinerant)
"""The 走教 schedule's rules: a constraint in ``solver.itinerant.ITINERANT_CONSTRAINTS`` and a
check in ``rotation.checker.ITINERANT_CHECKS`` (no greedy, diagnosis or cause words: the
schedule covers what it can and reports the hours left, it has no quota to fall short of)."""
