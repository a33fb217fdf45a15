"""The three hiring rounds: hand examples, stability, the level rule, once-only, reasons."""

from __future__ import annotations

import random
import warnings
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from matching.games import HospitalResident
from typer.testing import CliRunner

from rotation.enums import Area, BackboneLevel, Gender, Priority, SchoolStage, Stage, Subject
from rotation.hiring import (
    AllocationRound,
    AllocationRow,
    HiringPolicy,
    check_allocation,
    deferred_acceptance,
    greedy_round_three,
    round_three_problem,
    rounds_one_and_two,
    school_level,
)
from rotation.hiring import run_allocation as run_domain
from rotation.models import Dataset, School, Teacher
from rotation.staffing import StaffingNorms, staffing_table
from solver.assign_unplaced import run_allocation, solve_round_three

MATH_ONLY = StaffingNorms(periods={Stage.PRIMARY: {Subject.MATH: 1.0}})
YEAR = 2026


def school(sid: str, area: Area, students: int, **kw: object) -> School:
    return School(
        school_id=sid,
        name=f"学校{sid}",
        area=area,
        stage=SchoolStage.PRIMARY,
        students=students,
        classes=0,
        **kw,
    )


def teacher(tid: str, sid: str, prefs: tuple[str, ...] = (), **kw: object) -> Teacher:
    kw.setdefault("school_start_year", 2015)
    kw.setdefault("subject", Subject.MATH)
    return Teacher(
        teacher_id=tid,
        name=f"教师{tid}",
        gender=Gender.FEMALE,
        birth_date=date(1985, 1, 1),
        school_id=sid,
        stage=Stage.PRIMARY,
        preferences=prefs,
        **kw,
    )


def hand_county() -> Dataset:
    """Posts (math only, 19 pupils a post): U1 2, U2 2, T1 1, R1 2."""
    return Dataset.build(
        [
            school("U1", Area.URBAN, 38),
            school("U2", Area.URBAN, 38),
            school("T1", Area.TOWN, 19),
            school("R1", Area.RURAL, 38),
        ],
        [
            teacher("u1a", "U1", backbone=BackboneLevel.COUNTY),
            teacher("u1b", "U1", backbone=BackboneLevel.SCHOOL),
            teacher("u1c", "U1", ("U2", "R1")),
            teacher("u2a", "U2"),
            teacher("t1a", "T1", backbone=BackboneLevel.CITY),
            teacher("t1b", "T1", ("U2", "R1")),
            teacher("r1a", "R1"),
        ],
    )


SCORES = {"u1a": 95, "u1b": 90, "u1c": 80, "u2a": 85, "t1a": 90, "t1b": 70, "r1a": 80}


def test_hand_example_rounds_one_and_two() -> None:
    ds = hand_county()
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, scores=SCORES)
    got = {r.teacher_id: (r.round, r.to_school_id) for r in result.rows}
    # round 1: U1 keeps its two backbone teachers; T1 keeps its city backbone teacher
    assert got["u1a"] == (AllocationRound.KEPT, "U1")
    assert got["u1b"] == (AllocationRound.KEPT, "U1")
    assert got["t1a"] == (AllocationRound.KEPT, "T1")
    # round 2: u1c gets the first choice; t1b (a town school) may not move up to urban U2
    assert got["u1c"] == (AllocationRound.CROSS, "U2")
    assert got["t1b"] == (AllocationRound.CROSS, "R1")
    assert check_allocation(ds, result, norms=MATH_ONLY, scores=SCORES) == []


def test_level_rule_switched_off_lets_the_better_applicant_move_up() -> None:
    ds = hand_county()
    scores = {**SCORES, "u1c": 70, "t1b": 80}
    with_rule = run_allocation(ds, YEAR, norms=MATH_ONLY, scores=scores)
    assert with_rule.by_teacher["t1b"].to_school_id == "R1"
    free = HiringPolicy(level_rule=False)
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=free, scores=scores)
    got = {r.teacher_id: r.to_school_id for r in result.rows}
    assert got["t1b"] == "U2"  # outranks u1c at U2
    assert got["u1c"] == "R1"  # falls back to the second choice
    assert result.by_teacher["u1c"].preference_rank == 2
    assert check_allocation(ds, result, norms=MATH_ONLY, policy=free, scores=scores) == []
    # the same result breaks the rule when the rule is on, and the checker says so
    broken = check_allocation(ds, result, norms=MATH_ONLY, scores=scores)
    assert [v.rule for v in broken if v.rule == "level"] == ["level"]


def test_scores_decide_round_one() -> None:
    ds = hand_county()
    default = run_allocation(ds, YEAR, norms=MATH_ONLY)
    assert default.by_teacher["t1a"].round is AllocationRound.KEPT
    scored = run_allocation(ds, YEAR, norms=MATH_ONLY, scores={"t1b": 95.0, "t1a": 60.0})
    assert scored.by_teacher["t1b"].round is AllocationRound.KEPT
    assert scored.by_teacher["t1a"].round is not AllocationRound.KEPT


def _hr_matching(
    prefs: dict[str, list[str]], caps: dict[str, int], rank: dict[str, int]
) -> dict[str, str]:
    # the package wants every ranked hospital present: drop those without capacity
    residents = {r: [h for h in p if caps.get(h, 0) > 0] for r, p in prefs.items()}
    residents = {r: p for r, p in residents.items() if p}
    hospitals = {
        h: sorted((r for r, p in residents.items() if h in p), key=rank.__getitem__) for h in caps
    }
    hospitals = {h: rs for h, rs in hospitals.items() if rs}
    if not residents:
        return {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        game = HospitalResident.create_from_dictionaries(
            residents, hospitals, {h: caps[h] for h in hospitals}, clean=True
        )
        matching = game.solve(optimal="resident")
        assert game.check_stability()
    return {r.name: h.name for h, rs in matching.items() for r in rs}


def test_deferred_acceptance_equals_matching_package_on_random_instances() -> None:
    rng = random.Random(7)
    for _ in range(40):
        hospitals = [f"H{i}" for i in range(rng.randint(1, 6))]
        caps = {h: rng.randint(0, 3) for h in hospitals}
        residents = [f"R{i}" for i in range(rng.randint(1, 15))]
        prefs = {r: rng.sample(hospitals, rng.randint(0, len(hospitals))) for r in residents}
        order = rng.sample(residents, len(residents))
        rank = {r: i for i, r in enumerate(order)}
        ours = deferred_acceptance(prefs, caps, rank)
        assert ours == _hr_matching(prefs, {h: c for h, c in caps.items() if c > 0}, rank)


def test_round_two_on_a_sample_county_equals_matching_and_is_stable() -> None:
    from sample_data import generate

    ds = generate("small", seed=3)
    rng = random.Random(1)
    scores = {t.teacher_id: rng.uniform(60, 100) for t in ds.teachers}
    state = rounds_one_and_two(ds, YEAR, scores=scores)
    assert state.cross, "the sample county should need some cross-school hiring"
    key = {
        tid: f"{ds.teacher[tid].stage.value}/{ds.teacher[tid].subject.value}" for tid in ds.teacher
    }
    prefs = {
        tid: [f"{sid}|{key[tid]}" for sid in schools] for tid, schools in state.preferences.items()
    }
    caps = {f"{k[0]}|{k[1].value}/{k[2].value}": n for k, n in state.vacancies.items()}
    expected = _hr_matching(prefs, caps, state.order)
    assert {tid: sid.split("|")[0] for tid, sid in expected.items()} == state.cross

    result = run_allocation(ds, YEAR, scores=scores)
    assert check_allocation(ds, result, scores=scores) == []


def test_checker_finds_a_blocking_pair_when_round_two_is_spoiled() -> None:
    ds = hand_county()
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, scores=SCORES)
    rows = [
        AllocationRow(**{**r.model_dump(), "round": AllocationRound.UNPLACED, "to_school_id": None})
        if r.teacher_id == "u1c"
        else r
        for r in result.rows
    ]
    spoiled = result.model_copy(update={"rows": tuple(rows)})
    rules = {v.rule for v in check_allocation(ds, spoiled, norms=MATH_ONLY, scores=SCORES)}
    assert "stability" in rules


def test_nobody_twice_everyone_once_and_capacities_checked() -> None:
    ds = hand_county()
    result = run_allocation(ds, YEAR, norms=MATH_ONLY)
    ids = [r.teacher_id for r in result.rows]
    assert sorted(ids) == sorted(ds.teacher) and len(ids) == len(set(ids))
    doubled = result.model_copy(update={"rows": (*result.rows, result.rows[0])})
    assert "once" in {v.rule for v in check_allocation(ds, doubled, norms=MATH_ONLY)}
    # two extra teachers sent into U2's last post overfill it
    over = [
        r.model_copy(update={"round": AllocationRound.ASSIGNED, "to_school_id": "R1"})
        if r.teacher_id in ("u1b", "t1b")
        else r
        for r in result.rows
    ]
    rules = {
        v.rule
        for v in check_allocation(
            ds, result.model_copy(update={"rows": tuple(over)}), norms=MATH_ONLY
        )
    }
    assert "capacity" in rules


def test_every_unplaced_teacher_has_a_reason_and_no_destination() -> None:
    from sample_data import generate

    ds = generate("small", seed=1)
    result = run_allocation(ds, YEAR)
    unplaced = [r for r in result.rows if r.round is AllocationRound.UNPLACED]
    assert unplaced, "the sample county has more teachers than posts in some subjects"
    assert all(r.to_school_id is None and "待岗培训" in r.reason for r in unplaced)
    moved = [r for r in result.rows if r.round in (AllocationRound.CROSS, AllocationRound.ASSIGNED)]
    assert all(  # the bureau's final placement (组织调剂兜底) is the one step above the level rule
        school_level(ds.school[r.to_school_id]) <= school_level(ds.school[r.from_school_id])
        for r in moved
        if not r.final_placement
    )
    blank = result.model_copy(
        update={"rows": tuple(r.model_copy(update={"reason": ""}) for r in result.rows)}
    )
    assert "reason" in {v.rule for v in check_allocation(ds, blank)}


def round_three_county() -> Dataset:
    """Urban U has three math teachers for one post; nobody listed a preference. Vacancies:
    a far rural 中心小学 (priority) and a near rural ordinary school, one post each."""
    return Dataset.build(
        [
            school("U", Area.URBAN, 19, lat=24.0, lon=115.0),
            school("RP", Area.RURAL, 19, lat=24.2, lon=115.0, priority=Priority.CENTRAL_PRIMARY),
            school("RN", Area.RURAL, 19, lat=24.05, lon=115.0),
        ],
        [teacher("a", "U", backbone=BackboneLevel.COUNTY), teacher("b", "U"), teacher("c", "U")],
    )


def test_round_three_fills_the_priority_school_first_and_lists_the_rest() -> None:
    ds = round_three_county()
    # no round-2 applications: everyone not kept goes to the bureau
    only_bureau = HiringPolicy(blank_preferences_nearest=False)
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=only_bureau)
    assert result.count(AllocationRound.CROSS) == 0
    assert result.count(AllocationRound.ASSIGNED) == 2
    assert {r.to_school_id for r in result.rows if r.round is AllocationRound.ASSIGNED} == {
        "RP",
        "RN",
    }
    assert result.metrics["round3_status"] == "optimal"
    assert check_allocation(ds, result, norms=MATH_ONLY, policy=only_bureau) == []
    # one vacancy fewer (the near school has no pupils, so no post): the priority school is
    # filled, and the third teacher is left with the reason
    small = Dataset.build(
        [s if s.school_id != "RN" else s.model_copy(update={"students": 0}) for s in ds.schools],
        ds.teachers,
    )
    result = run_allocation(small, YEAR, norms=MATH_ONLY, policy=only_bureau)
    assigned = [r for r in result.rows if r.round is AllocationRound.ASSIGNED]
    assert [r.to_school_id for r in assigned] == ["RP"]
    left = [r for r in result.rows if r.round is AllocationRound.UNPLACED]
    assert len(left) == 1 and "已安排给其他教师" in left[0].reason
    # three math teachers for two posts in the county: the reason says so
    assert "全县小学教师3人、编制岗位2个，超编1人" in left[0].reason
    assert result.metrics["structural_surplus"] == 1


def test_round_three_prefers_a_far_priority_school_to_a_near_ordinary_one() -> None:
    ds = round_three_county()
    two = Dataset.build(ds.schools, [t for t in ds.teachers if t.teacher_id != "c"])
    policy = HiringPolicy(blank_preferences_nearest=False)
    result = run_allocation(two, YEAR, norms=MATH_ONLY, policy=policy)
    row = result.by_teacher["b"]
    assert (row.round, row.to_school_id) == (AllocationRound.ASSIGNED, "RP")
    assert "乡镇中心小学" in row.reason
    assert two.distance_km("U", "RP") > two.distance_km("U", "RN")


def test_round_three_prefers_the_shorter_distance_among_equals() -> None:
    ds = Dataset.build(
        [
            school("U", Area.URBAN, 19, lat=24.0, lon=115.0),
            school("FAR", Area.RURAL, 19, lat=24.5, lon=115.0),
            school("NEAR", Area.RURAL, 19, lat=24.05, lon=115.0),
        ],
        [teacher("a", "U", backbone=BackboneLevel.COUNTY), teacher("b", "U")],
    )
    policy = HiringPolicy(blank_preferences_nearest=False)
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=policy)
    assert result.by_teacher["b"].to_school_id == "NEAR"
    assert result.by_teacher["b"].round is AllocationRound.ASSIGNED


def test_cpsat_and_flow_agree_and_beat_greedy() -> None:
    from sample_data import generate

    ds = generate("small", seed=4)
    policy = HiringPolicy(blank_preferences_nearest=False, level_rule=False)
    state = rounds_one_and_two(ds, YEAR, policy=policy)
    problem = round_three_problem(ds, state, policy)
    assert problem.arc_count
    exact = solve_round_three(problem, backend="cpsat", time_limit=20)
    flow = solve_round_three(problem, backend="flow")
    assert exact.status == flow.status == "optimal"
    assert exact.objective == flow.objective  # the same optimum, two ways
    assert exact.objective >= greedy_round_three(problem).objective
    again = solve_round_three(problem, backend="cpsat", time_limit=20)
    assert again.placed == exact.placed  # deterministic
    assert solve_round_three(problem).placed == flow.placed
    for solution in (exact, flow):
        result = run_domain(ds, YEAR, policy=policy, round_three=lambda p, s=solution: s)
        assert check_allocation(ds, result, policy=policy) == []


def test_unplaced_reason_names_the_level_rule() -> None:
    ds = Dataset.build(
        [school("R", Area.RURAL, 19), school("U", Area.URBAN, 38)],
        [teacher("r1", "R", backbone=BackboneLevel.COUNTY), teacher("r2", "R", ("U",))],
    )
    result = run_allocation(ds, YEAR, norms=MATH_ONLY, policy=HiringPolicy(final_placement=False))
    row = result.by_teacher["r2"]
    assert row.round is AllocationRound.UNPLACED
    assert "不得向上流动" in row.reason
    # by default the bureau's final step places r2 in the vacancy all the same (no 待岗 while
    # the section has a post free), and says so
    placed = run_allocation(ds, YEAR, norms=MATH_ONLY).by_teacher["r2"]
    assert placed.round is AllocationRound.ASSIGNED and placed.final_placement
    assert placed.to_school_id == "U" and "兜底安置" in placed.reason


@pytest.fixture()
def tiny_folder(tmp_path: Path) -> Path:
    from rotation.io import write_dataset
    from sample_data import generate

    return write_dataset(generate("tiny", seed=1), tmp_path / "tiny")


def test_cli_allocate_writes_the_files(tiny_folder: Path, tmp_path: Path) -> None:
    import csv

    from cli.main import app

    scores = tmp_path / "scores.csv"
    scores.write_text("教师编号,评价分数\n", encoding="utf-8")
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        [
            "allocate",
            "--data",
            str(tiny_folder),
            "--year",
            "2026",
            "--out",
            str(out),
            "--scores",
            str(scores),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "校验通过" in res.output
    with (out / "allocation.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["teacher_id", "from_school_id", "round", "to_school_id", "reason"]
    assert {r["round"] for r in rows} <= {"kept", "cross", "assigned", "unplaced"}
    assert all((r["to_school_id"] == "") == (r["round"] == "unplaced") for r in rows)
    from openpyxl import load_workbook

    wb = load_workbook(out / "allocation.xlsx")
    assert wb.sheetnames[:2] == ["聘用结果", "学校汇总"]
    assert wb["聘用结果"]["A1"].value == "教师编号"
    assert (out / "staffing.csv").is_file()


# ------------------------------------------------------------------ 转岗 (subject change)
CHANGE_NORMS = StaffingNorms(
    periods={Stage.PRIMARY: {Subject.CHINESE: 2.0, Subject.POLITICS: 1.0, Subject.PE: 1.0}}
)


def change_county() -> Dataset:
    """Posts (76 pupils → 4: chinese 2, politics 1, pe 1; 19 pupils → 1: chinese).
    U (urban): four chinese teachers and one PE teacher, so two chinese teachers are not kept
    and U's politics post is open. R (rural, 1 post): its chinese teacher. R2 (rural, 4 posts):
    two chinese teachers and a politics teacher, so its PE post is open. No chinese vacancy
    is left in the county: only 转岗 can place the two."""
    chinese = {"subject": Subject.CHINESE}
    return Dataset.build(
        [
            school("U", Area.URBAN, 76, lat=24.0, lon=115.0),
            school("R", Area.RURAL, 19, lat=24.1, lon=115.0),
            school("R2", Area.RURAL, 76, lat=24.05, lon=115.0),
        ],
        [
            *(teacher(f"c{i}", "U", **chinese) for i in range(1, 5)),
            teacher("p1", "U", subject=Subject.PE),
            teacher("r1", "R", **chinese),
            teacher("r2a", "R2", **chinese),
            teacher("r2b", "R2", **chinese),
            teacher("r2c", "R2", subject=Subject.POLITICS),
        ],
    )


CHANGE_SCORES = {"c1": 99.0, "c2": 98.0, "c3": 90.0, "c4": 80.0}


def test_round_three_places_by_subject_change_hand_example() -> None:
    ds = change_county()
    result = run_allocation(ds, YEAR, norms=CHANGE_NORMS, scores=CHANGE_SCORES)
    c3, c4 = result.by_teacher["c3"], result.by_teacher["c4"]
    assert {
        (c3.round, c3.to_school_id, c3.post_subject),
        (c4.round, c4.to_school_id, c4.post_subject),
    } == {
        (AllocationRound.ASSIGNED, "U", Subject.POLITICS),  # 校内转岗, a related subject
        (AllocationRound.ASSIGNED, "R2", Subject.PE),  # any primary teacher may take PE
    }
    # gains: U politics 1000 − 200 (related) − 0 km = 800; R2 PE 1000 + 100 (rural) + 100
    # (PE is a shortage subject) − 350 (open) − 2 × 5.6 km ≈ 839: the better-evaluated c3
    # takes the more valuable vacancy
    assert c3.to_school_id == "R2"
    assert "转岗：小学语文 → 小学体育" in c3.reason
    assert "转岗：小学语文 → 小学道德与法治" in c4.reason and "本校" in c4.reason
    assert result.metrics["subject_changes"] == 2
    assert check_allocation(ds, result, norms=CHANGE_NORMS, scores=CHANGE_SCORES) == []


def test_without_subject_change_they_are_unplaced_with_the_reason() -> None:
    ds = change_county()
    policy = HiringPolicy(allow_subject_change=False)
    result = run_allocation(ds, YEAR, norms=CHANGE_NORMS, policy=policy, scores=CHANGE_SCORES)
    for tid in ("c3", "c4"):
        row = result.by_teacher[tid]
        assert row.round is AllocationRound.UNPLACED
        assert "全县小学语文岗位已无空缺" in row.reason
        # 4 + 1 + 2 = 7 chinese teachers for 2 + 1 + 2 = 5 posts in the county; the county's
        # primary teachers (9) fit its posts (4 + 1 + 4), so no stage-wide surplus is claimed
        assert "全县小学语文教师7人、岗位5个，超编2人" in row.reason
        assert "全县小学教师" not in row.reason
    # the 转岗 result breaks the rule when 转岗 is switched off, and the checker says so
    allowed = run_allocation(ds, YEAR, norms=CHANGE_NORMS, scores=CHANGE_SCORES)
    rules = [v.rule for v in check_allocation(ds, allowed, norms=CHANGE_NORMS, policy=policy)]
    assert rules.count("subject_change") == 2


def test_checker_rejects_an_incompatible_subject_change_and_overfilled_posts() -> None:
    ds = change_county()
    result = run_allocation(ds, YEAR, norms=CHANGE_NORMS, scores=CHANGE_SCORES)

    def tampered(**changes: dict[str, object]) -> set[str]:
        rows = tuple(
            r.model_copy(update=changes[r.teacher_id]) if r.teacher_id in changes else r
            for r in result.rows
        )
        spoiled = result.model_copy(update={"rows": rows})
        return {v.rule for v in check_allocation(ds, spoiled, norms=CHANGE_NORMS)}

    # chinese → English is neither a related subject nor open to any primary teacher
    assert "subject_change" in tampered(c4={"post_subject": Subject.ENGLISH})
    # both into U's one politics post
    both = {
        "round": AllocationRound.ASSIGNED,
        "to_school_id": "U",
        "post_subject": Subject.POLITICS,
    }
    assert "capacity" in tampered(c3=both, c4=both)
    # a subject change is a round-3 decision, never a kept teacher
    assert "subject_change" in tampered(c1={"post_subject": Subject.POLITICS})


def test_sample_county_round_three_does_real_work_and_surplus_is_reported() -> None:
    from sample_data import generate

    ds = generate("small", seed=1)
    result = run_allocation(ds, YEAR)
    m = result.metrics
    assert m["assigned"] > 0 and m["subject_changes"] > 0
    assert check_allocation(ds, result) == []
    unplaced = [r for r in result.rows if r.round is AllocationRound.UNPLACED]
    by_stage = Counter(r.stage for r in unplaced)
    staffing = {row.school_id: row for row in staffing_table(ds)}
    kept = Counter(
        (r.from_school_id, r.stage, r.subject) for r in result.rows if r.round is AllocationRound.KEPT
    )
    over = Counter()  # protected teachers kept beyond their school's posts
    for (sid, stage, subject), n in kept.items():
        over[stage] += max(0, n - staffing[sid].post_count(stage, subject))
    for stage in Stage:
        surplus = m.get(f"surplus_{stage.value}", 0)
        # with 转岗 and the final placement, 待岗 is the surplus less the protected kept
        # beyond posts: never more than the structural surplus, and no less than it allows
        assert by_stage[stage] <= surplus
        assert by_stage[stage] + over[stage] >= surplus
        if m.get(f"surplus_{stage.value}", 0):
            assert all("超编" in r.reason for r in unplaced if r.stage is stage)
    off = run_allocation(ds, YEAR, policy=HiringPolicy(allow_subject_change=False))
    assert off.metrics["unplaced"] > m["unplaced"]
    assert off.metrics["subject_changes"] == 0
