"""Read and validate a roster (and its locks), and say what it holds for a plan year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rotation.io import read_dataset
from rotation.locks import Locks, read_locks
from rotation.models import Dataset
from rotation.policy import Policy
from rotation.summary import dataset_summary


def read_roster(data: Path, locks_file: Path | None = None) -> tuple[Dataset, Locks]:
    """The roster and its locks; raises ``rotation.io.DatasetError`` listing every problem."""
    dataset = read_dataset(data)
    locks = read_locks(locks_file, dataset) if locks_file is not None else Locks()
    return dataset, locks


def summarize_roster(dataset: Dataset, year: int, policy: Policy) -> dict[str, Any]:
    """Schools, eligibility, quotas, needs and indicators for ``year`` (JSON-serialisable)."""
    return dataset_summary(dataset, year, policy)
