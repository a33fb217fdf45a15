"""The benchmark instances: the named presets at several seeds and a scaling series.

An instance is a name and a recipe (a preset, or a county shape scaled to a target
size, plus a seed); ``load_instance`` turns it into a ``Dataset``. The scaling series
is made of made-up counties of several sizes (fewer towns and a smaller enrolment for
the small ones; several full counties for the large ones, as the ``city`` preset does),
so every point is a realistic county or city, not a stretched copy of one.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from rotation.models import Dataset
from sample_data import generate
from sample_data.places import HEYUAN_CENTER
from sample_data.presets import CITY, STRESS, CountyShape, Preset, longchuan_shape, preset_named

YEAR = 2026

# (towns incl. the seat, enrolment scale, number of counties) for each target size
_SERIES: dict[int, tuple[int, float, int]] = {
    1_000: (5, 0.35, 1),
    2_500: (8, 0.7, 1),
    5_000: (12, 0.65, 1),
    10_000: (24, 1.0, 1),
    20_000: (24, 1.0, 2),
    30_000: (24, 1.0, 3),
    40_000: (24, 1.0, 4),
    50_000: (24, 1.1, 5),
}
SERIES_SIZES: tuple[int, ...] = tuple(_SERIES)

_SMALL_URBAN: tuple[tuple[str, int], ...] = (
    ("urban_primary", 2),
    ("urban_junior", 1),
    ("urban_nine_year", 1),
    ("urban_kindergarten", 1),
)


@dataclass(frozen=True)
class Instance:
    """One benchmark instance: ``family`` is "preset" or "series"."""

    name: str
    family: str
    preset: str  # a preset name, or "series"
    seed: int
    target_teachers: int = 0  # series only

    def to_dict(self) -> dict[str, object]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Instance:
        return cls(**data)  # type: ignore[arg-type]


def preset_instance(preset: str, seed: int) -> Instance:
    return Instance(name=f"{preset}-s{seed}", family="preset", preset=preset, seed=seed)


def series_instance(teachers: int, seed: int = 1) -> Instance:
    if teachers not in _SERIES:
        raise ValueError(f"无此规模 / no series size {teachers}; choose one of {SERIES_SIZES}")
    return Instance(
        name=f"series-{teachers / 1000:g}k",
        family="series",
        preset="series",
        seed=seed,
        target_teachers=teachers,
    )


def series_preset(teachers: int) -> Preset:
    """A county (or a city of several counties) of about ``teachers`` teachers."""
    towns, scale, counties = _SERIES[teachers]
    if counties == 1:
        base = longchuan_shape(code="SR")
        shape = dataclasses.replace(
            base,
            name="规模测试县",
            towns=(),
            town_count=towns,
            urban=base.urban if towns >= 12 else _SMALL_URBAN,
            town_area_towns=min(8, towns - 1),
            town_seniors=min(2, towns - 1),
            communities=min(6, max(1, towns // 2)),
            weak_schools=min(10, towns * 2),
            center=(HEYUAN_CENTER[0], HEYUAN_CENTER[1]),
            enrolment_scale=scale,
        )
        shapes: tuple[CountyShape, ...] = (shape,)
    else:
        shapes = tuple(
            dataclasses.replace(c, enrolment_scale=scale * c.enrolment_scale)
            for c in CITY.counties[:counties]
        )
    return Preset(
        name=f"series-{teachers}",
        description=f"规模序列：约{teachers}名教师 / scaling series, about {teachers} teachers",
        counties=shapes,
    )


def load_instance(instance: Instance) -> Dataset:
    if instance.family == "series":
        return generate(series_preset(instance.target_teachers), seed=instance.seed, year=YEAR)
    return generate(preset_named(instance.preset), seed=instance.seed, year=YEAR)


# County shapes unlike the presets (issue 11 item 7): small variants in the quick run,
# county- and city-sized ones in the full run; each is judged against longchuan (county
# sizes) or city (city sizes) in the same run (``bench.report.shape_table``).
STRESS_SMALL: tuple[str, ...] = tuple(p.name for p in STRESS if p.name.endswith("_small"))
STRESS_LARGE: tuple[str, ...] = tuple(p.name for p in STRESS if not p.name.endswith("_small"))
CITY_SIZED: tuple[str, ...] = ("city", "big_county")  # presets that get the large time limit


def quick_instances() -> list[Instance]:
    """``make bench``: small and longchuan seed 1 and the small stress shapes (a few minutes)."""
    out = [preset_instance("small", 1), preset_instance("longchuan", 1)]
    return out + [preset_instance(name, 1) for name in STRESS_SMALL]


def full_instances() -> list[Instance]:
    """``make bench-full``: the presets at several seeds, the stress shapes, then the
    scaling series."""
    out = [preset_instance("small", s) for s in (1, 2, 3)]
    out += [preset_instance("longchuan", s) for s in (1, 2, 3)]
    out += [preset_instance("city", s) for s in (1, 2)]
    out += [preset_instance(name, 1) for name in (*STRESS_SMALL, *STRESS_LARGE)]
    out += [series_instance(n) for n in SERIES_SIZES]
    return out


def instances_named(names: list[str]) -> list[Instance]:
    """Instances from names such as ``longchuan-s2`` or ``series-20k``."""
    out = []
    for name in names:
        if name.startswith("series-"):
            out.append(
                series_instance(round(float(name.removeprefix("series-").rstrip("k")) * 1000))
            )
            continue
        preset, _, seed = name.rpartition("-s")
        if not preset or not seed.isdigit():
            raise ValueError(
                f"实例名无效 / bad instance name {name!r} (e.g. longchuan-s2, series-20k)"
            )
        out.append(preset_instance(preset, int(seed)))
    return out
