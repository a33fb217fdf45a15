"""`rotation check-data`: exit codes, problems on stderr, and the summary an officer reads."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from io_roster import roster, write_roster  # noqa: E402

from cli.main import app  # noqa: E402  (registers every command module)
from rotation.policy import Policy  # noqa: E402
from rotation.summary import dataset_summary, format_summary  # noqa: E402


def run(*args: str):  # noqa: ANN201
    # with a single registered command typer makes it the root command
    is_group = hasattr(typer.main.get_command(app), "commands")
    argv = ["check-data", *args] if is_group else list(args)
    return CliRunner().invoke(app, argv)


def test_valid_roster_prints_summary_and_exits_0(tmp_path: Path) -> None:
    result = run(str(write_roster("csv", tmp_path)), "--year", "2026")
    assert result.exit_code == 0, result.output
    assert "学校 4 所" in result.stdout and "教师 8 人" in result.stdout
    assert "符合交流条件 4 人" in result.stdout


def test_check_data_in_english_gives_the_ineligibility_reasons_in_english(tmp_path: Path) -> None:
    result = run(str(write_roster("csv", tmp_path)), "--year", "2026", "--lang", "en")
    assert result.exit_code == 0, result.output
    reasons = [line for line in result.stdout.splitlines() if line.startswith("  - ")]
    assert reasons and all(line.isascii() for line in reasons), reasons
    assert any("within 5 years of retirement" in line for line in reasons)


def test_json_output(tmp_path: Path) -> None:
    result = run(str(write_roster("xlsx", tmp_path)), "--year", "2026", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["teachers"]["total"] == 8 and data["eligible"]["total"] == 4


def test_invalid_roster_lists_every_problem_on_stderr_and_exits_1(tmp_path: Path) -> None:
    edits = [("teachers", 3, "title", "高极"), ("needs", 1, "count", "0")]
    result = run(str(write_roster("csv", tmp_path, edits)), "--year", "2026")
    assert result.exit_code == 1
    assert '是否为 "高级"?' in result.stderr
    assert "teachers.csv 第4行" in result.stderr and "needs.csv 第2行" in result.stderr
    assert result.stdout == ""
    english = run(
        str(write_roster("csv", tmp_path / "en", edits)), "--year", "2026", "--lang", "en"
    )
    assert english.exit_code == 1 and 'did you mean "高级"?' in english.stderr
    assert "是否为" not in english.stderr


def test_missing_path_exits_2(tmp_path: Path) -> None:
    result = run(str(tmp_path / "nowhere"), "--year", "2026")
    assert result.exit_code == 2 and "路径不存在" in result.stderr


def test_policy_errors_exit_2(tmp_path: Path) -> None:
    path = str(write_roster("csv", tmp_path))
    assert run(path, "--year", "2026", "--set", "rotation_rate=2").exit_code == 2
    assert run(path, "--year", "2026", "--set", "no_such=1").exit_code == 2
    assert run(path, "--year", "2026", "--policy", str(tmp_path / "none.toml")).exit_code == 2
    bad = tmp_path / "bad.toml"
    bad.write_text("rotation_rate = [", encoding="utf-8")
    assert run(path, "--year", "2026", "--policy", str(bad)).exit_code == 2


def test_overrides_change_the_quota(tmp_path: Path) -> None:
    path = str(write_roster("csv", tmp_path))
    base = json.loads(run(path, "--year", "2026", "--json").stdout)
    looser = json.loads(
        run(path, "--year", "2026", "--json", "--set", "min_tenure_years=20").stdout
    )
    assert looser["eligible"]["total"] < base["eligible"]["total"]


def test_summary_tallies_why_teachers_are_not_eligible() -> None:
    s = dataset_summary(roster(), 2026, Policy())
    json.dumps(s)  # serialisable as is
    by_school = {r["school_id"]: r for r in s["eligible"]["by_school"]}
    # 001: T001, T002 eligible; T003 (born 1972, woman) is within 5 years of retiring at 55
    assert by_school["001"]["eligible"] == 2
    assert by_school["001"]["ineligible_reasons"] == {"距退休不足5年": 1}
    # 002: T005 is exempt (孕期哺乳期); T004 and T006 are eligible
    assert by_school["002"]["ineligible_reasons"] == {"已申请免交流": 1}
    assert by_school["R01"]["ineligible_reasons"] == {"所在学校不是派出学校": 1}
    assert s["schools"]["by_role"] == {"sender": 2, "receiver": 2, "both": 0, "none": 0}
    units = {u["unit"]: u for u in s["quotas"]["units"]}
    assert units["001"]["required"] == 1 and units["002"]["required"] == 1
    assert s["quotas"]["county"]["required"] == 2
    assert {x["label"]: x["count"] for x in s["needs"]["by_subject"]} == {
        "英语": 2,
        "音乐": 1,
        "物理": 1,
    }
    primary_backbone = next(
        i for i in s["indicators"] if (i["stage"], i["indicator"]) == ("primary", "backbone")
    )
    assert primary_backbone["limit"] == 0.5 and primary_backbone["target"] == 1.0
    text = format_summary(s)
    assert "英语 2" in text and "县级及以上骨干教师数" in text


def test_summary_without_needs_says_they_will_be_derived() -> None:
    text = format_summary(dataset_summary(roster(with_needs=False), 2026, Policy()))
    assert "未提供岗位需求表" in text
