"""Declared needs (needs.csv) and teachers' preferences for a synthetic county.

Needs: for every teaching stage, the county declares about ``need_ratio`` (1.75 by
default) times the moves a ``rotation_rate`` (10 %) rotation would make, counted
sender by sender as ceil(rate × E) of the eligible teachers of that stage. The
stage's posts are shared among subjects in proportion to the senders' eligible
teachers of each subject, shortage subjects (英语 音乐 体育 美术 信息技术 科学)
weighted 2.5 times, so most posts are in shortage subjects but 语文/数学 and the rest
get some too. Each post then goes to a receiving school offering the stage, drawn
in proportion to its enrolment in that stage, 三所学校 and weak schools 1.5 times.

Preferences: ``preference_share`` (20 %) of eligible teachers name 1-3 receiving
schools, chosen among the nearest eight schools that declared a need of their stage
and subject (or any receiver of their stage when none did), best first.
"""

from __future__ import annotations

import random
from collections import Counter, defaultdict

from rotation.enums import Stage, Subject
from rotation.models import Dataset, Need, School, Teacher
from rotation.policy import Policy
from rotation.quotas import ceil_share
from rotation.roles import school_role
from sample_data.staff import largest_remainder

SHORTAGE_NEED_WEIGHT = 2.5
PRIORITY_NEED_WEIGHT = 1.5
PREFERENCE_CANDIDATES = 8


def declared_needs(
    dataset: Dataset,
    eligible: list[Teacher],
    *,
    ratio: float,
    policy: Policy,
    rng: random.Random,
    stages: tuple[Stage, ...] | None = None,
) -> list[Need]:
    """Posts at receiving schools, about ``ratio`` × the moves of a minimal rotation,
    for every teaching stage or only ``stages``."""
    by_school_stage: Counter[tuple[str, Stage]] = Counter()
    supply: dict[Stage, Counter[Subject]] = defaultdict(Counter)
    for t in eligible:
        by_school_stage[(t.school_id, t.stage)] += 1
        supply[t.stage][t.subject] += 1
    moves: Counter[Stage] = Counter()
    for (_, stage), e in sorted(by_school_stage.items()):
        moves[stage] += ceil_share(policy.rotation_rate, e)
    receivers = [s for s in dataset.schools if school_role(s).receives]
    needs: list[Need] = []
    for stage in sorted(supply):
        if stages is not None and stage not in stages:
            continue
        hosts = [s for s in receivers if s.offers(stage)]
        target = round(ratio * moves[stage])
        if not hosts or target == 0:
            continue
        weights = {
            subject: n * (SHORTAGE_NEED_WEIGHT if subject in policy.shortage_subjects else 1.0)
            for subject, n in sorted(supply[stage].items())
        }
        host_weights = [_host_weight(s) for s in hosts]
        for subject, n in Counter(largest_remainder(weights, target, rng)).items():
            for host in rng.choices(hosts, weights=host_weights, k=n):
                needs.append(Need(school_id=host.school_id, stage=stage, subject=subject, count=1))
    return needs


def _host_weight(school: School) -> float:
    share = 1.0 / len(school.stage.offers)
    bonus = PRIORITY_NEED_WEIGHT if (school.priority is not None or school.weak) else 1.0
    return max(1.0, school.students * share) * bonus


def preferences(
    dataset: Dataset,
    eligible: list[Teacher],
    *,
    share: float,
    rng: random.Random,
) -> dict[str, tuple[str, ...]]:
    """teacher_id → 1-3 preferred receiving schools for about ``share`` of ``eligible``."""
    receivers = [s for s in dataset.schools if school_role(s).receives]
    with_need: dict[tuple[Stage, Subject], list[School]] = defaultdict(list)
    for n in dataset.needs:
        with_need[(n.stage, n.subject)].append(dataset.school[n.school_id])
    out: dict[str, tuple[str, ...]] = {}
    for t in eligible:
        if rng.random() >= share:
            continue
        pool = with_need.get((t.stage, t.subject)) or [s for s in receivers if s.offers(t.stage)]
        if not pool:
            continue
        nearest = sorted(
            pool,
            key=lambda s: (dataset.distance_km(t.school_id, s.school_id) or 0.0, s.school_id),
        )[:PREFERENCE_CANDIDATES]
        k = min(len(nearest), rng.choice((1, 2, 2, 3)))
        out[t.teacher_id] = tuple(s.school_id for s in rng.sample(nearest, k))
    return out
