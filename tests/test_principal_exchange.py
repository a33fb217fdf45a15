"""校长交流: principals and vice-principals past two full terms, moved by their own model in
the plan run, and everything an officer checks about it."""

from __future__ import annotations

from pathlib import Path

import pytest
from builders import YEAR, county, rural, school, teacher
from principal_cases import leaders_county
from typer.testing import CliRunner

from cli.main import app
from rotation.checker import check_plan
from rotation.compliance import compliance_rows
from rotation.eligibility import eligibility_table
from rotation.enums import Position, SchoolStage
from rotation.io import read_dataset
from rotation.io.errors import DatasetError
from rotation.io.writing import write_dataset
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from rotation.principals import LeaderMove, leader_table
from sample_data import generate
from solver.principal_exchange import plan_principals
from workflows.plan import run_plan

runner = CliRunner()


def principal(tid: str, school_id: str, post: int = 2015, **kw: object) -> object:
    return teacher(tid, school_id, position=Position.PRINCIPAL, post_start_year=post, **kw)


def vice(tid: str, school_id: str, post: int = 2015, **kw: object) -> object:
    return teacher(tid, school_id, position=Position.VICE_PRINCIPAL, post_start_year=post, **kw)


def checked(d: Dataset, policy: Policy | None = None) -> Plan:
    policy = policy or Policy()
    rows = tuple(compliance_rows(d, {}, YEAR, policy))
    plan = Plan(
        year=YEAR, assignments=(), compliance=rows, principals=plan_principals(d, YEAR, policy)
    )
    report = check_plan(d, plan, policy)
    assert report.ok, report.summary_zh()
    return plan


def test_two_full_terms_make_a_leader_due_and_the_term_is_a_policy_parameter() -> None:
    d = county([school("U1")], [principal("P1", "U1", post=2020), vice("V1", "U1", post=2021)], [])
    three = leader_table(d, YEAR, Policy())
    assert three["P1"].due and not three["V1"].due  # 6 years vs 5 under 3-year terms
    assert "未满2届" in three["V1"].reason_text
    five = leader_table(d, YEAR, Policy(principal_term_years=5))
    assert not five["P1"].due


def test_service_counts_only_from_arrival_at_this_school() -> None:
    d = county([school("U1")], [principal("P1", "U1", post=2010, school_start_year=2022)], [])
    status = leader_table(d, YEAR, Policy())["P1"]
    assert status.years_in_post == 4 and not status.due


def test_a_blank_post_start_year_is_explained_never_guessed() -> None:
    d = county([school("U1")], [teacher("P1", "U1", position=Position.PRINCIPAL)], [])
    assert "任现职年份空缺" in leader_table(d, YEAR, Policy())["P1"].reason_text


def test_two_due_principals_swap_and_every_school_keeps_one() -> None:
    plan = checked(leaders_county())
    ex = plan.principals
    assert ex is not None
    moves = {m.teacher_id: m.to_school_id for m in ex.moves if m.kind.leaves_school}
    assert moves["P1"] == "R2" and moves["P4"] == "U1"
    assert ex.due == 3 and ex.moved >= 2 and not ex.vacancies


def test_a_principal_goes_to_the_weak_rural_school_first_and_the_vice_is_promoted_in_place() -> (
    None
):
    d = county(
        [school("U1"), school("U2"), rural("R1", weak=True)],
        [principal("P1", "U1"), vice("V1", "U1", post=2024)],
        [],
    )
    ex = checked(d).principals
    assert ex is not None
    kinds = {m.teacher_id: (m.kind, m.to_school_id) for m in ex.moves}
    assert kinds["P1"] == (LeaderMove.PRINCIPAL, "R1")
    assert kinds["V1"] == (LeaderMove.PROMOTED_IN_PLACE, "U1")
    assert ex.moved == 1 and ex.promoted_in_place == 1


def test_principals_stay_within_their_stage_and_each_one_not_moved_is_explained() -> None:
    d = county(
        [school("U1"), school("J1", stage=SchoolStage.JUNIOR)],
        [principal("P1", "U1"), principal("PJ", "J1")],
        [],
    )
    ex = checked(d).principals
    assert ex is not None
    assert ex.moved == 0 and not ex.moves
    assert {n.teacher_id for n in ex.not_moved} == {"P1", "PJ"}
    assert all(n.reason_zh for n in ex.not_moved)


def test_a_lower_rate_plans_fewer_and_says_the_quota_is_met() -> None:
    ex = checked(leaders_county(), Policy(principal_exchange_rate=0.5)).principals
    assert ex is not None and ex.required == 2 and ex.moved >= 2


def test_by_default_leaders_leave_the_teacher_pool_and_the_switch_puts_them_back() -> None:
    d = leaders_county()
    out = eligibility_table(d, YEAR, Policy())["P1"]
    assert not out.eligible and "校长交流规则" in out.reason_text
    assert eligibility_table(d, YEAR, Policy(principals_in_teacher_quota=True))["P1"].eligible


def test_a_roster_without_positions_plans_no_principal_exchange_and_writes_no_file(
    tmp_path: Path,
) -> None:
    data, out = tmp_path / "tiny", tmp_path / "plan"
    roster = generate("tiny", seed=1)
    plain = Dataset.build(
        roster.schools,
        [
            t.model_copy(update={"position": Position.TEACHER, "post_start_year": None})
            for t in roster.teachers
        ],
        roster.needs,
    )
    write_dataset(plain, data)
    assert "position" not in (data / "teachers.csv").read_text(encoding="utf-8").splitlines()[0]
    result = runner.invoke(
        app, ["plan", "--data", str(data), "--year", "2026", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert not (out / "principal_exchanges.csv").exists()
    assert "校长交流" not in result.output


def test_the_plan_run_writes_principal_exchanges_csv_and_says_so(tmp_path: Path) -> None:
    data, out = tmp_path / "small", tmp_path / "plan"
    assert (
        runner.invoke(
            app, ["sample", "--preset", "small", "--seed", "1", "--out", str(data)]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app, ["plan", "--data", str(data), "--year", "2026", "--out", str(out), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    assert "校长交流：任职期满的校长、副校长" in result.output
    assert "principal_exchanges.csv" in result.output
    lines = (out / "principal_exchanges.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith(
        "teacher_id,name,position,new_position,kind,from_school_id,to_school_id"
    )
    dataset = read_dataset(data)
    due = {tid for tid, st in leader_table(dataset, 2026, Policy()).items() if st.due}
    listed = {line.split(",")[0] for line in lines[1:]}
    assert due <= listed  # every due leader is on the list: moved or explained
    plan_teachers = (out / "plan.csv").read_text(encoding="utf-8-sig")
    assert not any(tid in plan_teachers for tid in due)  # plan.csv stays the teachers' list


def test_the_sample_has_one_principal_per_school_and_up_to_two_vice_principals() -> None:
    d = generate("small", seed=1)
    for s in d.schools:
        staff = d.teachers_by_school[s.school_id]
        heads = [t for t in staff if t.position is Position.PRINCIPAL]
        vices = [t for t in staff if t.position is Position.VICE_PRINCIPAL]
        assert len(heads) == (0 if s.name.endswith("教学点") or not staff else 1), s.name
        assert len(vices) <= 2
    status = leader_table(d, 2026, Policy())
    assert 0 < sum(st.due for st in status.values()) < len(status)


def test_the_columns_read_in_chinese_and_a_bad_position_is_refused_with_its_place(
    tmp_path: Path,
) -> None:
    d = leaders_county()
    write_dataset(d, tmp_path / "ok")
    path = tmp_path / "ok" / "teachers.csv"
    text = path.read_text(encoding="utf-8-sig")
    header, *rows = text.splitlines()
    assert "position" in header and "post_start_year" in header
    zh = header.replace("position", "职务").replace("post_start_year", "任现职年份")
    zh_rows = [
        r.replace(",vice_principal,", ",副校长,").replace(",principal,", ",校长,") for r in rows
    ]
    path.write_text("\n".join([zh, *zh_rows]) + "\n", encoding="utf-8")
    back = read_dataset(tmp_path / "ok")
    assert back.teacher["V1"].position is Position.VICE_PRINCIPAL
    assert back.teacher["P1"].post_start_year == 2015
    path.write_text(
        "\n".join([zh, *[r.replace(",副校长,", ",院长,") for r in zh_rows]]) + "\n",
        encoding="utf-8",
    )
    with pytest.raises(DatasetError) as err:
        read_dataset(tmp_path / "ok")
    text = str(err.value)
    assert "职务" in text and "teachers" in text


def test_the_workflow_plan_keeps_teacher_quotas_and_checks_the_principals() -> None:
    d = generate("tiny", seed=1)
    plan = run_plan(d, 2026, Policy())
    assert plan.check is not None and plan.check.ok, plan.check.summary_zh()
    assert plan.principals is not None
    assert {a.teacher_id for a in plan.assignments}.isdisjoint(
        t.teacher_id for t in d.teachers if t.position.leads
    )


def test_with_leaders_in_the_teacher_quota_a_leader_moved_as_teacher_is_replaced_and_checked() -> (
    None
):
    policy = Policy(principals_in_teacher_quota=True)
    d = generate("small", seed=1)
    plan = run_plan(d, 2026, policy)
    assert plan.check is not None and plan.check.ok, plan.check.summary_zh()
    ex = plan.principals
    assert ex is not None and ex.counts_toward_teacher_quota
    as_teachers = {a.teacher_id for a in plan.assignments if d.teacher[a.teacher_id].position.leads}
    assert as_teachers  # on small seed 1 the teacher plan sends two of them
    assert as_teachers.isdisjoint(m.teacher_id for m in ex.moves)
    eligible = eligibility_table(d, 2026, policy)
    assert any(eligible[t.teacher_id].eligible for t in d.teachers if t.position.leads)


def test_a_school_listing_two_principals_does_not_stop_the_others_moving() -> None:
    d = county(
        [school("U1"), school("U2"), rural("R1")],
        [
            principal("P1", "U1"),
            principal("P1b", "U1", post=2024),
            principal("P2", "U2"),
            principal("P3", "R1"),
        ],
        [],
    )
    ex = checked(d).principals
    assert ex is not None and ex.status == "optimal"
    assert ex.moved >= 2 and not ex.vacancies
