"""Senior and intermediate title posts (高级、中级专业技术岗位) allocated to schools, tilted rural.

Given the county's totals S (高级) and M (中级, i.e. 一级教师 posts), every school gets whole
posts such that:

- the totals are met exactly;
- no school gets fewer senior posts than its teachers holding 高级/正高级 titles, nor fewer
  intermediate posts than its 一级 teachers (现有人员不低聘);
- the rural schools' share (senior + intermediate posts ÷ staffing posts from the norms)
  is at least the urban share plus ``TitlePostPolicy.rural_tilt`` (乡村教师支持计划: 中高级
  岗位向乡村学校倾斜; the default 5 percentage points follows common provincial practice).
  Rural = area ``rural`` (乡村); urban = ``urban`` and ``town`` (城镇).

Method: the rural group's combined count is the smallest whole number meeting the tilt
(and the holders on both sides), which keeps the result as close to "in proportion to
staffing" as the tilt allows; it is split into senior and intermediate in the county's
S : M ratio; within each group each kind is divided in proportion to the schools' staffing
posts with the holders as floors (water-filling), then rounded by the largest remainder.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from pydantic import BaseModel, ConfigDict, Field

from rotation.enums import Area, Title
from rotation.models import Dataset
from rotation.staffing import StaffingNorms, staffing_table

_EPS = 1e-9
RURAL = "rural"
URBAN = "urban"
GROUP_ZH = {RURAL: "乡村", URBAN: "城镇"}


class TitlePostPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rural_tilt: float = Field(
        0.05,
        ge=0,
        le=1,
        description="乡村学校中高级岗位占编制比例至少高出城镇学校的幅度 / rural share ≥ urban share + tilt",
    )


class TitlePostError(ValueError):
    """Totals that cannot cover the teachers already holding the titles."""


class SchoolTitlePosts(BaseModel):
    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    group: str  # "rural" or "urban"
    staffing_posts: int
    senior_holders: int
    intermediate_holders: int
    senior_posts: int
    intermediate_posts: int
    explanation: str


class TitlePostResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    senior_total: int
    intermediate_total: int
    rural_tilt: float
    rural_share: float | None
    urban_share: float | None
    tilt_met: bool
    schools: tuple[SchoolTitlePosts, ...]
    notes: tuple[str, ...] = ()

    @property
    def by_school(self) -> dict[str, SchoolTitlePosts]:
        return {s.school_id: s for s in self.schools}


def apportion_with_floors(
    total: int, weights: Mapping[str, float], floors: Mapping[str, int]
) -> tuple[dict[str, int], dict[str, float]]:
    """Whole numbers summing to ``total``, each ≥ its floor, proportional to ``weights`` above
    the floors. Returns (allocation, exact quotas). Requires total ≥ Σ floors."""
    keys = sorted(weights)
    base = sum(floors[k] for k in keys)
    if total < base:
        raise TitlePostError(f"total {total} below floors {base}")
    wsum = sum(max(weights[k], 0.0) for k in keys)
    if not keys:
        return {}, {}
    if wsum <= 0:
        quotas = {k: floors[k] + (total - base) / len(keys) for k in keys}
    else:
        lo, hi = 0.0, (total + 1) / min(w for w in weights.values() if w > 0) + 1.0
        for _ in range(200):
            mid = (lo + hi) / 2
            if sum(max(floors[k], mid * weights[k]) for k in keys) < total:
                lo = mid
            else:
                hi = mid
        quotas = {k: max(floors[k], hi * weights[k]) for k in keys}
        scale = sum(quotas.values())
        extra = {k: q - floors[k] for k, q in quotas.items()}
        esum = sum(extra.values())
        if esum > 0 and abs(scale - total) > _EPS:  # fix the bisection's tiny overshoot
            quotas = {k: floors[k] + extra[k] * (total - base) / esum for k in keys}
    out = {k: max(floors[k], math.floor(quotas[k] + _EPS)) for k in keys}
    left = total - sum(out.values())
    ranked = sorted(keys, key=lambda k: (-(quotas[k] - out[k]), -weights[k], k))
    for k in ranked[:left]:
        out[k] += 1
    return out, quotas


def _share(posts: int, staff: int) -> float | None:
    return posts / staff if staff > 0 else None


def allocate_title_posts(
    dataset: Dataset,
    senior: int,
    intermediate: int,
    policy: TitlePostPolicy | None = None,
    norms: StaffingNorms | None = None,
) -> TitlePostResult:
    """Allocate the county's senior and intermediate posts to schools (see module docstring)."""
    policy = policy or TitlePostPolicy()
    if senior < 0 or intermediate < 0:
        raise TitlePostError("岗位总数不能为负 / totals must not be negative")
    staff = {row.school_id: row.posts for row in staffing_table(dataset, norms)}
    group = {s.school_id: RURAL if s.area is Area.RURAL else URBAN for s in dataset.schools}
    hs = dict.fromkeys(staff, 0)
    hm = dict.fromkeys(staff, 0)
    for t in dataset.teachers:
        if t.title.is_senior:
            hs[t.school_id] += 1
        elif t.title is Title.FIRST:
            hm[t.school_id] += 1
    if sum(hs.values()) > senior or sum(hm.values()) > intermediate:
        raise TitlePostError(
            f"高级岗位总数{senior}、中级岗位总数{intermediate}少于现有高级职称{sum(hs.values())}人、"
            f"一级职称{sum(hm.values())}人 / the totals are below the current title holders"
        )
    members = {g: [sid for sid in staff if group[sid] == g] for g in (RURAL, URBAN)}
    p = {g: sum(staff[s] for s in members[g]) for g in members}
    h = {g: sum(hs[s] + hm[s] for s in members[g]) for g in members}
    n = senior + intermediate
    notes: list[str] = []

    # 1. the rural group's combined count
    hi_r = n - h[URBAN]
    if not members[RURAL]:
        c_r, wanted = 0, 0
        notes.append("全县无乡村学校，倾斜要求不适用 / no rural school: the tilt does not apply")
    elif not members[URBAN]:
        c_r, wanted = n, n
    elif p[RURAL] == 0 or p[URBAN] == 0:
        c_r = wanted = min(hi_r, max(h[RURAL], round(n * p[RURAL] / max(p[RURAL] + p[URBAN], 1))))
        notes.append("有一组学校编制为0，按现有持证人数分配 / a group has no staffing posts")
    else:
        need = (n / p[URBAN] + policy.rural_tilt) / (1 / p[RURAL] + 1 / p[URBAN])
        wanted = max(h[RURAL], math.ceil(need - _EPS))
        c_r = min(wanted, hi_r)
    if c_r < wanted:
        notes.append(
            f"城镇学校现有中高级职称{h[URBAN]}人须保留岗位，乡村学校最多可得{hi_r}个，"
            f"达不到倾斜所需的{wanted}个 / the urban holders leave the rural schools at most "
            f"{hi_r} posts, below the {wanted} the tilt needs"
        )
    c_u = n - c_r

    # 2. split each group's count into senior and intermediate in the county's S : M ratio
    g_hs = {g: sum(hs[s] for s in members[g]) for g in members}
    g_hm = {g: sum(hm[s] for s in members[g]) for g in members}
    lo = max(g_hs[RURAL], g_hm[URBAN] - intermediate + c_r, 0, c_r - intermediate)
    hi = min(c_r - g_hm[RURAL], senior - g_hs[URBAN], senior, c_r)
    # lo ≤ hi always: a 2×2 transportation problem whose row and column totals cover the floors
    r_s = min(max(round(c_r * senior / n) if n else 0, lo), hi)
    split = {RURAL: (r_s, c_r - r_s), URBAN: (senior - r_s, intermediate - (c_r - r_s))}

    # 3. within each group, by staffing with the holders as floors
    posts_s: dict[str, int] = {}
    posts_m: dict[str, int] = {}
    quota_s: dict[str, float] = {}
    quota_m: dict[str, float] = {}
    for g in (RURAL, URBAN):
        ids = members[g]
        weights = {sid: float(staff[sid]) for sid in ids}
        a, qa = apportion_with_floors(split[g][0], weights, {sid: hs[sid] for sid in ids})
        b, qb = apportion_with_floors(split[g][1], weights, {sid: hm[sid] for sid in ids})
        posts_s.update(a)
        posts_m.update(b)
        quota_s.update(qa)
        quota_m.update(qb)

    rural_share = _share(c_r, p[RURAL])
    urban_share = _share(c_u, p[URBAN])
    tilt_met = (
        rural_share is None
        or urban_share is None
        or rural_share + _EPS >= urban_share + policy.rural_tilt
    )
    if rural_share is not None and urban_share is not None:
        notes.insert(
            0,
            f"乡村学校中高级岗位占编制{rural_share:.1%}，城镇学校{urban_share:.1%}，要求乡村至少高出"
            f"{policy.rural_tilt:.1%}：{'达到' if tilt_met else '未达到'} / rural share "
            f"{rural_share:.1%}, urban {urban_share:.1%}, tilt {policy.rural_tilt:.1%}: "
            f"{'met' if tilt_met else 'not met'}",
        )
    schools = []
    for s in dataset.schools:
        sid, g = s.school_id, group[s.school_id]
        pct = staff[sid] / p[g] if p[g] else 0.0
        text = (
            f"{GROUP_ZH[g]}学校，编制{staff[sid]}个，占{GROUP_ZH[g]}学校编制{pct:.1%}；"
            f"{GROUP_ZH[g]}学校共分得高级岗位{split[g][0]}个、中级岗位{split[g][1]}个；"
            f"按编制比例（且不少于现有人数）应得高级{quota_s[sid]:.2f}个、中级{quota_m[sid]:.2f}个；"
            f"现有高级职称{hs[sid]}人、一级职称{hm[sid]}人；取整后高级{posts_s[sid]}个、"
            f"中级{posts_m[sid]}个 / {g} school, {staff[sid]} staffing posts; quota "
            f"{quota_s[sid]:.2f} senior, {quota_m[sid]:.2f} intermediate; holders "
            f"{hs[sid]}/{hm[sid]}; rounded to {posts_s[sid]}/{posts_m[sid]}"
        )
        schools.append(
            SchoolTitlePosts(
                school_id=sid,
                name=s.name,
                group=g,
                staffing_posts=staff[sid],
                senior_holders=hs[sid],
                intermediate_holders=hm[sid],
                senior_posts=posts_s[sid],
                intermediate_posts=posts_m[sid],
                explanation=text,
            )
        )
    return TitlePostResult(
        senior_total=senior,
        intermediate_total=intermediate,
        rural_tilt=policy.rural_tilt,
        rural_share=rural_share,
        urban_share=urban_share,
        tilt_met=tilt_met,
        schools=tuple(schools),
        notes=tuple(notes),
    )
