"""The independent check of an allocation: the rules recomputed from the input."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from rotation.hiring.levels import may_move, school_level_label
from rotation.hiring.policy import HiringPolicy
from rotation.hiring.posts import PostKey, post_label
from rotation.hiring.protection import protected_teachers
from rotation.hiring.ranking import merit_order
from rotation.hiring.results import AllocationResult, AllocationRound, AllocationRow
from rotation.hiring.rounds import round_two_preferences, vacancies_after_round_one
from rotation.hiring.subject_change import subject_change_kind
from rotation.models import ApprovedPost, Dataset
from rotation.staffing import SchoolStaffing, StaffingNorms, allocation_staffing


@dataclass(frozen=True, slots=True)
class AllocationViolation:
    rule: str
    subject: str
    message: str


def check_allocation(
    dataset: Dataset,
    result: AllocationResult,
    *,
    norms: StaffingNorms | None = None,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
    posts: Sequence[ApprovedPost] | None = None,
) -> list[AllocationViolation]:
    """Recompute the rules from the input (not from the rounds' code paths) and list breaches:
    everyone exactly once, destinations offer the post, capacities (counted by the subject of
    the post filled), 转岗 only in round 3 and only as the compatibility rule allows, round 1
    by evaluation, the level rule, no blocking pair in round 2, a reason for every unplaced
    teacher."""
    policy = policy or HiringPolicy()
    out: list[AllocationViolation] = []
    seen = Counter(r.teacher_id for r in result.rows)
    for tid, n in seen.items():
        if n > 1:
            out.append(
                AllocationViolation("once", tid, f"教师出现{n}次 / teacher listed {n} times")
            )
        if tid not in dataset.teacher:
            out.append(AllocationViolation("once", tid, "未知教师 / unknown teacher"))
    for t in dataset.teachers:
        if t.teacher_id not in seen:
            out.append(AllocationViolation("once", t.teacher_id, "教师缺失 / teacher missing"))
    rows = [r for r in result.rows if r.teacher_id in dataset.teacher]
    staffing = {row.school_id: row for row in allocation_staffing(dataset, norms, posts)}
    order = merit_order(dataset, result.year, scores, policy.seed_for(result.year))
    protected = protected_teachers(dataset, result.year, policy)
    out.extend(
        AllocationViolation(
            "protected",
            r.teacher_id,
            f"受保护教师（{protected[r.teacher_id]}）未直接留任 / a protected teacher was not kept",
        )
        for r in rows
        if r.teacher_id in protected and r.round is not AllocationRound.KEPT
    )
    final_ok = policy.allow_subject_change and policy.final_placement

    filled: Counter[PostKey] = Counter()
    for r in rows:
        t = dataset.teacher[r.teacher_id]
        if r.round is AllocationRound.UNPLACED:
            if r.to_school_id:
                out.append(AllocationViolation("unplaced", r.teacher_id, "待岗人员不应有去向"))
            if not r.reason.strip():
                out.append(
                    AllocationViolation("reason", r.teacher_id, "待岗人员缺少原因 / no reason")
                )
            continue
        if r.to_school_id not in dataset.school:
            out.append(AllocationViolation("post", r.teacher_id, f"未知学校 {r.to_school_id}"))
            continue
        post = r.post_subject or t.subject
        changed = post is not t.subject
        if r.round is AllocationRound.KEPT and (r.to_school_id != t.school_id or changed):
            out.append(
                AllocationViolation(
                    "round", r.teacher_id, "留任须在本校本学科 / kept means own school and subject"
                )
            )
        if r.round is not AllocationRound.KEPT and r.to_school_id == t.school_id and not changed:
            out.append(
                AllocationViolation(
                    "round", r.teacher_id, "本校本学科岗位应为留任 / own post means kept"
                )
            )
        final = r.final_placement and final_ok and r.round is AllocationRound.ASSIGNED
        if changed and not final and (
            r.round is not AllocationRound.ASSIGNED
            or subject_change_kind(t.stage, t.subject, post, policy) is None
        ):
            out.append(
                AllocationViolation(
                    "subject_change",
                    r.teacher_id,
                    f"转岗{post_label(t.stage, t.subject)} → {post_label(t.stage, post)}"
                    "不符合转岗规则 / subject change not allowed by the policy",
                )
            )
        dest = dataset.school[r.to_school_id]
        if not dest.offers(t.stage):
            out.append(
                AllocationViolation("post", r.teacher_id, f"{dest.name}无{t.stage.label_zh}学段")
            )
        if r.round is not AllocationRound.KEPT and not final and not may_move(
            dataset.school[t.school_id], dest, policy
        ):
            out.append(
                AllocationViolation(
                    "level",
                    r.teacher_id,
                    f"从{school_level_label(dataset.school[t.school_id])}流向"
                    f"{school_level_label(dest)}，违反层级规则 / moved up in level",
                )
            )
        filled[(r.to_school_id, t.stage, post)] += 1
    protected_kept: Counter[PostKey] = Counter(
        (dataset.teacher[r.teacher_id].school_id, dataset.teacher[r.teacher_id].stage,
         dataset.teacher[r.teacher_id].subject)
        for r in rows
        if r.round is AllocationRound.KEPT and r.teacher_id in protected
    )  # fmt: skip
    for key, n in filled.items():
        # protected teachers are kept even beyond the posts; nobody else may join them then
        capacity = max(staffing[key[0]].post_count(key[1], key[2]), protected_kept[key])
        if n > capacity:
            out.append(
                AllocationViolation(
                    "capacity",
                    f"{key[0]}/{key[1].value}/{key[2].value}",
                    f"{n} 人占 {capacity} 个岗位",
                )
            )

    # Round 1: within a post, nobody released outranks someone kept; released only when full.
    kept_at: dict[PostKey, list[str]] = defaultdict(list)
    released_at: dict[PostKey, list[str]] = defaultdict(list)
    for r in rows:
        t = dataset.teacher[r.teacher_id]
        key = (t.school_id, t.stage, t.subject)
        (kept_at if r.round is AllocationRound.KEPT else released_at)[key].append(r.teacher_id)
    for key, rel in released_at.items():
        capacity = staffing[key[0]].post_count(key[1], key[2])
        if len(kept_at[key]) < capacity:
            out.append(
                AllocationViolation(
                    "round1", rel[0], "本校岗位未满却未留任 / released with a post free"
                )
            )
        worst_kept = max((order[k] for k in kept_at[key] if k not in protected), default=-1)
        out.extend(
            AllocationViolation("round1", tid, "评价高于留任者却未留任 / outranks a kept teacher")
            for tid in rel
            if order[tid] < worst_kept
        )

    out.extend(_blocking_pairs(dataset, rows, staffing, policy, order))
    return out


def _blocking_pairs(
    dataset: Dataset,
    rows: Sequence[AllocationRow],
    staffing: Mapping[str, SchoolStaffing],
    policy: HiringPolicy,
    order: Mapping[str, int],
) -> list[AllocationViolation]:
    """Round 2 stability: no released teacher t and school s with s on t's list above t's
    round-2 outcome, where s has room at t's post after round 2 or took someone t outranks."""
    kept = {r.teacher_id for r in rows if r.round is AllocationRound.KEPT}
    released = sorted(r.teacher_id for r in rows if r.round is not AllocationRound.KEPT)
    vacancies = vacancies_after_round_one(dataset, staffing, kept)
    prefs = round_two_preferences(dataset, released, vacancies, policy)
    got = {
        r.teacher_id: r.to_school_id
        for r in rows
        if r.round is AllocationRound.CROSS and r.to_school_id is not None
    }
    taken: dict[PostKey, list[str]] = defaultdict(list)
    for tid, sid in got.items():
        t = dataset.teacher[tid]
        taken[(sid, t.stage, t.subject)].append(tid)
    out: list[AllocationViolation] = []
    for tid in released:
        t = dataset.teacher[tid]
        mine = prefs[tid]
        if tid in got and got[tid] not in mine:
            out.append(AllocationViolation("round2", tid, "录用学校不在其申报之列 / not applied"))
            continue
        better = mine[: mine.index(got[tid])] if tid in got else mine
        for sid in better:
            key = (sid, t.stage, t.subject)
            room = vacancies.get(key, 0) - len(taken[key])
            if room > 0 or any(order[tid] < order[o] for o in taken[key]):
                out.append(
                    AllocationViolation(
                        "stability",
                        f"{tid}/{sid}",
                        f"教师{tid}与{dataset.school[sid].name}构成阻塞对 / blocking pair",
                    )
                )
    return out
