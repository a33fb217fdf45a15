"""Rosters that load but cannot be right, and rosters without needs (issue 12 items 4 and 5).

Each measured case: a birth in 1800 or 2030, an arrival in 2029 for plan year 2026, a
last exchange in 2030, a school with teachers and no students, a need larger than the
school, ``--year 9999``: warnings from ``check-data`` and ``plan``, errors with
``--strict``. Without needs.csv the plan derives needs from the staffing norms and
says so; without enrolment either, the roster is refused with that reason.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from io_roster import write_roster  # noqa: E402

from cli.main import app  # noqa: E402
from rotation.io import DatasetError, read_dataset, read_roster  # noqa: E402
from rotation.io.plausibility import plausibility_problems  # noqa: E402
from rotation.io.writing import write_dataset  # noqa: E402
from sample_data.generator import generate  # noqa: E402

runner = CliRunner()
YEAR = 2026


def findings(folder: Path, year: int = 2022) -> list[tuple[str, int | None, str | None]]:
    imported = read_roster(folder)
    return [
        (p.file, p.row, p.column)
        for p in plausibility_problems(imported.dataset, year, imported.where)
    ]


IMPLAUSIBLE = [
    (("teachers", 1, "birth_date", "1800-01-01"), ("teachers.csv", 2, "birth_date")),
    (("teachers", 1, "birth_date", "2030-01-01"), ("teachers.csv", 2, "birth_date")),
    (
        ("teachers", 2, "school_start_year", "2029"),
        ("teachers.csv", 3, "school_start_year"),
        ("--year", None, None),
    ),
    (("teachers", 3, "last_exchange_year", "2030"), ("teachers.csv", 4, "last_exchange_year")),
    (("teachers", 7, "birth_date", "2003-01-01"), ("teachers.csv", 8, "school_start_year")),
    (("schools", 3, "students", "0"), ("schools.csv", 4, "students")),
    (("needs", 1, "count", "500"), ("needs.csv", 2, "count")),
]


@pytest.mark.parametrize("case", IMPLAUSIBLE, ids=[c[0][3] for c in IMPLAUSIBLE])
def test_an_implausible_value_is_found_where_it_was_typed(case: tuple, tmp_path: Path) -> None:
    edit, *where = case
    assert findings(write_roster("csv", tmp_path)) == []
    assert findings(write_roster("csv", tmp_path / "e", [edit])) == where


def test_a_plan_year_far_from_the_roster_is_questioned(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)  # latest arrival 2020
    assert findings(folder, 2023) == []
    assert findings(folder, 2019) == [
        ("teachers.csv", 8, "school_start_year"),
        ("--year", None, None),
    ]
    assert findings(folder, 2024) == [("--year", None, None)]


def test_check_data_lists_the_warnings_and_exits_0(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path, [("teachers", 1, "birth_date", "1800-01-01")])
    result = runner.invoke(app, ["check-data", str(folder), "--year", "2023"])
    assert result.exit_code == 0, result.output
    assert "提醒 1 条" in result.stdout
    assert 'teachers.csv 第2行：出生日期 "1800-01-01" 数值可疑' in result.stdout
    as_json = runner.invoke(app, ["check-data", str(folder), "--year", "2023", "--json"])
    kinds = [w["kind"] for w in json.loads(as_json.stdout)["warnings"]]
    assert kinds == ["implausible"]


def test_strict_makes_implausible_values_errors(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path, [("teachers", 2, "school_start_year", "2029")])
    result = runner.invoke(app, ["check-data", str(folder), "--year", "2026", "--strict"])
    assert result.exit_code == 1
    assert "school_start_year" in result.output and "2029" in result.output
    plan = runner.invoke(
        app, ["plan", "--data", str(folder), "--year", "2026", "--out", str(tmp_path / "o"),
              "--strict", "--quiet"],
    )  # fmt: skip
    assert plan.exit_code == 1 and not (tmp_path / "o" / "plan.csv").exists()


def test_plan_prints_the_warnings_and_still_plans(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)
    out = tmp_path / "o"
    result = runner.invoke(
        app, ["plan", "--data", str(folder), "--year", "2030", "--out", str(out), "--quiet"]
    )
    assert result.exit_code in (0, 3), result.output
    assert "方案年度 2030 比名册中最晚的到校年份 2020 晚 10 年" in result.output
    assert (out / "plan.csv").exists()


def test_a_plan_year_outside_any_roster_is_an_unusable_parameter(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)
    result = runner.invoke(
        app, ["plan", "--data", str(folder), "--year", "9999", "--out", str(tmp_path / "o")]
    )
    assert result.exit_code == 2 and "9999" in result.output
    assert not (tmp_path / "o").exists()


@pytest.fixture(scope="module")
def small_without_needs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("small")
    write_dataset(generate("small", seed=3, year=YEAR), folder)
    (folder / "needs.csv").unlink()
    return folder


def test_without_needs_the_plan_derives_them_and_says_so(
    small_without_needs: Path, tmp_path: Path
) -> None:
    # on main: 0 moves, 岗位需求填补 0/0, exit 0, no note
    result = runner.invoke(
        app,
        ["plan", "--data", str(small_without_needs), "--year", str(YEAR), "--out", str(tmp_path),
         "--quiet"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "已按编制标准推算需求" in result.output
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["metrics"]["needs_open"] > 0 and summary["metrics"]["moved"] > 0
    assert any("需求按编制标准推算" in note for note in summary["notes"])  # the plan carries it too


def test_check_data_states_the_derived_needs_it_will_plan_with(small_without_needs: Path) -> None:
    result = runner.invoke(app, ["check-data", str(small_without_needs), "--year", str(YEAR)])
    derived = read_dataset(small_without_needs)
    total = sum(n.count for n in derived.needs)
    assert total > 0 and f"已按编制标准推算需求 {total} 个" in result.stdout


def test_no_needs_and_no_enrolment_is_refused_with_that_reason(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path, drop=[("schools", "students")])
    (folder / "needs.csv").unlink()
    with pytest.raises(DatasetError) as info:
        read_dataset(folder)
    (p,) = info.value.problems
    assert p.kind == "missing_needs" and "在校生数" in p.message() and "needs" in p.message("en")
    result = runner.invoke(app, ["check-data", str(folder), "--year", str(YEAR)])
    assert result.exit_code == 1 and "无法确定岗位需求" in result.output
