"""The outlook over three years on the small county: nobody on two exchanges at once, returns
when terms end, retirements replaced, and every year's figures recomputed from the rolled roster."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from rotation.eligibility import eligible_teachers
from rotation.enums import ExchangeForm, Title
from rotation.indicators import county_indicators
from rotation.io import write_dataset
from rotation.models import Dataset
from rotation.outlook import OutlookAssumptions, OutlookState, roll_forward
from rotation.policy import Policy
from rotation.retirement import retired_by, teacher_retirement
from sample_data import generate
from solver.options import SolveOptions
from solver.plan_year import plan_year
from solver.sweep import OutlookResult
from workflows.outlook import run_outlook

OPTIONS = SolveOptions(backend="highs", time_limit=5)


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate("small", seed=1, year=2025)


@pytest.fixture(scope="module")
def two_year_terms(small: Dataset) -> tuple[Policy, OutlookResult]:
    policy = Policy().with_overrides({"term_years": 2})
    return policy, run_outlook(
        small, 2025, 2027, policy, OutlookAssumptions(), options=OPTIONS, keep_states=True
    )


def test_no_teacher_is_on_two_exchanges_at_once(
    two_year_terms: tuple[Policy, OutlookResult],
) -> None:
    _, result = two_year_terms
    assert [y["year"] for y in result.years] == [2025, 2026, 2027]
    for state, plan in zip(result.states, result.plans, strict=False):
        on_exchange = {e.teacher_id for e in state.exchanges}
        assert not on_exchange & set(plan.moves), state.year
        assert plan.check is not None and plan.check.ok
    assert result.plans[0].assignments, "the first year moves somebody"


def test_teachers_return_home_when_their_term_ends(
    two_year_terms: tuple[Policy, OutlookResult],
) -> None:
    _, result = two_year_terms
    first = result.plans[0]
    s2026, s2027 = result.states[1], result.states[2]
    for a in first.assignments:
        if a.form is ExchangeForm.SUPPORT:  # one year of 支教: back home in 2026
            assert a.end_year == 2025
            back = s2026.dataset.teacher.get(a.teacher_id)
            assert back is None or (back.school_id, back.last_exchange_year) == (a.from_school_id, 2025)
            assert back is None or back.rural_service_years >= 1
            continue
        assert a.end_year == 2026
        # 2026: still at the destination, on exchange
        t = s2026.dataset.teacher.get(a.teacher_id)
        if t is None:  # retired
            continue
        assert t.school_id == a.to_school_id
        assert s2026.on_exchange[a.teacher_id].home_school_id == a.from_school_id
        # 2027: the term ended after 2026: back home, cooldown counted from 2026
        back = s2027.dataset.teacher.get(a.teacher_id)
        if back is None:
            continue
        assert back.school_id == a.from_school_id
        assert back.last_exchange_year == 2026
        assert a.teacher_id not in s2027.on_exchange
    supports = [a for a in first.assignments if a.form is ExchangeForm.SUPPORT]
    assert supports, "the small county's title seekers go on 支教"
    assert result.years[0]["events"]["support_back"] == len(supports)
    assert result.years[1]["on_exchange_at_start"] == len(first.assignments) - len(supports)


def test_figures_are_recomputed_from_the_rolled_roster(
    small: Dataset, two_year_terms: tuple[Policy, OutlookResult]
) -> None:
    policy, result = two_year_terms
    for i, y in enumerate(result.years):
        state = result.states[i]
        ci = county_indicators(state.dataset, policy)
        for r in y["before"]["county"]:
            key = next(k for k in ci.cv if k[0].value == r["stage"] and k[1] == r["indicator"])
            assert r["cv"] == pytest.approx(ci.cv[key], abs=1e-4)
        locked = {e.teacher_id for e in state.exchanges}
        eligible = [
            t
            for t in eligible_teachers(state.dataset, y["year"], policy)
            if t.teacher_id not in locked
        ]
        assert result.plans[i].metrics.eligible == len(eligible)
    # the roll really changed the roster the 2026 figures are computed from
    rolled = county_indicators(result.states[1].dataset, policy)
    original = county_indicators(small, policy)
    assert rolled.cv != original.cv
    assert len(result.states[1].dataset.teachers) == len(small.teachers)  # every leaver replaced


def test_leaders_moved_one_year_are_not_planned_again(
    two_year_terms: tuple[Policy, OutlookResult],
) -> None:
    """校长交流 is rolled forward as ``rotation apply`` does it: a leader who moved holds the
    post at the new school from that year, so a later year does not find the leader due."""
    _, result = two_year_terms
    moved_before: set[str] = set()
    for i, (y, plan) in enumerate(zip(result.years, result.plans, strict=True)):
        ex = plan.principals
        assert ex is not None
        leaving = [m for m in ex.moves if m.kind.leaves_school]
        assert (y["events"]["leaders_due"], y["events"]["leaders_moved"]) == (ex.due, len(leaving))
        planned = {m.teacher_id for m in leaving} | {n.teacher_id for n in ex.not_moved}
        assert not planned & moved_before, y["year"]
        for m in ex.moves:
            t = result.states[i + 1].dataset.teacher.get(m.teacher_id)
            if t is not None:  # not retired
                assert (t.school_id, t.position, t.post_start_year) == (
                    m.to_school_id,
                    m.new_position,
                    y["year"],
                )
        moved_before |= {m.teacher_id for m in leaving}
    assert result.years[0]["events"]["leaders_moved"] > 0


def test_retirements_leave_and_are_replaced(two_year_terms: tuple[Policy, OutlookResult]) -> None:
    policy, result = two_year_terms
    for state in result.states[1:]:
        for t in state.dataset.teachers:
            # nobody past the statutory month (2025 reform) at the start of the school year
            assert not retired_by(teacher_retirement(t, policy), state.year), t.teacher_id
    retired = sum(y["events"]["retired"] for y in result.years)
    hired = sum(y["events"]["hired"] for y in result.years)
    assert retired > 0
    assert hired == retired


def test_staying_after_the_term_and_promotion(small: Dataset) -> None:
    policy = Policy().with_overrides({"term_years": 1})
    plan = plan_year(small, 2025, policy, options=OPTIONS)
    state = OutlookState.start(small, 2025)
    stay = OutlookAssumptions(stay_after_term_share=1.0, promotion_share=1.0)
    nxt, events = roll_forward(state, plan, policy, stay)
    support = {a.teacher_id for a in plan.assignments if a.form is ExchangeForm.SUPPORT}
    assert support and set(events.support_back) == support  # a 支教 comes back, never stays
    assert set(events.stayed) == set(plan.moves) - support
    for a in plan.assignments:
        t = nxt.dataset.teacher.get(a.teacher_id)
        if t is None:
            continue
        if a.teacher_id in support:
            assert (t.school_id, t.rural_service_years) == (a.from_school_id, 1)
            continue
        assert t.school_id == a.to_school_id
        assert t.school_start_year == 2025
        if small.teacher[a.teacher_id].seeks_promotion:
            assert t.title.is_senior and not t.seeks_promotion
    assert not nxt.exchanges
    back, _ = roll_forward(state, plan, policy, OutlookAssumptions(promotion_share=0.0))
    promoted_none = [
        tid
        for tid in plan.moves
        if tid in back.dataset.teacher
        and back.dataset.teacher[tid].title is Title.SENIOR
        and not small.teacher[tid].title.is_senior
    ]
    assert promoted_none == []


def test_assumptions_are_checked_in_words() -> None:
    assert (
        OutlookAssumptions.from_items(["rural_enrolment_growth=-0.05"]).rural_enrolment_growth
        == -0.05
    )
    with pytest.raises(ValueError, match="未知的假设参数"):
        OutlookAssumptions.from_items(["retire_all=1"])


def test_outlook_command_reports_the_trajectory(small: Dataset, tmp_path: Path) -> None:
    data = tmp_path / "small"
    write_dataset(small, data)
    out = tmp_path / "outlook"
    argv = ["outlook", "--data", str(data), "--from", "2025", "--to", "2027", "--vary", "term_years=1,3",
            "--assume", "rural_enrolment_growth=-0.02", "--out", str(out), "--quiet", "--executor", "serial", "--time-limit", "5"]  # fmt: skip
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    assert "S01 term_years=1" in result.output
    for name in ("trajectory.csv", "schools.csv", "quotas.csv", "outlook.png", "outlook.json"):
        assert (out / name).stat().st_size > 0
    lines = (out / "quotas.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 + 2 * 3  # header + two scenarios × three years


def test_each_year_is_judged_on_the_teacher_part_of_the_2017_standard(
    two_year_terms: tuple[Policy, OutlookResult],
) -> None:
    _, result = two_year_terms
    for y in result.years:
        s = y["standard"]
        # the verdict is every item together, not the CVs alone
        assert s["meets"] == (s["cv_met"] and s["schools_met"] and s["exchange"]["met"])
        assert y["after"]["meets_standard"] == s["meets"]
        assert s["cv_met"] == y["after"]["cv_met_all"]
    holding = [y["year"] for y in result.years if all(z["standard"]["meets"] for z in result.years if z["year"] >= y["year"])]
    assert result.first_year_meeting_standard == (holding[0] if holding else None)
    assert "85%" in result.standard_reading and "50" in result.standard_reading
