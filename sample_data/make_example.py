"""Regenerate the example roster shipped in the repository.

``python -m sample_data.make_example`` writes ``sample_data/example/example.xlsx``
(Chinese headers and labels, a workbook a person can open to see the format) and the
same dataset as CSV files in ``sample_data/example/csv/``, from the ``tiny`` preset
with seed 1 and plan year 2026.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rotation.io import write_dataset, write_dataset_xlsx
from sample_data.generator import DEFAULT_YEAR, generate

EXAMPLE_DIR = Path(__file__).resolve().parent / "example"
EXAMPLE_PRESET = "tiny"
EXAMPLE_SEED = 1


def make_example(folder: Path = EXAMPLE_DIR) -> tuple[Path, Path]:
    """Write ``example.xlsx`` and ``csv/`` into ``folder``; returns both paths."""
    dataset = generate(EXAMPLE_PRESET, seed=EXAMPLE_SEED, year=DEFAULT_YEAR)
    workbook = write_dataset_xlsx(dataset, folder / "example.xlsx", lang="zh")
    csv_folder = write_dataset(dataset, folder / "csv")
    return workbook, csv_folder


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    folder = Path(args[0]) if args else EXAMPLE_DIR
    workbook, csv_folder = make_example(folder)
    print(f"示例已写入 / example written: {workbook}, {csv_folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
