"""支教 and 跟岗学习 (issue 18): who gets which form, what the plan and its files say,
and how the next year sees them (apply, outlook)."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
from builders import YEAR, county, math_teachers, need, rural, school, teacher
from typer.testing import CliRunner

from cli.main import app
from rotation.apply_plan import apply_moves
from rotation.checker import check_plan
from rotation.enums import Area, ExchangeForm
from rotation.exchange_forms import support_due
from rotation.io import read_dataset, write_dataset
from rotation.io.form_files import SHADOWING_FILE, read_shadowing_csv
from rotation.io.plan_files import write_plan_csv
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.policy import Policy
from sample_data.generator import generate
from solver.options import SolveOptions
from solver.plan_year import plan_year
from workflows.check import check_plan_file
from workflows.exports import write_plan_outputs

OPTIONS = SolveOptions(time_limit=20)
runner = CliRunner()


def forms_county(*, cover: bool = True) -> Dataset:
    """U1 sends ten math teachers; P1 seeks a senior title without rural service, Q1 seeks
    one with two years of it; A1 at rural R1 asks for 跟岗学习. R1 needs two math
    teachers (``cover``) or none, R2 one; W1 is a weak town school with a need too."""
    schools = [
        school("U1"),
        school("U3"),
        rural("R1"),
        rural("R2"),
        school("W1", Area.TOWN, weak=True, lat=24.02),
    ]
    teachers = [
        *math_teachers(8),
        teacher("P1", seeks_promotion=True),
        teacher("Q1", seeks_promotion=True, rural_service_years=2),
        teacher("A1", "R1", seeks_shadowing=True),
        teacher("M1", "U3"),  # a mentor at U3
    ]
    needs = [need("R2", 1), need("W1", 1)] + ([need("R1", 2)] if cover else [])
    return county(schools, teachers, needs)


def solved(d: Dataset, policy: Policy | None = None) -> Plan:
    policy = policy or Policy(backbone_share=0)
    plan = plan_year(d, YEAR, policy, options=OPTIONS)
    report = check_plan(d, plan, policy)
    assert report.ok, report.summary_zh()
    return plan


def test_the_policy_sends_a_title_seeker_without_rural_service_on_support() -> None:
    d = forms_county()
    policy = Policy()
    assert support_due(d.teacher["P1"], d, policy)
    assert not support_due(d.teacher["Q1"], d, policy)  # has the service already
    assert not support_due(d.teacher["T000"], d, policy)  # seeks no title
    assert not support_due(d.teacher["P1"], d, Policy(support_for_promotion=False))


def test_a_support_move_lasts_one_year_at_a_rural_or_weak_school_and_says_why() -> None:
    d = forms_county()
    plan = solved(d, Policy(backbone_share=0, rotation_rate=0.3, max_rotation_rate=0.5))
    moves = {a.teacher_id: a for a in plan.assignments}
    assert "P1" in moves, "the seeker is sent first"
    p1 = moves["P1"]
    assert (p1.form, p1.start_year, p1.end_year) == (ExchangeForm.SUPPORT, YEAR, YEAR)
    assert p1.to_school_id in {"R1", "R2", "W1"}
    assert "支教1年后返回原校" in p1.reasons
    assert all(a.form is ExchangeForm.TRANSFER for a in plan.assignments if a.teacher_id != "P1")
    assert all(a.end_year == YEAR + 2 for a in plan.assignments if a.teacher_id != "P1")
    assert plan.metrics.support_moved == 1
    # counted toward the quota like a transfer (the default reading)
    u1 = next(r for r in plan.compliance if r.school_id == "U1")
    assert u1.rotated == sum(1 for a in plan.assignments if a.from_school_id == "U1")


def test_a_shadowing_is_placed_at_an_urban_school_with_a_mentor_and_a_cover_at_home() -> None:
    plan = solved(forms_county())
    assert [p.teacher_id for p in plan.shadowing] == ["A1"]
    placed = plan.shadowing[0]
    assert placed.host_school_id in {"U1", "U3"}
    covers = [a for a in plan.assignments if (a.to_school_id, a.subject) == ("R1", placed.subject)]
    assert covers, "a move into R1's math post covers the teacher away"
    assert covers[0].name in placed.reasons and "跟岗学习" in placed.reasons
    assert plan.metrics.shadowing_placed == 1


def test_no_shadowing_without_a_cover_and_the_plan_says_why() -> None:
    plan = solved(forms_county(cover=False))
    assert plan.shadowing == ()
    assert any("跟岗学习：申请1人，安排0人" in n and "补位" in n for n in plan.notes)


def test_a_host_takes_no_more_than_the_policy_allows() -> None:
    plan = solved(forms_county(), Policy(backbone_share=0, shadowing_per_host=0))
    assert plan.shadowing == ()


def test_the_plan_folder_has_the_forms_and_check_plan_reads_them_back(tmp_path: Path) -> None:
    d = forms_county()
    policy = Policy(backbone_share=0, rotation_rate=0.3, max_rotation_rate=0.5)
    plan = solved(d, policy)
    write_plan_outputs(
        plan.model_copy(update={"check": check_plan(d, plan, policy)}), d, policy, tmp_path
    )
    with (tmp_path / "plan.csv").open(encoding="utf-8") as f:
        rows = {r["teacher_id"]: r for r in csv.DictReader(f)}
    assert rows["P1"]["form"] == "support" and rows["P1"]["end_year"] == str(YEAR)
    assert [p.teacher_id for p in read_shadowing_csv(tmp_path / SHADOWING_FILE)] == ["A1"]
    wb = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    support = list(wb["支教"].iter_rows(values_only=True))
    assert support[1][1] == "P1" and support[1][12] == YEAR + 1  # back in the next year
    shadowing = list(wb["跟岗学习"].iter_rows(values_only=True))
    assert shadowing[1][1] == "A1" and "补位" in shadowing[1][-1]
    assert check_plan_file(d, tmp_path / "plan.csv", policy).ok


def test_check_plan_finds_a_shadowing_whose_cover_was_edited_away(tmp_path: Path) -> None:
    d = forms_county()
    policy = Policy(backbone_share=0)
    plan = solved(d, policy)
    write_plan_outputs(plan, d, policy, tmp_path)
    kept = tuple(a for a in plan.assignments if a.to_school_id != "R1")
    write_plan_csv(plan.model_copy(update={"assignments": kept}), tmp_path / "plan.csv")
    verdict = check_plan_file(d, tmp_path / "plan.csv", policy)
    cover = [f for f in verdict.findings if f.rule == "shadowing_cover"]
    assert cover and cover[0].subject == "A1"
    assert (cover[0].file, cover[0].rows) == (SHADOWING_FILE, [2])  # the row is in 跟岗学习.csv
    assert cover[0].line(verdict.file).startswith(f"{SHADOWING_FILE} 第2行 [跟岗学习须有补位")


def test_an_old_plan_csv_without_the_form_column_reads_as_transfers(tmp_path: Path) -> None:
    """A plan from before 支教 sent the title seeker on a full transfer: still valid."""
    d = forms_county()
    before = Policy(
        backbone_share=0, rotation_rate=0.3, max_rotation_rate=0.5, support_for_promotion=False
    )
    plan = solved(d, before)
    assert "P1" in plan.moves
    write_plan_csv(plan, tmp_path / "plan.csv")
    policy = before.with_overrides({"support_for_promotion": True})
    lines = (tmp_path / "plan.csv").read_text(encoding="utf-8").splitlines()
    old = [line.rsplit(",", 1)[0] for line in lines]  # the contract's columns before issue 18
    assert old[0].endswith(",reasons")
    (tmp_path / "plan.csv").write_text("\n".join(old) + "\n", encoding="utf-8")
    assert check_plan_file(d, tmp_path / "plan.csv", policy).ok


def test_apply_records_rural_service_and_brings_the_support_teacher_back() -> None:
    d = forms_county()
    policy = Policy(backbone_share=0, rotation_rate=0.3, max_rotation_rate=0.5)
    plan = solved(d, policy)
    nxt, applied = apply_moves(d, plan.assignments, YEAR, policy)
    p1 = nxt.teacher["P1"]
    assert (p1.school_id, p1.exchange_school_id, p1.last_exchange_year) == ("U1", None, YEAR)
    assert p1.rural_service_years == 1
    assert not support_due(p1, nxt, policy), "the title rule's service is now on record"
    transfer = next(a for a in plan.assignments if a.form is ExchangeForm.TRANSFER)
    away = nxt.teacher[transfer.teacher_id]
    assert (away.exchange_school_id, away.rural_service_years) == (transfer.to_school_id, 1)
    assert applied.returned == 1 and applied.started == len(plan.assignments) - 1


def test_the_sample_county_has_candidates_for_both_forms_and_plans_them(tmp_path: Path) -> None:
    d = generate("small", seed=3, year=YEAR)
    applicants = [t for t in d.teachers if t.seeks_shadowing]
    seekers = [t for t in d.teachers if support_due(t, d, Policy())]
    assert applicants and seekers
    assert any(t.rural_service_years for t in d.teachers)
    write_dataset(d, tmp_path / "data")
    assert read_dataset(tmp_path / "data") == d  # the new columns round-trip
    result = runner.invoke(
        app,
        [
            "plan",
            "--data",
            str(tmp_path / "data"),
            "--year",
            str(YEAR),
            "--out",
            str(tmp_path / "p"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "独立校验：通过" in result.output and "支教" in result.output
    assert (tmp_path / "p" / SHADOWING_FILE).is_file()


@pytest.mark.parametrize("form", ["support", "支教", "transfer", "交流", ""])
def test_a_plan_row_names_its_form_in_english_or_chinese(tmp_path: Path, form: str) -> None:
    from rotation.io.plan_reading import read_plan_rows

    path = tmp_path / "plan.csv"
    header = "teacher_id,name,from_school_id,to_school_id,stage,subject,title,backbone,start_year,end_year,reasons,form"
    path.write_text(
        f"{header}\nT1,x,U1,R1,primary,math,first,none,2026,2026,,{form}\n", encoding="utf-8"
    )
    [row] = read_plan_rows(path)
    assert row.form is (
        ExchangeForm.SUPPORT if form in ("support", "支教") else ExchangeForm.TRANSFER
    )


def test_a_plan_row_with_an_unknown_form_names_its_row_and_column(tmp_path: Path) -> None:
    from rotation.io.errors import DatasetError
    from rotation.io.plan_reading import read_plan_rows

    path = tmp_path / "plan.csv"
    header = "teacher_id,name,from_school_id,to_school_id,stage,subject,title,backbone,start_year,end_year,reasons,form"
    path.write_text(
        f"{header}\nT1,x,U1,R1,primary,math,first,none,2026,2026,,借调\n", encoding="utf-8"
    )
    with pytest.raises(DatasetError) as caught:
        read_plan_rows(path)
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "form", "借调")


def test_a_county_that_does_not_count_support_leaves_it_out_of_the_rotated_count() -> None:
    base = forms_county()
    d = county(list(base.schools), list(base.teachers), [*base.needs, need("R2", 1)])
    counted = Policy(
        backbone_share=0, rotation_rate=0.3, max_rotation_rate=0.5, max_group_leave_share=0.5
    )
    apart = counted.with_overrides({"support_counts_toward_quota": False})
    for policy in (counted, apart):
        plan = solved(d, policy)  # the solver's rows and the checker agree either way
        u1 = next(r for r in plan.compliance if r.school_id == "U1")
        sent = [a for a in plan.assignments if a.from_school_id == "U1"]
        supports = [a for a in sent if a.form is ExchangeForm.SUPPORT]
        assert supports
        expected = len(sent) if policy is counted else len(sent) - len(supports)
        assert u1.rotated == expected
        assert u1.eligible == 10  # the base keeps every eligible teacher
    assert plan.metrics.support_not_counted == len(supports)
