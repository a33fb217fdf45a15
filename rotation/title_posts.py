"""Senior and intermediate title posts (高级、中级专业技术岗位) allocated to schools, tilted rural.

Given the county's totals S (高级) and M (中级, i.e. 一级教师 posts), every school gets whole
posts such that:

- the totals are met exactly;
- no school gets fewer senior posts than its teachers holding 高级/正高级 titles, nor fewer
  intermediate posts than its 一级 teachers (现有人员不低聘);
- posts are shared within each stage pool (``POOLS``: kindergarten, compulsory — primary,
  junior, nine- and twelve-year and special schools — and senior high), as counties keep
  separate pools; the county totals are divided among the pools in proportion to their
  staffing posts, with the holders as floors, unless ``pool_totals`` gives each pool's own;
- within each pool, the 农村 schools' share (senior + intermediate posts ÷ staffing posts
  from the norms) is at least the others' share plus ``TitlePostPolicy.rural_tilt`` (the
  seed: 中高级教师岗位比例适当向农村学校倾斜; 乡村教师支持计划（2015—2020年）; the default 5
  percentage points follows common provincial practice). 农村 is the one definition of
  ``rotation/areas.py`` (``TitlePostPolicy.rural_areas``, by default every school outside
  the county town, 乡镇及以下, and every 三所学校), so the township 三所学校 get the tilt.

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

from rotation.areas import OUTSIDE_COUNTY_TOWN, area_reading, is_rural
from rotation.enums import Area, SchoolStage, Title
from rotation.models import Dataset
from rotation.staffing import StaffingNorms, staffing_table

_EPS = 1e-9
RURAL = "rural"
URBAN = "urban"
GROUP_ZH = {RURAL: "农村", URBAN: "城镇"}

KINDERGARTEN_POOL = "kindergarten"
COMPULSORY_POOL = "compulsory"
SENIOR_POOL = "senior"
POOLS: tuple[str, ...] = (KINDERGARTEN_POOL, COMPULSORY_POOL, SENIOR_POOL)
POOL_ZH = {KINDERGARTEN_POOL: "幼儿园", COMPULSORY_POOL: "义务教育", SENIOR_POOL: "高中"}


def title_pool(stage: SchoolStage) -> str:
    """The stage pool of a school's title posts."""
    if stage is SchoolStage.KINDERGARTEN:
        return KINDERGARTEN_POOL
    if stage is SchoolStage.SENIOR:
        return SENIOR_POOL
    return COMPULSORY_POOL


class TitlePostPolicy(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    rural_tilt: float = Field(
        0.05,
        ge=0,
        le=1,
        description="农村学校中高级岗位占编制比例至少高出城镇学校的幅度 / rural share ≥ urban share + tilt",
    )
    rural_areas: tuple[Area, ...] = Field(
        OUTSIDE_COUNTY_TOWN,
        description="农村：倾斜所及学校的区域（另加三所学校）/ areas tilted toward (plus 三所学校)",
    )
    pool_totals: dict[str, tuple[int, int]] | None = Field(
        None,
        description="各学段岗位池的（高级, 中级）岗位数；空则按编制分配全县总数 / (senior, intermediate) per pool",
    )


class TitlePostError(ValueError):
    """Totals that cannot cover the teachers already holding the titles."""


class SchoolTitlePosts(BaseModel):
    model_config = ConfigDict(frozen=True)

    school_id: str
    name: str
    group: str  # "rural" or "urban"
    pool: str = COMPULSORY_POOL  # kindergarten, compulsory or senior
    staffing_posts: int
    senior_holders: int
    intermediate_holders: int
    senior_posts: int
    intermediate_posts: int
    explanation: str


class PoolShares(BaseModel):
    """One stage pool: its totals and the 农村 / 城镇 shares of staffing."""

    model_config = ConfigDict(frozen=True)

    pool: str
    senior: int
    intermediate: int
    rural_share: float | None
    urban_share: float | None
    tilt_met: bool


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
    pools: tuple[PoolShares, ...] = ()
    reading: str = ""  # which schools count as 农村, in words

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
    group = {
        s.school_id: RURAL if is_rural(s, policy.rural_areas) else URBAN for s in dataset.schools
    }
    pool = {s.school_id: title_pool(s.stage) for s in dataset.schools}
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
    used = [k for k in POOLS if any(pool[sid] == k for sid in staff)]
    totals = _pool_totals(used, pool, staff, hs, hm, senior, intermediate, policy)
    posts_s: dict[str, int] = {}
    posts_m: dict[str, int] = {}
    quota_s: dict[str, float] = {}
    quota_m: dict[str, float] = {}
    split: dict[tuple[str, str], tuple[int, int]] = {}
    notes: list[str] = []
    shares: list[PoolShares] = []
    for k in used:
        ids = [sid for sid in staff if pool[sid] == k]
        r = _allocate_pool(ids, group, staff, hs, hm, *totals[k], policy)
        posts_s.update(r.posts_s)
        posts_m.update(r.posts_m)
        quota_s.update(r.quota_s)
        quota_m.update(r.quota_m)
        split.update({(k, g): v for g, v in r.split.items()})
        label = POOL_ZH[k]
        notes.extend(f"{label}：{n}" for n in r.notes)
        shares.append(
            PoolShares(
                pool=k,
                senior=totals[k][0],
                intermediate=totals[k][1],
                rural_share=r.rural_share,
                urban_share=r.urban_share,
                tilt_met=r.tilt_met,
            )
        )
    p = {g: sum(staff[s] for s in staff if group[s] == g) for g in (RURAL, URBAN)}
    c = {g: sum(posts_s[s] + posts_m[s] for s in staff if group[s] == g) for g in (RURAL, URBAN)}
    rural_share, urban_share = _share(c[RURAL], p[RURAL]), _share(c[URBAN], p[URBAN])
    tilt_met = all(x.tilt_met for x in shares)
    reading = area_reading((), policy.rural_areas).split("；", 1)[1].split(" / ")[0]
    notes.insert(0, f"口径：{reading}；按学段分池（{'、'.join(POOL_ZH[k] for k in used)}）")
    schools = []
    for s in dataset.schools:
        sid, g, k = s.school_id, group[s.school_id], pool[s.school_id]
        pg = sum(staff[x] for x in staff if group[x] == g and pool[x] == k)
        pct = staff[sid] / pg if pg else 0.0
        gs, gm = split[(k, g)]
        where = f"{POOL_ZH[k]}{GROUP_ZH[g]}学校"
        text = (
            f"{where}，编制{staff[sid]}个，占{where}编制{pct:.1%}；"
            f"{where}共分得高级岗位{gs}个、中级岗位{gm}个；"
            f"按编制比例（且不少于现有人数）应得高级{quota_s[sid]:.2f}个、中级{quota_m[sid]:.2f}个；"
            f"现有高级职称{hs[sid]}人、一级职称{hm[sid]}人；取整后高级{posts_s[sid]}个、"
            f"中级{posts_m[sid]}个 / {g} school of the {k} pool, {staff[sid]} staffing posts; quota "
            f"{quota_s[sid]:.2f} senior, {quota_m[sid]:.2f} intermediate; holders "
            f"{hs[sid]}/{hm[sid]}; rounded to {posts_s[sid]}/{posts_m[sid]}"
        )
        schools.append(
            SchoolTitlePosts(
                school_id=sid,
                name=s.name,
                group=g,
                pool=k,
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
        pools=tuple(shares),
        reading=reading,
    )


def _pool_totals(
    used: list[str],
    pool: Mapping[str, str],
    staff: Mapping[str, int],
    hs: Mapping[str, int],
    hm: Mapping[str, int],
    senior: int,
    intermediate: int,
    policy: TitlePostPolicy,
) -> dict[str, tuple[int, int]]:
    """Each pool's (senior, intermediate): as given, or the county's by staffing, holders as floors."""
    if policy.pool_totals is not None:
        missing = [k for k in used if k not in policy.pool_totals]
        if missing:
            raise TitlePostError(
                f"缺少学段岗位池的岗位数：{'、'.join(POOL_ZH.get(k, k) for k in missing)} / "
                f"pool totals missing: {', '.join(missing)}"
            )
        given = {k: policy.pool_totals[k] for k in used}
        if (
            sum(v[0] for v in given.values()) != senior
            or sum(v[1] for v in given.values()) != intermediate
        ):
            raise TitlePostError(
                "各学段岗位池之和须等于全县总数 / the pools must add up to the county totals"
            )
        return given
    weights = {k: float(sum(staff[s] for s in staff if pool[s] == k)) for k in used}
    floor_s = {k: sum(hs[s] for s in staff if pool[s] == k) for k in used}
    floor_m = {k: sum(hm[s] for s in staff if pool[s] == k) for k in used}
    a, _ = apportion_with_floors(senior, weights, floor_s)
    b, _ = apportion_with_floors(intermediate, weights, floor_m)
    return {k: (a[k], b[k]) for k in used}


class _PoolResult(BaseModel):
    posts_s: dict[str, int]
    posts_m: dict[str, int]
    quota_s: dict[str, float]
    quota_m: dict[str, float]
    split: dict[str, tuple[int, int]]
    rural_share: float | None
    urban_share: float | None
    tilt_met: bool
    notes: list[str]


def _allocate_pool(
    ids: list[str],
    group: Mapping[str, str],
    staff: Mapping[str, int],
    hs: Mapping[str, int],
    hm: Mapping[str, int],
    senior: int,
    intermediate: int,
    policy: TitlePostPolicy,
) -> _PoolResult:
    """One pool's posts: the 农村 group's combined count first, then each school's."""
    members = {g: [sid for sid in ids if group[sid] == g] for g in (RURAL, URBAN)}
    p = {g: sum(staff[s] for s in members[g]) for g in members}
    h = {g: sum(hs[s] + hm[s] for s in members[g]) for g in members}
    n = senior + intermediate
    notes: list[str] = []

    # 1. the rural group's combined count
    hi_r = n - h[URBAN]
    if not members[RURAL]:
        c_r, wanted = 0, 0
        notes.append("无农村学校，倾斜要求不适用 / no rural school: the tilt does not apply")
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
            f"城镇学校现有中高级职称{h[URBAN]}人须保留岗位，农村学校最多可得{hi_r}个，"
            f"达不到倾斜所需的{wanted}个 / the urban holders leave the rural schools at most "
            f"{hi_r} posts, below the {wanted} the tilt needs"
        )
    c_u = n - c_r

    # 2. split each group's count into senior and intermediate in the pool's S : M ratio
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
        gids = members[g]
        weights = {sid: float(staff[sid]) for sid in gids}
        a, qa = apportion_with_floors(split[g][0], weights, {sid: hs[sid] for sid in gids})
        b, qb = apportion_with_floors(split[g][1], weights, {sid: hm[sid] for sid in gids})
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
            f"农村学校中高级岗位占编制{rural_share:.1%}，城镇学校{urban_share:.1%}，要求农村至少高出"
            f"{policy.rural_tilt:.1%}：{'达到' if tilt_met else '未达到'} / rural share "
            f"{rural_share:.1%}, urban {urban_share:.1%}, tilt {policy.rural_tilt:.1%}: "
            f"{'met' if tilt_met else 'not met'}",
        )
    return _PoolResult(
        posts_s=posts_s,
        posts_m=posts_m,
        quota_s=quota_s,
        quota_m=quota_m,
        split=split,
        rural_share=rural_share,
        urban_share=urban_share,
        tilt_met=tilt_met,
        notes=notes,
    )
