"""Reading and writing rosters and plans: CSV folders and Excel workbooks.

``read_dataset`` raises ``DatasetError`` listing every ``Problem`` at once; the
writers produce the contract's exact CSV files and printable Chinese workbooks.
"""

from rotation.io.errors import DatasetError, Problem
from rotation.io.plan_files import (
    COMPLIANCE_COLUMNS,
    PLAN_COLUMNS,
    read_plan_csv,
    write_compliance_csv,
    write_plan_csv,
    write_plan_xlsx,
)
from rotation.io.reading import RosterImport, read_dataset, read_roster
from rotation.io.writing import write_dataset, write_dataset_xlsx

__all__ = [
    "COMPLIANCE_COLUMNS",
    "PLAN_COLUMNS",
    "DatasetError",
    "Problem",
    "RosterImport",
    "read_dataset",
    "read_roster",
    "read_plan_csv",
    "write_compliance_csv",
    "write_dataset",
    "write_dataset_xlsx",
    "write_plan_csv",
    "write_plan_xlsx",
]
