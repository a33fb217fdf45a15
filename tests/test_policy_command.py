"""`rotation policy` tells an officer every key --set and --policy accept, and its template loads."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cli.main import app
from rotation.policy import Policy

runner = CliRunner()


def test_every_parameter_is_listed_with_its_default_and_range() -> None:
    result = runner.invoke(app, ["policy"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for row in Policy.describe():
        assert row["name"] in result.output
        assert row["range"], f"{row['name']} has no stated range"
    assert "派出学校交流比例下限" in result.output and "0 ≤ x ≤ 1" in result.output


def test_the_toml_template_loads_as_the_default_policy(tmp_path: Path) -> None:
    result = runner.invoke(app, ["policy", "--toml"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "policy.toml"
    path.write_text(result.output, encoding="utf-8")
    assert Policy.load(path, []) == Policy()


def test_ranges_come_from_the_bounds_and_the_enums() -> None:
    ranges = {row["name"]: row["range"] for row in Policy.describe()}
    assert ranges["term_years"] == "1 ≤ x ≤ 6"
    assert ranges["max_group_leave_share"] == "0 < x ≤ 1"
    assert "county" in ranges["quota_scope"] and "school" in ranges["quota_scope"]
    assert "可空" in ranges["max_distance_km"]


def test_an_unknown_language_is_refused_in_words() -> None:
    result = runner.invoke(app, ["policy", "--lang", "fr"])
    assert result.exit_code == 2
    assert "--lang" in result.output
