"""The ranking of rounds 1 and 2 is stated, and ties are broken by a seeded lottery, not by id."""

from __future__ import annotations

from datetime import date

from rotation.enums import Area, Gender, SchoolStage, Stage, Subject
from rotation.hiring import AllocationRound, HiringPolicy, check_allocation
from rotation.models import Dataset, School, Teacher
from rotation.staffing import StaffingNorms
from solver.assign_unplaced import run_allocation

MATH_ONLY = StaffingNorms(periods={Stage.PRIMARY: {Subject.MATH: 1.0}})
YEAR = 2026


def equals_county(n: int = 12) -> Dataset:
    """One school with 2 math posts (38 pupils) and ``n`` teachers alike in every ranked way."""
    school = School(
        school_id="U1", name="学校U1", area=Area.URBAN, stage=SchoolStage.PRIMARY,
        students=38, classes=0,
    )  # fmt: skip
    teachers = [
        Teacher(
            teacher_id=f"T{i:02d}",
            name=f"教师{i}",
            gender=Gender.FEMALE,
            birth_date=date(1985, 1, 1),
            school_id="U1",
            stage=Stage.PRIMARY,
            subject=Subject.MATH,
            school_start_year=2015,
        )  # fmt: skip
        for i in range(n)
    ]
    return Dataset.build([school], teachers)


def kept(result_rows: object) -> set[str]:
    return {r.teacher_id for r in result_rows if r.round is AllocationRound.KEPT}  # type: ignore[attr-defined]


def test_without_scores_the_reasons_say_the_order_used_not_an_evaluation() -> None:
    ds = equals_county()
    result = run_allocation(ds, YEAR, norms=MATH_ONLY)
    assert "未提供评价分" in result.metrics["ranking"]
    assert "抽签种子 2026" in result.metrics["ranking"]
    assert result.metrics["lottery_seed"] == YEAR
    for row in result.rows:
        assert "按评价" not in row.reason
        assert "按综合排序" in row.reason


def test_with_scores_the_reasons_say_evaluation_and_the_unscored_are_named() -> None:
    ds = equals_county(4)
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, scores={"T00": 90.0, "T01": 80.0})
    assert kept(result.rows) == {"T00", "T01"}
    reasons = {r.teacher_id: r.reason for r in result.rows}
    assert "按评价排第1位" in reasons["T00"]
    assert "无评价分，按综合排序" in reasons["T03"]
    assert "按评价分从高到低" in result.metrics["ranking"]


def test_ties_are_drawn_by_lottery_so_the_lowest_ids_are_not_always_kept() -> None:
    ds = equals_county()
    outcomes = []
    for seed in range(8):
        policy = HiringPolicy(lottery_seed=seed)
        result = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=policy)
        assert len(kept(result.rows)) == 2
        assert check_allocation(ds, result, norms=MATH_ONLY, policy=policy) == []
        outcomes.append(frozenset(kept(result.rows)))
    assert len(set(outcomes)) > 1, "the seed changes who wins a tie"
    assert any(o != {"T00", "T01"} for o in outcomes), "ids decide nothing"


def test_the_same_seed_draws_the_same_order() -> None:
    ds = equals_county()
    policy = HiringPolicy(lottery_seed=20260901)
    first = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=policy)
    again = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=policy)
    assert first.rows == again.rows


def test_the_checker_uses_the_same_draw_and_catches_a_spoiled_tie_break() -> None:
    ds = equals_county()
    policy = HiringPolicy(lottery_seed=7)
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=policy)
    winners = kept(result.rows)
    loser = next(r for r in result.rows if r.teacher_id not in winners)
    winner = next(r for r in result.rows if r.teacher_id in winners)
    swapped = [
        r.model_copy(update={"teacher_id": loser.teacher_id, "name": loser.name}) if r is winner
        else r.model_copy(update={"teacher_id": winner.teacher_id, "name": winner.name})
        if r is loser
        else r
        for r in result.rows
    ]  # fmt: skip
    spoiled = result.model_copy(update={"rows": tuple(swapped)})
    problems = check_allocation(ds, spoiled, norms=MATH_ONLY, policy=policy)
    assert problems, "keeping the lottery's loser over its winner is caught"
