"""Words for the officer: why each teacher was chosen, and why a quota fell short.

``CAUSE_WORDS`` holds every hard rule's words as a cause ("what stands in the way"),
registered under the rule's one name; the diagnosis's cores and the unfilled needs'
causes are told in them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rotation.areas import is_rural
from rotation.plan import Assignment, ComplianceRow
from rotation.plan_results import Shortfall, ShortfallCause
from rotation.policy import Policy
from rotation.quotas import COUNTY, backbone_separate
from rotation.roles import PriorityClass, priority_class
from rotation.rule_names import RuleName
from solver.candidates import NO_NEED, Candidates
from solver.diagnose import DIAGNOSIS_SECONDS, OTHERS_KEEP_POSTS, UNDIAGNOSED, conflicting_rules
from solver.rules import ModelContext

Words = tuple[str, str]  # (Chinese, English)
CauseWords = Callable[[Policy], Words]


def _limit(p: Policy) -> str:
    return f"{p.max_distance_km:g}" if p.max_distance_km is not None else "—"


CAUSE_WORDS: dict[RuleName, CauseWords] = {
    RuleName.ONLY_ELIGIBLE_TEACHERS: lambda p: (
        "只有符合交流条件的教师可以交流",
        "only eligible teachers may be sent",
    ),
    RuleName.RECEIVING_SCHOOL: lambda p: (
        "只能去开设该学段的接收学校",
        "only receiving schools offering the stage take exchange teachers",
    ),
    RuleName.DISTANCE_LIMIT: lambda p: (
        f"受交流距离不超过{_limit(p)}公里的限制",
        f"the distance limit of {_limit(p)} km",
    ),
    RuleName.MATCHING_NEED: lambda p: (
        "只能填补同学段同学科的岗位",
        "only needs of the same stage and subject",
    ),
    RuleName.ONE_SCHOOL_PER_TEACHER: lambda p: ("每名教师只能去一所学校", "one school per teacher"),
    RuleName.NEED_NOT_OVERFILLED: lambda p: ("对口岗位需求数有限", "the needs' counts are limited"),
    RuleName.ROTATION_QUOTA: lambda p: (
        "须同时派足交流人数",
        "the rotation quota must be met as well",
    ),
    RuleName.ROTATION_MAXIMUM: lambda p: (
        f"交流人数不得超过{p.max_rotation_rate:.0%}上限",
        f"no more than {p.max_rotation_rate:.0%} may rotate",
    ),
    RuleName.BACKBONE_SHARE: lambda p: (
        f"派出更多教师须同时满足{p.backbone_share:.0%}骨干比例",
        f"sending more must keep the {p.backbone_share:.0%} backbone share",
    ),
    RuleName.GROUP_LEAVE_LIMIT: lambda p: (
        f"受同校同学科教师一年交流不超过{p.max_group_leave_share:.0%}的限制",
        f"no more than {p.max_group_leave_share:.0%} of a school's subject group may leave in a year",
    ),
    RuleName.SENIOR_TITLE_TILT: lambda p: (
        "派往农村学校的教师须满足高级职称占比目标",
        "those sent into rural schools must meet the senior-title share target",
    ),
    RuleName.LOCK_ASSIGN: lambda p: (
        "部分教师已被锁定交流到指定学校",
        "teachers locked to other schools",
    ),
    RuleName.LOCK_STAY: lambda p: ("部分教师被锁定留任", "teachers locked to stay"),
    RuleName.LOCK_BLOCK_SCHOOL: lambda p: (
        "对口岗位所在学校被锁定为本年不接收",
        "the school is blocked this year",
    ),
}
OTHERS_KEEP_POSTS_WORDS: Words = (
    "接收学校对口岗位已被其他学校教师占满",
    "the matching posts are taken by other schools' teachers",
)

PRIORITY_WORDS: dict[PriorityClass, str] = {
    PriorityClass.THREE_SCHOOLS: "",  # named by its own kind below
    PriorityClass.WEAK: "（薄弱学校）",
    PriorityClass.RURAL: "（农村学校）",
    PriorityClass.OTHER: "",
}


def describe_conflict(c: Candidates, core: list[str] | None) -> str:
    """A diagnosis's core in the policy's words (Chinese)."""
    if core is None:
        return "本校单独可以达标，但与派往农村学校的高级职称占比目标或其他学校的达标要求相冲突"
    if not core:
        return "本校可交流教师能去的对口岗位总数不足"
    if core == [UNDIAGNOSED]:
        return "具体冲突规则未能在时限内诊断（以上为数据层面的原因；延长 --time-limit 可得到完整诊断）"
    return "，且".join(_core_words(c, core, 0))


def _core_words(c: Candidates, core: list[str], lang: int) -> list[str]:
    """Each rule of a core in its cause words (0 Chinese, 1 English)."""
    return [
        OTHERS_KEEP_POSTS_WORDS[lang]
        if n == OTHERS_KEEP_POSTS
        else CAUSE_WORDS[RuleName.named(n)](c.policy)[lang]
        for n in core
    ]


def conflict_cause(c: Candidates, core: list[str] | None) -> tuple[str, str, str]:
    """(code, Chinese, English) of a diagnosis: the rules that together block the quota."""
    zh = describe_conflict(c, core)
    if core is None:
        en = "the school could meet it alone, but not with the county's senior-title tilt or other schools' quotas"
        return "county_wide", zh, en
    if not core:
        return "no_posts", zh, "too few matching open posts for this school's eligible teachers"
    if core == [UNDIAGNOSED]:
        en = "the rules in conflict were not diagnosed within the time limit (a longer --time-limit gives the full diagnosis)"
        return UNDIAGNOSED, zh, en
    return "conflict:" + "+".join(core), zh, ", and ".join(_core_words(c, core, 1))


def assignment_reasons(ctx: ModelContext, arc: int) -> str:
    c = ctx.cands
    t = c.teachers[int(c.arc_teacher[arc])]
    school = c.dataset.school[c.arc_school[arc]]
    parts: list[str] = []
    if int(c.arc_need[arc]) == NO_NEED:
        parts.append(f"按锁定安排交流到{school.name}")
    else:
        klass = priority_class(school, c.policy.rural_areas)
        kind = PRIORITY_WORDS[klass]
        if klass is PriorityClass.THREE_SCHOOLS and school.priority is not None:
            kind = f"（三所学校：{school.priority.label_zh}）"
        parts.append(f"填补{school.name}{t.stage.label_zh}{t.subject.label_zh}岗位{kind}")
        if t.subject in c.policy.shortage_subjects:
            parts.append("紧缺学科")
    if t.teacher_id in c.locks.assigned:
        parts.append("人事股锁定")
    if c.policy.is_backbone(t.backbone) and c.teacher_unit(t) is not None:
        parts.append(f"{t.backbone.label_zh}骨干教师，计入{c.policy.backbone_share:.0%}骨干比例")
    if t.title.is_senior and is_rural(school, c.policy.rural_areas):
        parts.append(f"{t.title.label_zh}职称，职称向乡村倾斜")  # counts toward the tilt
    if ctx.terms["balance_indicators"][arc] > 0:
        parts.append("补齐该校优质均衡教师指标")
    if t.preferences and school.school_id in t.preferences:
        parts.append(f"本人第{t.preferences.index(school.school_id) + 1}志愿")
    tenure = c.year - t.school_start_year
    parts.append(f"在本校任教{tenure}年")
    if t.seeks_promotion:
        parts.append("申报高级职称需乡村或薄弱学校任教经历")
    if ctx.terms["same_community"][arc] > 0:
        parts.append("同一城乡教育共同体")
    d = c.arc_distance[arc]
    if d is not None:
        parts.append(f"{d:.1f}公里")
    return "；".join(parts)


def shortfall_reason(
    c: Candidates,
    row: ComplianceRow,
    assignments: list[Assignment],
    time_left: Callable[[], float] | None = None,
) -> str:
    """Why a unit fell short, in Chinese words an officer can act on (``shortfall_causes``)."""
    causes = [cause for s in shortfall_causes(c, row, assignments, time_left) for cause in s.causes]
    return "；".join(x.zh for x in causes) or "未达标（原因待人工核实）"


def shortfall_causes(
    c: Candidates,
    row: ComplianceRow,
    assignments: list[Assignment],
    time_left: Callable[[], float] | None = None,
) -> list[Shortfall]:
    """Why a unit fell short, rule by rule: from the data where it speaks for itself, else
    from a feasibility model with assumptions (solver.diagnose), which gets at most
    ``time_left()`` seconds (then a cheaper cause, labelled as such)."""
    if row.role == "county" and backbone_separate(c.policy):
        return [county_backbone_shortfall(c, row)]

    def seconds() -> float:
        return DIAGNOSIS_SECONDS if time_left is None else min(DIAGNOSIS_SECONDS, time_left())

    def conflict(backbone: bool) -> ShortfallCause:
        code, zh, en = conflict_cause(
            c, conflicting_rules(c, unit, assignments, backbone=backbone, time_limit=seconds())
        )
        return ShortfallCause(code=code, zh=zh, en=en)

    unit = COUNTY if row.role == "county" else row.school_id
    in_unit = [t for t in c.eligible if c.teacher_unit(t) == unit]
    with_arcs = {t.teacher_id for t in c.teachers}
    movable = [t for t in in_unit if t.teacher_id in with_arcs]
    out: list[Shortfall] = []
    if row.rotated < row.required:
        missing = row.required - row.rotated
        causes = [
            ShortfallCause(
                code="rotation_short",
                zh=f"应交流{row.required}人，实际{row.rotated}人，缺{missing}人",
                en=f"{row.required} should rotate, {row.rotated} do: {missing} short",
            )
        ]
        if len(movable) < row.required:
            no_post = Counter(
                (f"{t.stage.label_zh}{t.subject.label_zh}", f"{t.stage.value} {t.subject.value}")
                for t in in_unit
                if t.teacher_id not in with_arcs and "岗位" in c.pruned.get(t.teacher_id, "")
            )
            stay = sum(1 for t in in_unit if c.pruned.get(t.teacher_id) == "已锁定留任")
            causes.append(
                ShortfallCause(
                    code="few_movable",
                    zh=f"本校{row.eligible}名可交流教师中仅{len(movable)}人在接收学校有对口空缺岗位",
                    en=f"of {row.eligible} eligible teachers only {len(movable)} have a matching open post",
                )
            )
            if no_post:
                top = [k for k, _ in no_post.most_common(4)]
                causes.append(
                    ShortfallCause(
                        code="no_post_for_subjects",
                        zh=f"本校可交流教师所教学科（{'、'.join(zh for zh, _ in top)}）在接收学校无空缺岗位",
                        en=f"no open post at receiving schools for {', '.join(en for _, en in top)}",
                    )
                )
            if stay:
                causes.append(
                    ShortfallCause(code="locked_stay", zh=f"{stay}人被锁定留任", en=f"{stay} locked to stay")
                )
        else:
            causes.append(conflict(backbone=False))
        out.append(Shortfall(rule="rotation_quota", unit=row.school_id, name=row.name, causes=causes))
    bb_req = row.backbone_required
    if row.backbone_rotated < bb_req:
        causes = [
            ShortfallCause(
                code="backbone_short",
                zh=f"骨干教师应交流{bb_req}人，实际{row.backbone_rotated}人",
                en=f"{bb_req} backbone teachers should rotate, {row.backbone_rotated} do",
            )
        ]
        backbone = [t for t in in_unit if c.policy.is_backbone(t.backbone)]
        bb_movable = [t for t in backbone if t.teacher_id in with_arcs]
        level, level_en = c.policy.backbone_min_level.label_zh, c.policy.backbone_min_level.value
        if not backbone:
            causes.append(
                ShortfallCause(
                    code="no_backbone",
                    zh=f"本校可交流教师中无{level}及以上骨干教师",
                    en=f"no eligible backbone teacher of {level_en} level or above",
                )
            )
        elif not bb_movable:
            subjects = sorted({(f"{t.stage.label_zh}{t.subject.label_zh}", f"{t.stage.value} {t.subject.value}") for t in backbone})
            causes.append(
                ShortfallCause(
                    code="backbone_no_post",
                    zh=f"本校{level}及以上骨干教师所教学科（{'、'.join(zh for zh, _ in subjects)}）在接收学校无空缺岗位",
                    en=f"no open post for the backbone teachers' subjects ({', '.join(en for _, en in subjects)})",
                )
            )
        elif len(bb_movable) < bb_req:
            causes.append(
                ShortfallCause(
                    code="few_backbone_movable",
                    zh=f"本校仅{len(bb_movable)}名{level}及以上骨干教师可对口交流",
                    en=f"only {len(bb_movable)} backbone teachers have a matching open post",
                )
            )
        else:
            causes.append(conflict(backbone=True))
        out.append(Shortfall(rule="backbone_share", unit=row.school_id, name=row.name, causes=causes))
    return out


def county_backbone_shortfall(c: Candidates, row: ComplianceRow) -> Shortfall:
    """Why the county's backbone share fell short, from the data (backbone_scope county)."""
    level, level_en = c.policy.backbone_min_level.label_zh, c.policy.backbone_min_level.value
    with_arcs = {t.teacher_id for t in c.teachers}
    backbone = [
        t for t in c.eligible if c.teacher_backbone_unit(t) is not None and c.policy.is_backbone(t.backbone)
    ]
    movable = [t for t in backbone if t.teacher_id in with_arcs]
    causes = [
        ShortfallCause(
            code="backbone_short",
            zh=f"全县骨干教师应交流{row.backbone_required}人，实际{row.backbone_rotated}人",
            en=f"{row.backbone_required} backbone teachers should rotate county-wide, {row.backbone_rotated} do",
        )
    ]
    if len(movable) < row.backbone_required:
        causes.append(
            ShortfallCause(
                code="few_backbone_movable",
                zh=f"全县可交流的{level}及以上骨干教师中仅{len(movable)}人在接收学校有对口空缺岗位",
                en=f"only {len(movable)} eligible backbone teachers of {level_en} level or above have a matching open post",
            )
        )
    else:
        causes.append(
            ShortfallCause(
                code="rules_together",
                zh="受其他规则（岗位、同学科离岗比例、交流上限）共同限制",
                en="held back by the other rules together (posts, group leave limit, maximum)",
            )
        )
    return Shortfall(rule="backbone_share", unit=row.school_id, name=row.name, causes=causes)
