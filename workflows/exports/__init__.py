"""One writer per artefact: a plan's folder, a what-if sweep's, an outlook's, the hiring
rounds', the title posts', and their charts. The single-file writers (plan.csv, the
workbook, comparison.csv, …) live in ``rotation.io`` and ``rotation``; these put a
result's files together where the CLI writes them (the API serves the same writers)."""

from __future__ import annotations

from workflows.exports.allocation_outputs import ALLOCATION_FILES, write_allocation_outputs
from workflows.exports.charts import comparison_chart, outlook_chart
from workflows.exports.json_file import write_json
from workflows.exports.outlook_outputs import write_outlook
from workflows.exports.plan_outputs import PLAN_FILES, write_plan_outputs, write_plan_tables
from workflows.exports.title_post_outputs import TITLE_POST_FILES, write_title_post_outputs
from workflows.exports.whatif_outputs import write_whatif

__all__ = [
    "ALLOCATION_FILES",
    "PLAN_FILES",
    "TITLE_POST_FILES",
    "comparison_chart",
    "outlook_chart",
    "write_allocation_outputs",
    "write_json",
    "write_outlook",
    "write_plan_outputs",
    "write_plan_tables",
    "write_title_post_outputs",
    "write_whatif",
]
