"""The plan's principal exchange (校长交流) carried into next school year's roster.

One function for both places that roll a roster forward a year: ``rotation apply``
(``rotation.apply_plan``) and the outlook (``rotation.outlook``). What the plan of school
year Y changes for the leaders, and why it differs from a teacher's exchange term:

- A leader who leaves (校长交流, 副校长交流, 交流提任校长) takes up the post at the new school:
  ``school_id`` becomes the destination, ``position`` the new post and ``post_start_year``
  and ``school_start_year`` the plan year Y. Unlike a teacher, whose post stays at the home
  school during a term (``exchange_school_id`` / ``exchange_end_year``, then back home),
  a leader's post does not come back: the old school's post is filled by the incoming or
  promoted leader in the same plan, and the principals' rules (one principal per school,
  vice-principal posts, who is due) count a leader at ``school_id``. So the exchange
  columns stay blank and the home school is the new one; ``last_exchange_year`` is Y, the
  year of the exchange (the teacher rules' cooldown counts from it), and the new start
  years make the term (届) count again from Y: the leader is not due again until
  ``principal_terms`` full terms later.
- School year Y served at a rural or weak destination adds one year of
  ``rural_service_years``, as for a teacher's exchange.
- A vice-principal promoted in place (本校提任校长) becomes 校长 at the same school with
  ``post_start_year`` Y; it is not an exchange, so nothing else changes.
- With ``principals_in_teacher_quota`` a leader the teacher plan moves leaves the post (the
  principals' rules refill it): the teacher goes on exchange as a 教师, ``post_start_year``
  blank.

Solver-free; the caller has checked the plan (``rotation.principal_checks``). After the
moves every school that had a principal has exactly one (or a vacancy the plan reports)
and none gains a second: anything else raises, as a bug, never as data.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import Position
from rotation.exchange_forms import serves_rural_or_weak
from rotation.models import Dataset, Teacher
from rotation.policy import Policy
from rotation.principals import LeaderMove, PrincipalExchange


class LeadersRolled(BaseModel):
    """What the principal exchange did to next year's roster, in counts."""

    model_config = ConfigDict(frozen=True)

    due: int = Field(0, description="任职期满的校长、副校长 in the plan year (the plan's figure)")
    moved: int = Field(0, description="leaders now serving at another school")
    promoted_in_place: int = Field(0, description="vice-principals now 校长 of their school")
    left_post: int = Field(0, description="leaders the teacher plan moved: now 教师")


def leaders_moved_by_teacher_plan(
    dataset: Dataset, teacher_ids: Collection[str], policy: Policy
) -> frozenset[str]:
    """The leaders among the teacher plan's movers who leave their post: only under
    ``principals_in_teacher_quota`` (otherwise leaders are never in the teacher pool)."""
    if not policy.principals_in_teacher_quota:
        return frozenset()
    return frozenset(
        tid for tid in teacher_ids if tid in dataset.teacher and dataset.teacher[tid].position.leads
    )


def _principals(teachers: Mapping[str, Teacher]) -> Counter[str]:
    return Counter(t.school_id for t in teachers.values() if t.position is Position.PRINCIPAL)


def roll_leaders(
    dataset: Dataset,
    teachers: Mapping[str, Teacher],
    exchange: PrincipalExchange | None,
    plan_year: int,
    policy: Policy,
    *,
    left_post: Collection[str] = (),
) -> tuple[dict[str, Teacher], LeadersRolled]:
    """``teachers`` (next year's, by id, the teacher plan already applied) with the leaders'
    moves of ``exchange`` made; ``dataset`` is the plan year's roster the plan was made on,
    ``left_post`` the leaders the teacher plan moved (``leaders_moved_by_teacher_plan``)."""
    out = dict(teachers)
    # principals by the school of their post, as the plan year's rules counted them
    before = Counter(t.school_id for t in dataset.teachers if t.position is Position.PRINCIPAL)
    for tid in sorted(left_post):
        if tid in out:
            out[tid] = out[tid].model_copy(
                update={"position": Position.TEACHER, "post_start_year": None}
            )
    if exchange is None:
        return out, LeadersRolled(left_post=len(left_post))
    moved = in_place = 0
    for m in exchange.moves:
        t = out.get(m.teacher_id)
        was = dataset.teacher.get(m.teacher_id)
        if (
            t is None
            or was is None
            or (was.school_id, was.position) != (m.from_school_id, m.position)
        ):
            raise ValueError(
                f"校长交流与名单不符：{m.teacher_id} / the principal exchange does not match "
                f"the roster: {m.teacher_id}"
            )
        if m.kind is LeaderMove.PROMOTED_IN_PLACE:
            out[t.teacher_id] = t.model_copy(
                update={"position": Position.PRINCIPAL, "post_start_year": plan_year}
            )
            in_place += 1
            continue
        service = t.rural_service_years
        if serves_rural_or_weak(dataset.school[m.to_school_id], policy):
            service += 1
        out[t.teacher_id] = t.model_copy(
            update={
                "school_id": m.to_school_id,
                "position": m.new_position,
                "post_start_year": plan_year,
                "school_start_year": plan_year,
                "last_exchange_year": plan_year,
                "exchange_school_id": None,
                "exchange_end_year": None,
                "rural_service_years": service,
            }
        )
        moved += 1
    _assert_one_principal(before, _principals(out), exchange, dataset)
    return out, LeadersRolled(
        due=exchange.due, moved=moved, promoted_in_place=in_place, left_post=len(left_post)
    )


def _assert_one_principal(
    before: Counter[str], after: Counter[str], exchange: PrincipalExchange, dataset: Dataset
) -> None:
    """The one-principal rule on the rolled roster (the checker's reading): a school that
    had a principal has one, unless the plan reports the vacancy; none gains a second."""
    reported = {v.school_id for v in exchange.vacancies}
    wrong = [
        f"{s.school_id}: {before[s.school_id]} → {after[s.school_id]}"
        for s in dataset.schools
        if after[s.school_id] > max(1, before[s.school_id])
        or (before[s.school_id] and not after[s.school_id] and s.school_id not in reported)
    ]
    if wrong:
        raise RuntimeError(
            "校长交流落实后学校校长人数不对 / a school has no principal or two after the "
            f"principal exchange: {'; '.join(wrong[:10])}"
        )
