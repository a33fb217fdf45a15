"""Which declared needs a plan leaves open, and why, as typed rows.

For each need short of its count, the cause is the first that holds:

1. ``not_open``: the school does not receive exchange teachers of that stage;
2. ``locks``: the school is blocked this year;
3. ``no_eligible_teacher``: no teacher of that stage and subject at another school is
   eligible anywhere in the county;
4. ``distance_limit`` / ``locks``: every eligible one is kept away by the distance limit
   or by a lock (stay, or assigned elsewhere): the rules ``DISTANCE_LIMIT``,
   ``LOCK_STAY`` and ``LOCK_ASSIGN``;
5. ``needed_elsewhere``: eligible teachers could come, but each is needed more elsewhere
   (moved to another post, or held by their school's maximum, the group leave limit,
   nearer or higher-priority posts).

Solver-free in its inputs (the roster, the locks, the plan's moves); callable from
wherever a plan is finished.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from rotation.enums import Stage, Subject
from rotation.models import Need, Teacher
from rotation.plan import Assignment, UnfilledCause, UnfilledNeed
from rotation.roles import school_role
from rotation.rule_names import RuleName
from solver.candidates import Candidates

Post = tuple[Stage, Subject]


def unfilled_needs(c: Candidates, assignments: list[Assignment] | tuple[Assignment, ...]) -> list[UnfilledNeed]:
    """Every declared need the plan leaves short, with its cause, in the needs' order."""
    filled: Counter[tuple[str, Stage, Subject]] = Counter((a.to_school_id, a.stage, a.subject) for a in assignments)
    short = [n for n in c.dataset.needs if filled[n.key] < n.count]
    if not short:
        return []
    moved = {a.teacher_id: a.to_school_id for a in assignments}
    eligible_by_post: dict[Post, list[Teacher]] = defaultdict(list)
    for t in c.eligible:
        eligible_by_post[(t.stage, t.subject)].append(t)
    return [_row(c, n, min(filled[n.key], n.count), eligible_by_post, moved) for n in short]


def _row(
    c: Candidates, n: Need, filled: int, eligible_by_post: dict[Post, list[Teacher]], moved: dict[str, str]
) -> UnfilledNeed:
    school = c.dataset.school[n.school_id]
    post_zh = f"{n.stage.label_zh}{n.subject.label_zh}"
    post_en = f"{n.stage.value} {n.subject.value}"

    def row(cause: UnfilledCause, zh: str, en: str) -> UnfilledNeed:
        return UnfilledNeed(
            school_id=n.school_id,
            school_name=school.name,
            stage=n.stage,
            subject=n.subject,
            count=n.count,
            filled=filled,
            cause=cause,
            reason_zh=zh,
            reason_en=en,
        )

    if not school_role(school).receives or not school.offers(n.stage):
        return row(
            UnfilledCause.NOT_OPEN,
            f"{school.name}不是接收{n.stage.label_zh}交流教师的学校",
            f"{school.name} does not receive {n.stage.value} exchange teachers",
        )
    if n.school_id in c.locks.blocked_schools:
        return row(UnfilledCause.LOCKS, "该校已锁定为本年不接收", "the school is blocked this year")
    candidates = [t for t in eligible_by_post.get((n.stage, n.subject), []) if t.school_id != n.school_id]
    if not candidates:
        total = sum(1 for t in c.dataset.teachers if (t.stage, t.subject) == (n.stage, n.subject))
        return row(
            UnfilledCause.NO_ELIGIBLE_TEACHER,
            f"全县没有符合交流条件的{post_zh}教师（该学科教师共{total}人）",
            f"no {post_en} teacher in the county is eligible for exchange ({total} teach it)",
        )
    kept_away = _kept_away(c, n, candidates)
    free = [t for t in candidates if t.teacher_id not in kept_away]
    if not free:
        distance = sum(1 for r in kept_away.values() if r is RuleName.DISTANCE_LIMIT)
        locked = len(kept_away) - distance
        limit = c.policy.max_distance_km
        if distance >= locked:
            return row(
                UnfilledCause.DISTANCE_LIMIT,
                f"可交流的{post_zh}教师{len(candidates)}人中{distance}人距离超过{limit:g}公里"
                + (f"，{locked}人被锁定" if locked else ""),
                f"{distance} of the {len(candidates)} eligible {post_en} teachers are beyond {limit:g} km"
                + (f", {locked} are locked" if locked else ""),
            )
        return row(
            UnfilledCause.LOCKS,
            f"可交流的{post_zh}教师{len(candidates)}人中{locked}人被锁定留任或锁定到其他学校"
            + (f"，{distance}人距离超过上限" if distance else ""),
            f"{locked} of the {len(candidates)} eligible {post_en} teachers are locked to stay or elsewhere"
            + (f", {distance} are beyond the distance limit" if distance else ""),
        )
    elsewhere = sum(1 for t in free if t.teacher_id in moved)
    away_zh = f"（另有{len(kept_away)}人因距离上限或锁定不能来）" if kept_away else ""
    away_en = f" ({len(kept_away)} more are kept away by the distance limit or locks)" if kept_away else ""
    return row(
        UnfilledCause.NEEDED_ELSEWHERE,
        f"可交流的{post_zh}教师{len(free)}人{away_zh}中{elsewhere}人已交流到其他岗位，其余受本校交流人数上限、"
        "同组交流比例限制，或留给更近、更优先的岗位",
        f"of {len(free)} eligible {post_en} teachers{away_en}, {elsewhere} fill other posts; the rest are "
        "held by their school's maximum, the group leave limit, or nearer or higher-priority posts",
    )


def _kept_away(c: Candidates, n: Need, candidates: list[Teacher]) -> dict[str, RuleName]:
    """Teacher → the rule that keeps them from this need: a stay lock, a lock to another
    school, or the distance limit (a teacher locked to this school is exempt from it)."""
    out: dict[str, RuleName] = {}
    limit = c.policy.max_distance_km
    far: dict[str, bool] = {}
    for t in candidates:
        target = c.locks.assigned.get(t.teacher_id)
        if t.teacher_id in c.locks.staying:
            out[t.teacher_id] = RuleName.LOCK_STAY
        elif target is not None and target != n.school_id:
            out[t.teacher_id] = RuleName.LOCK_ASSIGN
        elif limit is not None and target is None:
            if t.school_id not in far:
                d = c.dataset.distance_km(t.school_id, n.school_id)
                far[t.school_id] = d is not None and d > limit + 1e-9
            if far[t.school_id]:
                out[t.teacher_id] = RuleName.DISTANCE_LIMIT
    return out
