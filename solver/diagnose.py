"""Why a quota fell short, when the data alone does not say: a feasibility model with
assumptions.

For one quota unit, the unit's own teachers and the needs they could fill form a small
CP-SAT model in which the unit's quota is hard and every rule that could stand in its
way is enforced only under an assumption literal. When the model is infeasible, CP-SAT
names a set of assumptions that together make it so (a core): those rules, in the
policy's words, are the cause. Other schools' moves are taken as the plan made them.
"""

from __future__ import annotations

from collections import Counter

from ortools.sat.python import cp_model

from rotation.plan import Assignment
from rotation.quotas import PER_MILLE, group_leave_cap, group_sizes, per_mille
from solver.candidates import NO_NEED, Candidates

OTHERS_KEEP_POSTS = "others_keep_posts"
GROUP_LEAVE_LIMIT = "group_leave_limit"
BACKBONE_SHARE = "backbone_share"
ROTATION_MAXIMUM = "rotation_maximum"
ROTATION_QUOTA = "rotation_quota"
UNDIAGNOSED = "undiagnosed"  # the time limit ended before the diagnosis could conclude
DIAGNOSIS_SECONDS = 10.0  # the most one unit's diagnosis may take


def conflicting_rules(
    c: Candidates,
    unit: str,
    assignments: list[Assignment],
    *,
    backbone: bool,
    time_limit: float = DIAGNOSIS_SECONDS,
) -> list[str] | None:
    """Names of the rules that together stop ``unit`` meeting its rotation quota (or,
    with ``backbone``, its backbone share). None when the unit could meet it on its own
    (then the cause is county-wide: the title tilt or other schools' quotas).
    ``[UNDIAGNOSED]`` when ``time_limit`` ended before an answer."""
    if time_limit < 0.05:
        return [UNDIAGNOSED]
    quota = c.quotas[unit]
    mine = [i for i, t in enumerate(c.teachers) if c.teacher_unit(t) == unit]
    mine_set = set(mine)
    arcs = [a for a in range(c.num_arcs) if int(c.arc_teacher[a]) in mine_set and int(c.arc_need[a]) != NO_NEED]
    mine_ids = {c.teachers[i].teacher_id for i in mine}
    taken = Counter(
        (a.to_school_id, a.stage, a.subject) for a in assignments if a.teacher_id not in mine_ids
    )
    m = cp_model.CpModel()
    x = {a: m.new_bool_var(f"x{a}") for a in arcs}
    assume = {
        name: m.new_bool_var(name)
        for name in (OTHERS_KEEP_POSTS, GROUP_LEAVE_LIMIT, BACKBONE_SHARE, ROTATION_MAXIMUM, ROTATION_QUOTA)
    }
    by_teacher: dict[int, list[int]] = {}
    by_need: dict[int, list[int]] = {}
    by_group: dict[tuple[str, str, str], list[int]] = {}
    for a in arcs:
        t = c.teachers[int(c.arc_teacher[a])]
        by_teacher.setdefault(int(c.arc_teacher[a]), []).append(a)
        by_need.setdefault(int(c.arc_need[a]), []).append(a)
        if t.teacher_id not in c.locks.assigned:
            by_group.setdefault((t.school_id, t.stage.value, t.subject.value), []).append(a)
    for group in by_teacher.values():
        m.add(sum(x[a] for a in group) <= 1)
    for j, group in by_need.items():
        n = c.needs[j]
        m.add(sum(x[a] for a in group) <= n.count)
        free = max(0, n.count - taken[(n.school_id, n.stage, n.subject)])
        m.add(sum(x[a] for a in group) <= free).only_enforce_if(assume[OTHERS_KEEP_POSTS])
    sizes = group_sizes(c.dataset)
    for key, group in by_group.items():
        m.add(sum(x[a] for a in group) <= group_leave_cap(sizes[key], c.policy)).only_enforce_if(
            assume[GROUP_LEAVE_LIMIT]
        )
    rotated = sum(x.values()) if x else 0
    is_bb = {a: c.policy.is_backbone(c.teachers[int(c.arc_teacher[a])].backbone) for a in arcs}
    bb = sum(x[a] for a in arcs if is_bb[a]) if x else 0
    share = per_mille(c.policy.backbone_share)
    m.add(rotated <= quota.maximum).only_enforce_if(assume[ROTATION_MAXIMUM])
    if backbone:
        # the share must hold at the quota's size, whatever else moves
        m.add(PER_MILLE * bb >= share * quota.required)
        m.add(PER_MILLE * bb >= share * rotated)
        m.add(rotated >= quota.required).only_enforce_if(assume[ROTATION_QUOTA])
    else:
        m.add(rotated >= quota.required)
        m.add(PER_MILLE * bb >= share * rotated).only_enforce_if(assume[BACKBONE_SHARE])
    m.add_assumptions(list(assume.values()))
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = min(DIAGNOSIS_SECONDS, time_limit)
    status = solver.solve(m)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    if status != cp_model.INFEASIBLE:
        return [UNDIAGNOSED]
    names = {v.index: k for k, v in assume.items()}
    core = [names[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in names]
    return sorted(core)


def conflict_cause(c: Candidates, core: list[str] | None) -> tuple[str, str, str]:
    """(code, Chinese, English) of a diagnosis: the rules that together block the quota."""
    zh = describe_conflict(c, core)
    if core is None:
        return "county_wide", zh, "the school could meet it alone, but not with the county's senior-title tilt or other schools' quotas"
    if not core:
        return "no_posts", zh, "too few matching open posts for this school's eligible teachers"
    if core == [UNDIAGNOSED]:
        return UNDIAGNOSED, zh, "the rules in conflict were not diagnosed within the time limit (a longer --time-limit gives the full diagnosis)"
    words = {
        OTHERS_KEEP_POSTS: "the matching posts are taken by other schools' teachers",
        GROUP_LEAVE_LIMIT: f"at most {c.policy.max_group_leave_share:.0%} of a school's subject group may leave in a year",
        BACKBONE_SHARE: f"sending more must keep the {c.policy.backbone_share:.0%} backbone share",
        ROTATION_MAXIMUM: f"no more than the {c.policy.max_rotation_rate:.0%} maximum may rotate",
        ROTATION_QUOTA: "the rotation quota must be met at the same time",
    }
    return "conflict:" + "+".join(core), zh, ", and ".join(words[name] for name in core)


def describe_conflict(c: Candidates, core: list[str] | None) -> str:
    if core is None:
        return "本校单独可以达标，但与全县高级职称倾斜要求或其他学校的达标要求相冲突"
    if not core:
        return "本校可交流教师能去的对口岗位总数不足"
    if core == [UNDIAGNOSED]:
        return "具体冲突规则未能在时限内诊断（以上为数据层面的原因；延长 --time-limit 可得到完整诊断）"
    words = {
        OTHERS_KEEP_POSTS: "接收学校对口岗位已被其他学校教师占满",
        GROUP_LEAVE_LIMIT: f"受同校同学科教师一年交流不超过{c.policy.max_group_leave_share:.0%}的限制",
        BACKBONE_SHARE: f"派出更多教师须同时满足{c.policy.backbone_share:.0%}骨干比例",
        ROTATION_MAXIMUM: f"交流人数不得超过{c.policy.max_rotation_rate:.0%}上限",
        ROTATION_QUOTA: "须同时派足交流人数",
    }
    return "，且".join(words[name] for name in core)
