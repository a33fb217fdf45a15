"""The three rounds end to end, and the result with every teacher's reason.

Anyone left after round 3 goes to the 待岗培训 list (``unplaced``) with the reason, which
says when the county as a whole has more teachers of that section (or subject) than posts
(结构性超编): no allocation can place them.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rotation.areas import is_rural
from rotation.enums import Stage, Subject
from rotation.hiring.balance import CountyBalance, _structural_note
from rotation.hiring.levels import school_level_label
from rotation.hiring.policy import HiringPolicy
from rotation.hiring.posts import _distance, post_label
from rotation.hiring.ranking import ranking_basis
from rotation.hiring.results import (
    AllocationResult,
    AllocationRound,
    AllocationRow,
    SchoolAllocationSummary,
)
from rotation.hiring.round_three import (
    RoundThreeGroup,
    RoundThreeProblem,
    RoundThreeSolution,
    RoundThreeSolver,
    greedy_round_three,
    round_three_problem,
)
from rotation.hiring.rounds import RoundsState, rounds_one_and_two
from rotation.hiring.subject_change import CHANGE_ZH, subject_change_kind
from rotation.models import ApprovedPost, Dataset, Teacher
from rotation.staffing import StaffingNorms


def _unplaced_reason(
    dataset: Dataset,
    t: Teacher,
    problem: RoundThreeProblem,
    policy: HiringPolicy,
    balance: CountyBalance,
    group: RoundThreeGroup | None,
) -> str:
    label = post_label(t.stage, t.subject)
    same = [
        v
        for v in problem.vacancies
        if v.stage is t.stage and v.subject is t.subject and v.school_id != t.school_id
    ]
    open_subjects = {v.subject for v in problem.vacancies if v.stage is t.stage}
    other = [
        su
        for su in Subject
        if su in open_subjects and subject_change_kind(t.stage, t.subject, su, policy)
    ]
    parts = []
    structural = _structural_note(t, balance)
    if structural:
        parts.append(f"结构性超编：{structural}")
    if not same:
        parts.append(
            f"全县{label}岗位已无空缺，本学科无空缺岗位 / no {t.stage.value} {t.subject.value} "
            "vacancy left in the county"
        )
    if policy.allow_subject_change:
        if other:
            names = "、".join(s.label_zh for s in other)
            parts.append(f"可转岗的{t.stage.label_zh}空缺学科：{names} / subjects open by 转岗")
        else:
            parts.append(
                f"按转岗规则，全县没有本学科可转入的{t.stage.label_zh}空缺 / no vacancy left "
                "that the 转岗 rule opens to this subject"
            )
    if (same or other) and (group is None or not group.arcs):
        home = dataset.school[t.school_id]
        parts.append(
            f"剩余可去的空缺均在层级高于原校（{school_level_label(home)}）的学校，按规定不得向上"
            "流动 / the remaining vacancies are at schools above the teacher's own level"
        )
    elif group is not None and group.arcs:
        parts.append(
            "可调剂（含转岗）的空缺已安排给其他教师（按优先顺序、本学科优先与距离） / the "
            "vacancies this teacher could fill went to others by priority, own subject and distance"
        )
    return "；".join([*parts, "列入待岗培训名单 / put on the 待岗培训 list"])


def final_placement(
    dataset: Dataset,
    state: RoundsState,
    problem: RoundThreeProblem,
    solution: RoundThreeSolution,
    policy: HiringPolicy,
) -> dict[str, tuple[str, Subject]]:
    """组织调剂兜底: with 转岗 allowed, those still unplaced after round 3 take the section's
    remaining vacancies (any subject, after 转岗培训; the level rule does not bind the bureau's
    last step), best evaluated first, own subject, then a compatible one, then any; own
    school, then nearest. So nobody is put on 待岗 while their section has a vacancy: the
    待岗 list is never longer than the county's structural surplus (超编) of each section.
    teacher_id → (school_id, post subject)."""
    if not (policy.allow_subject_change and policy.final_placement):
        return {}
    left: Counter[tuple[str, Stage, Subject]] = Counter()
    for v in problem.vacancies:
        left[(v.school_id, v.stage, v.subject)] += v.count
    for i in solution.placed.values():
        v = problem.vacancies[i]
        left[(v.school_id, v.stage, v.subject)] -= 1
    waiting = sorted(
        (tid for tid in state.released if tid not in state.cross and tid not in solution.placed),
        key=state.order.__getitem__,
    )
    out: dict[str, tuple[str, Subject]] = {}
    for tid in waiting:
        t = dataset.teacher[tid]

        def rank(
            key: tuple[str, Stage, Subject], t: Teacher = t
        ) -> tuple[int, int, float, str, int]:
            sid, _, su = key
            kind = (
                0
                if su is t.subject
                else (1 if subject_change_kind(t.stage, t.subject, su, policy) else 2)
            )
            d = 0.0 if sid == t.school_id else _distance(dataset, t.school_id, sid)
            return (
                kind,
                0 if sid == t.school_id else 1,
                1e9 if d is None else d,
                sid,
                list(Subject).index(su),
            )

        options = [k for k, n in left.items() if n > 0 and k[1] is t.stage]
        if not options:
            continue
        best = min(options, key=rank)
        left[best] -= 1
        out[tid] = (best[0], best[2])
    return out


def finish_allocation(
    dataset: Dataset,
    state: RoundsState,
    problem: RoundThreeProblem,
    solution: RoundThreeSolution,
    policy: HiringPolicy | None = None,
) -> AllocationResult:
    """Every teacher's row with its reason, the per-school summary and the counts."""
    policy = policy or HiringPolicy()
    balance = CountyBalance.of(state.staffing)
    group_of = {tid: g for g in problem.groups for tid in g.teachers}
    rows: list[AllocationRow] = []
    basis_zh, basis_en = ranking_basis(bool(state.scored), state.seed)
    posts_word = "核定" if state.approved_posts else ""
    final = final_placement(dataset, state, problem, solution, policy)
    for t in dataset.teachers:
        tid = t.teacher_id
        label = post_label(t.stage, t.subject)
        by = (
            "按评价"
            if tid in state.scored
            else ("无评价分，按综合排序" if state.scored else "按综合排序")
        )
        base = {
            "teacher_id": tid,
            "name": t.name,
            "from_school_id": t.school_id,
            "stage": t.stage,
            "subject": t.subject,
        }
        if tid in state.kept:
            k, posts = state.kept[tid]
            if tid in state.protected:
                reason = (
                    f"受保护直接留任（{state.protected[tid]}），不参加校内竞聘排序，不列入待岗；"
                    f"本校{posts_word}{label}岗位{posts}个 / kept as protected, outside the ranking"
                )
            else:
                reason = (
                    f"校内竞聘：本校{posts_word}{label}岗位{posts}个，{by}排第{k}位，留任 / kept: "
                    f"ranked {k} for {posts} posts at own school"
                )
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.KEPT,
                    to_school_id=t.school_id,
                    post_subject=t.subject,
                    reason=reason,
                )
            )
            continue
        k, posts = state.released[tid]
        why_out = f"本校{posts_word}{label}岗位{posts}个，{by}排第{k}位未获留任 / not kept (ranked {k}, {posts} posts)"
        if tid in state.cross:
            sid = state.cross[tid]
            choice = state.preferences[tid].index(sid) + 1
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.CROSS,
                    to_school_id=sid,
                    post_subject=t.subject,
                    preference_rank=choice,
                    distance_km=_distance(dataset, t.school_id, sid),
                    reason=f"{why_out}；跨校竞聘：第{choice}志愿{dataset.school[sid].name}{by}录用 / "
                    f"cross-school: accepted by choice {choice}",
                )
            )
            continue
        if tid in solution.placed:
            v = problem.vacancies[solution.placed[tid]]
            dest = dataset.school[v.school_id]
            own = v.school_id == t.school_id
            d = 0.0 if own else _distance(dataset, t.school_id, v.school_id)
            tags = "、".join(
                x
                for x in (
                    dest.priority.label_zh if dest.priority else "",
                    "薄弱学校" if dest.weak else "",
                    "农村学校" if is_rural(dest, policy.rural_areas) else "",
                    "紧缺学科" if v.subject in policy.shortage_subjects else "",
                )
                if x
            )
            where = f"（{tags}）" if tags else ""
            dist = "，本校" if own else (f"，距离{d:.1f}公里" if d is not None else "")
            kind = subject_change_kind(t.stage, t.subject, v.subject, policy)
            change = (
                f"；转岗：{label} → {post_label(v.stage, v.subject)}（{CHANGE_ZH[kind]}，"
                f"须参加转岗培训） / subject change {t.subject.value} → {v.subject.value}"
                if kind
                else ""
            )
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.ASSIGNED,
                    to_school_id=v.school_id,
                    post_subject=v.subject,
                    distance_km=d,
                    reason=f"{why_out}；组织调剂：安排至{dest.name}{where}"
                    f"{post_label(v.stage, v.subject)}空缺{dist}{change} / assigned by the "
                    "bureau to a vacancy",
                )
            )
            continue
        if tid in final:
            sid, post = final[tid]
            dest = dataset.school[sid]
            own = sid == t.school_id
            d = 0.0 if own else _distance(dataset, t.school_id, sid)
            change = (
                f"；转岗：{label} → {post_label(t.stage, post)}（须参加转岗培训）"
                if post is not t.subject
                else ""
            )
            rows.append(
                AllocationRow(
                    **base,
                    round=AllocationRound.ASSIGNED,
                    to_school_id=sid,
                    post_subject=post,
                    distance_km=d,
                    final_placement=True,
                    reason=f"{why_out}；组织调剂兜底安置：其余可调剂空缺已用尽，安排至{dest.name}"
                    f"{post_label(t.stage, post)}空缺{'，本校' if own else ''}{change}；"
                    "本学段全县仍有空缺，不列入待岗 / placed by the bureau's final step into a "
                    "remaining vacancy of the section",
                )
            )
            continue
        applied = len(state.preferences.get(tid, []))
        r2 = (
            f"跨校竞聘申报{applied}所学校均未录用 / not accepted by the {applied} schools applied to"
            if applied
            else "跨校竞聘无可申报的学校 / no school to apply to"
        )
        why_left = _unplaced_reason(dataset, t, problem, policy, balance, group_of.get(tid))
        rows.append(
            AllocationRow(
                **base,
                round=AllocationRound.UNPLACED,
                reason=f"{why_out}；{r2}；{why_left}",
            )
        )
    return AllocationResult(
        year=state.year,
        rows=tuple(rows),
        schools=tuple(_summaries(dataset, state, rows)),
        metrics={
            "ranking": basis_zh,
            "ranking_en": basis_en,
            "lottery_seed": state.seed,
            "teachers": len(rows),
            "kept": sum(r.round is AllocationRound.KEPT for r in rows),
            "cross": sum(r.round is AllocationRound.CROSS for r in rows),
            "assigned": sum(r.round is AllocationRound.ASSIGNED for r in rows),
            "unplaced": sum(r.round is AllocationRound.UNPLACED for r in rows),
            "posts": sum(s.posts for s in state.staffing.values()),
            "subject_changes": sum(
                r.round is AllocationRound.ASSIGNED and r.post_subject is not r.subject
                for r in rows
            ),
            "structural_surplus": sum(balance.stage_surplus(st) for st in Stage),
            "protected": len(state.protected),
            "approved_posts": state.approved_posts,
            "final_placements": len(final),
            **{
                f"surplus_{st.value}": balance.stage_surplus(st)
                for st in Stage
                if balance.stage_surplus(st)
            },
            "round3_groups": len(problem.groups),
            "round3_arcs": problem.arc_count,
            "round3_status": solution.status,
            "round3_objective": solution.objective,
        },
    )


def _summaries(
    dataset: Dataset, state: RoundsState, rows: Sequence[AllocationRow]
) -> list[SchoolAllocationSummary]:
    kept = Counter(r.from_school_id for r in rows if r.round is AllocationRound.KEPT)
    released = Counter(r.from_school_id for r in rows if r.round is not AllocationRound.KEPT)
    cross = Counter(r.to_school_id for r in rows if r.round is AllocationRound.CROSS)
    assigned = Counter(r.to_school_id for r in rows if r.round is AllocationRound.ASSIGNED)
    out = []
    for s in dataset.schools:
        st = state.staffing[s.school_id]
        sid = s.school_id
        out.append(
            SchoolAllocationSummary(
                school_id=sid,
                name=s.name,
                posts=st.posts,
                holders=st.holders,
                kept=kept[sid],
                released=released[sid],
                joined_cross=cross[sid],
                joined_assigned=assigned[sid],
                vacancies_left=st.posts - kept[sid] - cross[sid] - assigned[sid],
            )
        )
    return out


def run_allocation(
    dataset: Dataset,
    year: int,
    *,
    norms: StaffingNorms | None = None,
    policy: HiringPolicy | None = None,
    scores: Mapping[str, float] | None = None,
    round_three: RoundThreeSolver = greedy_round_three,
    posts: Sequence[ApprovedPost] | None = None,
) -> AllocationResult:
    """The three rounds end to end. Pass ``solver.assign_unplaced.solve_round_three`` (or
    call ``solver.assign_unplaced.run_allocation``) for the CP-SAT round 3."""
    policy = policy or HiringPolicy()
    state = rounds_one_and_two(
        dataset, year, norms=norms, policy=policy, scores=scores, posts=posts
    )
    problem = round_three_problem(dataset, state, policy)
    return finish_allocation(dataset, state, problem, round_three(problem), policy)
