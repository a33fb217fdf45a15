"""A plan's figures, recomputed from the roster and the moves: what moved, which needs
were filled and where, the senior-title share of those sent, preferences honoured,
distances, and the 2017 indicators before and after."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rotation.areas import OUTSIDE_COUNTY_TOWN, area_reading
from rotation.compliance import non_quota_moves
from rotation.enums import Area, Stage
from rotation.indicators import (
    EVALUATED_STAGES,
    INDICATOR_LABELS_ZH,
    INDICATORS,
    county_indicators,
    cv_limit,
)
from rotation.models import Dataset
from rotation.plan import Assignment
from rotation.plan_results import IndicatorChange, NeedsFilled, PlanMetrics
from rotation.policy import Policy
from rotation.quotas import (
    PER_MILLE,
    SeniorTilt,
    counts_toward_quota,
    county_senior_share,
    quota_reading,
    senior_tilt,
)
from rotation.roles import PriorityClass, priority_class

PRIORITY_CLASSES: tuple[str, ...] = tuple(c.label_zh for c in PriorityClass)


def needs_filled(
    dataset: Dataset,
    assignments: Sequence[Assignment],
    rural_areas: Iterable[Area] = OUTSIDE_COUNTY_TOWN,
) -> dict[str, NeedsFilled]:
    """By priority class: open posts and posts filled (each move fills at most one post)."""
    open_posts: dict[tuple[str, str, str], int] = {}
    for n in dataset.needs:
        open_posts[(n.school_id, n.stage.value, n.subject.value)] = n.count
    filled: dict[tuple[str, str, str], int] = {}
    for a in assignments:
        key = (a.to_school_id, a.stage.value, a.subject.value)
        if key in open_posts:
            filled[key] = min(open_posts[key], filled.get(key, 0) + 1)
    opened = dict.fromkeys(PRIORITY_CLASSES, 0)
    done = dict.fromkeys(PRIORITY_CLASSES, 0)
    for key, count in open_posts.items():
        c = priority_class(dataset.school[key[0]], rural_areas).label_zh
        opened[c] += count
        done[c] += filled.get(key, 0)
    return {c: NeedsFilled(open=opened[c], filled=done[c]) for c in PRIORITY_CLASSES}


def indicator_comparison(
    dataset: Dataset, moves: Mapping[str, str], policy: Policy
) -> list[IndicatorChange]:
    before = county_indicators(dataset, policy)
    after = county_indicators(dataset, policy, moves)
    rows: list[IndicatorChange] = []
    for stage in EVALUATED_STAGES:
        for k in INDICATORS:
            key = (stage, k)
            below_b = sum(1 for r in before.schools if r.stage is stage and not r.met[k])
            below_a = sum(1 for r in after.schools if r.stage is stage and not r.met[k])
            if k in before.no_data:
                rows.append(_no_data_row(stage, k, policy))
                continue
            rows.append(
                IndicatorChange(
                    stage=stage.value,
                    stage_zh=stage.label_zh,
                    indicator=k,
                    label=INDICATOR_LABELS_ZH[k],
                    mean_before=round(before.mean[key], 4),
                    mean_after=round(after.mean[key], 4),
                    cv_before=round(before.cv[key], 4),
                    cv_after=round(after.cv[key], 4),
                    limit=cv_limit(policy, stage),
                    cv_met_after=after.cv_met[key],
                    schools_below_before=below_b,
                    schools_below_after=below_a,
                )
            )
    return rows


def _no_data_row(stage: Stage, k: str, policy: Policy) -> IndicatorChange:
    """An indicator the roster has no data for: no figures, never met."""
    return IndicatorChange(
        stage=stage.value, stage_zh=stage.label_zh, indicator=k, label=INDICATOR_LABELS_ZH[k],
        mean_before=None, mean_after=None, cv_before=None, cv_after=None,
        limit=cv_limit(policy, stage), cv_met_after=None, schools_below_before=None,
        schools_below_after=None, no_data=True,
    )  # fmt: skip


def plan_metrics(
    dataset: Dataset, assignments: Sequence[Assignment], policy: Policy
) -> PlanMetrics:
    moves = {a.teacher_id: a.to_school_id for a in assignments}
    moved = len(assignments)
    senior = sum(1 for a in assignments if a.title.is_senior)
    backbone = sum(1 for a in assignments if policy.is_backbone(a.backbone))
    with_prefs = [a for a in assignments if dataset.teacher[a.teacher_id].preferences]
    first = sum(
        1 for a in with_prefs if dataset.teacher[a.teacher_id].preferences[0] == a.to_school_id
    )
    any_pref = sum(
        1 for a in with_prefs if a.to_school_id in dataset.teacher[a.teacher_id].preferences
    )
    dists = [dataset.distance_km(a.from_school_id, a.to_school_id) for a in assignments]
    known = [d for d in dists if d is not None]
    by_class = needs_filled(dataset, assignments, policy.rural_areas)
    apart = non_quota_moves(dataset, moves, policy)
    tilt = senior_tilt(dataset, assignments, policy)
    return PlanMetrics(
        moved=moved,
        backbone_moved=backbone,
        senior_moved=senior,
        senior_share_sent=round(senior / moved, 4) if moved else 0.0,
        county_senior_share=round(county_senior_share(dataset), 4),
        senior_target_share=tilt.target,
        needs_open=sum(v.open for v in by_class.values()),
        needs_filled=sum(v.filled for v in by_class.values()),
        needs_by_priority=by_class,
        moved_with_preferences=len(with_prefs),
        preference_first_choice=first,
        preference_any_choice=any_pref,
        distance_mean_km=round(sum(known) / len(known), 2) if known else None,
        distance_max_km=round(max(known), 2) if known else None,
        indicators=indicator_comparison(dataset, moves, policy),
        moved_to_rural=tilt.into_rural,
        senior_to_rural=tilt.senior_into_rural,
        senior_share_to_rural=round(tilt.share, 4),
        quota_reading=quota_reading(policy),
        area_reading=area_reading(policy.urban_areas, policy.rural_areas),
        quota_stage_moved=sum(
            1 for a in assignments if counts_toward_quota(dataset.teacher[a.teacher_id], policy)
        ),
        non_quota_moved=sum(m.moved for m in apart),
        non_quota_moves=apart,
    )


def tilt_of(m: PlanMetrics) -> SeniorTilt:
    """The senior-title tilt as a plan's figures hold it (for the summary, workbook and CLI)."""
    return SeniorTilt(
        into_rural=m.moved_to_rural,
        senior_into_rural=m.senior_to_rural,
        county_share=m.county_senior_share,
        target_per_mille=round(m.senior_target_share * PER_MILLE),
    )
