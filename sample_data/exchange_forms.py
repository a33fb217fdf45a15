"""Candidates for 支教 and 跟岗学习 in a synthetic county (issue 18).

Drawn from a random stream of their own (seeded from the county's seed), after every
other draw, so the rest of a generated county stays exactly as it was:

- rural teachers who want 跟岗学习 (``seeks_shadowing``): a few of the younger teachers
  of receiving schools, in a post their school declared a need for (a move may cover it);
- urban teachers' rural service (``rural_service_years``): those who served an exchange
  before count its years, so only title seekers without such service go on 支教.
"""

from __future__ import annotations

import random

from rotation.models import Dataset, Teacher
from rotation.roles import school_role

SHADOWING_SHARE = 0.08  # of the receiving schools' teachers under SHADOWING_MAX_AGE
SHADOWING_MAX_AGE = 45
SERVED_BEFORE_SHARE = 0.7  # of the urban teachers who exchanged before: it counted as rural service


def with_exchange_form_candidates(dataset: Dataset, seed: int, year: int) -> Dataset:
    """The same county with 跟岗学习 applicants and recorded rural service."""
    rng = random.Random(f"{seed}:exchange-forms")
    needed = {(n.school_id, n.stage, n.subject) for n in dataset.needs}
    out: list[Teacher] = []
    for t in dataset.teachers:
        role = school_role(dataset.school[t.school_id])
        update: dict[str, object] = {}
        if (
            role.receives
            and not t.exempt
            and year - t.birth_year < SHADOWING_MAX_AGE
            and (t.school_id, t.stage, t.subject) in needed
            and rng.random() < SHADOWING_SHARE
        ):
            update["seeks_shadowing"] = True
        elif role.sends and t.last_exchange_year is not None and rng.random() < SERVED_BEFORE_SHARE:
            update["rural_service_years"] = rng.randint(1, 3)
        out.append(t.model_copy(update=update) if update else t)
    return Dataset.build(
        dataset.schools,
        out,
        dataset.needs,
        needs_declared=dataset.needs_declared,
        absent_columns=dataset.absent_columns,
        hour_needs=dataset.hour_needs,
    )
