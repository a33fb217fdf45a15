"""A post of 县管校聘: its key (school, section, subject), canonical order and label; distances."""

from __future__ import annotations

from typing import Any

from rotation.enums import Stage, Subject
from rotation.models import Dataset

PostKey = tuple[str, Stage, Subject]  # (school_id, stage, subject)


def _post_sort(item: tuple[PostKey, Any]) -> tuple[str, int, int]:
    (sid, stage, subject), _ = item
    return (sid, list(Stage).index(stage), list(Subject).index(subject))


def post_label(stage: Stage, subject: Subject) -> str:
    return f"{stage.label_zh}{subject.label_zh}"


def _distance(dataset: Dataset, a: str, b: str) -> float | None:
    return dataset.distance_km(a, b)
