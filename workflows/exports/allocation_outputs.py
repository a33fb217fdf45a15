"""The hiring rounds' folder: allocation.csv, allocation.xlsx, staffing.csv, allocation.json."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from rotation.allocation_files import (
    write_allocation_csv,
    write_allocation_xlsx,
    write_staffing_csv,
)
from rotation.hiring import AllocationResult
from rotation.models import ApprovedPost, Dataset
from rotation.staffing import allocation_staffing

ALLOCATION_FILES: tuple[str, ...] = (
    "allocation.csv",
    "allocation.xlsx",
    "staffing.csv",
    "allocation.json",
)


def write_allocation_outputs(
    allocation: AllocationResult,
    dataset: Dataset,
    out: Path,
    posts: Sequence[ApprovedPost] | None = None,
) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [
        write_allocation_csv(allocation, out / "allocation.csv"),
        write_allocation_xlsx(allocation, dataset, out / "allocation.xlsx"),
        write_staffing_csv(allocation_staffing(dataset, None, posts), out / "staffing.csv"),
    ]
    path = out / "allocation.json"
    path.write_text(
        json.dumps(allocation.model_dump(mode="json"), ensure_ascii=False, indent=1),
        encoding="utf-8",
    )
    written.append(path)
    return written
