"""A plan's folder: plan.csv and compliance.csv (the data contract), plan.xlsx (the
printable workbook), summary.json (figures, shortfalls, the checker's verdict) and
跟岗学习.csv (the 跟岗学习 placements, issue 18)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rotation.io import write_compliance_csv, write_plan_csv, write_plan_xlsx
from rotation.io.form_files import SHADOWING_FILE, write_shadowing_csv
from rotation.io.itinerant_files import ITINERANT_FILE, write_itinerant_csv
from rotation.io.principal_files import PRINCIPAL_FILE, write_principal_csv
from rotation.models import Dataset
from rotation.plan import Plan
from rotation.plan_report import plan_summary
from rotation.policy import Policy
from workflows.exports.json_file import write_json

PLAN_FILES: tuple[str, ...] = (
    "plan.csv", "compliance.csv", "plan.xlsx", "summary.json", SHADOWING_FILE,
)  # fmt: skip
# principal_exchanges.csv is written when the plan has a principal exchange;
# itinerant_schedule.csv (走教安排) only when the roster states hour needs


def write_plan_outputs(
    plan: Plan,
    dataset: Dataset,
    policy: Policy,
    out: Path,
    *,
    extra_summary: dict[str, Any] | None = None,
    lang: str = "zh",
) -> list[Path]:
    """The four files of one plan in ``out`` (the workbook in ``lang``), and
    principal_exchanges.csv when the plan has a principal exchange; returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    written = [
        write_plan_csv(plan, out / "plan.csv"),
        write_compliance_csv(plan, out / "compliance.csv"),
        write_plan_xlsx(plan, dataset, out / "plan.xlsx", policy=policy, lang=lang),
    ]
    principals = write_principal_csv(plan, out / PRINCIPAL_FILE)
    if principals is not None:
        written.append(principals)
    elif (out / PRINCIPAL_FILE).exists():  # an earlier run's file would be read as this plan's
        (out / PRINCIPAL_FILE).unlink()
    summary = plan_summary(plan, policy) | (extra_summary or {})
    written.append(write_json(out / "summary.json", summary))
    written.append(write_shadowing_csv(plan, out / SHADOWING_FILE))
    stale = out / ITINERANT_FILE
    if plan.itinerant is not None:
        written.append(write_itinerant_csv(plan.itinerant, dataset, stale))
    elif stale.exists():
        stale.unlink()
    return written


def write_plan_tables(plan: Plan, out: Path, dataset: Dataset | None = None) -> None:
    """plan.csv and compliance.csv only (an outlook's yearly plans), and the year's 走教
    schedule when it has one and ``dataset`` (the year's roster) names the schools."""
    write_plan_csv(plan, out / "plan.csv")
    write_compliance_csv(plan, out / "compliance.csv")
    write_shadowing_csv(plan, out / SHADOWING_FILE)
    stale = out / ITINERANT_FILE
    if plan.itinerant is not None and dataset is not None:
        write_itinerant_csv(plan.itinerant, dataset, stale)
    elif stale.exists():
        stale.unlink()
