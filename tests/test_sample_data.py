"""The synthetic county generator: deterministic, plausible, and readable back."""

from __future__ import annotations

import math
import time
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app
from rotation.eligibility import eligibility_table
from rotation.enums import Area, Priority, SchoolStage, Stage, Title
from rotation.io import read_dataset, write_dataset, write_dataset_xlsx
from rotation.models import Dataset, haversine_km
from rotation.policy import Policy
from rotation.quotas import quotas
from rotation.retirement import retired_by, teacher_retirement
from rotation.roles import school_role
from sample_data import PRESETS, Preset, generate
from sample_data.make_example import EXAMPLE_DIR, make_example
from sample_data.places import LONGCHUAN_CENTER, LONGCHUAN_TOWNS
from sample_data.presets import preset_named

YEAR = 2026
POLICY = Policy()


@pytest.fixture(scope="module")
def small() -> Dataset:
    return generate("small", seed=1, year=YEAR)


@pytest.fixture(scope="module")
def longchuan() -> Dataset:
    return generate("longchuan", seed=1, year=YEAR)


def _eligible_ids(dataset: Dataset) -> set[str]:
    table = eligibility_table(dataset, YEAR, POLICY)
    return {tid for tid, e in table.items() if e.eligible}


def _sends(dataset: Dataset, school_id: str) -> bool:
    return school_role(dataset.school[school_id]).sends


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


# ------------------------------------------------------------------ determinism
def test_same_seed_gives_equal_dataset_and_identical_files(small: Dataset, tmp_path: Path) -> None:
    again = generate("small", seed=1, year=YEAR)
    assert again == small
    write_dataset(small, tmp_path / "a")
    write_dataset(again, tmp_path / "b")
    a, b = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert set(a) == {"schools.csv", "teachers.csv", "needs.csv", "hours_needs.csv"}
    assert a == b


def test_different_seed_gives_different_dataset(small: Dataset) -> None:
    other = generate("small", seed=2, year=YEAR)
    assert other != small
    assert [t.name for t in other.teachers[:20]] != [t.name for t in small.teachers[:20]]


def test_preset_object_and_name_agree(small: Dataset) -> None:
    assert generate(PRESETS["small"], seed=1, year=YEAR) == small


def test_unknown_preset_is_refused_in_both_languages() -> None:
    with pytest.raises(KeyError) as exc:
        preset_named("huge")
    assert "没有名为" in str(exc.value) and "no sample preset" in str(exc.value)


# ------------------------------------------------------------------ sizes
def test_small_is_about_20_schools_and_400_teachers_and_fast() -> None:
    start = time.perf_counter()
    dataset = generate("small", seed=7, year=YEAR)
    elapsed = time.perf_counter() - start
    assert 15 <= len(dataset.schools) <= 30
    assert 300 <= len(dataset.teachers) <= 500
    assert elapsed < 1.0


def test_tiny_is_about_6_schools_and_40_teachers() -> None:
    dataset = generate("tiny", seed=1, year=YEAR)
    assert 4 <= len(dataset.schools) <= 8
    assert 25 <= len(dataset.teachers) <= 60
    assert dataset.needs, "the example shows a needs sheet"


def test_city_preset_is_five_counties_with_distinct_id_prefixes() -> None:
    city = PRESETS["city"]
    assert isinstance(city, Preset) and city.prefix_ids
    assert len(city.counties) == 5
    assert len({c.code for c in city.counties}) == 5
    assert len({c.name for c in city.counties}) == 5
    assert sum(c.n_towns for c in city.counties) >= 100


# ------------------------------------------------------------------ plausibility
@pytest.mark.parametrize("name", ["small", "longchuan"])
def test_about_a_third_of_urban_teachers_are_eligible(
    name: str, request: pytest.FixtureRequest
) -> None:
    dataset: Dataset = request.getfixturevalue(name)
    eligible = _eligible_ids(dataset)
    urban = [t for t in dataset.teachers if _sends(dataset, t.school_id)]
    share = sum(t.teacher_id in eligible for t in urban) / len(urban)
    assert 0.25 <= share <= 0.45


@pytest.mark.parametrize("name", ["small", "longchuan"])
def test_rural_schools_lack_shortage_subject_teachers(
    name: str, request: pytest.FixtureRequest
) -> None:
    dataset: Dataset = request.getfixturevalue(name)
    shortage = set(POLICY.shortage_subjects)

    def share(sends: bool) -> float:
        ts = [
            t
            for t in dataset.teachers
            if t.stage is Stage.PRIMARY and _sends(dataset, t.school_id) is sends
        ]
        return sum(t.subject in shortage for t in ts) / len(ts)

    assert share(False) < 0.8 * share(True)


def test_backbone_and_titles_are_richer_in_urban_schools(longchuan: Dataset) -> None:
    def rates(sends: bool) -> tuple[float, float, float]:
        ts = [t for t in longchuan.teachers if _sends(longchuan, t.school_id) is sends]
        backbone = sum(POLICY.is_backbone(t.backbone) for t in ts) / len(ts)
        senior = sum(t.title.is_senior for t in ts) / len(ts)
        degree = sum(t.degree is not None and t.degree.rank >= 2 for t in ts) / len(ts)
        return backbone, senior, degree

    urban, rural = rates(True), rates(False)
    assert all(u > r for u, r in zip(urban, rural, strict=True))
    assert urban[0] >= 0.15


def test_senders_with_ten_eligible_mostly_have_an_eligible_county_backbone(
    longchuan: Dataset,
) -> None:
    eligible = [longchuan.teacher[tid] for tid in sorted(_eligible_ids(longchuan))]
    units = [q for q in quotas(longchuan, eligible, POLICY).values() if q.eligible >= 10]
    assert len(units) >= 20
    with_backbone = sum(q.eligible_backbone >= 1 for q in units)
    assert with_backbone >= 0.8 * len(units)


@pytest.mark.parametrize("name", ["small", "longchuan"])
def test_needs_exceed_the_quota_and_sit_at_receivers_offering_the_stage(
    name: str, request: pytest.FixtureRequest
) -> None:
    dataset: Dataset = request.getfixturevalue(name)
    eligible = [dataset.teacher[tid] for tid in sorted(_eligible_ids(dataset))]
    required = sum(q.required for q in quotas(dataset, eligible, POLICY).values())
    quota_needs = sum(n.count for n in dataset.needs if n.stage in POLICY.quota_stages)
    assert required > 0
    assert 1.4 * required <= quota_needs <= 2.5 * required
    for need in dataset.needs:
        school = dataset.school[need.school_id]
        assert school_role(school).receives, need
        assert school.offers(need.stage), need
    shortage = sum(n.count for n in dataset.needs if n.subject in POLICY.shortage_subjects)
    assert shortage > 0.4 * sum(n.count for n in dataset.needs)
    assert any(n.subject.value in ("chinese", "math") for n in dataset.needs)


def test_preferences_name_receivers_of_the_teachers_stage(longchuan: Dataset) -> None:
    eligible = _eligible_ids(longchuan)
    with_prefs = [t for t in longchuan.teachers if t.preferences]
    assert all(t.teacher_id in eligible for t in with_prefs)
    assert 0.12 <= len(with_prefs) / len(eligible) <= 0.28
    for t in with_prefs:
        assert 1 <= len(t.preferences) <= 3 and len(set(t.preferences)) == len(t.preferences)
        for sid in t.preferences:
            school = longchuan.school[sid]
            assert school_role(school).receives and school.offers(t.stage)


def test_teacher_details_follow_the_documented_rates(longchuan: Dataset) -> None:
    teachers = longchuan.teachers
    first = [t for t in teachers if t.title is Title.FIRST]
    seekers = [t for t in teachers if t.seeks_promotion]
    assert all(t.title is Title.FIRST for t in seekers)
    assert 0.05 <= len(seekers) / len(first) <= 0.11
    assert 0.01 <= sum(bool(t.exempt) for t in teachers) / len(teachers) <= 0.035
    recent = [
        t
        for t in teachers
        if t.last_exchange_year is not None
        and YEAR - t.last_exchange_year < POLICY.exchange_cooldown_years
    ]
    assert recent, "some teachers are in their exchange cooldown"
    assert all(t.school_start_year - t.birth_year >= 21 for t in teachers)
    assert all(t.school_start_year <= YEAR for t in teachers)
    assert len({t.teacher_id for t in teachers}) == len(teachers)
    ages = [YEAR - t.birth_year for t in teachers]
    assert min(ages) >= 22
    assert not any(retired_by(teacher_retirement(t, POLICY), YEAR) for t in teachers)


def test_subjects_fit_the_stage(small: Dataset) -> None:
    by_stage: dict[Stage, set[str]] = {}
    for t in small.teachers:
        by_stage.setdefault(t.stage, set()).add(t.subject.value)
        assert small.school[t.school_id].offers(t.stage)
    assert by_stage[Stage.KINDERGARTEN] == {"preschool"}
    assert {"chinese", "math", "english", "music", "pe", "art"} <= by_stage[Stage.PRIMARY]
    assert "physics" in by_stage[Stage.JUNIOR] and "physics" not in by_stage[Stage.PRIMARY]


def test_staffing_is_consistent_with_enrolment(longchuan: Dataset) -> None:
    bounds = {
        SchoolStage.PRIMARY: (15.0, 20.0),
        SchoolStage.JUNIOR: (11.5, 14.5),
        SchoolStage.SENIOR: (11.5, 14.0),
    }
    for school in longchuan.schools:
        if school.stage not in bounds or school.students < 300:
            continue
        staff = len(longchuan.teachers_by_school[school.school_id])
        lo, hi = bounds[school.stage]
        assert lo <= school.students / staff <= hi, school.name


# ------------------------------------------------------------------ 龙川县
def test_longchuan_has_its_24_towns_each_with_the_three_schools(longchuan: Dataset) -> None:
    assert len(LONGCHUAN_TOWNS) == 24 and LONGCHUAN_TOWNS[0] == "老隆镇"
    assert {s.town for s in longchuan.schools} == set(LONGCHUAN_TOWNS)
    for town in LONGCHUAN_TOWNS:
        kinds = Counter(s.priority for s in longchuan.schools if s.town == town)
        assert kinds[Priority.CENTRAL_KINDERGARTEN] == 1, town
        assert kinds[Priority.CENTRAL_PRIMARY] == 1, town
        assert kinds[Priority.BOARDING] == 1, town


def test_longchuan_seat_holds_the_urban_and_quality_schools(longchuan: Dataset) -> None:
    urban = [s for s in longchuan.schools if s.area is Area.URBAN]
    assert {s.town for s in urban} == {"老隆镇"}
    assert {s.stage for s in urban} >= {
        SchoolStage.PRIMARY,
        SchoolStage.JUNIOR,
        SchoolStage.SENIOR,
        SchoolStage.NINE_YEAR,
        SchoolStage.KINDERGARTEN,
        SchoolStage.SPECIAL,
    }
    assert all(s.town == "老隆镇" for s in longchuan.schools if s.quality)
    assert any(s.area is Area.TOWN and s.priority is None for s in longchuan.schools)
    points = [s for s in longchuan.schools if s.name.endswith("教学点")]
    assert points and all(s.area is Area.RURAL and s.students < 40 for s in points)
    assert 3 <= sum(s.weak for s in longchuan.schools) <= 20


def test_longchuan_size_and_place(longchuan: Dataset) -> None:
    assert 300 <= len(longchuan.schools) <= 400
    assert 8000 <= len(longchuan.teachers) <= 10000
    for s in longchuan.schools:
        assert s.lat is not None and s.lon is not None
        assert haversine_km(s.lat, s.lon, *LONGCHUAN_CENTER) <= 30, s.name


def test_longchuan_communities_pair_urban_with_rural_schools(longchuan: Dataset) -> None:
    members: dict[str, list[Area]] = {}
    for s in longchuan.schools:
        if s.community:
            members.setdefault(s.community, []).append(s.area)
    assert len(members) >= 5
    assert "老隆一小教育共同体" in members
    for name, areas in members.items():
        assert Area.URBAN in areas and Area.RURAL in areas, name


def test_longchuan_is_deterministic_in_ids_and_order(longchuan: Dataset) -> None:
    ids = [s.school_id for s in longchuan.schools]
    assert ids == sorted(ids) and ids[0] == "S001"
    assert longchuan.school["S001"].area is Area.URBAN  # the seat's schools come first
    assert math.isclose(
        sum(s.students for s in longchuan.schools),
        sum(s.students for s in generate("longchuan", seed=1, year=YEAR).schools),
    )


# ------------------------------------------------------------------ files and CLI
def test_round_trip_through_csv_folder(small: Dataset, tmp_path: Path) -> None:
    write_dataset(small, tmp_path)
    assert read_dataset(tmp_path) == small


def test_round_trip_through_xlsx(tmp_path: Path) -> None:
    tiny = generate("tiny", seed=4, year=YEAR)
    path = write_dataset_xlsx(tiny, tmp_path / "tiny.xlsx", lang="zh")
    assert read_dataset(path) == tiny


def test_cli_writes_a_folder_and_prints_a_chinese_summary(tmp_path: Path) -> None:
    out = tmp_path / "county"
    result = CliRunner().invoke(
        app, ["sample", "--preset", "small", "--seed", "3", "--year", "2026", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    dataset = read_dataset(out)
    assert dataset == generate("small", seed=3, year=2026)
    needs = sum(n.count for n in dataset.needs)
    assert (
        f"学校 {len(dataset.schools)} 所, 教师 {len(dataset.teachers)} 人, 岗位需求 {needs} 个"
        in result.output
    )


@pytest.mark.parametrize("args", [["--out", "tiny.xlsx"], ["--out", "tiny", "--xlsx"]])
def test_cli_writes_a_workbook(args: list[str], tmp_path: Path) -> None:
    cli_args = [a if a.startswith("--") else str(tmp_path / a) for a in args]
    result = CliRunner().invoke(app, ["sample", "--preset", "tiny", *cli_args])
    assert result.exit_code == 0, result.output
    assert read_dataset(tmp_path / "tiny.xlsx") == generate("tiny", seed=1, year=2026)


def test_cli_refuses_an_unknown_preset(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["sample", "--preset", "huge", "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "huge" in result.output


def test_example_in_the_repository_is_current(tmp_path: Path) -> None:
    expected = generate("tiny", seed=1, year=YEAR)
    assert read_dataset(EXAMPLE_DIR / "example.xlsx") == expected
    assert read_dataset(EXAMPLE_DIR / "csv") == expected
    make_example(tmp_path)
    assert _files(tmp_path / "csv") == _files(EXAMPLE_DIR / "csv")
