"""The independent checker is shown to catch what it should: for every rule, a plan
that breaks that rule alone, and the checker names the rule and the offending row.

Each spoiled plan starts from a plan the checker accepts (its compliance recomputed and
every shortfall reported), changes one thing, and must produce violations of exactly
one rule."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from builders import YEAR, county, math_teachers, need, rural, school, teacher
from principal_cases import PRINCIPAL_SPOILS, Case, clean_plan, leaders_county

from rotation.checker import (
    CHECKS,
    ITINERANT_CHECKS,
    CheckReport,
    check_itinerant,
    check_plan,
)
from rotation.compliance import compliance_rows
from rotation.enums import ExchangeForm, Role, Stage, Subject, Title, Weekday
from rotation.exchange_forms import ShadowingPlacement, form_of_move, term_years_of
from rotation.itinerant import ItinerantSchedule, ItinerantVisit
from rotation.locks import Lock, LockKind, Locks
from rotation.models import Dataset, HourNeed
from rotation.plan import Assignment, Plan, file_rows
from rotation.plan_results import Shortfall, ShortfallCause
from rotation.policy import Policy
from rotation.rule_names import ITINERANT_RULES, RuleName

NO_BACKBONE = Policy(backbone_share=0)


def dataset() -> Dataset:
    """U1 sends (10 eligible math teachers and one too new to go); R1–R3 are rural, R1
    and R2 declare math needs, R3 none; FAR is 110 km away; U1 and S0 (urban, not a
    receiver) declare needs too, so only the rule under test can object to a move there."""
    schools = [
        school("U1"),
        school("S0"),
        rural("R1"),
        rural("R2"),
        rural("R3"),
        rural("FAR", lat=25.0),
    ]
    teachers = [*math_teachers(10), teacher("N1", school_start_year=2023)]
    teachers += [teacher("SR1", "R1", title=Title.SENIOR), teacher("SR2", "R2", title=Title.SENIOR)]
    needs = [need("R1", 4), need("R2", 1), need("FAR", 1), need("U1", 1), need("S0", 1)]
    return county(schools, teachers, needs)


def plan_of(
    d: Dataset,
    moves: list[tuple[str, str]],
    policy: Policy,
    *,
    report_shortfalls: bool = True,
) -> Plan:
    """A plan of these moves whose compliance table is recomputed; every shortfall is
    reported with a reason unless ``report_shortfalls`` is off."""
    assignments = tuple(
        Assignment.of(d.teacher[tid], to, YEAR, policy.term_years) for tid, to in moves
    )
    as_dict = dict(moves)
    reason = "本校可交流教师对口岗位不足" if report_shortfalls else ""
    rows = tuple(
        r if r.met else r.model_copy(update={"shortfall_reason": reason})
        for r in compliance_rows(d, as_dict, YEAR, policy)
    )
    draft = Plan(year=YEAR, assignments=assignments, compliance=rows)
    cause = ShortfallCause(code="senior_tilt_short", zh="可交流的高级职称教师不足", en="too few senior teachers")
    tilt = Shortfall(rule=RuleName.SENIOR_TITLE_TILT, unit="COUNTY", name="全县", causes=[cause])
    return draft.model_copy(update={"shortfalls": (tilt,) if report_shortfalls else ()})


def row_of(plan: Plan, teacher_id: str, to_school_id: str) -> int:
    return next(
        r
        for r, a in file_rows(plan)
        if (a.teacher_id, a.to_school_id) == (teacher_id, to_school_id)
    )


def assert_only(report: CheckReport, rule: RuleName) -> None:
    assert not report.ok
    assert {v.rule for v in report.violations} == {rule}, report.summary_zh()


@dataclass(frozen=True)
class Spoiled:
    rule: RuleName
    plan: Plan
    policy: Policy
    locks: Locks
    subject: str  # the teacher, school or unit the violation names
    row: int | None  # the plan.csv row it names, when one move is at fault
    data: Dataset | None = None  # the county, when not ``dataset()`` (principals', forms' cases)


def case(
    rule: RuleName,
    moves: list[tuple[str, str]],
    subject: str,
    at: tuple[str, str] | None,
    policy: Policy = NO_BACKBONE,
    locks: Locks | None = None,
    spoil: Callable[[Plan], Plan] | None = None,
    report_shortfalls: bool = True,
) -> Callable[[], Spoiled]:
    def make() -> Spoiled:
        plan = plan_of(dataset(), moves, policy, report_shortfalls=report_shortfalls)
        if spoil is not None:
            plan = spoil(plan)
        row = row_of(plan, *at) if at is not None else None
        return Spoiled(rule, plan, policy, locks or Locks(), subject, row)

    return make


def _wrong_home(plan: Plan) -> Plan:
    first = plan.assignments[0].model_copy(update={"from_school_id": "S0"})
    return plan.model_copy(update={"assignments": (first, *plan.assignments[1:])})


def _longer_term(plan: Plan) -> Plan:
    first = plan.assignments[0]
    return plan.model_copy(
        update={"assignments": (first.model_copy(update={"end_year": first.end_year + 1}),)}
    )


def _miscounted(plan: Plan) -> Plan:
    rows = tuple(
        r.model_copy(update={"rotated": r.rotated + 1}) if r.school_id == "U1" else r
        for r in plan.compliance
    )
    return plan.model_copy(update={"compliance": rows})


def _principal_case(make: Callable[[], Case]) -> Callable[[], Spoiled]:
    def spoiled() -> Spoiled:
        rule, plan, policy, subject, data = make()
        moves = plan.principals.moves if plan.principals is not None else ()
        # a leader's bad move is caught at its row of principal_exchanges.csv (1 = header);
        # a school's fault (no principal, a post too many) has no one row
        row = next((k + 2 for k, m in enumerate(moves) if m.teacher_id == subject), None)
        return Spoiled(rule, plan, policy, Locks(), subject, row, data)

    return spoiled


PRINCIPAL_CASES = {name: _principal_case(make) for name, make in PRINCIPAL_SPOILS.items()}


def _stay(tid: str) -> Locks:
    return Locks(items=(Lock(kind=LockKind.STAY, teacher_id=tid),))


CASES: dict[str, Callable[[], Spoiled]] = {
    "ineligible teacher": case(
        RuleName.ONLY_ELIGIBLE_TEACHERS, [("T000", "R1"), ("N1", "R1")], "N1", ("N1", "R1")
    ),
    "school that does not receive": case(
        RuleName.RECEIVING_SCHOOL, [("T000", "S0")], "T000", ("T000", "S0")
    ),
    "own school": case(RuleName.RECEIVING_SCHOOL, [("T000", "U1")], "T000", ("T000", "U1")),
    "too far": case(
        RuleName.DISTANCE_LIMIT,
        [("T000", "FAR")],
        "T000",
        ("T000", "FAR"),
        Policy(backbone_share=0, max_distance_km=50),
    ),
    "no matching need": case(RuleName.MATCHING_NEED, [("T000", "R3")], "T000", ("T000", "R3")),
    "two schools": case(
        RuleName.ONE_SCHOOL_PER_TEACHER, [("T000", "R1"), ("T000", "R2")], "T000", ("T000", "R2")
    ),
    "need overfilled": case(
        RuleName.NEED_NOT_OVERFILLED,
        [("T000", "R2"), ("T001", "R2")],
        "R2/primary/math",
        ("T001", "R2"),
    ),
    "quota shortfall hidden": case(
        RuleName.ROTATION_QUOTA, [], "U1", None, report_shortfalls=False
    ),
    "over the maximum": case(
        RuleName.ROTATION_MAXIMUM,
        [("T000", "R1"), ("T001", "R1"), ("T002", "R1"), ("T003", "R1")],
        "U1",
        None,
        Policy(backbone_share=0, max_group_leave_share=1.0),
    ),
    "backbone shortfall hidden": case(  # county-wide by default (backbone_scope county)
        RuleName.BACKBONE_SHARE,
        [("T000", "R1")],
        "COUNTY",
        None,
        Policy(title_tilt=0),
        report_shortfalls=False,
    ),
    "group leaves beyond its limit": case(
        RuleName.GROUP_LEAVE_LIMIT,
        [("T000", "R1"), ("T001", "R1")],
        "U1/primary/math",
        ("T001", "R1"),
        Policy(backbone_share=0, max_group_leave_share=0.1),
    ),
    "title tilt shortfall hidden": case(
        RuleName.SENIOR_TITLE_TILT, [("T000", "R1")], "全县", None, report_shortfalls=False
    ),
    "assign lock not carried out": case(
        RuleName.LOCK_ASSIGN,
        [("T000", "R1")],
        "T001",
        None,
        locks=Locks(items=(Lock(kind=LockKind.ASSIGN, teacher_id="T001", school_id="R2"),)),
    ),
    "stay lock broken": case(
        RuleName.LOCK_STAY, [("T000", "R1")], "T000", ("T000", "R1"), locks=_stay("T000")
    ),
    "blocked school receives": case(
        RuleName.LOCK_BLOCK_SCHOOL,
        [("T000", "R1")],
        "T000",
        ("T000", "R1"),
        locks=Locks(items=(Lock(kind=LockKind.BLOCK_SCHOOL, school_id="R1"),)),
    ),
    "row not as in the roster": case(
        RuleName.ROSTER, [("T000", "R1")], "T000", ("T000", "R1"), spoil=_wrong_home
    ),
    "term not as the policy sets it": case(
        RuleName.TERM, [("T000", "R1")], "T000", ("T000", "R1"), spoil=_longer_term
    ),
    "compliance miscounted": case(
        RuleName.COMPLIANCE, [("T000", "R1")], "U1", None, spoil=_miscounted
    ),
    **PRINCIPAL_CASES,
}


# ---------------------------------------------------------------- 支教 and 跟岗学习 (issue 18)
def forms_county() -> Dataset:
    """U1 sends 10 math teachers, P1 among them seeking a senior title without rural
    service (the policy's 支教); R1 and R2 are rural with math needs, A1 at R1 asks for
    跟岗学习; U2 is urban but a receiver by the officer's role column, with a need."""
    schools = [school("U1"), school("U2", role=Role.RECEIVER), rural("R1"), rural("R2")]
    teachers = [*math_teachers(9), teacher("P1", seeks_promotion=True, title=Title.SENIOR)]
    teachers.append(teacher("A1", "R1", seeks_shadowing=True))
    needs = [need("R1", 2), need("R2", 1), need("U2", 1)]
    return county(schools, teachers, needs)


def forms_plan(
    d: Dataset, moves: list[tuple[str, str]], placed: list[tuple[str, str]], policy: Policy
) -> Plan:
    """A plan whose moves take the form and term the policy sets, with 跟岗学习 ``placed``."""
    assignments = []
    for tid, to in moves:
        t = d.teacher[tid]
        form = form_of_move(t, d, policy)
        assignments.append(Assignment.of(t, to, YEAR, term_years_of(form, policy), form=form))
    rows = tuple(
        r if r.met else r.model_copy(update={"shortfall_reason": "本校可交流教师对口岗位不足"})
        for r in compliance_rows(d, dict(moves), YEAR, policy)
    )
    shadowing = tuple(
        ShadowingPlacement(
            teacher_id=tid, name=d.teacher[tid].name, from_school_id=d.teacher[tid].school_id,
            host_school_id=host, stage=d.teacher[tid].stage, subject=d.teacher[tid].subject,
            year=YEAR,
        )
        for tid, host in placed
    )  # fmt: skip
    return Plan(
        year=YEAR, assignments=tuple(assignments), compliance=rows, shadowing=shadowing,
        shortfalls=_tilt_reported(),
    )  # fmt: skip


def form_case(
    rule: RuleName,
    moves: list[tuple[str, str]],
    placed: list[tuple[str, str]],
    subject: str,
    row: int | None,
    spoil: Callable[[Plan], Plan] | None = None,
) -> Callable[[], Spoiled]:
    def make() -> Spoiled:
        d = forms_county()
        plan = forms_plan(d, moves, placed, NO_BACKBONE)
        if spoil is not None:
            plan = spoil(plan)
        return Spoiled(rule, plan, NO_BACKBONE, Locks(), subject, row, data=d)

    return make


def _support_not_chosen(plan: Plan) -> Plan:
    """T000, who seeks no title, written down for a one-year 支教."""
    moves = tuple(
        a.model_copy(update={"form": ExchangeForm.SUPPORT, "end_year": a.start_year})
        if a.teacher_id == "T000"
        else a
        for a in plan.assignments
    )
    return plan.model_copy(update={"assignments": moves})


CASES |= {
    "支教 to an urban school": form_case(
        RuleName.SUPPORT_RURAL_OR_WEAK, [("T000", "R1"), ("P1", "U2")], [], "P1", 2
    ),
    "支教 the policy does not choose": form_case(
        RuleName.TERM, [("T000", "R1"), ("P1", "R2")], [], "T000", 3, spoil=_support_not_chosen
    ),
    "跟岗学习 at a rural school": form_case(
        RuleName.SHADOWING_HOST, [("T000", "R1")], [("A1", "R2")], "A1", 2
    ),
    "跟岗学习 without cover": form_case(
        RuleName.SHADOWING_COVER, [("T000", "R2")], [("A1", "U1")], "A1", 2
    ),
}


@pytest.mark.parametrize("policy", [NO_BACKBONE, Policy()], ids=["no backbone share", "default"])
def test_a_plan_with_a_support_move_and_a_covered_shadowing_is_accepted(policy: Policy) -> None:
    """The forms' cases start from a clean plan: 支教 of P1 to R2, A1 at U1 covered by T000."""
    d = forms_county()
    plan = forms_plan(d, [("T000", "R1"), ("P1", "R2")], [("A1", "U1")], policy)
    moves = {a.teacher_id: a for a in plan.assignments}
    assert (moves["P1"].form, moves["P1"].end_year) == (ExchangeForm.SUPPORT, YEAR)
    assert (moves["T000"].form, moves["T000"].end_year) == (ExchangeForm.TRANSFER, YEAR + 2)
    report = check_plan(d, plan, policy)
    assert report.ok, report.summary_zh()


def _tilt_reported() -> tuple[Shortfall, ...]:
    cause = ShortfallCause(code="senior_tilt_short", zh="可交流的高级职称教师不足", en="too few senior teachers")
    return (Shortfall(rule=RuleName.SENIOR_TITLE_TILT, unit="COUNTY", name="全县", causes=[cause]),)


@pytest.mark.parametrize("make", list(CASES.values()), ids=list(CASES))
def test_a_plan_breaking_one_rule_is_caught_by_that_rule_at_its_row(
    make: Callable[[], Spoiled],
) -> None:
    spoiled = make()
    report = check_plan(spoiled.data or dataset(), spoiled.plan, spoiled.policy, spoiled.locks)
    assert_only(report, spoiled.rule)
    assert (spoiled.subject, spoiled.row) in {(v.subject, v.row) for v in report.violations}


@pytest.mark.parametrize("policy", [NO_BACKBONE, Policy()], ids=["no backbone share", "default"])
def test_the_plan_the_cases_start_from_is_accepted(policy: Policy) -> None:
    """The cases' base is clean, so each violation above is its spoiling's alone."""
    report = check_plan(dataset(), plan_of(dataset(), [("T000", "R1")], policy), policy)
    assert report.ok, report.summary_zh()


def test_the_principals_clean_plan_is_accepted() -> None:
    """The principals' cases start from a clean exchange: P1 and P4 swap, V1 is explained."""
    report = check_plan(leaders_county(), clean_plan(Policy()), Policy())
    assert report.ok, report.summary_zh()


def test_every_rule_the_checker_knows_has_a_spoiled_plan() -> None:
    covered = {make().rule for make in CASES.values()}
    assert covered == set(CHECKS) == set(RuleName) - set(ITINERANT_RULES)


def test_the_title_tilt_counts_only_seniors_sent_into_rural_schools() -> None:
    """A plan whose senior share of ALL sent meets the target (the old reading) but sends its
    senior to a county-town weak school and a teacher without a senior title into the
    village: the tilt is broken, and swapping the two mends it."""
    schools = [school("U1"), school("W1", weak=True), rural("R1")]
    teachers = [*math_teachers(8), teacher("SU1", title=Title.SENIOR)]
    d = county(schools, teachers, [need("W1", 1), need("R1", 1)])
    policy = Policy(senior_share_target=0.5, backbone_share=0)
    spoiled = plan_of(d, [("SU1", "W1"), ("T000", "R1")], policy, report_shortfalls=False)
    report = check_plan(d, spoiled, policy)
    assert_only(report, RuleName.SENIOR_TITLE_TILT)
    assert "派往农村学校的高级职称教师占比 0.0% 低于目标 50.0%" in report.summary_zh()
    mended = plan_of(d, [("SU1", "R1"), ("T000", "W1")], policy, report_shortfalls=False)
    assert check_plan(d, mended, policy).ok


# ------------------------------------------------------------------ 走教 (issue 18)
def itinerant_county() -> Dataset:
    """U1 (urban) has music teachers M1–M3 and PE teacher P1; V1, V2, V3, V4 are village
    schools 5.6 km away needing music hours (V2 only on Tuesdays and Thursdays); FAR is
    110 km away; EX is exempt."""
    schools = [school("U1"), *(rural(f"V{k}") for k in range(1, 5)), rural("FAR", lat=25.0)]
    teachers = [teacher(f"M{k}", subject=Subject.MUSIC) for k in range(1, 4)]
    teachers += [
        teacher("P1", subject=Subject.PE),
        teacher("EX", subject=Subject.MUSIC, exempt="重病"),
    ]
    hours = [
        HourNeed(school_id=s, stage=Stage.PRIMARY, subject=Subject.MUSIC, hours=6)
        for s in ("V1", "V3", "V4", "FAR")
    ]
    hours.append(
        HourNeed(
            school_id="V2",
            stage=Stage.PRIMARY,
            subject=Subject.MUSIC,
            hours=6,
            days=(Weekday.TUE, Weekday.THU),
        )
    )
    return Dataset.build(schools, teachers, [need("V1")], hour_needs=hours)


def visit(tid: str, school_id: str, day: Weekday, hours: int = 3, **kw: object) -> ItinerantVisit:
    base: dict[str, object] = {
        "name": f"教师{tid}",
        "home_school_id": "U1",
        "stage": Stage.PRIMARY,
        "subject": Subject.MUSIC,
    }
    base.update(kw)
    return ItinerantVisit(teacher_id=tid, school_id=school_id, day=day, hours=hours, **base)  # type: ignore[arg-type]


GOOD_VISITS = (
    visit("M1", "V1", Weekday.MON),
    visit("M1", "V1", Weekday.WED),
    visit("M2", "V2", Weekday.TUE),
)


def itinerant_report(visits: tuple[ItinerantVisit, ...], policy: Policy = Policy()) -> CheckReport:
    schedule = ItinerantSchedule(year=YEAR, visits=visits)
    return check_itinerant(itinerant_county(), YEAR, policy, {}, schedule)


def test_the_schedule_the_itinerant_cases_start_from_is_accepted() -> None:
    report = itinerant_report(GOOD_VISITS)
    assert report.ok, report.summary_zh()
    assert set(report.checked_rules) == {r.value for r in ITINERANT_RULES}


ITINERANT_CASES: dict[str, tuple[RuleName, tuple[ItinerantVisit, ...], Policy, str]] = {
    "an exempt teacher": (
        RuleName.ITINERANT_HOME_POST,
        (*GOOD_VISITS, visit("EX", "V3", Weekday.MON)),
        Policy(),
        "EX",
    ),
    "a teacher of another subject": (
        RuleName.ITINERANT_HOME_POST,
        (*GOOD_VISITS, visit("P1", "V3", Weekday.MON)),
        Policy(),
        "P1",
    ),
    "more weekly hours than the policy allows": (
        RuleName.ITINERANT_WEEKLY_HOURS,
        (*GOOD_VISITS, visit("M1", "V3", Weekday.FRI, 2)),
        Policy(itinerant_max_weekly_hours=6),
        "M1",
    ),
    "more schools than the policy allows": (
        RuleName.ITINERANT_SCHOOLS,
        (*GOOD_VISITS, visit("M2", "V3", Weekday.MON, 1), visit("M2", "V4", Weekday.WED, 1)),
        Policy(itinerant_max_schools=2),
        "M2",
    ),
    "a school beyond the travel limit": (
        RuleName.ITINERANT_DISTANCE,
        (*GOOD_VISITS, visit("M3", "FAR", Weekday.MON)),
        Policy(),
        "M3",
    ),
    "more hours than the school needs": (
        RuleName.ITINERANT_HOURS_NOT_OVERCOVERED,
        (*GOOD_VISITS, visit("M3", "V1", Weekday.FRI, 1)),
        Policy(),
        "V1/primary/music",
    ),
    "a day the school did not open": (
        RuleName.ITINERANT_DAYS,
        (*GOOD_VISITS, visit("M3", "V2", Weekday.MON)),
        Policy(),
        "M3",
    ),
    "two schools on one day": (
        RuleName.ITINERANT_DAYS,
        (*GOOD_VISITS, visit("M1", "V3", Weekday.MON, 1)),
        Policy(),
        "M1",
    ),
}


@pytest.mark.parametrize("case", sorted(ITINERANT_CASES))
def test_the_checker_catches_a_spoiled_itinerant_schedule(case: str) -> None:
    rule, visits, policy, subject = ITINERANT_CASES[case]
    report = itinerant_report(visits, policy)
    assert not report.ok
    assert {v.rule for v in report.violations} == {rule}, report.summary_zh()
    assert subject in {v.subject for v in report.violations}
    assert all(v.row is not None and v.row >= 2 for v in report.violations)


def test_every_itinerant_rule_has_a_spoiled_schedule() -> None:
    assert {rule for rule, *_ in ITINERANT_CASES.values()} == set(ITINERANT_CHECKS)
    assert set(ITINERANT_CHECKS) == set(ITINERANT_RULES)
