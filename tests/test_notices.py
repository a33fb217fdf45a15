"""The papers a bureau prints: a 交流通知书 per moved teacher and a 公示名单 without personal data."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader
from typer.testing import CliRunner

from cli.main import app
from rotation.io import read_dataset
from rotation.io.plan_files import read_plan_csv

runner = CliRunner()


def _plan(tmp_path: Path) -> tuple[Path, Path]:
    data, plan = tmp_path / "county", tmp_path / "plan"
    assert (
        runner.invoke(
            app, ["sample", "--preset", "tiny", "--seed", "3", "--out", str(data)]
        ).exit_code
        == 0
    )
    result = runner.invoke(
        app, ["plan", "--data", str(data), "--year", "2026", "--out", str(plan), "--quiet"]
    )
    assert result.exit_code == 0, result.output
    return data, plan / "plan.csv"


def _text(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def test_each_moved_teacher_gets_a_notice_page_naming_the_school_and_term(tmp_path: Path) -> None:
    data, plan_csv = _plan(tmp_path)
    rows = read_plan_csv(plan_csv)
    assert rows, "the tiny county moves somebody"
    result = runner.invoke(
        app,
        ["notices", "--data", str(data), "--plan", str(plan_csv), "--out", str(tmp_path / "papers"),
         "--contact", "人事股 0753-1234567", "--date", "2026-06-15"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    pages = _text(tmp_path / "papers" / "notices.pdf")
    assert len(pages) == len(rows)
    dataset = read_dataset(data)
    for row, page in zip(sorted(rows, key=lambda r: r["teacher_id"]), pages, strict=True):
        flat = page.replace("\n", "")
        assert row["name"] in flat
        assert dataset.school[row["to_school_id"]].name in flat
        assert f"{row['start_year']}年9月至{int(row['end_year']) + 1}年7月" in flat
        assert "0753-1234567" in flat and "2026年06月15日" in flat


def test_the_public_list_names_every_move_and_no_birth_date_or_age(tmp_path: Path) -> None:
    data, plan_csv = _plan(tmp_path)
    out = tmp_path / "papers"
    assert (
        runner.invoke(
            app, ["notices", "--data", str(data), "--plan", str(plan_csv), "--out", str(out)]
        ).exit_code
        == 0
    )
    text = "".join(_text(out / "public_list.pdf"))
    dataset = read_dataset(data)
    rows = read_plan_csv(plan_csv)
    for row in rows:
        assert row["name"] in text
        birth = dataset.teacher[row["teacher_id"]].birth_date
        assert birth.isoformat() not in text and f"{birth.year}年{birth.month}月" not in text
    assert f"共 {len(rows)} 人" in text
    assert not re.search(r"\d{2}岁", text)
    assert "评价" not in text and "出生" not in text


def test_a_plan_naming_a_teacher_not_in_the_roster_is_refused_as_a_violation_and_nothing_written(
    tmp_path: Path,
) -> None:
    data, plan_csv = _plan(tmp_path)
    text = plan_csv.read_text(encoding="utf-8-sig").splitlines()
    header, first = text[0], text[1].split(",")
    first[0] = "NOBODY"
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join([header, ",".join(first)]) + "\n", encoding="utf-8")
    out = tmp_path / "papers"
    result = runner.invoke(
        app, ["notices", "--data", str(data), "--plan", str(bad), "--out", str(out)]
    )
    assert result.exit_code == 3, result.output
    assert "NOBODY" in result.output and "未打印" in result.output
    assert not out.exists()


def test_the_exported_workbook_prints_the_same_notices_as_the_csv(tmp_path: Path) -> None:
    data, plan_csv = _plan(tmp_path)
    for source, folder in ((plan_csv, "from-csv"), (plan_csv.with_name("plan.xlsx"), "from-xlsx")):
        done = runner.invoke(
            app, ["notices", "--data", str(data), "--plan", str(source), "--out", str(tmp_path / folder),
                  "--date", "2026-06-15"],
        )  # fmt: skip
        assert done.exit_code == 0, done.output
    assert _text(tmp_path / "from-csv" / "notices.pdf") == _text(
        tmp_path / "from-xlsx" / "notices.pdf"
    )


def test_a_published_plans_workbook_puts_its_official_stamp_on_every_page(tmp_path: Path) -> None:
    from rotation.io.plan_files import write_plan_xlsx
    from rotation.io.plan_reading import official_stamp_of
    from rotation.plan import Plan
    from rotation.policy import Policy
    from workflows.check import read_and_check_plan_file

    data, plan_csv = _plan(tmp_path)
    stamp = "正式方案：样本县 2026 学年，2026-12-01 02:41 UTC 由 王老师 发布 / official plan"
    official = tmp_path / "plan-1-official.xlsx"
    dataset = read_dataset(data)
    moves = read_and_check_plan_file(dataset, plan_csv, Policy(), year=2026).plan.assignments
    write_plan_xlsx(Plan(year=2026, assignments=moves), dataset, official, official=stamp)
    assert official_stamp_of(official) == stamp
    assert official_stamp_of(plan_csv.with_name("plan.xlsx")) is None
    assert official_stamp_of(plan_csv) is None
    for source, folder in ((official, "official"), (plan_csv, "draft")):
        done = runner.invoke(
            app, ["notices", "--data", str(data), "--plan", str(source), "--out", str(tmp_path / folder)]
        )  # fmt: skip
        assert done.exit_code == 0, done.output
    for paper in ("notices.pdf", "public_list.pdf"):
        official_pages = _text(tmp_path / "official" / paper)
        assert official_pages and all("正式方案：样本县 2026 学年" in p for p in official_pages)
        assert not any("正式方案" in p for p in _text(tmp_path / "draft" / paper))
