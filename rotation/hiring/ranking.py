"""The evaluation (评价) order that rounds 1 and 2 rank teachers by.

Evaluation order: an optional ``scores`` mapping (teacher_id → score, higher is
better; teachers without a score rank after those with one). Ties, and the whole order
when no scores are given, follow the documented default (``RANKING_ZH``): backbone level
(higher first), then title (higher first), then years at the current school (more
first), then a seeded lottery (抽签). The lottery is fair and reproducible: each
teacher's draw is a hash of the seed and the teacher's id, so no one is favoured by the
way ids were numbered, and the same seed always gives the same order. The seed is
``HiringPolicy.lottery_seed``, or the school year when none is set; every report prints it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from rotation.enums import Title
from rotation.models import Dataset, Teacher

_TITLE_ORDER = list(Title)

RANKING_ZH = "骨干级别、职称、本校任教年限依次从高到低，同等条件抽签"
RANKING_EN = "backbone level, title, years at the school (higher first), then a seeded lottery"


def lottery_draw(seed: int, teacher_id: str) -> int:
    """The teacher's lottery number for this seed (a 64-bit hash; lower draws first)."""
    digest = hashlib.sha256(f"{seed}:{teacher_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def merit_key(
    teacher: Teacher, year: int, scores: Mapping[str, float] | None, seed: int | None = None
) -> tuple[int, float, int, int, int, int, str]:
    """Sort key, best first: score; then backbone, title, years at school, the lottery."""
    score = (scores or {}).get(teacher.teacher_id)
    return (
        0 if score is not None else 1,
        -(score if score is not None else 0.0),
        -teacher.backbone.rank,
        _TITLE_ORDER.index(teacher.title),
        -(year - teacher.school_start_year),
        lottery_draw(year if seed is None else seed, teacher.teacher_id),
        teacher.teacher_id,  # only if two draws collide (about 1 in 10^19)
    )


def merit_order(
    dataset: Dataset,
    year: int,
    scores: Mapping[str, float] | None = None,
    seed: int | None = None,
) -> dict[str, int]:
    """Every teacher's evaluation rank in the county, 0 = best (a strict order)."""
    ranked = sorted(dataset.teachers, key=lambda t: merit_key(t, year, scores, seed))
    return {t.teacher_id: i for i, t in enumerate(ranked)}


def ranking_basis(has_scores: bool, seed: int) -> tuple[str, str]:
    """How teachers were ranked, in words (Chinese, English), with the lottery's seed."""
    if has_scores:
        return (
            f"按评价分从高到低；无评价分者排在其后；分数相同时按{RANKING_ZH}（抽签种子 {seed}）",
            f"by evaluation score; teachers without a score after; ties by {RANKING_EN} "
            f"(lottery seed {seed})",
        )
    return (
        f"未提供评价分，按{RANKING_ZH}（抽签种子 {seed}）",
        f"no evaluation scores: by {RANKING_EN} (lottery seed {seed})",
    )
