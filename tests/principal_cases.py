"""A small county with principals and vice-principals, and plans spoiled on purpose for
each of the principals' rules (used by tests/test_checker_catches.py).

U1 and U2 are urban primary schools, R1 rural, R2 rural and weak, all near each other
(R2 110 km away only in ``far``). Due (past two 3-year terms): principals P1 (U1) and P4
(R2), vice-principal V1 (U1). Not due: principals P2 (U2) and P3 (R1). The clean plan
swaps P1 and P4 and explains V1, who stays."""

from __future__ import annotations

from collections.abc import Callable

from builders import YEAR, county, rural, school, teacher

from rotation.compliance import compliance_rows
from rotation.enums import Position
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from rotation.principals import LeaderMove, PrincipalExchange, PrincipalMove, PrincipalNotMoved
from rotation.rule_names import RuleName

Case = tuple[RuleName, Plan, Policy, str, Dataset]


def leaders_county(*, far: bool = False) -> Dataset:
    schools = [
        school("U1"),
        school("U2"),
        rural("R1"),
        rural("R2", weak=True, lat=25.0 if far else 24.05),
    ]
    due, fresh = {"post_start_year": 2015}, {"post_start_year": 2023}
    teachers = [
        teacher("P1", "U1", position=Position.PRINCIPAL, **due),
        teacher("V1", "U1", position=Position.VICE_PRINCIPAL, **due),
        teacher("P2", "U2", position=Position.PRINCIPAL, **fresh),
        teacher("P3", "R1", position=Position.PRINCIPAL, **fresh),
        teacher("P4", "R2", position=Position.PRINCIPAL, **due),
    ]
    return county(schools, teachers, [])


def move(d: Dataset, tid: str, to: str, kind: LeaderMove) -> PrincipalMove:
    t = d.teacher[tid]
    return PrincipalMove(
        teacher_id=tid, name=t.name, position=t.position, new_position=kind.new_position,
        kind=kind, from_school_id=t.school_id, to_school_id=to,
        school_stage=d.school[to].stage, start_year=YEAR, end_year=YEAR + 2,
    )  # fmt: skip


def stays(d: Dataset, tid: str) -> PrincipalNotMoved:
    t = d.teacher[tid]
    return PrincipalNotMoved(
        teacher_id=tid, name=t.name, position=t.position, school_id=t.school_id,
        reason_zh="同学段学校本年腾不出副校长职位", reason_en="no post freed",
    )  # fmt: skip


def plan_with(d: Dataset, ex: PrincipalExchange, policy: Policy) -> Plan:
    rows = tuple(compliance_rows(d, {}, YEAR, policy))
    return Plan(year=YEAR, assignments=(), compliance=rows, principals=ex)


def clean(d: Dataset) -> PrincipalExchange:
    return PrincipalExchange(
        principals=4, vice_principals=1, due=3, required=3, moved=2,
        moves=(move(d, "P1", "R2", LeaderMove.PRINCIPAL), move(d, "P4", "U1", LeaderMove.PRINCIPAL)),
        not_moved=(stays(d, "V1"),),
    )  # fmt: skip


def clean_plan(policy: Policy) -> Plan:
    d = leaders_county()
    return plan_with(d, clean(d), policy)


def _not_due() -> Case:
    d, policy = leaders_county(), Policy()
    ex = clean(d)
    swap = (move(d, "P2", "R1", LeaderMove.PRINCIPAL), move(d, "P3", "U2", LeaderMove.PRINCIPAL))
    ex = ex.model_copy(update={"moves": ex.moves + swap})
    return RuleName.PRINCIPAL_DUE, plan_with(d, ex, policy), policy, "P2", d


def _too_far() -> Case:
    d, policy = leaders_county(far=True), Policy(max_distance_km=50)
    return RuleName.PRINCIPAL_DESTINATION, plan_with(d, clean(d), policy), policy, "P1", d


def _no_principal_left() -> Case:
    d, policy = leaders_county(), Policy()
    ex = clean(d)
    ex = ex.model_copy(
        update={"moves": ex.moves[:1], "moved": 1, "not_moved": (*ex.not_moved, stays(d, "P4"))}
    )
    return RuleName.ONE_PRINCIPAL_PER_SCHOOL, plan_with(d, ex, policy), policy, "U1", d


def _vice_post_added() -> Case:
    d, policy = leaders_county(), Policy()
    ex = clean(d)
    ex = ex.model_copy(
        update={
            "moves": (*ex.moves, move(d, "V1", "R1", LeaderMove.VICE_PRINCIPAL)),
            "moved": 3,
            "not_moved": (),
        }
    )
    return RuleName.VICE_PRINCIPAL_POSTS, plan_with(d, ex, policy), policy, "R1", d


def _unexplained() -> Case:
    d, policy = leaders_county(), Policy()
    ex = clean(d).model_copy(update={"not_moved": ()})
    return RuleName.PRINCIPAL_QUOTA, plan_with(d, ex, policy), policy, "V1", d


PRINCIPAL_SPOILS: dict[str, Callable[[], Case]] = {
    "principal not due moved": _not_due,
    "principal beyond the distance limit": _too_far,
    "school left without a principal": _no_principal_left,
    "vice-principal posts increased": _vice_post_added,
    "due principal not moved unexplained": _unexplained,
}
