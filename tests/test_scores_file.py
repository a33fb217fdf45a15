"""The evaluation scores of ``rotation allocate`` are validated like a roster (issue 12 item 9).

On main an unknown teacher id was counted, a duplicate kept its last score, a negative
score passed, a bad value reported only its first row and a missing file printed a
raw OS error.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from io_roster import write_roster  # noqa: E402

from cli.main import app  # noqa: E402
from rotation.allocation_files import read_scores  # noqa: E402
from rotation.io import DatasetError  # noqa: E402

KNOWN = ["T001", "T002", "T003"]


def scores_file(tmp_path: Path, body: str) -> Path:
    p = tmp_path / "scores.csv"
    p.write_text("教师编号,评价分数\n" + body, encoding="utf-8")
    return p


def test_a_clean_scores_file_reads_every_score(tmp_path: Path) -> None:
    p = scores_file(tmp_path, "T001,88.5\nT002,\nT003,70\n")
    assert read_scores(p, KNOWN) == {"T001": 88.5, "T003": 70.0}


def test_every_problem_is_reported_at_once_with_its_row(tmp_path: Path) -> None:
    p = scores_file(tmp_path, "T001,88\nT009,90\nT001,75\nT002,-5\nT003,很好\nT002,120\n")
    with pytest.raises(DatasetError) as info:
        read_scores(p, KNOWN)
    got = [(x.row, x.kind, x.value) for x in info.value.problems]
    assert got == [
        (3, "unknown_teacher", "T009"),
        (4, "duplicate", "T001"),
        (5, "out_of_range", "-5"),
        (6, "invalid", "很好"),
        (7, "duplicate", "T002"),
    ]
    report = info.value.report()
    assert "第4行已有此教师" not in report and "第2行已有此教师" in report
    assert "0 到 100 之间的分数" in report and "is not a teacher in the roster" in report
    assert '评价分数 "-5" 超出允许范围' in report and 'row 5: score "-5"' in report


def test_an_unknown_id_close_to_a_known_one_is_suggested(tmp_path: Path) -> None:
    p = scores_file(tmp_path, "T0001,80\n")
    with pytest.raises(DatasetError) as info:
        read_scores(p, KNOWN)
    assert info.value.problems[0].suggestion == "T001"


def test_a_missing_scores_file_is_one_bilingual_line(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)
    result = CliRunner().invoke(
        app,
        ["allocate", "--data", str(folder), "--year", "2026", "--out", str(tmp_path / "o"),
         "--scores", str(tmp_path / "nowhere.csv")],
    )  # fmt: skip
    assert result.exit_code == 2
    assert "路径不存在" in result.output and "path does not exist" in result.output
    assert "Errno" not in result.output and "Traceback" not in result.output


def test_allocate_refuses_a_scores_file_naming_teachers_not_in_the_roster(tmp_path: Path) -> None:
    folder = write_roster("csv", tmp_path)
    p = scores_file(tmp_path, "T001,80\nT999,70\n")
    result = CliRunner().invoke(
        app,
        ["allocate", "--data", str(folder), "--year", "2026", "--out", str(tmp_path / "o"),
         "--scores", str(p)],
    )  # fmt: skip
    assert result.exit_code == 1 and "T999" in result.output
    assert not (tmp_path / "o" / "allocation.csv").exists()
