"""The named shapes of synthetic counties (``PRESETS["small"]`` and so on).

A preset says how many schools of each kind a county has and where it lies; the
generator (``sample_data.generator``) fills in enrolments, teachers and needs from
the seed. Every preset is frozen, so it can be shared and hashed.

School kinds (see ``sample_data.schools.KINDS``): in the county seat the urban
``urban_primary``, ``urban_junior``, ``urban_senior``, ``urban_nine_year``,
``urban_kindergarten`` and ``special`` schools; in each township its "三所学校"
(``central_kindergarten``, ``central_primary``, ``boarding``), in the larger towns
镇区 ``town_primary`` / ``town_junior`` (and a ``town_senior`` in the first ones),
then ``village_primary`` schools and ``teaching_point`` 教学点.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rotation.enums import Stage
from sample_data.places import HEYUAN_CENTER, LONGCHUAN_CENTER, LONGCHUAN_TOWNS


@dataclass(frozen=True, slots=True)
class CountyShape:
    """One county: its towns and how many schools of each kind it has."""

    name: str
    code: str  # id prefix in multi-county presets, e.g. "LC"
    towns: tuple[str, ...] = ()  # real town names, the seat first; () = made up
    town_count: int = 0  # used when ``towns`` is empty (seat included)
    urban: tuple[tuple[str, int], ...] = ()  # (kind, count) in the county seat
    seat_has_three_schools: bool = True
    three_schools: tuple[str, ...] = ("central_kindergarten", "central_primary", "boarding")
    town_area_towns: int = 0  # the larger towns (after the seat) with 镇区 schools
    town_area_kinds: tuple[str, ...] = ("town_primary", "town_junior")
    town_seniors: int = 0  # how many of the larger towns also have a 镇区 senior school
    village_primaries: tuple[int, int] = (0, 0)  # per town (not the seat), inclusive range
    teaching_points: tuple[int, int] = (0, 0)  # per town (not the seat), inclusive range
    communities: int = 0  # 城乡教育共同体, each led by an urban school
    weak_schools: int = 0  # village or 镇区 schools on the weak list
    center: tuple[float, float] = LONGCHUAN_CENTER
    radius_km: float = 20.0  # towns lie within this distance of the seat
    enrolment_scale: float = 1.0  # multiplies every school's enrolment

    @property
    def n_towns(self) -> int:
        return len(self.towns) if self.towns else self.town_count


@dataclass(frozen=True, slots=True)
class Preset:
    """A synthetic dataset: one or more counties, and the rates of the roster's details."""

    name: str
    description: str
    counties: tuple[CountyShape, ...]
    need_ratio: float = 1.75  # declared needs ÷ teachers a 10 % rotation would move
    preference_share: float = 0.20  # eligible teachers who name 1-3 destinations
    need_stages: tuple[Stage, ...] | None = None  # stages with declared needs; None = all
    backbone_free_senders: int = 0  # the first N senders' county+ backbone become 校级
    optional_columns: bool = True  # False: no lat/lon, community, preferences, degree

    @property
    def prefix_ids(self) -> bool:
        """Whether ids carry the county code (multi-county presets keep them unique)."""
        return len(self.counties) > 1


_LONGCHUAN_URBAN: tuple[tuple[str, int], ...] = (
    ("urban_primary", 9),
    ("urban_junior", 5),
    ("urban_senior", 3),
    ("urban_nine_year", 2),
    ("urban_kindergarten", 6),
    ("special", 1),
)


def longchuan_shape(*, code: str = "LC") -> CountyShape:
    """龙川县: 24 real towns, the seat 老隆镇 with the urban and quality schools."""
    return CountyShape(
        name="龙川县",
        code=code,
        towns=LONGCHUAN_TOWNS,
        urban=_LONGCHUAN_URBAN,
        town_area_towns=8,
        town_seniors=2,
        village_primaries=(6, 9),
        teaching_points=(1, 4),
        communities=6,
        weak_schools=10,
        center=LONGCHUAN_CENTER,
        radius_km=20.0,
        enrolment_scale=0.94,
    )


def _made_up_county(name: str, code: str, center: tuple[float, float]) -> CountyShape:
    return CountyShape(
        name=name,
        code=code,
        town_count=22,
        urban=_LONGCHUAN_URBAN,
        town_area_towns=8,
        town_seniors=2,
        village_primaries=(6, 9),
        teaching_points=(1, 4),
        communities=6,
        weak_schools=10,
        center=center,
        radius_km=20.0,
        enrolment_scale=1.0,
    )


TINY = Preset(
    name="tiny",
    description="约6所学校、40名教师，用于示例 / about 6 schools and 40 teachers, for the example",
    counties=(
        CountyShape(
            name="示例县",
            code="SL",
            town_count=2,
            urban=(("urban_primary", 1), ("urban_junior", 1)),
            seat_has_three_schools=False,
            three_schools=("central_primary", "boarding"),
            village_primaries=(1, 1),
            teaching_points=(1, 1),
            communities=1,
            weak_schools=0,
            radius_km=10.0,
            enrolment_scale=0.07,
        ),
    ),
)

SMALL = Preset(
    name="small",
    description="约20所学校、400名教师，用于测试 / about 20 schools and 400 teachers, for tests",
    counties=(
        CountyShape(
            name="样本县",
            code="SM",
            town_count=4,
            urban=(
                ("urban_primary", 2),
                ("urban_junior", 1),
                ("urban_nine_year", 1),
                ("urban_kindergarten", 1),
            ),
            seat_has_three_schools=False,
            town_area_towns=1,
            town_area_kinds=("town_primary",),
            village_primaries=(1, 2),
            teaching_points=(0, 1),
            communities=2,
            weak_schools=1,
            radius_km=15.0,
            enrolment_scale=0.3,
        ),
    ),
)

LONGCHUAN = Preset(
    name="longchuan",
    description="龙川县：24个镇，约350所学校、9000名教师 / 龙川县-shaped, ~350 schools, ~9,000 teachers",
    counties=(longchuan_shape(code="LC"),),
)

CITY = Preset(
    name="city",
    description="五个县的市，约45000名教师，用于性能测试 / five counties, ~45,000 teachers, for benchmarks",
    counties=(
        longchuan_shape(code="LC"),
        _made_up_county("东源县", "DY", (HEYUAN_CENTER[0] + 0.15, HEYUAN_CENTER[1] + 0.05)),
        _made_up_county("和平县", "HP", (24.44, 114.94)),
        _made_up_county("紫金县", "ZJ", (23.63, 115.18)),
        _made_up_county("连平县", "LP", (24.37, 114.49)),
    ),
)

# ---------------------------------------------------------------- stress shapes
# Counties unlike the four above, for tests and the benchmark (issue 11 item 7): each
# has a small variant (about 400-1,000 teachers, for the test suite and `make bench`)
# and a county-sized one (`make bench-full`).


def _small_shape(**changes: object) -> CountyShape:
    return dataclasses.replace(SMALL.counties[0], **changes)  # type: ignore[arg-type]


def _stress(name: str, description: str, shape: CountyShape, **changes: object) -> Preset:
    return Preset(name=name, description=description, counties=(shape,), **changes)  # type: ignore[arg-type]


MANY_POSTS_RATIO = 9.2  # about 5x longchuan's declared posts (1,555 against 297)
_UNMET = {
    "need_stages": (Stage.KINDERGARTEN, Stage.PRIMARY, Stage.SENIOR),
    "backbone_free_senders": 3,
}

# 30,000 teachers in about 1,100 schools: one county three times longchuan's size
_BIG_COUNTY = CountyShape(
    name="大县",
    code="BC",
    town_count=74,
    urban=(
        ("urban_primary", 24),
        ("urban_junior", 14),
        ("urban_senior", 8),
        ("urban_nine_year", 6),
        ("urban_kindergarten", 16),
        ("special", 2),
    ),
    town_area_towns=24,
    town_seniors=6,
    village_primaries=(6, 9),
    teaching_points=(1, 4),
    communities=16,
    weak_schools=30,
    center=LONGCHUAN_CENTER,
    radius_km=45.0,
    enrolment_scale=1.03,
)

# many small schools: 40 towns of village schools and 教学点, small senders (E < 10)
_SCATTERED = CountyShape(
    name="山区县",
    code="SQ",
    town_count=40,
    urban=(
        ("urban_primary", 4),
        ("urban_junior", 3),
        ("urban_senior", 1),
        ("urban_kindergarten", 2),
    ),
    town_area_towns=20,
    town_seniors=1,
    village_primaries=(8, 14),
    teaching_points=(4, 8),
    communities=4,
    weak_schools=20,
    radius_km=40.0,
    enrolment_scale=0.35,
)

STRESS: tuple[Preset, ...] = (
    _stress(
        "many_posts_small",
        "小县，岗位需求约为常规的5倍 / small county, about 5x the usual open posts",
        SMALL.counties[0],
        need_ratio=MANY_POSTS_RATIO,
    ),
    _stress(
        "many_posts",
        "龙川县规模，岗位需求约为常规的5倍（约1500个）/ longchuan-sized, ~5x the open posts",
        longchuan_shape(code="MP"),
        need_ratio=MANY_POSTS_RATIO,
    ),
    _stress(
        "unmet_quotas_small",
        "小县，初中无岗位需求、3所派出校无县级以上骨干 / small county, quotas short for named reasons",
        _small_shape(urban=(*SMALL.counties[0].urban, ("urban_senior", 1))),
        **_UNMET,
    ),
    _stress(
        "unmet_quotas",
        "龙川县规模，5倍岗位需求，初中无岗位需求、3所派出校无县级以上骨干 / "
        "longchuan-sized, 5x posts, quotas short for named reasons",
        longchuan_shape(code="UQ"),
        need_ratio=MANY_POSTS_RATIO,
        **_UNMET,
    ),
    _stress(
        "small_schools_small",
        "10个镇的山区小县，多村小和教学点 / 10 towns of village schools and teaching points",
        dataclasses.replace(_SCATTERED, town_count=6, town_area_towns=3, weak_schools=4),
    ),
    _stress(
        "small_schools",
        "40个镇的山区县，约1000所小规模学校 / 40 mountain towns, ~1,000 small schools",
        _SCATTERED,
    ),
    _stress(
        "bare_small",
        "小县，无坐标、共同体、志愿、学历 / small county without the optional columns",
        SMALL.counties[0],
        optional_columns=False,
    ),
    _stress(
        "bare",
        "龙川县规模，无坐标、共同体、志愿、学历 / longchuan-sized, optional columns absent",
        longchuan_shape(code="BR"),
        optional_columns=False,
    ),
    _stress(
        "big_county",
        "一个县3万名教师、约1100所学校、约3500个岗位需求，部分配额无法达标 / "
        "one county: 30,000 teachers, ~1,100 schools, quotas short for named reasons",
        _BIG_COUNTY,
        need_ratio=9.4,
        **_UNMET,
    ),
)

PRESETS: dict[str, Preset] = {p.name: p for p in (TINY, SMALL, LONGCHUAN, CITY, *STRESS)}


def preset_named(name: str) -> Preset:
    """The preset called ``name``; ``KeyError`` with the choices (zh/en) otherwise."""
    try:
        return PRESETS[name]
    except KeyError:
        choices = "、".join(PRESETS)
        raise KeyError(
            f"没有名为 {name!r} 的样本预设；可选：{choices} / no sample preset {name!r}; "
            f"choose one of: {', '.join(PRESETS)}"
        ) from None
