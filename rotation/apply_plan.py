"""The adopted plan applied to the roster: next school year's roster (issue 15 item 3).

What the plan of school year Y changes for school year Y + 1:

- A moved teacher keeps the post at the home school (``school_id``: 县管校聘 exchange keeps
  the teacher's 人事关系 and tenure there) and serves at the destination: the optional
  columns ``exchange_school_id`` (交流所在学校) and ``exchange_end_year`` (交流期满学年)
  record where and until when. Eligibility then reads 正在交流期内, and the 2017 indicators
  count the teacher where they teach.
- A teacher whose exchange term has ended by Y + 1 (one begun earlier, or a one-year term of
  this plan) is back at the home school: the exchange columns are cleared and
  ``last_exchange_year`` becomes the term's last school year, which starts the cooldown.
- Rural service (``rural_service_years``, the senior-title rule's 农村或薄弱学校任教经历, issue
  18) grows by one for every teacher who taught school year Y at a rural or weak school on
  exchange (this plan's moves, 支教 included, and terms begun earlier); a 支教 is back at the
  home school the next year like any one-year term.
- Declared needs (needs.csv) lose the posts this plan filled with a term that goes on into
  Y + 1 (a 支教's post is open again when it comes back); needs derived from the staffing
  norms are derived again from the new roster when it is read. ``needs_left`` says how many
  declared posts remain: none left means next year's posts must be declared anew (or the
  file removed so they are derived), which the CLI says.
- 走教 hour needs (hours_needs.csv) carry over, less a full load
  (``itinerant_full_load_hours``) for each of this plan's movers of that stage and subject
  whose term goes on at the school, as the outlook rolls them (``hours_left``).
- A teacher placed in 跟岗学习 (``shadowing``) has had the term asked for: ``seeks_shadowing``
  is cleared, so next year's plan does not place the same teacher again unasked.
- The principal exchange (校长交流, ``principals``): a leader who leaves serves at the new
  school in the post the plan gives, which starts there in Y; a vice-principal promoted in
  place is 校长 from Y. Their post moves with them, unlike a teacher's term: the rules and
  the reasons are ``rotation.leader_moves`` (shared with the outlook).

Tenure needs no update: it is counted from ``school_start_year`` to the plan year, and the
home school does not change. Everything here is solver-free and checked by the caller.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict

from rotation.exchange_forms import ShadowingPlacement, serves_rural_or_weak
from rotation.itinerant import hours_left
from rotation.leader_moves import leaders_moved_by_teacher_plan, roll_leaders
from rotation.models import Dataset, Need, Teacher
from rotation.plan import Assignment
from rotation.policy import Policy
from rotation.principals import PrincipalExchange


class AppliedYear(BaseModel):
    """What applying a plan did, in counts an officer can check against the plan."""

    model_config = ConfigDict(frozen=True)

    plan_year: int
    next_year: int
    started: int  # teachers now serving on exchange under this plan
    returned: int  # teachers back at the home school (terms ended by next_year)
    still_away: int  # teachers on an earlier exchange that goes on
    needs_filled: int  # declared posts taken off: filled by a term that goes on next year
    needs_left: int = 0  # declared posts still open next year (0 with derived needs)
    hours_left: int = 0  # 走教 weekly hours still needed next year (hours_needs.csv)
    leaders_due: int = 0  # principals and vice-principals due in the plan year (校长交流)
    leaders_moved: int = 0  # leaders now serving at another school
    leaders_promoted: int = 0  # vice-principals promoted to principal in place
    shadowing_done: int = 0  # 跟岗学习 placements whose application is now fulfilled


def _returned(teacher: Teacher, end: int) -> Teacher:
    return teacher.model_copy(
        update={"exchange_school_id": None, "exchange_end_year": None, "last_exchange_year": end}
    )


def _with_service(
    dataset: Dataset, teacher: Teacher, school_id: str | None, policy: Policy
) -> Teacher:
    """The teacher with one more year of rural service when school year Y was served at
    ``school_id``, a rural or weak school on exchange."""
    school = dataset.school.get(school_id or "")
    if school is None or not serves_rural_or_weak(school, policy):
        return teacher
    return teacher.model_copy(update={"rural_service_years": teacher.rural_service_years + 1})


def apply_moves(
    dataset: Dataset,
    moves: Sequence[Assignment],
    plan_year: int,
    policy: Policy | None = None,
    principals: PrincipalExchange | None = None,
    shadowing: Sequence[ShadowingPlacement] = (),
) -> tuple[Dataset, AppliedYear]:
    """The roster of school year ``plan_year + 1`` after the plan's ``moves``, its
    principal exchange ``principals`` (none: the leaders stay as they are) and its 跟岗学习
    placements ``shadowing``."""
    policy = policy or Policy()
    next_year = plan_year + 1
    by_teacher = {a.teacher_id: a for a in moves}
    unknown = sorted(set(by_teacher) - set(dataset.teacher))
    if unknown:
        raise ValueError(
            f"方案中的教师不在名单中 / plan teachers not in the roster: {unknown[:10]}"
        )
    teachers: list[Teacher] = []
    started = returned = still_away = 0
    for t in dataset.teachers:
        move = by_teacher.get(t.teacher_id)
        served_at = move.to_school_id if move is not None else None
        if served_at is None and t.on_exchange_in(plan_year):
            served_at = t.exchange_school_id
        t = _with_service(dataset, t, served_at, policy)
        if move is not None:
            if move.end_year < next_year:  # a term already over (one year of 支教)
                teachers.append(_returned(t, move.end_year))
                returned += 1
            else:
                teachers.append(
                    t.model_copy(
                        update={
                            "exchange_school_id": move.to_school_id,
                            "exchange_end_year": move.end_year,
                        }
                    )
                )
                started += 1
        elif t.exchange_school_id is not None:
            end = t.exchange_end_year if t.exchange_end_year is not None else plan_year
            if end < next_year:
                teachers.append(_returned(t, end))
                returned += 1
            else:
                teachers.append(t)
                still_away += 1
        else:
            teachers.append(t)
    leaving = leaders_moved_by_teacher_plan(dataset, by_teacher, policy)
    rolled, leaders = roll_leaders(
        dataset, {t.teacher_id: t for t in teachers}, principals, plan_year, policy,
        left_post=leaving,
    )  # fmt: skip
    placed = {p.teacher_id for p in shadowing}
    teachers = [
        t.model_copy(update={"seeks_shadowing": False}) if t.teacher_id in placed else t
        for t in rolled.values()
    ]
    staying = [a for a in moves if a.end_year >= next_year]  # a 支教 has come back
    filled = Counter((a.to_school_id, a.stage, a.subject) for a in staying)
    hours = hours_left(dataset.hour_needs, filled, policy)
    needs: list[Need] = []
    needs_filled = 0
    if dataset.needs_declared:
        for n in dataset.needs:
            taken = min(n.count, filled.get(n.key, 0))
            needs_filled += taken
            if n.count > taken:
                needs.append(n.model_copy(update={"count": n.count - taken}))
        roster = Dataset.build(dataset.schools, teachers, needs, hour_needs=hours)
    else:
        roster = Dataset.build(
            dataset.schools, teachers, dataset.needs, needs_declared=False, hour_needs=hours
        )
    summary = AppliedYear(
        plan_year=plan_year,
        next_year=next_year,
        started=started,
        returned=returned,
        still_away=still_away,
        needs_filled=needs_filled,
        needs_left=sum(n.count for n in needs),
        hours_left=sum(h.hours for h in hours),
        leaders_due=leaders.due,
        leaders_moved=leaders.moved,
        leaders_promoted=leaders.promoted_in_place,
        shadowing_done=sum(1 for t in dataset.teachers if t.teacher_id in placed),
    )
    return roster, summary
