"""The schools of one synthetic county: kinds, names, enrolment, places, communities.

Enrolment per kind (before the preset's ``enrolment_scale``, which leaves 乡村 schools
alone) and class sizes:

=====================  ===========  =========  ==========  ==========================
kind                   stage        students   class size  where
=====================  ===========  =========  ==========  ==========================
urban_primary          primary      1800-3200  48          county seat, 城区
urban_junior           junior       1400-2400  50          county seat, 城区
urban_senior           senior       2400-3600  52          county seat, 城区
urban_nine_year        nine_year    1600-2600  46          county seat, 城区
urban_kindergarten     kindergarten 300-600    30          county seat, 城区
special                special      60-150     10          county seat, 城区
central_kindergarten   kindergarten 150-350    30          each town (镇区; 城区 in the seat)
central_primary        primary      600-1300   42          each town
boarding               junior       500-1100   48          each town (公办寄宿制)
town_primary           primary      700-1400   45          larger towns, 镇区
town_junior            junior       500-1000   48          larger towns, 镇区
town_senior            senior       1200-2000  50          first larger towns, 镇区
village_primary        primary      50-260     30          villages, 乡村
teaching_point         primary      6-35       12          villages, 乡村 (教学点)
=====================  ===========  =========  ==========  ==========================

Quality (优质学校): the first half (rounded up) of each urban kind, the nine-year and
the first kindergarten. Weak (薄弱学校): the first 镇区 senior school, then village and
镇区 schools drawn at random up to the preset's ``weak_schools``. Communities
(城乡教育共同体): led by the quality urban primary/junior schools in turn, named after
the lead (老隆一小教育共同体); the other urban compulsory schools and every compulsory
school of the non-seat towns join them round robin, town by town.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from rotation.enums import Area, Priority, SchoolStage
from rotation.models import School
from sample_data.places import chinese_numeral, made_up_name, short_place
from sample_data.presets import CountyShape


@dataclass(frozen=True, slots=True)
class Kind:
    stage: SchoolStage
    students: tuple[int, int]
    class_size: int
    priority: Priority | None = None


KINDS: dict[str, Kind] = {
    "urban_primary": Kind(SchoolStage.PRIMARY, (1800, 3200), 48),
    "urban_junior": Kind(SchoolStage.JUNIOR, (1400, 2400), 50),
    "urban_senior": Kind(SchoolStage.SENIOR, (2400, 3600), 52),
    "urban_nine_year": Kind(SchoolStage.NINE_YEAR, (1600, 2600), 46),
    "urban_kindergarten": Kind(SchoolStage.KINDERGARTEN, (300, 600), 30),
    "special": Kind(SchoolStage.SPECIAL, (60, 150), 10),
    "central_kindergarten": Kind(
        SchoolStage.KINDERGARTEN, (150, 350), 30, Priority.CENTRAL_KINDERGARTEN
    ),
    "central_primary": Kind(SchoolStage.PRIMARY, (600, 1300), 42, Priority.CENTRAL_PRIMARY),
    "boarding": Kind(SchoolStage.JUNIOR, (500, 1100), 48, Priority.BOARDING),
    "town_primary": Kind(SchoolStage.PRIMARY, (700, 1400), 45),
    "town_junior": Kind(SchoolStage.JUNIOR, (500, 1000), 48),
    "town_senior": Kind(SchoolStage.SENIOR, (1200, 2000), 50),
    "village_primary": Kind(SchoolStage.PRIMARY, (50, 260), 30),
    "teaching_point": Kind(SchoolStage.PRIMARY, (6, 35), 12),
}

URBAN_KINDS = (
    "urban_primary",
    "urban_junior",
    "urban_senior",
    "urban_nine_year",
    "urban_kindergarten",
    "special",
)
COMPULSORY = (SchoolStage.PRIMARY, SchoolStage.JUNIOR, SchoolStage.NINE_YEAR)
_KM_PER_DEG_LAT = 111.0


@dataclass(slots=True)
class _Draft:
    kind: str
    town: str
    area: Area
    name: str
    short: str = ""  # e.g. 老隆一小, for naming a community after its lead
    n: int = 1  # number within its kind
    quality: bool = False
    weak: bool = False
    community: str = ""


def county_schools(
    shape: CountyShape, rng: random.Random, *, id_prefix: str, taken_places: set[str]
) -> list[School]:
    """Every school of ``shape``, ids ``{id_prefix}S001``… in a meaningful order.

    The order is: the seat's urban schools, then each town's 三所学校, the 镇区
    schools of the larger towns, then the village schools and 教学点 town by town.
    """
    towns = _town_names(shape, rng, taken_places)
    seat = towns[0]
    drafts = _seat_schools(shape, seat)
    three_towns = towns if shape.seat_has_three_schools else towns[1:]
    for town in three_towns:
        area = Area.URBAN if town == seat else Area.TOWN
        drafts.extend(_three_schools(shape, town, area))
    larger = towns[1 : 1 + shape.town_area_towns]
    for i, town in enumerate(larger):
        kinds = shape.town_area_kinds + (("town_senior",) if i < shape.town_seniors else ())
        drafts.extend(_town_area_school(shape, town, kind) for kind in kinds)
    for town in towns[1:]:
        drafts.extend(_village_schools(shape, town, rng))
    _mark_weak(drafts, shape.weak_schools, rng)
    _form_communities(drafts, shape.communities, seat)
    centers = _town_centers(towns, shape, rng)
    width = max(3, len(str(len(drafts))))
    return [
        _finish(d, f"{id_prefix}S{i:0{width}d}", centers[d.town], shape, rng)
        for i, d in enumerate(drafts, start=1)
    ]


# ------------------------------------------------------------------ names and layout
def _town_names(shape: CountyShape, rng: random.Random, taken: set[str]) -> list[str]:
    if shape.towns:
        taken.update(shape.towns)
        return list(shape.towns)
    return [made_up_name(rng, "镇", taken) for _ in range(shape.town_count)]


def _seat_schools(shape: CountyShape, seat: str) -> list[_Draft]:
    county, place = shape.name, short_place(seat)
    drafts: list[_Draft] = []
    for kind, count in shape.urban:
        for n in range(1, count + 1):
            cn = chinese_numeral(n)
            name, short = {
                "urban_primary": (f"{county}{place}第{cn}小学", f"{place}{cn}小"),
                "urban_junior": (f"{county}{place}第{cn}中学", f"{place}{cn}中"),
                "urban_senior": (f"{county}第{cn}中学", f"{short_place(county)}{cn}中"),
                "urban_nine_year": (
                    f"{county}{place}{'' if n == 1 else '第' + cn}实验学校",
                    f"{place}实验{'' if n == 1 else cn}",
                ),
                "urban_kindergarten": (f"{county}第{cn}幼儿园", ""),
                "special": (f"{county}特殊教育学校" + ("" if n == 1 else cn), ""),
            }[kind]
            quality = kind == "urban_nine_year" or n <= math.ceil(count / 2)
            if kind == "urban_kindergarten":
                quality = n == 1
            elif kind == "special":
                quality = False
            drafts.append(_Draft(kind, seat, Area.URBAN, name, short, n, quality))
    return drafts


def _three_schools(shape: CountyShape, town: str, area: Area) -> list[_Draft]:
    names = {
        "central_kindergarten": f"{shape.name}{town}中心幼儿园",
        "central_primary": f"{shape.name}{town}中心小学",
        "boarding": f"{shape.name}{town}中学",
    }
    return [_Draft(kind, town, area, names[kind]) for kind in shape.three_schools]


def _town_area_school(shape: CountyShape, town: str, kind: str) -> _Draft:
    names = {
        "town_primary": f"{shape.name}{town}第二小学",
        "town_junior": f"{shape.name}{town}第二中学",
        "town_senior": f"{shape.name}{short_place(town)}高级中学",
    }
    return _Draft(kind, town, Area.TOWN, names[kind])


def _village_schools(shape: CountyShape, town: str, rng: random.Random) -> list[_Draft]:
    villages: set[str] = set()
    drafts = []
    for _ in range(rng.randint(*shape.village_primaries)):
        village = short_place(made_up_name(rng, "村", villages))
        drafts.append(
            _Draft("village_primary", town, Area.RURAL, f"{shape.name}{town}{village}小学")
        )
    for _ in range(rng.randint(*shape.teaching_points)):
        village = short_place(made_up_name(rng, "村", villages))
        drafts.append(
            _Draft("teaching_point", town, Area.RURAL, f"{shape.name}{town}{village}教学点")
        )
    return drafts


def _mark_weak(drafts: list[_Draft], count: int, rng: random.Random) -> None:
    if count <= 0:
        return
    marked = 0
    for d in drafts:
        if d.kind == "town_senior":
            d.weak, marked = True, 1
            break
    pool = [d for d in drafts if d.kind in ("village_primary", "town_primary", "town_junior")]
    for d in rng.sample(pool, min(len(pool), count - marked)):
        d.weak = True


def _form_communities(drafts: list[_Draft], count: int, seat: str) -> None:
    if count <= 0:
        return
    urban = [
        d
        for d in drafts
        if d.kind in ("urban_primary", "urban_junior", "urban_nine_year") and d.short
    ]
    leads = [d for d in urban if d.quality][:count] or urban[:count]
    names = [f"{d.short}教育共同体" for d in leads]
    for d, name in zip(leads, names, strict=False):
        d.community = name
    others = [d for d in urban if not d.community]
    for i, d in enumerate(others):
        d.community = names[i % len(names)]
    towns = list(dict.fromkeys(d.town for d in drafts if d.town != seat))
    for i, town in enumerate(towns):
        for d in drafts:
            if d.town == town and KINDS[d.kind].stage in COMPULSORY:
                d.community = names[i % len(names)]


def _town_centers(
    towns: list[str], shape: CountyShape, rng: random.Random
) -> dict[str, tuple[float, float]]:
    centers = {towns[0]: shape.center}
    for town in towns[1:]:
        distance = max(4.0, shape.radius_km * math.sqrt(rng.random()))
        angle = rng.uniform(0, 2 * math.pi)
        centers[town] = _offset(
            shape.center, distance * math.cos(angle), distance * math.sin(angle)
        )
    return centers


def _offset(center: tuple[float, float], north_km: float, east_km: float) -> tuple[float, float]:
    lat = center[0] + north_km / _KM_PER_DEG_LAT
    lon = center[1] + east_km / (_KM_PER_DEG_LAT * math.cos(math.radians(center[0])))
    return lat, lon


def _finish(
    d: _Draft,
    school_id: str,
    center: tuple[float, float],
    shape: CountyShape,
    rng: random.Random,
) -> School:
    kind = KINDS[d.kind]
    scale = 1.0 if d.area is Area.RURAL else shape.enrolment_scale  # villages stay small
    students = max(1, round(rng.randint(*kind.students) * scale))
    classes = max(1, math.ceil(students / kind.class_size))
    if d.kind == "teaching_point":
        classes = min(classes, 3)  # 复式班: a few mixed-grade classes
    spread = 5.0 if d.area is Area.RURAL else 2.0
    lat, lon = _offset(center, rng.uniform(-spread, spread), rng.uniform(-spread, spread))
    return School(
        school_id=school_id,
        name=d.name,
        town=d.town,
        area=d.area,
        stage=kind.stage,
        quality=d.quality,
        weak=d.weak,
        priority=kind.priority,
        community=d.community,
        students=students,
        classes=classes,
        lat=round(lat, 5),
        lon=round(lon, 5),
    )
