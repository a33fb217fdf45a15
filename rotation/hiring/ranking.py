"""The evaluation (评价) order that rounds 1 and 2 rank teachers by.

Evaluation order: an optional ``scores`` mapping (teacher_id → score, higher is
better; teachers without a score rank after those with one). Ties, and the whole order
when no scores are given, follow the documented default: backbone level (higher first),
then title (higher first), then years at the current school (more first), then teacher_id.
"""

from __future__ import annotations

from collections.abc import Mapping

from rotation.enums import Title
from rotation.models import Dataset, Teacher

_TITLE_ORDER = list(Title)


def merit_key(teacher: Teacher, year: int, scores: Mapping[str, float] | None) -> tuple:
    """Sort key, best first: score; then backbone, title, years at school, teacher_id."""
    score = (scores or {}).get(teacher.teacher_id)
    return (
        0 if score is not None else 1,
        -(score if score is not None else 0.0),
        -teacher.backbone.rank,
        _TITLE_ORDER.index(teacher.title),
        -(year - teacher.school_start_year),
        teacher.teacher_id,
    )


def merit_order(
    dataset: Dataset, year: int, scores: Mapping[str, float] | None = None
) -> dict[str, int]:
    """Every teacher's evaluation rank in the county, 0 = best (a strict order)."""
    ranked = sorted(dataset.teachers, key=lambda t: merit_key(t, year, scores))
    return {t.teacher_id: i for i, t in enumerate(ranked)}
