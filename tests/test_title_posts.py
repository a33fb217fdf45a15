"""Senior and intermediate title posts: totals, the rural tilt, holders' floors, explanations."""

from __future__ import annotations

import csv
import random
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from rotation.enums import Area, Gender, Priority, SchoolStage, Stage, Subject, Title
from rotation.models import Dataset, School, Teacher
from rotation.title_posts import (
    TitlePostError,
    TitlePostPolicy,
    TitlePostResult,
    allocate_title_posts,
    apportion_with_floors,
)


def school(sid: str, area: Area, students: int = 950) -> School:
    # 950 pupils / 19 = 50 staffing posts
    return School(
        school_id=sid,
        name=f"学校{sid}",
        area=area,
        stage=SchoolStage.PRIMARY,
        students=students,
        classes=0,
    )


def holders(sid: str, title: Title, n: int) -> list[Teacher]:
    return [
        Teacher(
            teacher_id=f"{sid}-{title.value}-{i}",
            name="教师",
            gender=Gender.MALE,
            birth_date=date(1980, 1, 1),
            school_id=sid,
            stage=Stage.PRIMARY,
            subject=Subject.MATH,
            title=title,
            school_start_year=2010,
        )
        for i in range(n)
    ]


VILLAGES_ONLY = TitlePostPolicy(rural_areas=(Area.RURAL,))  # 农村 read as 乡村 only

SCHOOLS = [
    school("U1", Area.URBAN),
    school("U2", Area.TOWN),
    school("R1", Area.RURAL),
    school("R2", Area.RURAL),
]


def assert_sound(ds: Dataset, res: TitlePostResult, senior: int, intermediate: int) -> None:
    assert sum(s.senior_posts for s in res.schools) == senior
    assert sum(s.intermediate_posts for s in res.schools) == intermediate
    for s in res.schools:
        assert s.senior_posts >= s.senior_holders
        assert s.intermediate_posts >= s.intermediate_holders
        assert f"高级{s.senior_posts}个" in s.explanation
        assert f"中级{s.intermediate_posts}个" in s.explanation
    rural = [s for s in res.schools if s.group == "rural"]
    urban = [s for s in res.schools if s.group == "urban"]
    if res.tilt_met and rural and urban:
        r = sum(s.senior_posts + s.intermediate_posts for s in rural) / sum(
            s.staffing_posts for s in rural
        )
        u = sum(s.senior_posts + s.intermediate_posts for s in urban) / sum(
            s.staffing_posts for s in urban
        )
        assert r >= u + res.rural_tilt - 1e-9


def test_hand_example_meets_the_tilt_with_the_fewest_extra_posts() -> None:
    # 100 urban and 100 rural staffing posts, 10 senior + 30 intermediate = 40.
    # Tilt 5 points: C/100 ≥ (40 − C)/100 + 0.05 ⇔ C ≥ 22.5 → 23 rural posts (23% vs 17%).
    ds = Dataset.build(SCHOOLS, [])
    res = allocate_title_posts(ds, 10, 30, VILLAGES_ONLY)
    got = {s.school_id: (s.senior_posts, s.intermediate_posts) for s in res.schools}
    # rural 23 = senior round(23 × 10/40) = 6 + 17; urban 4 + 13; equal schools split evenly,
    # the odd post by the largest remainder then school_id
    assert got == {"R1": (3, 9), "R2": (3, 8), "U1": (2, 7), "U2": (2, 6)}
    assert res.tilt_met
    assert res.rural_share == pytest.approx(0.23) and res.urban_share == pytest.approx(0.17)
    assert_sound(ds, res, 10, 30)
    assert "义务教育：农村学校" in res.notes[1] and "达到" in res.notes[1]


def test_without_tilt_posts_follow_staffing() -> None:
    ds = Dataset.build(
        [school("U1", Area.URBAN, 1900), school("R1", Area.RURAL, 950)], []
    )  # 100 and 50 posts
    res = allocate_title_posts(ds, 30, 60, TitlePostPolicy(rural_tilt=0.0))
    got = {s.school_id: (s.senior_posts, s.intermediate_posts) for s in res.schools}
    assert got == {"U1": (20, 40), "R1": (10, 20)}


def test_current_holders_are_never_left_without_a_post() -> None:
    ds = Dataset.build(
        SCHOOLS, holders("U1", Title.SENIOR, 5) + holders("U1", Title.SENIOR_PLUS, 1)
    )
    res = allocate_title_posts(ds, 10, 30)
    assert res.by_school["U1"].senior_holders == 6
    assert res.by_school["U1"].senior_posts >= 6
    assert res.tilt_met
    assert_sound(ds, res, 10, 30)


def test_tilt_that_the_urban_holders_make_impossible_is_reported() -> None:
    # urban holders take 20 of the 40 posts; the tilt needs 23 rural ones
    ds = Dataset.build(SCHOOLS, holders("U1", Title.SENIOR, 10) + holders("U2", Title.FIRST, 10))
    res = allocate_title_posts(ds, 10, 30, VILLAGES_ONLY)
    assert not res.tilt_met
    assert any("达不到" in n for n in res.notes)
    assert "未达到" in res.notes[1]
    assert_sound(ds, res, 10, 30)


def test_totals_below_the_holders_are_refused() -> None:
    ds = Dataset.build(SCHOOLS, holders("R1", Title.SENIOR, 3))
    with pytest.raises(TitlePostError, match="少于现有"):
        allocate_title_posts(ds, 2, 10)


def test_apportion_with_floors_sums_and_respects_floors() -> None:
    rng = random.Random(5)
    for _ in range(200):
        keys = [f"S{i}" for i in range(rng.randint(1, 8))]
        weights = {k: float(rng.randint(0, 60)) for k in keys}
        floors = {k: rng.randint(0, 5) for k in keys}
        total = sum(floors.values()) + rng.randint(0, 50)
        got, quotas = apportion_with_floors(total, weights, floors)
        assert sum(got.values()) == total
        assert all(got[k] >= floors[k] and abs(got[k] - quotas[k]) < 1 for k in keys)


def test_sample_county_allocation_is_sound() -> None:
    from sample_data import generate

    ds = generate("small", seed=5)
    hs = sum(t.title.is_senior for t in ds.teachers)
    hm = sum(t.title is Title.FIRST for t in ds.teachers)
    for extra in (0, 10, 60):
        res = allocate_title_posts(ds, hs + extra, hm + 2 * extra)
        assert_sound(ds, res, hs + extra, hm + 2 * extra)
        assert res.model_dump(mode="json")["schools"]  # JSON-serialisable for the API


def test_cli_title_posts(tmp_path: Path) -> None:
    from cli.main import app
    from rotation.io import write_dataset
    from sample_data import generate

    ds = generate("tiny", seed=1)
    folder = write_dataset(ds, tmp_path / "tiny")
    hs = sum(t.title.is_senior for t in ds.teachers)
    hm = sum(t.title is Title.FIRST for t in ds.teachers)
    out = tmp_path / "out"
    args = ["title-posts", "--data", str(folder), "--senior", str(hs + 3)]
    args += ["--intermediate", str(hm + 5), "--out", str(out)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 0, res.output
    with (out / "title_posts.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert sum(int(r["senior_posts"]) for r in rows) == hs + 3
    assert sum(int(r["intermediate_posts"]) for r in rows) == hm + 5
    assert all(r["explanation"] for r in rows)
    bad = CliRunner().invoke(app, [*args[:4], "0", "--intermediate", "0", "--out", str(out)])
    assert bad.exit_code == 2 and "少于现有" in bad.output


def test_by_default_the_tilt_reaches_township_schools_and_the_three_schools() -> None:
    # the seed: 中高级教师岗位比例适当向农村学校倾斜; 农村 = outside the county town (rotation/areas.py)
    boarding = school("B1", Area.URBAN).model_copy(update={"priority": Priority.BOARDING})
    ds = Dataset.build([*SCHOOLS, boarding], [])
    res = allocate_title_posts(ds, 10, 40)
    groups = {s.school_id: s.group for s in res.schools}
    assert groups == {"U1": "urban", "U2": "rural", "R1": "rural", "R2": "rural", "B1": "rural"}
    town, urban = res.by_school["U2"], res.by_school["U1"]
    assert town.senior_posts + town.intermediate_posts > urban.senior_posts + urban.intermediate_posts
    assert res.tilt_met and "镇区、乡村学校及三所学校" in res.reading


def test_each_stage_pool_shares_its_own_posts() -> None:
    kg = School(school_id="K1", name="幼儿园", area=Area.URBAN, stage=SchoolStage.KINDERGARTEN,
                students=300, classes=10)
    high = School(school_id="H1", name="高中", area=Area.URBAN, stage=SchoolStage.SENIOR,
                  students=1250, classes=25)  # fmt: skip
    ds = Dataset.build([*SCHOOLS, kg, high], [])
    given = {"kindergarten": (1, 3), "compulsory": (10, 30), "senior": (9, 20)}
    res = allocate_title_posts(ds, 20, 53, TitlePostPolicy(pool_totals=given))
    for pool, (sen, mid) in given.items():
        members = [s for s in res.schools if s.pool == pool]
        assert sum(s.senior_posts for s in members) == sen
        assert sum(s.intermediate_posts for s in members) == mid
    assert {p.pool for p in res.pools} == set(given)
    # without pool totals the county's are divided by staffing, every pool getting some
    split = allocate_title_posts(ds, 20, 53)
    assert all(p.senior + p.intermediate > 0 for p in split.pools)
    assert sum(p.senior for p in split.pools) == 20


def test_pool_totals_that_do_not_add_up_are_refused() -> None:
    ds = Dataset.build(SCHOOLS, [])
    with pytest.raises(TitlePostError, match="各学段岗位池之和"):
        allocate_title_posts(ds, 10, 30, TitlePostPolicy(pool_totals={"compulsory": (9, 30)}))
