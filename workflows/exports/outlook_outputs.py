"""An outlook's folder: trajectory.csv (the county's indicators year by year),
schools.csv, quotas.csv (with each year's 走教 figures), outlook.json, outlook.png and each
year's plan tables (with itinerant_schedule.csv when the year has a 走教 schedule)."""

from __future__ import annotations

from pathlib import Path

from rotation.io.writing import csv_value, write_csv
from rotation.models import Dataset
from solver.sweep.models import SweepResult
from workflows.exports.charts import outlook_chart
from workflows.exports.json_file import write_json
from workflows.exports.plan_outputs import write_plan_tables

TRAJECTORY_COLUMNS = (
    "scenario_id", "label", "year", "stage", "indicator", "mean_before", "cv_before", "mean_after",
    "cv_after", "limit", "cv_met_after", "schools_below_after",
)  # fmt: skip
SCHOOL_COLUMNS = (
    "scenario_id",
    "year",
    "school_id",
    "name",
    "stage",
    "indicator",
    "value_after",
    "target",
    "met_after",
)
# 走教 each year (issue 18): the plan's figures, blank when the roster states no hour needs
OUTLOOK_ITINERANT = (
    "itinerant_hours_needed", "itinerant_hours_by_transfer", "itinerant_hours_covered",
    "itinerant_hours_open", "itinerant_teachers", "arts_pe_below_before_itinerant",
    "arts_pe_below_with_itinerant", "arts_pe_below_counted",
)  # fmt: skip
QUOTA_COLUMNS = (
    "scenario_id", "label", "year", "teachers", "on_exchange_at_start", "moved", "quota_units",
    "quota_units_met", "needs_open", "needs_filled", "started", "returned", "stayed", "promoted",
    "retired", "hired", "meets_standard_after", "cv_met_after", "schools_judged",
    "schools_failing", "small_schools_left_out", "exchange_ratio", "exchange_backbone_share",
    "exchange_met", "support_started", "support_back", "shadowing", "leaders_due",
    "leaders_moved", *OUTLOOK_ITINERANT,
)  # fmt: skip


def write_outlook(result: SweepResult, dataset: Dataset, out: Path) -> None:
    """outlook.json, trajectory.csv (county), schools.csv, quotas.csv, outlook.png, plans."""
    out.mkdir(parents=True, exist_ok=True)
    traj: list[list[str]] = []
    schools: list[list[str]] = []
    quotas: list[list[str]] = []
    names = {s.school_id: s.name for s in dataset.schools}
    for o in result.outcomes:
        if o.outlook is None:
            continue
        sid, label = o.scenario.scenario_id, o.scenario.label
        for y in o.outlook.years:
            before = {(r["stage"], r["indicator"]): r for r in y["before"]["county"]}
            for r in y["after"]["county"]:
                b = before[(r["stage"], r["indicator"])]
                traj.append(
                    [
                        csv_value(v)
                        for v in (
                            sid,
                            label,
                            y["year"],
                            r["stage"],
                            r["indicator"],
                            b["mean"],
                            b["cv"],
                            r["mean"],
                            r["cv"],
                            r["limit"],
                            r["cv_met"],
                            r["schools_below"],
                        )
                    ]
                )
            for r in y["after"]["schools"]:
                schools.append(
                    [
                        csv_value(v)
                        for v in (
                            sid,
                            y["year"],
                            r["school_id"],
                            names.get(r["school_id"], ""),
                            r["stage"],
                            r["indicator"],
                            r["value"],
                            r["target"],
                            r["met"],
                        )
                    ]
                )
            f, e = y["figures"], y["events"]
            quotas.append(
                [
                    csv_value(v)
                    for v in (
                        sid,
                        label,
                        y["year"],
                        y["teachers"],
                        y["on_exchange_at_start"],
                        f["moved"],
                        f["quota_units"],
                        f["quota_units_met"],
                        f["needs_open"],
                        f["needs_filled"],
                        e["started"],
                        e["returned"],
                        e["stayed"],
                        e["promoted"],
                        e["retired"],
                        e["hired"],
                        y["after"]["meets_standard"],
                        y["standard"]["cv_met"],
                        y["standard"]["schools_judged"],
                        y["standard"]["schools_failing"],
                        y["standard"]["small_schools_left_out"],
                        y["standard"]["exchange"]["ratio"],
                        y["standard"]["exchange"]["backbone_share"],
                        y["standard"]["exchange"]["met"],
                        e.get("support_started", 0),  # issue 18: 支教 begun and back, 跟岗学习
                        e.get("support_back", 0),
                        e.get("shadowing", 0),
                        e.get("leaders_due", 0),  # 校长交流: due and moved this year
                        e.get("leaders_moved", 0),
                        *(f.get(k) for k in OUTLOOK_ITINERANT),
                    )
                ]
            )
        for plan in o.outlook.plans:
            folder = out / "scenarios" / sid / str(plan.year)
            write_plan_tables(plan, folder, dataset)
    write_csv(out / "trajectory.csv", TRAJECTORY_COLUMNS, traj)
    write_csv(out / "schools.csv", SCHOOL_COLUMNS, schools)
    write_csv(out / "quotas.csv", QUOTA_COLUMNS, quotas)
    write_json(
        out / "outlook.json",
        result.model_dump(
            mode="json", exclude={"outcomes": {"__all__": {"plan": True, "outlook": {"plans"}}}}
        ),
    )
    outlook_chart(result, out / "outlook.png")
