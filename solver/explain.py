"""Words for the officer: why each teacher was chosen, and why a quota fell short."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rotation.areas import is_rural
from rotation.plan import Assignment, ComplianceRow
from rotation.plan_results import Shortfall, ShortfallCause
from rotation.quotas import COUNTY, backbone_separate
from solver.candidates import NO_NEED, Candidates
from solver.diagnose import DIAGNOSIS_SECONDS, conflict_cause, conflicting_rules
from solver.rules import ModelContext


def assignment_reasons(ctx: ModelContext, arc: int) -> str:
    c = ctx.cands
    t = c.teachers[int(c.arc_teacher[arc])]
    school = c.dataset.school[c.arc_school[arc]]
    parts: list[str] = []
    if int(c.arc_need[arc]) == NO_NEED:
        parts.append(f"按锁定安排交流到{school.name}")
    else:
        kind = ""
        if school.priority is not None:
            kind = f"（三所学校：{school.priority.label_zh}）"
        elif school.weak:
            kind = "（薄弱学校）"
        elif is_rural(school, c.policy.rural_areas):
            kind = "（农村学校）"
        parts.append(f"填补{school.name}{t.stage.label_zh}{t.subject.label_zh}岗位{kind}")
        if t.subject in c.policy.shortage_subjects:
            parts.append("紧缺学科")
    if t.teacher_id in c.locks.assigned:
        parts.append("人事股锁定")
    if c.policy.is_backbone(t.backbone) and c.teacher_unit(t) is not None:
        parts.append(f"{t.backbone.label_zh}骨干教师，计入{c.policy.backbone_share:.0%}骨干比例")
    if t.title.is_senior:
        parts.append(f"{t.title.label_zh}职称，职称向乡村倾斜")
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
