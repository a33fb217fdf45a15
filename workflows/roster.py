"""Read and validate a roster (and its locks), and say what it holds for a plan year."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rotation.io import DatasetError, Problem, read_dataset
from rotation.io import read_roster as read_roster_file
from rotation.io.plausibility import plausibility_problems
from rotation.locks import Locks, read_locks
from rotation.models import Dataset
from rotation.policy import Policy
from rotation.summary import dataset_summary


def read_roster(data: Path, locks_file: Path | None = None) -> tuple[Dataset, Locks]:
    """The roster and its locks; raises ``rotation.io.DatasetError`` listing every problem."""
    dataset = read_dataset(data)
    locks = read_locks(locks_file, dataset) if locks_file is not None else Locks()
    return dataset, locks


@dataclass(frozen=True, slots=True)
class CheckedRoster:
    """A roster read for a plan year: the dataset, its locks, and what deserves a look."""

    dataset: Dataset
    locks: Locks
    warnings: tuple[Problem, ...]  # import notes, then implausible values for the year


def read_checked_roster(
    data: Path, locks_file: Path | None = None, *, year: int | None = None, strict: bool = False
) -> CheckedRoster:
    """The roster, its locks and warnings; with ``strict`` implausible values are errors.

    Raises ``rotation.io.DatasetError`` listing every problem.
    """
    imported = read_roster_file(data)
    implausible = (
        plausibility_problems(imported.dataset, year, imported.where) if year is not None else []
    )
    if strict and implausible:
        raise DatasetError(implausible)
    locks = read_locks(locks_file, imported.dataset) if locks_file is not None else Locks()
    return CheckedRoster(imported.dataset, locks, (*imported.warnings, *implausible))


def summarize_roster(dataset: Dataset, year: int, policy: Policy) -> dict[str, Any]:
    """Schools, eligibility, quotas, needs and indicators for ``year`` (JSON-serialisable)."""
    return dataset_summary(dataset, year, policy)
