"""Writers: the contract's exact CSV files, round trips, and the printable plan workbook."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import openpyxl

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from io_roster import roster  # noqa: E402

from rotation.check_report import CheckReport, Violation  # noqa: E402
from rotation.enums import BackboneLevel, Role, Stage, Subject, Title  # noqa: E402
from rotation.io import (  # noqa: E402
    read_dataset,
    read_plan_csv,
    write_compliance_csv,
    write_dataset,
    write_dataset_xlsx,
    write_plan_csv,
    write_plan_xlsx,
)
from rotation.plan import Assignment, ComplianceRow, Plan  # noqa: E402
from rotation.plan_results import IndicatorChange, NeedsFilled, PlanMetrics, SolveStats  # noqa: E402
from rotation.policy import Policy  # noqa: E402
from rotation.staffing import derived_needs  # noqa: E402

PLAN_HEADER = (
    "teacher_id,name,from_school_id,to_school_id,stage,subject,title,backbone,"
    "start_year,end_year,reasons,form"
)
COMPLIANCE_HEADER = (
    "school_id,name,role,eligible,required,rotated,backbone_required,backbone_rotated,"
    "met,shortfall_reason"
)


def a_plan() -> Plan:
    moves = [
        Assignment(teacher_id="T004", name="刘洋", from_school_id="002", to_school_id="R02",
                   stage=Stage.JUNIOR, subject=Subject.PHYSICS, title=Title.FIRST,
                   backbone=BackboneLevel.CITY, start_year=2026, end_year=2028,
                   reasons="填补物理岗位, 市级骨干"),
        Assignment(teacher_id="T002", name="王芳", from_school_id="001", to_school_id="R01",
                   stage=Stage.PRIMARY, subject=Subject.ENGLISH, title=Title.FIRST,
                   backbone=BackboneLevel.NONE, start_year=2026, end_year=2028,
                   reasons="第一志愿；紧缺学科", preference_rank=1),
    ]  # fmt: skip
    compliance = [
        ComplianceRow(school_id="001", name="县实验小学", role=Role.SENDER, eligible=2,
                      required=1, rotated=1, backbone_required=1, backbone_rotated=0, met=False,
                      shortfall_reason="无符合条件的骨干教师"),
        ComplianceRow(school_id="002", name="县第一中学", role=Role.SENDER, eligible=2,
                      required=1, rotated=1, backbone_required=1, backbone_rotated=1, met=True),
    ]  # fmt: skip
    metrics = PlanMetrics(
        moved=2,
        indicators=[
            IndicatorChange(stage="primary", stage_zh="小学", indicator="backbone", label="县级及以上骨干教师数",
                            cv_before=0.79, cv_after=0.61, limit=0.5, mean_before=0.03, mean_after=0.03,
                            cv_met_after=False, schools_below_before=3, schools_below_after=2),
        ],
    )  # fmt: skip
    check = CheckReport(
        ok=False,
        violations=[Violation(rule="backbone_share", subject="001", message="骨干比例不足")],
    )
    return Plan(year=2026, assignments=tuple(moves), compliance=tuple(compliance), metrics=metrics,
                solve=SolveStats(status="optimal", objective=321.5, gap=0.0, solver_status="optimal"),
                check=check, status="optimal", backend="cpsat")  # fmt: skip


def test_round_trip_through_csv_is_equal_and_byte_identical(tmp_path: Path) -> None:
    d = roster()
    first = write_dataset(d, tmp_path / "a")
    assert read_dataset(first) == d
    second = write_dataset(read_dataset(first), tmp_path / "b")
    for name in ("schools.csv", "teachers.csv", "needs.csv"):
        assert (first / name).read_bytes() == (second / name).read_bytes()
    header = (first / "schools.csv").read_text(encoding="utf-8").splitlines()[0]
    assert (
        header
        == "school_id,name,town,area,stage,quality,weak,priority,community,students,classes,lat,lon,role"
    )
    assert not (first / "teachers.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in (first / "teachers.csv").read_bytes()


def test_round_trip_through_xlsx_in_chinese_and_english(tmp_path: Path) -> None:
    d = roster()
    zh = write_dataset_xlsx(d, tmp_path / "zh.xlsx")
    assert read_dataset(zh) == d
    ws = openpyxl.load_workbook(zh)["教师"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["教师编号", "姓名", "性别"]
    row = dict(zip(header, [c.value for c in ws[2]], strict=True))
    assert (row["性别"], row["职称"], row["骨干级别"], row["申报高级职称"]) == (
        "男",
        "高级",
        "县级",
        "否",
    )
    assert ws.freeze_panes == "A2" and ws["A1"].font.bold
    assert read_dataset(write_dataset_xlsx(d, tmp_path / "en.xlsx", lang="en")) == d


def test_dataset_without_needs_reads_back_with_needs_derived_from_the_norms(tmp_path: Path) -> None:
    d = roster(with_needs=False)
    folder = write_dataset(roster(), tmp_path / "d")  # an earlier write left needs.csv
    write_dataset(d, folder)
    assert not (folder / "needs.csv").exists()
    derived = d.with_needs(derived_needs(d))  # no needs table: needs come from the norms
    assert read_dataset(folder) == derived and derived.needs
    assert read_dataset(write_dataset_xlsx(d, tmp_path / "d.xlsx")) == derived


def test_plan_csv_has_exactly_the_contract_columns(tmp_path: Path) -> None:
    plan = a_plan()
    path = write_plan_csv(plan, tmp_path / "plan.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == PLAN_HEADER
    rows = read_plan_csv(path)
    assert [r["teacher_id"] for r in rows] == ["T002", "T004"]
    assert rows[1]["reasons"] == "填补物理岗位, 市级骨干"  # a comma survives quoting
    assert (rows[0]["stage"], rows[0]["title"], rows[0]["backbone"]) == ("primary", "first", "none")
    again = write_plan_csv(a_plan(), tmp_path / "again.csv")
    assert again.read_bytes() == path.read_bytes()


def test_compliance_csv(tmp_path: Path) -> None:
    path = write_compliance_csv(a_plan(), tmp_path / "compliance.csv")
    rows = list(csv.reader(path.open(encoding="utf-8")))
    assert ",".join(rows[0]) == COMPLIANCE_HEADER
    assert [(r[0], r[2], r[8], r[9]) for r in rows[1:]] == [
        ("001", "sender", "0", "无符合条件的骨干教师"),
        ("002", "sender", "1", ""),
    ]


def _rows(ws: object) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))  # type: ignore[attr-defined]


def test_plan_workbook_opens_on_an_overview_with_the_verdict_and_the_policy_in_words(
    tmp_path: Path,
) -> None:
    plan = a_plan().model_copy(
        update={
            "metrics": a_plan().metrics.model_copy(
                update={"needs_by_priority": {"三所学校": NeedsFilled(open=3, filled=2)}}
            )
        }
    )
    wb = openpyxl.load_workbook(
        write_plan_xlsx(plan, roster(), tmp_path / "p.xlsx", policy=Policy())
    )
    assert wb.sheetnames == [
        "方案概况", "交流名单", "学校达标情况", "指标对比", "未填补岗位", "支教", "跟岗学习",
    ]  # fmt: skip
    overview = {r[0]: r[1] for r in _rows(wb["方案概况"])[1:] if r[0]}
    # the verdict and the status near the top, in words
    labels = [r[0] for r in _rows(wb["方案概况"])]
    assert labels.index("独立核验") < 6
    assert overview["独立核验"].startswith("未通过") and overview["方案状态"] == "最优"
    assert overview["交流人数"] == 2 and overview["已填补岗位：三所学校"] == "2/3"
    assert overview["违反规则"].endswith("骨干比例不足")
    # the policy by its meaning, with the --set key beside it
    policy_rows = {r[2]: (r[0], r[1]) for r in _rows(wb["方案概况"]) if len(r) > 2 and r[2]}
    assert policy_rows["rotation_rate"][1] == 0.1 and not policy_rows["rotation_rate"][0].isascii()
    assert (
        policy_rows["quota_scope"][1] == "按校" and policy_rows["quota_stages"][1] == "小学、初中"
    )
    assert policy_rows["rotation_rounding"][1] == "向上取整"
    # no internal keys, no JSON anywhere, no header twice
    cells = [c for ws in wb.worksheets for row in _rows(ws) for c in row if isinstance(c, str)]
    assert not any(c.lstrip().startswith(("{", "[")) for c in cells)
    for key in ("backbone_moved", "needs_open", "phases", "slack", "plan_value_bound", "目标值"):
        assert key not in labels
    for ws in wb.worksheets[1:]:
        header = [c.value for c in ws[1]]
        assert len(header) == len(set(header)), ws.title
        assert all(not h.isascii() for h in header if h), ws.title


def test_plan_workbook_shows_labels_and_numbers_and_prints_landscape_to_width(
    tmp_path: Path,
) -> None:
    wb = openpyxl.load_workbook(write_plan_xlsx(a_plan(), roster(), tmp_path / "p.xlsx"))
    moves = wb["交流名单"]
    header = [c.value for c in moves[1]]
    first = dict(zip(header, [c.value for c in moves[2]], strict=True))
    assert first["原学校"] == "县实验小学" and first["交流学校"] == "黄石镇中心小学"
    assert (first["学科"], first["职称"]) == ("英语", "一级")
    assert isinstance(first["距离（公里）"], float) and first["距离（公里）"] > 0
    assert moves.freeze_panes == "A2" and moves["A1"].font.bold and moves.auto_filter.ref
    comp = wb["学校达标情况"]
    row = dict(zip([c.value for c in comp[1]], [c.value for c in comp[2]], strict=True))
    assert row["角色"] == "派出学校" and row["是否达标"] == "否" and row["应交流人数"] == 1
    # a plan read back from the store carries the role as its code: still shown as a label
    stored = a_plan().model_copy(
        update={
            "compliance": tuple(
                r.model_copy(update={"role": "sender"}) for r in a_plan().compliance
            )
        }
    )
    wb2 = openpyxl.load_workbook(write_plan_xlsx(stored, roster(), tmp_path / "s.xlsx"))
    assert wb2["学校达标情况"]["C2"].value == "派出学校"
    ind = wb["指标对比"]
    row = dict(zip([c.value for c in ind[1]], [c.value for c in ind[2]], strict=True))
    assert (row["学段"], row["指标"]) == ("小学", "县级及以上骨干教师数")
    assert row["交流后差异系数"] == 0.61 and row["交流后低于标准的学校数"] == 2
    for ws in wb.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth == 1
        assert ws.print_title_rows in ("1:1", "$1:$1")


def test_plan_workbook_in_english_has_english_sheets_headers_and_labels(tmp_path: Path) -> None:
    path = write_plan_xlsx(a_plan(), roster(), tmp_path / "en.xlsx", policy=Policy(), lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == [
        "Overview",
        "Moves",
        "Quotas by school",
        "Indicators",
        "Unfilled posts",
        "Support (one year)",
        "Shadowing",
    ]
    overview = {r[0]: r[1] for r in _rows(wb["Overview"])[1:] if r[0]}
    assert overview["status"] == "optimal" and overview["checker's verdict"].startswith("failed")
    assert wb["Quotas by school"]["C2"].value == "sending school"
    assert wb["Indicators"]["B2"].value == "county-level or higher backbone teachers"
    headers = [c.value for ws in wb.worksheets for c in ws[1] if c.value]
    assert all(h.isascii() for h in headers)


def test_plan_workbook_without_metrics(tmp_path: Path) -> None:
    plan = Plan(year=2026, assignments=())
    wb = openpyxl.load_workbook(write_plan_xlsx(plan, roster(), tmp_path / "empty.xlsx"))
    assert wb["交流名单"].max_row == 1
    assert "本方案未提供指标对比数据" in wb["指标对比"]["A2"].value
