"""Words for the officer: why each teacher was chosen, and why a quota fell short."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from rotation.enums import Area
from rotation.plan import Assignment, ComplianceRow
from rotation.quotas import COUNTY
from solver.candidates import NO_NEED, Candidates
from solver.diagnose import DIAGNOSIS_SECONDS, conflicting_rules, describe_conflict
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
        elif school.area is Area.RURAL:
            kind = "（乡村学校）"
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
    """Why a unit fell short, in words an officer can act on: from the data where it
    speaks for itself, else from a feasibility model with assumptions (solver.diagnose),
    which gets at most ``time_left()`` seconds (then a cheaper cause, labelled as such)."""

    def seconds() -> float:
        return DIAGNOSIS_SECONDS if time_left is None else min(DIAGNOSIS_SECONDS, time_left())

    unit = COUNTY if row.role == "county" else row.school_id
    in_unit = [t for t in c.eligible if c.teacher_unit(t) == unit]
    with_arcs = {t.teacher_id for t in c.teachers}
    movable = [t for t in in_unit if t.teacher_id in with_arcs]
    reasons: list[str] = []
    if row.rotated < row.required:
        reasons.append(f"应交流{row.required}人，实际{row.rotated}人，缺{row.required - row.rotated}人")
        if len(movable) < row.required:
            no_post = Counter(
                f"{t.stage.label_zh}{t.subject.label_zh}"
                for t in in_unit
                if t.teacher_id not in with_arcs and "岗位" in c.pruned.get(t.teacher_id, "")
            )
            stay = sum(1 for t in in_unit if c.pruned.get(t.teacher_id) == "已锁定留任")
            reasons.append(f"本校{row.eligible}名可交流教师中仅{len(movable)}人在接收学校有对口空缺岗位")
            if no_post:
                subjects = "、".join(k for k, _ in no_post.most_common(4))
                reasons.append(f"本校可交流教师所教学科（{subjects}）在接收学校无空缺岗位")
            if stay:
                reasons.append(f"{stay}人被锁定留任")
        else:
            reasons.append(describe_conflict(c, conflicting_rules(c, unit, assignments, backbone=False, time_limit=seconds())))
    bb_req = row.backbone_required
    if row.backbone_rotated < bb_req:
        reasons.append(f"骨干教师应交流{bb_req}人，实际{row.backbone_rotated}人")
        backbone = [t for t in in_unit if c.policy.is_backbone(t.backbone)]
        bb_movable = [t for t in backbone if t.teacher_id in with_arcs]
        level = c.policy.backbone_min_level.label_zh
        if not backbone:
            reasons.append(f"本校可交流教师中无{level}及以上骨干教师")
        elif not bb_movable:
            subjects = "、".join(sorted({f"{t.stage.label_zh}{t.subject.label_zh}" for t in backbone}))
            reasons.append(f"本校{level}及以上骨干教师所教学科（{subjects}）在接收学校无空缺岗位")
        elif len(bb_movable) < bb_req:
            reasons.append(f"本校仅{len(bb_movable)}名{level}及以上骨干教师可对口交流")
        else:
            reasons.append(describe_conflict(c, conflicting_rules(c, unit, assignments, backbone=True, time_limit=seconds())))
    return "；".join(reasons) or "未达标（原因待人工核实）"
