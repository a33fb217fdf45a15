"""A what-if sweep's folder: comparison.csv, comparison.json, comparison.png and each
scenario's plan folder under scenarios/<id>/."""

from __future__ import annotations

from pathlib import Path

from rotation.models import Dataset
from rotation.policy import Policy
from rotation.scenarios import write_comparison_csv
from solver.sweep.models import SweepResult
from workflows.exports.charts import comparison_chart
from workflows.exports.json_file import write_json
from workflows.exports.plan_outputs import write_plan_outputs


def write_whatif(
    result: SweepResult, dataset: Dataset, base: Policy, out: Path, plan_files: bool = True
) -> None:
    """comparison.csv, comparison.json, comparison.png and each scenario's plan files."""
    out.mkdir(parents=True, exist_ok=True)
    write_comparison_csv(result.rows, out / "comparison.csv")
    write_json(
        out / "comparison.json",
        result.model_dump(mode="json", exclude={"outcomes": {"__all__": {"plan"}}}),
    )
    comparison_chart(
        result.rows, out / "comparison.png", (base.cv_limit_primary, base.cv_limit_junior)
    )
    if not plan_files:
        return
    for o in result.outcomes:
        if o.plan is None:
            continue
        write_plan_outputs(
            o.plan,
            dataset,
            o.scenario.policy(base),
            out / "scenarios" / o.scenario.scenario_id,
            extra_summary={"scenario": o.scenario.model_dump(mode="json")},
        )
